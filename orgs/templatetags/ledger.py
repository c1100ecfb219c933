"""Small display helpers for the e-ledger templates."""

from django import template

register = template.Library()

_ARROWS = {"asc": " ▲", "desc": " ▼"}


@register.filter
def sort_arrow(direction: str) -> str:
    """Return the arrow that shows a column's current sort direction, or nothing."""
    return _ARROWS.get(direction, "")
