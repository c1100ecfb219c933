"""What the row checks say, the choices they accept, and the plan's actions."""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

from core.text import match_key
from orgs.models import Category, Membership, Person

REQUIRED_MESSAGE = _("%(field)s is required.")
MISSING_COLUMN_MESSAGE = _(
    "Sheet “%(sheet)s” has no %(field)s column. Add it, or map one of the unrecognised columns "
    "to it."
)
COMMUNITY_UNKNOWN_MESSAGE = _(
    "No community or village “%(value)s” is recorded. Use its name as in the list of "
    "communities, or its 12-digit code."
)
COMMUNITY_AMBIGUOUS_MESSAGE = _(
    "Several communities are called “%(value)s” (in %(townships)s). Write its 12-digit code, or "
    "fill the township column."
)
COMMUNITY_OUTSIDE_MESSAGE = _(
    "“%(value)s” is not in your township: you can only import organisations of %(township)s."
)
COMMUNITY_TOWNSHIP_MESSAGE = _("“%(value)s” is not in the township “%(township)s” of this row.")
CATEGORY_UNKNOWN_MESSAGE = _("No category “%(value)s”. Use one of: %(allowed)s.")
DUPLICATE_ORG_ROW_MESSAGE = _(
    "This organisation appears twice in the file (also row %(row)s). Keep one row."
)
DUPLICATE_MEMBER_ROW_MESSAGE = _(
    "This member of this organisation appears twice in the file (also row %(row)s). Keep one row."
)
ID_NAME_CONFLICT_ROW_MESSAGE = _(
    "Row %(row)s has the same ID number under another name. Check the name and the ID number."
)
ORG_OUTSIDE_MESSAGE = _(
    "This organisation is already recorded outside your area; it cannot be changed by your "
    "import. Ask the county administrator."
)
ORG_INACTIVE_MESSAGE = _(
    "“%(name)s” is no longer active (%(status)s) and cannot be changed by an import."
)
ORG_REF_UNKNOWN_MESSAGE = _(
    "No organisation “%(value)s” in the file or in your area's ledger. Check the name, or "
    "give its credit code."
)
ORG_REF_AMBIGUOUS_MESSAGE = _(
    "Several organisations are called “%(value)s”. Give the organisation's credit code."
)
ORG_REF_CONFLICT_MESSAGE = _(
    "The credit code and the organisation name point to different organisations."
)
GENDER_FROM_ID_WARNING = _(
    "The gender does not match the ID number: recorded as %(gender)s, as the ID number says."
)
JOINED_IN_FUTURE_MESSAGE = _("The joining date cannot be in the future.")
JOINED_BEFORE_ORG_MESSAGE = _(
    "The joining date cannot be before the organisation was founded or registered (%(date)s)."
)

REGISTRATION_CHOICES = {
    "登记": "registered",
    "已登记": "registered",
    "注册": "registered",
    "已注册": "registered",
    "备案": "filed",
    "已备案": "filed",
    "未登记": "unregistered",
    "未备案": "unregistered",
    "未登记备案": "unregistered",
}
LEGAL_FORM_CHOICES = {
    "社会团体": "social_group",
    "社团": "social_group",
    "社会服务机构": "service_institution",
    "民办非企业单位": "service_institution",
    "民非": "service_institution",
    "基金会": "foundation",
    "社区社会组织": "community_org",
}
GRADE_CHOICES = {
    **{f"{n}A": f"{n}A" for n in range(1, 6)},
    **{f"{n}A级": f"{n}A" for n in range(1, 6)},
    **{"A" * n: f"{n}A" for n in range(1, 6)},
}
GENDER_CHOICES = {"男": Person.Gender.MALE, "女": Person.Gender.FEMALE}
ROLE_CHOICES = {
    **dict.fromkeys(
        ("负责人", "会长", "队长", "团长", "主任", "理事长", "社长", "组长"),
        Membership.Role.LEADER,
    ),
    **dict.fromkeys(
        ("副负责人", "副会长", "副队长", "副团长", "副主任", "副理事长", "副社长", "副组长"),
        Membership.Role.DEPUTY,
    ),
    **dict.fromkeys(("骨干", "骨干成员", "理事", "秘书长"), Membership.Role.CORE),
    **dict.fromkeys(("会员", "成员", "队员", "普通会员", "团员"), Membership.Role.MEMBER),
}
POLITICAL_CHOICES = {
    **dict.fromkeys(("中共党员", "党员", "是", "正式党员"), "full"),
    **dict.fromkeys(("中共预备党员", "预备党员"), "probationary"),
    **dict.fromkeys(
        ("群众", "共青团员", "团员", "否", "无", "民主党派", "无党派人士", "非党员"), "none"
    ),
}
GRID_ROLE_CHOICES = {
    "楼栋长": Person.GridRole.BUILDING_HEAD,
    "单元长": Person.GridRole.UNIT_HEAD,
    "网格员": Person.GridRole.GRID_WORKER,
    "信息员": Person.GridRole.INFORMANT,
}

ORG_TEXT_FIELDS = (
    "name",
    "short_name",
    "address",
    "registration_authority",
    "supervising_unit",
    "leader_name",
    "activity_fields",
    "resources",
    "needs",
    "operating_mechanism",
    "bottlenecks",
    "special_teams",
)
ORG_DATE_FIELDS = ("founded_on", "registered_on", "grade_awarded_on")
ORG_CHOICE_FIELDS = {
    "registration_status": REGISTRATION_CHOICES,
    "legal_form": LEGAL_FORM_CHOICES,
    "grade": GRADE_CHOICES,
}

ACTION_CREATE = "create"
ACTION_UPDATE = "update"
ACTION_UNCHANGED = "unchanged"


def _allowed(choices: dict) -> str:
    return "、".join(dict.fromkeys(choices))


def category_key(text) -> str:
    """Compare category names loosely: 文体娱乐类, 文体娱乐 and ＂文体 娱乐类＂ are one."""
    return re.sub(r"\s", "", match_key(str(text))).removesuffix("类")


def _choice_key(text) -> str:
    return re.sub(r"\s", "", match_key(str(text))).upper()


def column_decider():
    """Return decide(kind, header, values) for the reader: which field an ambiguous column holds.

    Values that are category names point to the category, legal forms (社会团体, 民非…) to the
    legal form; None when they do not say (empty, or as many of each).
    """
    category_keys = {
        category_key(name)
        for name in Category.objects.filter(is_active=True).values_list("name", flat=True)
    }

    def decide(kind, header, cells) -> str | None:
        categories = legal_forms = 0
        for value in cells:
            if value is None or not str(value).strip():
                continue
            if _choice_key(value) in LEGAL_FORM_CHOICES:
                legal_forms += 1
            elif category_key(value) in category_keys:
                categories += 1
        if categories > legal_forms:
            return "category"
        if legal_forms > categories:
            return "legal_form"
        return None

    return decide


# The validator reports its progress every this many rows checked.
PROGRESS_EVERY = 1000
