"""Compute one quarter's scores and ranks with set-based SQL, atomically.

One `INSERT … SELECT` does the work: common table expressions aggregate each source over the
quarter (verified activities led, ratings, verified resolved mediations, members holding a grid
role, credit listings, the year's failed inspection, no-show bookings, the quarter's assessment),
join them to the organisations, turn figures into capped points with the scheme's rules, and
rank with `RANK()` (competition ranking: equal totals share a rank) county-wide, per category and
per township. Before it, two small queries: the county mean rating and the organisations with a
fully compliant Party branch (`party_branches.compliance`).

What counts is defined once, in the source app: each common table expression is the SQL of a
queryset (`Activity.objects.verified().in_quarter(q)`, `CreditListing.objects.active_during(q)`,
`Membership.objects.during(q)`…, see `source_querysets`), so this module names no other app's
table. The points are the SQL of the rule objects (`scoring.rules`) the explanation applies too.

The quarter's old rows are deleted and the new ones inserted in one transaction, so readers see
the old ranking or the new one, never a mix (PostgreSQL MVCC; SQLite WAL readers keep their
snapshot). Recomputing unchanged data writes identical rows.

Who is scored: every organisation except those merged, deregistered or revoked before the
quarter began, and those founded after it ended. Organisations on the serious-violation list
during the quarter, and those merged, deregistered or revoked during it, get a row marked not
ranked, with the reason.
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Case, Count, F, IntegerField, Max, Q, Sum, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.query import QuerySet
from django.utils import timezone

from activities.models import Activity, Feedback, MediationCase
from areas.selectors import county_or_sole
from core import quarters as core_quarters
from core.quarters import Quarter, shift_quarter
from orgs.models import AnnualInspection, CreditListing, Membership, Organization, Person
from party_branches.compliance import compliant_organization_ids
from party_branches.models import Branch
from scoring.models import Indicator, QuarterAssessment, QuarterScore, ScoringQuarter
from scoring.rules import INDICATOR_RULES_BY_INDICATOR, SatisfactionRule, snapshot
from scoring.services.schemes import ensure_scheme
from venues.models import Booking

GONE_STATUSES = (
    Organization.Status.MERGED,
    Organization.Status.DEREGISTERED,
    Organization.Status.REVOKED,
)
NOT_RANKED_SERIOUS = "serious"


class QuarterFrozen(Exception):
    """The quarter is finalised: its scores are not recomputed until it is re-opened."""


@dataclass(frozen=True)
class ComputeResult:
    year: int
    quarter: int
    scored: int
    ranked: int
    county_mean: Decimal | None
    computed_at: datetime.datetime


def quarter_datetimes(year: int, quarter: int) -> tuple[datetime.datetime, datetime.datetime]:
    """The quarter as [start, end) aware datetimes in the local time zone."""
    return core_quarters.quarter_datetimes((year, quarter))


def db_datetime(value: datetime.datetime):
    """An aware datetime in the form the backend stores it, for a raw query.

    A raw cursor does not convert values as the ORM does: on SQLite Django stores aware
    datetimes as UTC text without an offset, so handing it '2025-04-01 00:00:00+08:00' would
    compare text with text and shift every boundary by eight hours. The connection's adapter
    gives UTC text on SQLite and the aware value itself on PostgreSQL.
    """
    return connection.ops.adapt_datetimefield_value(value)


def quarter_db_datetimes(year: int, quarter: int) -> tuple:
    """The quarter's [start, end) as values for a raw query (see `db_datetime`)."""
    start, end = quarter_datetimes(year, quarter)
    return db_datetime(start), db_datetime(end)


_PLACEHOLDER = re.compile(r"%%|%s")


def embed(queryset: QuerySet, name: str, params: dict) -> str:
    """The queryset's SQL for a larger raw statement with named parameters: its `%s`
    placeholders become `%(name_i)s`, their values go into `params`."""
    sql, values = queryset.query.sql_with_params()
    remaining = iter(values)
    count = 0

    def named(match: re.Match) -> str:
        nonlocal count
        if match.group(0) == "%%":
            return "%%"
        key = f"{name}_{count}"
        count += 1
        params[key] = next(remaining)
        return f"%({key})s"

    return _PLACEHOLDER.sub(named, sql)


