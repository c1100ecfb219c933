"""Compute one quarter's scores and ranks with set-based SQL, atomically.

One `INSERT … SELECT` does the work: common table expressions aggregate each source over the
quarter (verified activities led, ratings, verified resolved mediations, members holding a grid
role, credit listings, the year's failed inspection, no-show bookings, the quarter's assessment),
join them to the organisations, turn figures into capped points with the scheme's rules, and
rank with `RANK()` (competition ranking: equal totals share a rank) county-wide, per category and
per township. Before it, two small queries: the county mean rating and the organisations with a
fully compliant Party branch (`party_branches.compliance`).

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
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from activities.models import MediationCase, VerificationStatus
from core.quarters import quarter_bounds, shift_quarter
from orgs.models import AnnualInspection, CreditListing, Organization
from party_branches.compliance import compliant_organization_ids
from scoring.models import QuarterScore, ScoringQuarter
from scoring.rules import ensure_scheme, snapshot
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
    first, last = quarter_bounds((year, quarter))
    start = timezone.make_aware(datetime.datetime.combine(first, datetime.time.min))
    end = timezone.make_aware(
        datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min)
    )
    return start, end


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


def _literal(value) -> str:
    """A rule value as an SQL numeric literal (values come from validated Decimal fields)."""
    number = Decimal(str(value))
    if not number.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return format(number, "f")


def _cap(expression: str, cap) -> str:
    if cap is None:
        return f"({expression})"
    limit = _literal(cap)
    return f"(CASE WHEN ({expression}) > {limit} THEN {limit} ELSE ({expression}) END)"


def _floor_cap(expression: str, cap) -> str:
    """Cap a negative figure at −cap."""
    if cap is None:
        return f"({expression})"
    limit = _literal(cap)
    return f"(CASE WHEN ({expression}) < -{limit} THEN -{limit} ELSE ({expression}) END)"


def _floor_div(expression: str, per: int) -> str:
    """floor(expression / per) for a non-negative figure, on both databases."""
    if connection.vendor == "postgresql":
        return f"FLOOR(({expression}) / {int(per)})"
    return f"CAST(({expression}) / {int(per)} AS INTEGER)"


def _rule_points(rules: dict, code: str, figure: str) -> str:
    """Points one rule gives for a figure: points × floor(figure / per), capped; 0 if disabled."""
    rule = rules.get(code)
    if not rule or not rule["enabled"]:
        return "0"
    points = _literal(rule["points"])
    units = _floor_div(figure, rule["per"])
    raw = f"{points} * {units}"
    if Decimal(rule["points"]) < 0:
        return _floor_cap(raw, rule["cap"])
    return _cap(raw, rule["cap"])


def _flag_points(rules: dict, code: str, flag: str) -> str:
    rule = rules.get(code)
    if not rule or not rule["enabled"]:
        return "0"
    return f"(CASE WHEN {flag} = 1 THEN {_literal(rule['points'])} ELSE 0 END)"


def _grid_members() -> str:
    """Members holding a grid role during the quarter, per organisation. On PostgreSQL a
    LATERAL join walks from the few people with a grid role to their memberships through the
    person index instead of hashing every membership."""
    where = "m.joined_on <= %(last)s AND (m.left_on IS NULL OR m.left_on >= %(first)s)"
    if connection.vendor == "postgresql":
        return f"""
        SELECT m.organization_id AS org_id, COUNT(DISTINCT m.person_id) AS n
        FROM orgs_person p CROSS JOIN LATERAL (
            SELECT organization_id, person_id FROM orgs_membership m
            WHERE m.person_id = p.id AND {where}
            OFFSET 0  -- keeps the planner from flattening the LATERAL back into a hash join
        ) m
        WHERE p.grid_role <> ''
        GROUP BY m.organization_id"""  # noqa: S608 (no value is formatted in)
    return f"""
        SELECT m.organization_id AS org_id, COUNT(DISTINCT m.person_id) AS n
        FROM orgs_membership m JOIN orgs_person p ON p.id = m.person_id
        WHERE p.grid_role <> '' AND {where}
        GROUP BY m.organization_id"""  # noqa: S608 (no value is formatted in)


def _compliant_ids() -> str:
    """The organisations with a compliant branch as a joinable set (a hash join, not a scan
    of the list for every row)."""
    if connection.vendor == "postgresql":
        return "SELECT DISTINCT unnest(CAST(%(compliant)s AS bigint[])) AS org_id"
    return "SELECT DISTINCT value AS org_id FROM json_each(%(compliant)s)"


RATINGS_TABLE = "scoring_quarter_ratings"


def collect_ratings(cursor, start, end) -> Decimal | None:
    """Aggregate the quarter's counted ratings per organisation into a temporary table (read
    once, used twice) and return the county mean (None without ratings).

    Ratings count when they are about an organisation or about a verified activity. `start`
    and `end` are values for the raw query (`quarter_db_datetimes`).
    """
    cursor.execute(f"DROP TABLE IF EXISTS {RATINGS_TABLE}")
    cursor.execute(
        f"""
        CREATE TEMPORARY TABLE {RATINGS_TABLE} AS
        SELECT f.organization_id AS org_id, COUNT(*) AS n, SUM(f.score) AS total
        FROM activities_feedback f
        WHERE f.created_at >= %s AND f.created_at < %s
          AND (f.activity_id IS NULL OR EXISTS (
              SELECT 1 FROM activities_activity a
              WHERE a.id = f.activity_id AND a.status = '{VerificationStatus.VERIFIED}'))
        GROUP BY f.organization_id
        """,  # noqa: S608 (model constants only; values are parameters)
        [start, end],
    )
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


def build_insert_sql(snap: dict, mean: Decimal | None) -> str:
    """The INSERT … SELECT that scores and ranks every organisation of the quarter."""
    rules = snap["rules"]
    caps = snap["caps"]
    weight = int(snap["prior_weight"])
    verified = VerificationStatus.VERIFIED
    gone = ", ".join(f"'{status}'" for status in GONE_STATUSES)

    if mean is None:
        bayes = "NULL"
    else:
        c = _literal(mean)
        # (Σscores + m·C) / (n + m) for an organisation rated in the quarter: the county mean
        # steadies small counts from the first rating. Without a rating there is no opinion to
        # steady: no mean, and 0 satisfaction points (本季度无群众评价).
        bayes = (
            f"(CASE WHEN fb_n = 0 THEN NULL "
            f"ELSE (CAST(fb_sum AS NUMERIC) + {weight} * {c}) / (fb_n + {weight}) END)"
        )
    satisfaction_rule = rules.get("satisfaction")
    if mean is None or not satisfaction_rule or not satisfaction_rule["enabled"]:
        satisfaction = "0"
    else:
        satisfaction = f"ROUND({_literal(satisfaction_rule['points'])} * ({bayes} - 1) / 4, 2)"
        satisfaction = (
            f"(CASE WHEN fb_n = 0 THEN 0 WHEN {satisfaction} < 0 THEN 0 ELSE {satisfaction} END)"
        )

    activity = _cap(_rule_points(rules, "activity_led", "activities"), caps["activity_cap"])
    service = _cap(
        " + ".join(
            [
                _rule_points(rules, "beneficiaries", "beneficiaries"),
                _rule_points(rules, "volunteer_hours", "volunteer_hours"),
                _rule_points(rules, "help_cases", "help_cases"),
            ]
        ),
        caps["service_cap"],
    )
    governance = _cap(
        " + ".join(
            [
                _rule_points(rules, "mediation", "mediations"),
                _rule_points(rules, "grid_members", "grid_members"),
                _rule_points(rules, "community_assessment", "community_assessment"),
            ]
        ),
        caps["governance_cap"],
    )
    bonus = _cap(
        " + ".join(
            [
                _flag_points(rules, "branch_compliant", "branch_compliant"),
                _rule_points(rules, "commendation", "commendations"),
                _flag_points(rules, "alliance", "in_alliance"),
            ]
        ),
        caps["bonus_cap"],
    )
    deduction = " + ".join(
        [
            _flag_points(rules, "abnormal_list", "abnormal_listed"),
            _flag_points(rules, "failed_inspection", "failed_inspection"),
            _rule_points(rules, "no_show", "no_shows"),
        ]
    )
    columns = ", ".join(SCORE_COLUMNS)
    # Formatted in: model constants and rule values through _literal (validated Decimals);
    # dates and ids go as parameters.
    return f"""
    INSERT INTO scoring_quarterscore ({columns})
    WITH
    act AS (
        SELECT lead_organization_id AS org_id, COUNT(*) AS n, SUM(beneficiaries) AS ben,
               SUM(volunteer_hours) AS hours, SUM(help_cases) AS help
        FROM activities_activity
        WHERE status = '{verified}' AND start >= %(start)s AND start < %(end)s
        GROUP BY lead_organization_id
    ),
    fb AS (SELECT org_id, n, total FROM {RATINGS_TABLE}),
    med AS (
        SELECT organization_id AS org_id, COUNT(*) AS n
        FROM activities_mediationcase
        WHERE status = '{verified}' AND outcome = '{MediationCase.Outcome.RESOLVED}'
          AND occurred_on >= %(first)s AND occurred_on <= %(last)s
        GROUP BY organization_id
    ),
    grid AS ({_grid_members()}),
    cl AS (
        SELECT organization_id AS org_id,
               MAX(CASE WHEN list_kind = '{CreditListing.Kind.ABNORMAL}' THEN 1 ELSE 0 END)
                   AS abnormal,
               MAX(CASE WHEN list_kind = '{CreditListing.Kind.SERIOUS}' THEN 1 ELSE 0 END)
                   AS serious
        FROM orgs_creditlisting
        WHERE listed_on <= %(last)s AND (removed_on IS NULL OR removed_on >= %(first)s)
        GROUP BY organization_id
    ),
    insp AS (
        SELECT organization_id AS org_id, COUNT(*) AS n
        FROM orgs_annualinspection
        WHERE year = %(year)s AND conclusion = '{AnnualInspection.Conclusion.FAILED}'
        GROUP BY organization_id
    ),
    ns AS (
        SELECT organization_id AS org_id, COUNT(*) AS n
        FROM venues_booking
        WHERE status = '{Booking.Status.NO_SHOW}' AND start >= %(start)s AND start < %(end)s
        GROUP BY organization_id
    ),
    base AS (
        SELECT o.id AS org_id, o.category_id, c.township_id, o.status,
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
               CASE WHEN o.in_party_alliance THEN 1 ELSE 0 END AS in_alliance,
               COALESCE(cl.abnormal, 0) AS abnormal_listed,
               COALESCE(cl.serious, 0) AS serious_listed,
               CASE WHEN insp.n IS NULL THEN 0 ELSE 1 END AS failed_inspection,
               COALESCE(ns.n, 0) AS no_shows,
               CASE WHEN o.status IN ({gone}) THEN 1 ELSE 0 END AS gone
        FROM orgs_organization o
        JOIN areas_community c ON c.id = o.community_id
        LEFT JOIN act ON act.org_id = o.id
        LEFT JOIN fb ON fb.org_id = o.id
        LEFT JOIN med ON med.org_id = o.id
        LEFT JOIN grid ON grid.org_id = o.id
        LEFT JOIN cl ON cl.org_id = o.id
        LEFT JOIN insp ON insp.org_id = o.id
        LEFT JOIN ns ON ns.org_id = o.id
        LEFT JOIN ({_compliant_ids()}) bc ON bc.org_id = o.id
        LEFT JOIN scoring_quarterassessment qa
               ON qa.organization_id = o.id AND qa.year = %(year)s AND qa.quarter = %(quarter)s
        WHERE NOT (o.status IN ({gone})
                   AND (o.status_changed_on IS NULL OR o.status_changed_on < %(first)s))
          AND (o.founded_on IS NULL OR o.founded_on <= %(last)s)
    ),
    pts AS (
        SELECT base.*,
               {"CAST(NULL AS NUMERIC)" if mean is None else f"ROUND({bayes}, 3)"}
                   AS satisfaction_mean,
               {activity} AS activity_points,
               {service} AS service_points,
               {satisfaction} AS satisfaction_points,
               {governance} AS governance_points,
               {bonus} AS bonus_points,
               {deduction} AS deduction_points,
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
    LEFT JOIN scoring_quarterscore previous
           ON previous.organization_id = scored.org_id
          AND previous.year = %(previous_year)s AND previous.quarter = %(previous_quarter)s
    """  # noqa: S608


def _finish_quarter(quarter_state: ScoringQuarter, **fields) -> None:
    """Record on the quarter what was computed (inside the transaction; a test fails it)."""
    for name, value in fields.items():
        setattr(quarter_state, name, value)
    quarter_state.save(update_fields=[*fields])


def compute_quarter(year: int, quarter: int, *, finalize_by=None, finalize=False) -> ComputeResult:
    """Recompute the quarter's scores and ranks; finalise it afterwards when asked.

    Raises QuarterFrozen when the quarter is finalised.
    """
    state, _ = ScoringQuarter.objects.get_or_create(year=year, quarter=quarter)
    if state.is_finalized:
        raise QuarterFrozen(f"{year}Q{quarter}")
    scheme = ensure_scheme(year)
    snap = snapshot(scheme)
    start, end = quarter_db_datetimes(year, quarter)
    first, last = quarter_bounds((year, quarter))
    compliant = sorted(compliant_organization_ids(quarter=(year, quarter)))
    previous_year, previous_quarter = shift_quarter((year, quarter), -1)
    params = {
        "year": year,
        "quarter": quarter,
        "start": start,
        "end": end,
        "first": first,
        "last": last,
        "previous_year": previous_year,
        "previous_quarter": previous_quarter,
        "compliant": compliant if connection.vendor == "postgresql" else json.dumps(compliant),
    }
    now = timezone.now()
    with transaction.atomic():
        state = ScoringQuarter.objects.select_for_update().get(pk=state.pk)
        if state.is_finalized:
            raise QuarterFrozen(f"{year}Q{quarter}")
        QuarterScore.objects.filter(year=year, quarter=quarter).delete()
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # Scores are derived data, recomputed nightly: the commit need not wait for
                # the WAL flush (a crash right after it loses this recompute, never half of
                # it). 0.26 s of the province's recompute.
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
                # A sub-second statement: compiling it with JIT costs more (~0.1 s) than it saves.
                cursor.execute("SET LOCAL jit TO OFF")
            mean = collect_ratings(cursor, start, end)
            cursor.execute(build_insert_sql(snap, mean), params)
            cursor.execute(f"DROP TABLE {RATINGS_TABLE}")
        scores = QuarterScore.objects.filter(year=year, quarter=quarter)
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
