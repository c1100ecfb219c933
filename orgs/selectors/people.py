def members_tab_context(*, user, organization) -> dict:
    """Context for the organisation page's members section (orgs/partials/_org_members.html)."""
    return {}
