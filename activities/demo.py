"""Demo activities: the county's activities, mediation cases and residents' ratings.

At county scale (140 groups), a year of records: about 250 welfare services, 160 cultural
events, 110 other activities, 185 mediation cases and some 50,000 beneficiaries reached, with
0–4 ratings per activity; city scale is ten times that. At province scale (the benchmarks'),
two years: 2,000,000 activities and about 300,000 ratings (one activity in seven is rated).
Most records are verified, some await verification or were returned. Residents' scores average
about 4.5. Deterministic (the context's seeded generator) and written with bulk_create in
chunks, so memory stays flat at province scale. Activities are not linked to bookings and carry
no photos.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.roles import Role
from activities.models import (
    FEEDBACK_WINDOW_DAYS,
    Activity,
    Feedback,
    MediationCase,
    VerificationStatus,
)
from core.bulk import copy_create
from orgs.models import Organization

BATCH_SIZE = 2000
COUNTY_ORGANIZATIONS = 140
# Activities per year at county scale, by kind.
ACTIVITY_PLAN = {
    Activity.Kind.CULTURE_SPORTS: 160,
    Activity.Kind.HEALTH_CLINIC: 45,
    Activity.Kind.LEGAL_AID: 30,
    Activity.Kind.LEFT_BEHIND_CHILDREN: 35,
    Activity.Kind.MENTAL_CARE: 25,
    Activity.Kind.ELDERLY_DISABLED: 60,
    Activity.Kind.VOLUNTEERING: 55,
    Activity.Kind.MEDIATION_OUTREACH: 25,
    Activity.Kind.PATROL: 40,
    Activity.Kind.TRAINING: 30,
    Activity.Kind.PARTY_ALLIANCE: 15,
}
MEDIATION_CASES = 185
# Province: the benchmark volumes over two years.
PROVINCE = {"activities": 2_000_000, "days": 730, "rated_share": 0.15}
CHUNK = 20_000
TITLES = {
    Activity.Kind.CULTURE_SPORTS: [
        "广场舞展演",
        "书画作品展",
        "社区文艺晚会",
        "太极拳交流",
        "象棋比赛",
    ],
    Activity.Kind.HEALTH_CLINIC: ["健康义诊", "免费测血压血糖", "中医义诊进社区"],
    Activity.Kind.LEGAL_AID: ["法律咨询进社区", "防诈骗法律讲座"],
    Activity.Kind.LEFT_BEHIND_CHILDREN: ["留守儿童课后托管", "留守儿童暑期陪伴"],
    Activity.Kind.MENTAL_CARE: ["心理健康讲座", "独居老人心理疏导"],
    Activity.Kind.ELDERLY_DISABLED: ["为老人义务理发", "助残送餐上门", "空巢老人走访"],
    Activity.Kind.VOLUNTEERING: ["环境卫生整治", "垃圾分类宣传", "爱心义卖"],
    Activity.Kind.MEDIATION_OUTREACH: ["矛盾纠纷调解宣传", "邻里和谐宣传日"],
    Activity.Kind.PATROL: ["夜间治安巡逻", "节日安全巡查"],
    Activity.Kind.TRAINING: ["社团骨干培训", "志愿者技能培训"],
    Activity.Kind.PARTY_ALLIANCE: ["党建联建共建活动", "主题党日联学"],
}
# Welfare kinds reach more people than the others.
BENEFICIARIES = {
    Activity.Kind.CULTURE_SPORTS: (40, 160),
    Activity.Kind.HEALTH_CLINIC: (60, 200),
    Activity.Kind.PATROL: (30, 120),
}
DEFAULT_BENEFICIARIES = (30, 140)
HELP_KINDS = {
    Activity.Kind.LEFT_BEHIND_CHILDREN,
    Activity.Kind.ELDERLY_DISABLED,
    Activity.Kind.MENTAL_CARE,
    Activity.Kind.LEGAL_AID,
}
SCORES = (5, 4, 3, 2, 1)
SCORE_WEIGHTS = (62, 28, 7, 2, 1)
COMMENTS = ["很好", "非常满意", "希望多办", "老师很耐心", "", "", "", "时间可以再长一点"]
DISPUTES = [
    "邻里噪音纠纷",
    "楼上漏水纠纷",
    "赡养老人纠纷",
    "物业费纠纷",
    "停车位纠纷",
    "宅基地边界纠纷",
]


def _status(rng, start: datetime.datetime, now: datetime.datetime) -> str:
    if now - start < datetime.timedelta(days=10):
        return VerificationStatus.SUBMITTED
    draw = rng.random()
    if draw < 0.04:
        return VerificationStatus.RETURNED
    if draw < 0.08:
        return VerificationStatus.SUBMITTED
    return VerificationStatus.VERIFIED


def _activity_plan(context, organizations):
    """Yield (kind, organization, day) for every activity of the scale."""
    rng = context.rng
    today = timezone.localdate()
    showcase = context.made.get("organizations", [organizations[0]])[0]
    if context.scale == "province":
        kinds = list(ACTIVITY_PLAN)
        weights = list(ACTIVITY_PLAN.values())
        for index in range(PROVINCE["activities"]):
            organization = showcase if index % 2000 == 0 else rng.choice(organizations)
            day = today - datetime.timedelta(days=rng.randint(1, PROVINCE["days"]))
            yield rng.choices(kinds, weights)[0], organization, day
        return
    factor = max(1, round(len(organizations) / COUNTY_ORGANIZATIONS))
    for kind, count in ACTIVITY_PLAN.items():
        for index in range(count * factor):
            # The showcase group leads one activity in twenty.
            organization = showcase if index % 20 == 0 else rng.choice(organizations)
            day = today - datetime.timedelta(days=rng.randint(1, 365))
            yield kind, organization, day


def _ratings(context, activity, now) -> list[Feedback]:
    rng = context.rng
    if context.scale == "province":
        count = 1 if rng.random() < PROVINCE["rated_share"] else 0
    else:
        count = rng.choice((0, 1, 2, 3, 4))
    feedback = []
    for _ in range(count):
        created = activity.end + datetime.timedelta(hours=rng.randint(1, 72))
        feedback.append(
            Feedback(
                activity_id=activity.pk,
                organization_id=activity.lead_organization_id,
                score=rng.choices(SCORES, SCORE_WEIGHTS)[0],
                comment=rng.choice(COMMENTS),
                source=rng.choice(
                    (Feedback.Source.RESIDENT_FORM,) * 4 + (Feedback.Source.PHONE_SURVEY,)
                ),
                fingerprint=f"{rng.getrandbits(256):064x}",
                created_at=min(created, now),
            )
        )
    return feedback


def seed_activities(context) -> None:
    """Create the scale's activities, mediation cases and feedback for the demo county."""
    rng = context.rng
    organizations = list(Organization.objects.active().order_by("pk"))
    if not organizations:
        return
    showcase = context.made.get("organizations", [organizations[0]])[0]
    factor = max(1, round(len(organizations) / COUNTY_ORGANIZATIONS))
    verifier = get_user_model().objects.filter(role=Role.COUNTY_ADMIN).order_by("pk").first()
    now = timezone.now()
    today = timezone.localdate()

    created = rated = reached = 0
    chunk: list[Activity] = []

    def flush():
        nonlocal created, rated, reached
        copy_create(Activity, chunk, batch_size=BATCH_SIZE)
        feedback = [item for activity in chunk for item in _ratings(context, activity, now)]
        copy_create(Feedback, feedback, batch_size=BATCH_SIZE)
        created += len(chunk)
        rated += len(feedback)
        reached += sum(activity.beneficiaries for activity in chunk)
        chunk.clear()

    for kind, organization, day in _activity_plan(context, organizations):
        start = timezone.make_aware(
            datetime.datetime.combine(day, datetime.time(rng.randint(8, 19)))
        )
        end = start + datetime.timedelta(hours=rng.choice((1, 2, 2, 3)))
        status = _status(rng, start, now)
        low, high = BENEFICIARIES.get(kind, DEFAULT_BENEFICIARIES)
        chunk.append(
            Activity(
                lead_organization_id=organization.pk,
                kind=kind,
                title=rng.choice(TITLES[kind]),
                start=start,
                end=end,
                place=rng.choice(["社区活动室", "社区广场", "党群服务中心", "村文化大院"]),
                community_served_id=organization.community_id,
                participants=rng.randint(8, 40),
                beneficiaries=rng.randint(low, high),
                volunteer_hours=Decimal(rng.randint(4, 40)),
                help_cases=rng.randint(1, 6) if kind in HELP_KINDS else 0,
                status=status,
                verified_by=verifier if status == VerificationStatus.VERIFIED else None,
                verified_at=end + datetime.timedelta(days=3)
                if status == VerificationStatus.VERIFIED
                else None,
                return_reason="请补充签到表和照片" if status == VerificationStatus.RETURNED else "",
                feedback_token=f"{rng.getrandbits(96):024x}",
                feedback_closes_on=timezone.localdate(end)
                + datetime.timedelta(days=FEEDBACK_WINDOW_DAYS),
            )
        )
        if len(chunk) >= CHUNK:
            flush()
    if chunk:
        flush()

    cases = []
    for index in range(MEDIATION_CASES * factor):
        organization = showcase if index % 20 == 0 else rng.choice(organizations)
        occurred_on = today - datetime.timedelta(days=rng.randint(1, 365))
        status = _status(
            rng,
            timezone.make_aware(datetime.datetime.combine(occurred_on, datetime.time(9))),
            now,
        )
        cases.append(
            MediationCase(
                organization_id=organization.pk,
                occurred_on=occurred_on,
                kind=rng.choice(MediationCase.Kind.values),
                parties_summary=rng.choice(DISPUTES),
                outcome=rng.choices(MediationCase.Outcome.values, (80, 12, 8))[0],
                community_id=organization.community_id,
                status=status,
                verified_by=verifier if status == VerificationStatus.VERIFIED else None,
                return_reason="请补充调解协议" if status == VerificationStatus.RETURNED else "",
            )
        )
    copy_create(MediationCase, cases, batch_size=BATCH_SIZE)

    context.summary.append(
        f"{created} 场活动（惠及 {reached} 人次），{len(cases)} 件矛盾调解，{rated} 条群众评价"
    )
