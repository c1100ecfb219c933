"""The demo activities' plan, titles, beneficiaries, ratings and disputes."""

from __future__ import annotations

from activities.models import (
    Activity,
)

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
