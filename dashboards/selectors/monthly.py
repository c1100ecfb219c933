"""The figures by month, this year against last, from the monthly roll-ups."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import (
    Min,
    Sum,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from dashboards.selectors.common import (
    OverviewFilters,
    _month_bounds,
    link,
)


def _monthly(rows, *, fields: list[str]) -> dict[tuple[int, int], dict]:
    table = {}
    for row in rows:
        month = row["month"]
        table[(month.year, month.month)] = {field: row[field] or 0 for field in fields}
    return table


def _first_month(rows, figure: str) -> datetime.date | None:
    """The first month with a record (its first day), None without any."""
    return rows.filter(**{f"{figure}__gt": 0}).aggregate(first=Min("month"))["first"]


def monthly_figures(*, activity_months, mediation_months, filters: OverviewFilters) -> dict:
    """Verified activities, beneficiaries, volunteer hours and mediations per month, two years.

    Read from the monthly roll-ups of the communities in view (a few rows per community and
    month, whatever the number of records).
    """
    year, last = filters.year, filters.year - 1
    span = {"month__gte": datetime.date(last, 1, 1), "month__lte": datetime.date(year, 12, 1)}
    activity_rows = (
        activity_months.filter(**span)
        .order_by()
        .values("month")
        .annotate(
            count=Sum("activities"),
            beneficiaries=Sum("beneficiaries"),
            tenths=Sum("volunteer_tenths"),
        )
    )
    mediation_rows = (
        mediation_months.filter(**span).order_by().values("month").annotate(count=Sum("cases"))
    )
    by_activity = _monthly(
        (
            {**row, "hours": Decimal(row["tenths"] or 0) / 10}  # tenths of an hour
            for row in activity_rows
        ),
        fields=["count", "beneficiaries", "hours"],
    )
    by_mediation = _monthly(mediation_rows, fields=["count"])
    activities_since = _first_month(activity_months, "activities")
    mediations_since = _first_month(mediation_months, "cases")
    return _monthly_series(
        by_activity=by_activity,
        by_mediation=by_mediation,
        activities_since=activities_since,
        mediations_since=mediations_since,
        filters=filters,
    )


def _monthly_series(
    *, by_activity, by_mediation, activities_since, mediations_since, filters: OverviewFilters
) -> dict:
    """The monthly table and chart series from the figures of each month of the two years."""
    year, last = filters.year, filters.year - 1
    # A month is plotted when it has happened and the ledger already kept the records then
    # (from the month of the first verified record on): absent data is never drawn as zero.
    current = timezone.localdate().replace(day=1)

    def kept(since, y: int, m: int) -> bool:
        return since is not None and since <= datetime.date(y, m, 1) <= current

    series = _year_totals(by_activity, by_mediation, year)
    months = []
    for month in range(1, 13):
        this_a = by_activity.get((year, month), {})
        last_a = by_activity.get((last, month), {})
        this_m = by_mediation.get((year, month), {})
        last_m = by_mediation.get((last, month), {})

        def value(table, name, since, y, m=month, convert=int):
            return convert(table.get(name, 0)) if kept(since, y, m) else None

        values = {
            "activities": (
                value(this_a, "count", activities_since, year),
                value(last_a, "count", activities_since, last),
            ),
            "beneficiaries": (
                value(this_a, "beneficiaries", activities_since, year),
                value(last_a, "beneficiaries", activities_since, last),
            ),
            "hours": (
                value(this_a, "hours", activities_since, year, convert=float),
                value(last_a, "hours", activities_since, last, convert=float),
            ),
            "mediations": (
                value(this_m, "count", mediations_since, year),
                value(last_m, "count", mediations_since, last),
            ),
        }
        for key, (this_value, last_value) in values.items():
            series[key]["this"].append(this_value)
            series[key]["last"].append(last_value)
        months.append(
            {
                "label": _("Month %(month)s") % {"month": month},
                **{f"{key}_this": value[0] for key, value in values.items()},
                **{f"{key}_last": value[1] for key, value in values.items()},
                **_month_links(year, month, filters.township_id),
            }
        )
    return {
        "year": year,
        "last_year": last,
        "months": months,
        "series": series,
        **_year_links(year, filters.township_id),
    }


def _year_totals(by_activity, by_mediation, year: int) -> dict[str, dict]:
    """The series, empty, with the totals of every record of each year (they equal the
    year's lists)."""
    series: dict[str, dict] = {
        key: {"this": [], "last": [], "this_total": 0, "last_total": 0}
        for key in ("activities", "beneficiaries", "hours", "mediations")
    }
    for (y, _m), row in by_activity.items():
        which = "this_total" if y == year else "last_total"
        series["activities"][which] += row["count"]
        series["beneficiaries"][which] += row["beneficiaries"]
        series["hours"][which] += float(row["hours"])
    for (y, _m), row in by_mediation.items():
        series["mediations"]["this_total" if y == year else "last_total"] += row["count"]
    return series


def _month_links(year: int, month: int, township) -> dict[str, str]:
    """The lists behind a month's figures, this year and last."""
    first, final = _month_bounds(year, month)
    last_first, last_final = _month_bounds(year - 1, month)
    params = {"status": "verified", "township": township}
    return {
        f"{name}{suffix}_url": link(
            url_name, date_from=start.isoformat(), date_to=end.isoformat(), **params
        )
        for name, url_name in (
            ("activities", "activities:activity_list"),
            ("mediations", "activities:mediation_list"),
        )
        for suffix, start, end in (("", first, final), ("_last", last_first, last_final))
    }


def _year_links(year: int, township) -> dict[str, str]:
    """The lists behind the year's totals."""
    params = {
        "date_from": f"{year}-01-01",
        "date_to": f"{year}-12-31",
        "status": "verified",
        "township": township,
    }
    return {
        "year_activities_url": link("activities:activity_list", **params),
        "year_mediations_url": link("activities:mediation_list", **params),
    }