def _per_organization(queryset: QuerySet, field: str, county_id: int | None = None) -> QuerySet:
    """The rows per organisation id; of one county's organisations when it is given."""
    if county_id is not None:
        queryset = queryset.filter(**{f"{field}__community__township__county_id": county_id})
    return queryset.order_by().values(org_id=F(field))


def _flag(condition: Q):
    return Max(Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField()))


def source_querysets(quarter: Quarter, county_id: int | None = None) -> dict[str, QuerySet]:
    """What the score counts per organisation, each from its own app's definition: the
    quarter's verified activities led, verified resolved mediations, members holding a grid
    role, credit listings in force, the year's failed inspection and no-show bookings; and
    the organisations scored (those that existed during the quarter), of one county when it
    is given."""
    year, _q = quarter
    organizations = Organization.objects.existing_during(quarter)
    if county_id is not None:
        organizations = organizations.filter(community__township__county_id=county_id)
    return {
        "act": _per_organization(
            Activity.objects.verified().in_quarter(quarter), "lead_organization", county_id
        ).annotate(
            # COUNT(*), not of the id: the index of verified activities answers it alone.
            n=Count("*"),
            ben=Sum("beneficiaries"),
            hours=Sum("volunteer_hours"),
            help=Sum("help_cases"),
        ),
        "med": _per_organization(
            MediationCase.objects.verified().resolved().in_quarter(quarter),
            "organization",
            county_id,
        ).annotate(n=Count("*")),
        "grid": _per_organization(
            Membership.objects.during(quarter).with_grid_role(), "organization", county_id
        ).annotate(n=Count("person", distinct=True)),
        "cl": _per_organization(
            CreditListing.objects.active_during(quarter), "organization", county_id
        ).annotate(
            abnormal=_flag(Q(list_kind=CreditListing.Kind.ABNORMAL)),
            serious=_flag(Q(list_kind=CreditListing.Kind.SERIOUS)),
        ),
        "insp": _per_organization(
            AnnualInspection.objects.failed().filter(year=year), "organization", county_id
        ).annotate(n=Count("*")),
        "ns": _per_organization(
            Booking.objects.no_shows().starting_in(quarter),
            "organization",
            county_id,
        ).annotate(n=Count("*")),
        "org": organizations.order_by().values(
            "status",
            org_id=F("pk"),
            category_ref=F("category"),
            township_ref=F("community__township"),
            alliance=Case(
                When(in_party_alliance=True, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
            gone=Case(
                When(status__in=GONE_STATUSES, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
        ),
    }


def _grid_members(
    quarter: Quarter, grid: QuerySet, params: dict, county_id: int | None = None
) -> str:
    """Members holding a grid role during the quarter, per organisation. For the whole
    installation on PostgreSQL a LATERAL join walks from the few people with a grid role to
    their memberships through the person index instead of hashing every membership; for one
    county the plain join starts from the county's memberships."""
    if connection.vendor != "postgresql" or county_id is not None:
        # One county's memberships are few (14,000 of the province's million): found from
        # its organisations and hashed against the people with a grid role, 12 ms, where the
        # walk from every grid role of the installation took 74 ms per county.
        return embed(grid, "grid", params)
    people = Person.objects.with_grid_role().order_by().values("id")
    held = Membership.objects.during(quarter).filter(person=RawSQL("p.id", ()))
    held = held.order_by().values("organization_id", "person_id")
    return f"""
        SELECT m.organization_id AS org_id, COUNT(DISTINCT m.person_id) AS n
        FROM ({embed(people, "grid_people", params)}) p CROSS JOIN LATERAL (
            {embed(held, "grid_held", params)}
            OFFSET 0  -- keeps the planner from flattening the LATERAL back into a hash join
        ) m
        GROUP BY m.organization_id"""  # noqa: S608 (querysets' SQL; values are parameters)


def _compliant_ids() -> str:
    """The organisations with a compliant branch as a joinable set (a hash join, not a scan
    of the list for every row)."""
    if connection.vendor == "postgresql":
        return "SELECT DISTINCT unnest(CAST(%(compliant)s AS bigint[])) AS org_id"
    return "SELECT DISTINCT value AS org_id FROM json_each(%(compliant)s)"


RATINGS_TABLE = "scoring_quarter_ratings"


def counted_ratings(quarter: Quarter, county_id: int | None = None) -> QuerySet:
    """The quarter's counted ratings per organisation (of one county when it is given): how
    many, and their sum."""
    return _per_organization(
        Feedback.objects.counted().in_quarter(quarter), "organization", county_id
    ).annotate(n=Count("*"), total=Sum("score"))


def collect_ratings(cursor, quarter: Quarter, county_id: int | None = None) -> Decimal | None:
    """Aggregate the quarter's counted ratings per organisation into a temporary table (read
    once, used twice) and return the county mean (None without ratings)."""
    sql, params = counted_ratings(quarter, county_id).query.sql_with_params()
    cursor.execute(f"DROP TABLE IF EXISTS {RATINGS_TABLE}")
    cursor.execute(f"CREATE TEMPORARY TABLE {RATINGS_TABLE} AS {sql}", params)
    cursor.execute(f"SELECT SUM(total), SUM(n) FROM {RATINGS_TABLE}")  # noqa: S608
    total, count = cursor.fetchone()
    if not count:
        return None
    return (Decimal(total) / Decimal(count)).quantize(Decimal("0.001"))


SCORE_COLUMNS = (
    "organization_id",
    "year",
    "quarter",
    "category_id",
    "township_id",
    "county_id",
    "activities",
    "beneficiaries",
    "volunteer_hours",
    "help_cases",
    "feedback_count",
    "feedback_sum",
    "satisfaction_mean",
    "mediations",
    "grid_members",
    "community_assessment",
    "branch_compliant",
    "commendations",
    "in_alliance",
    "abnormal_listed",
    "failed_inspection",
    "no_shows",
    "activity_points",
    "service_points",
    "satisfaction_points",
    "governance_points",
    "bonus_points",
    "deduction_points",
    "total",
    "ranked",
    "not_ranked_reason",
    "rank_county",
    "rank_category",
    "rank_township",
    "previous_rank_county",
)


def _points_sql(snap: dict, mean: Decimal | None, vendor: str) -> dict[str, str]:
    """Each indicator's points as SQL of the figure columns, from the rule objects."""
    indicators = INDICATOR_RULES_BY_INDICATOR
    satisfaction = SatisfactionRule.from_snapshot(snap)
    return {
        "satisfaction_mean": "CAST(NULL AS NUMERIC)"
        if mean is None
        else f"ROUND({satisfaction.mean_sql(mean, 'fb_n', 'fb_sum')}, 3)",
        "activity_points": indicators[Indicator.ACTIVITY].sql(snap, vendor),
        "service_points": indicators[Indicator.SERVICE].sql(snap, vendor),
        "satisfaction_points": satisfaction.sql(mean, "fb_n", "fb_sum"),
        "governance_points": indicators[Indicator.GOVERNANCE].sql(snap, vendor),
        "bonus_points": indicators[Indicator.BONUS].sql(snap, vendor),
        "deduction_points": indicators[Indicator.DEDUCTION].sql(snap, vendor),
    }


def build_insert_sql(
    snap: dict, mean: Decimal | None, quarter: Quarter, county_id: int
) -> tuple[str, dict]:
    """The INSERT … SELECT that scores and ranks every organisation of the county's quarter,
    and its parameters. The sources are the source apps' querysets (`source_querysets`), embedded as
    common table expressions; the points are the rule objects' SQL (`scoring.rules`)."""
    year, q = quarter
    previous_year, previous_quarter = shift_quarter(quarter, -1)
    # The county's branches only: their compliance is judged in Python, a fixed cost of
    # every run that would otherwise grow with the whole installation.
    compliant = sorted(
        compliant_organization_ids(
            quarter=quarter, branches_qs=Branch.objects.filter(township__county_id=county_id)
        )
    )
    params: dict = {
        "year": year,
        "quarter": q,
        "previous_year": previous_year,
        "previous_quarter": previous_quarter,
        "county": county_id,
        "compliant": compliant if connection.vendor == "postgresql" else json.dumps(compliant),
    }
    querysets = source_querysets(quarter, county_id)
    sources = {
        name: embed(queryset, name, params)
        for name, queryset in querysets.items()
        if name != "grid"
    }
    sources["grid"] = _grid_members(quarter, querysets["grid"], params, county_id)
    points = ",\n               ".join(
        f"{expression} AS {column}"
        for column, expression in _points_sql(snap, mean, connection.vendor).items()
    )
    columns = ", ".join(SCORE_COLUMNS)
    # Each source aggregated once, then joined by organisation (PostgreSQL): without it a
    # planner without statistics yet (rows written in the same transaction, as the demo
    # seed does) re-ran a source's aggregate, with its join to the county, for every
    # organisation.
    once = "MATERIALIZED " if connection.vendor == "postgresql" else ""
    # Formatted in: the source querysets' SQL (their values are parameters), model constants
    # and rule values through sql_literal (validated Decimals).
    sql = f"""
    INSERT INTO {QuarterScore._meta.db_table} ({columns})
    WITH
    act AS {once}({sources["act"]}),
    fb AS (SELECT org_id, n, total FROM {RATINGS_TABLE}),
    med AS {once}({sources["med"]}),
    grid AS {once}({sources["grid"]}),
    cl AS {once}({sources["cl"]}),
    insp AS {once}({sources["insp"]}),
    ns AS {once}({sources["ns"]}),
    o AS {once}({sources["org"]}),
    base AS (
        SELECT o.org_id, o.category_ref AS category_id, o.township_ref AS township_id, o.status,
               COALESCE(act.n, 0) AS activities,
               COALESCE(act.ben, 0) AS beneficiaries,
               COALESCE(act.hours, 0) AS volunteer_hours,
               COALESCE(act.help, 0) AS help_cases,
               COALESCE(fb.n, 0) AS fb_n,
               COALESCE(fb.total, 0) AS fb_sum,
               COALESCE(med.n, 0) AS mediations,
               COALESCE(grid.n, 0) AS grid_members,
               COALESCE(qa.community_score, 0) AS community_assessment,
               CASE WHEN bc.org_id IS NULL THEN 0 ELSE 1 END AS branch_compliant,
               COALESCE(qa.commendations, 0) AS commendations,
               o.alliance AS in_alliance,
               COALESCE(cl.abnormal, 0) AS abnormal_listed,
               COALESCE(cl.serious, 0) AS serious_listed,
               CASE WHEN insp.n IS NULL THEN 0 ELSE 1 END AS failed_inspection,
               COALESCE(ns.n, 0) AS no_shows,
               o.gone
        FROM o
        LEFT JOIN act ON act.org_id = o.org_id
        LEFT JOIN fb ON fb.org_id = o.org_id
        LEFT JOIN med ON med.org_id = o.org_id
        LEFT JOIN grid ON grid.org_id = o.org_id
        LEFT JOIN cl ON cl.org_id = o.org_id
        LEFT JOIN insp ON insp.org_id = o.org_id
        LEFT JOIN ns ON ns.org_id = o.org_id
        LEFT JOIN ({_compliant_ids()}) bc ON bc.org_id = o.org_id
        LEFT JOIN {QuarterAssessment._meta.db_table} qa
               ON qa.organization_id = o.org_id AND qa.year = %(year)s AND qa.quarter = %(quarter)s
    ),
    pts AS (
        SELECT base.*,
               {points},
               CASE WHEN serious_listed = 1 OR gone = 1 THEN 0 ELSE 1 END AS is_ranked
        FROM base
    ),
    scored AS (
        SELECT pts.*,
               activity_points + service_points + satisfaction_points + governance_points
                 + bonus_points + deduction_points AS total
        FROM pts
    )
    SELECT scored.org_id, %(year)s, %(quarter)s, scored.category_id, scored.township_id,
           %(county)s,
           scored.activities, scored.beneficiaries, scored.volunteer_hours, scored.help_cases,
           scored.fb_n, scored.fb_sum, scored.satisfaction_mean, scored.mediations,
           scored.grid_members, scored.community_assessment, scored.branch_compliant = 1,
           scored.commendations, scored.in_alliance = 1, scored.abnormal_listed = 1,
           scored.failed_inspection = 1, scored.no_shows,
           scored.activity_points, scored.service_points, scored.satisfaction_points,
           scored.governance_points, scored.bonus_points, scored.deduction_points, scored.total,
           scored.is_ranked = 1,
           CASE WHEN scored.gone = 1 THEN scored.status
                WHEN scored.serious_listed = 1 THEN '{NOT_RANKED_SERIOUS}' ELSE '' END,
           CASE WHEN scored.is_ranked = 1 THEN RANK() OVER (
               PARTITION BY scored.is_ranked ORDER BY scored.total DESC) END,
           CASE WHEN scored.is_ranked = 1 THEN RANK() OVER (
               PARTITION BY scored.is_ranked, scored.category_id ORDER BY scored.total DESC) END,
           CASE WHEN scored.is_ranked = 1 THEN RANK() OVER (
               PARTITION BY scored.is_ranked, scored.township_id ORDER BY scored.total DESC) END,
           previous.rank_county
    FROM scored
    LEFT JOIN {QuarterScore._meta.db_table} previous
           ON previous.organization_id = scored.org_id
          AND previous.year = %(previous_year)s AND previous.quarter = %(previous_quarter)s
    """  # noqa: S608
    return sql, params


def _finish_quarter(quarter_state: ScoringQuarter, **fields) -> None:
    """Record on the quarter what was computed (inside the transaction; a test fails it)."""
    for name, value in fields.items():
        setattr(quarter_state, name, value)
    quarter_state.save(update_fields=[*fields])


def compute_quarter(
    year: int, quarter: int, *, county=None, finalize_by=None, finalize=False
) -> ComputeResult:
    """Recompute one county's quarter scores and ranks; finalise it afterwards when asked.

    `county` is a County or its id (None: the installation's only county). Counties are
    independent: each has its own scheme, state row and ranks, so two counties recompute in
    parallel (each locks only its own state row). Raises QuarterFrozen when the county's
    quarter is finalised.
    """
    county = county_or_sole(county)
    state, _ = ScoringQuarter.objects.get_or_create(county=county, year=year, quarter=quarter)
    if state.is_finalized:
        raise QuarterFrozen(f"{year}Q{quarter}")
    scheme = ensure_scheme(year, county=county)
    snap = snapshot(scheme)
    now = timezone.now()
    with transaction.atomic():
        state = ScoringQuarter.objects.select_for_update().get(pk=state.pk)
        if state.is_finalized:
            raise QuarterFrozen(f"{year}Q{quarter}")
        # The county's scores, and any its organisations had in another county this quarter
        # (an organisation that moved is ranked where it is now).
        # The county's organisations as a subquery, not a join: a join makes the DELETE
        # select the ids of every score of the quarter first (35 ms a county at province
        # scale, against 9 ms).
        here = Organization.objects.filter(community__township__county=county).values("pk")
        QuarterScore.objects.filter(year=year, quarter=quarter).filter(
            Q(county=county) | Q(organization_id__in=here)
        ).delete()
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # Scores are derived data, recomputed nightly: the commit need not wait for
                # the WAL flush (a crash right after it loses this recompute, never half of
                # it). 0.26 s of the province's recompute.
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
                # A sub-second statement: compiling it with JIT costs more (~0.1 s) than it saves.
                cursor.execute("SET LOCAL jit TO OFF")
            mean = collect_ratings(cursor, (year, quarter), county.pk)
            cursor.execute(*build_insert_sql(snap, mean, (year, quarter), county.pk))
            cursor.execute(f"DROP TABLE {RATINGS_TABLE}")
        scores = QuarterScore.objects.filter(county=county, year=year, quarter=quarter)
        scored = scores.count()
        ranked = scores.filter(ranked=True).count()
        fields = {
            "computed_at": now,
            "rules": {**snap, "county_mean": None if mean is None else str(mean)},
            "county_mean": mean,
        }
        if finalize:
            fields.update(
                state=ScoringQuarter.State.FINALIZED, finalized_at=now, finalized_by=finalize_by
            )
        _finish_quarter(state, **fields)
    return ComputeResult(year, quarter, scored, ranked, mean, now)
