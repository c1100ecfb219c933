"""Paging for lists that may hold millions of rows.

Django's ``Paginator`` counts every row the filters leave (``SELECT COUNT(*)``) to number the
pages. On a county-wide list at province scale that count is most of the request: 2,000,000
activities, 800,000 people. ``CappedPaginator`` counts at most ``cap + 1`` rows (``SELECT
COUNT(*) FROM (… LIMIT cap + 1)``), which the database stops early. Below the cap it is an
ordinary paginator; above it, it says so (``capped``), numbers the pages up to the cap and the
page tells the user to narrow the filters: no clerk pages through 400 pages of 25.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.utils.functional import cached_property

DEFAULT_CAP = 10_000


class CappedPaginator(Paginator):
    def __init__(self, object_list, per_page, *, cap: int = DEFAULT_CAP, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap

    @cached_property
    def _counted(self) -> int:
        """The rows up to one past the cap."""
        rows = self.object_list
        if hasattr(rows, "order_by"):
            # Which rows are counted does not change how many: unordered, the database stops
            # at cap + 1 rows instead of sorting every match first.
            rows = rows.order_by()
        rows = rows[: self.cap + 1]
        if isinstance(rows, list | tuple):
            return len(rows)
        return rows.count()

    @cached_property
    def capped(self) -> bool:
        """Whether more rows exist than were counted."""
        return self._counted > self.cap

    @cached_property
    def count(self) -> int:
        """The rows counted, at most ``cap``."""
        return min(self._counted, self.cap)


def paginate(object_list, per_page: int, number, *, cap: int = DEFAULT_CAP):
    """The page ``number`` (as ``Paginator.get_page``: out of range gives the last page)."""
    return CappedPaginator(object_list, per_page, cap=cap).get_page(number)
