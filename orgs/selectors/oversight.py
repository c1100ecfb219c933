def oversight_tab_context(*, user, organization) -> dict:
    """Context for the organisation page's inspections, credit and merge sections."""
    return {}
