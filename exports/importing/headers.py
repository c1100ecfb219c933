"""Recognising the columns of a township's own ledger layout by their headers.

Each field of the two sheet kinds has a list of header synonyms. The header row is the row,
among the first few, that names the most fields: title rows and merged group headers above it
are skipped. Columns not recognised are mapped (or ignored) by the user before committing.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from core.text import match_key

ORGANIZATIONS = "organizations"
MEMBERS = "members"
IGNORE = ""  # the mapping value of a column the user chose to ignore

HEADER_SCAN_ROWS = 10
MIN_RECOGNISED = 2


@dataclass(frozen=True)
class Field:
    key: str
    label: str  # the template's header (Chinese, as users write it)
    synonyms: tuple[str, ...]
    required: bool = False
    kind: str = "text"  # text, date, credit_code, id_number, mobile, choice, ref


ORGANIZATION_FIELDS = (
    Field(
        "name",
        "社会组织名称",
        ("社会组织名称", "社团名称", "组织名称", "名称", "单位名称", "社会团体名称"),
        required=True,
    ),
    Field("short_name", "简称", ("简称", "社团简称", "组织简称")),
    Field(
        "credit_code",
        "统一社会信用代码",
        ("统一社会信用代码", "信用代码", "社会信用代码", "统一代码"),
        kind="credit_code",
    ),
    Field(
        "registration_status",
        "登记状态",
        ("登记状态", "登记情况", "登记备案状态", "登记/备案", "是否登记"),
        kind="choice",
    ),
    Field(
        "legal_form",
        "组织形式",
        ("组织形式", "组织类型", "社会组织类型", "法人类型", "类型"),
        kind="choice",
    ),
    Field("category", "类别", ("类别", "分类", "社团类别", "所属类别", "社团类型"), kind="ref"),
    Field(
        "township",
        "街道（乡镇）",
        ("街道乡镇", "乡镇街道", "所属街道", "所属乡镇", "街道", "乡镇"),
        kind="ref",
    ),
    Field(
        "community",
        "所属社区（村）",
        ("所属社区村", "所属社区", "社区村", "村社区", "社区", "所在社区", "属地", "社区代码"),
        required=True,
        kind="ref",
    ),
    Field("address", "地址", ("地址", "住所", "活动地址", "办公地址", "活动场所")),
    Field("founded_on", "成立日期", ("成立日期", "成立时间"), kind="date"),
    Field(
        "registered_on",
        "登记（备案）日期",
        ("登记备案日期", "登记日期", "备案日期", "登记时间", "备案时间"),
        kind="date",
    ),
    Field("registration_authority", "登记管理机关", ("登记管理机关", "登记机关", "备案机关")),
    Field("supervising_unit", "业务主管单位", ("业务主管单位", "主管单位", "业务指导单位")),
    Field(
        "leader_name",
        "负责人",
        ("负责人", "法定代表人", "负责人姓名", "法人代表", "会长", "队长"),
    ),
    Field(
        "leader_phone",
        "联系电话",
        ("联系电话", "手机号码", "负责人电话", "负责人手机", "手机号", "联系方式", "电话"),
        kind="mobile",
    ),
    Field("activity_fields", "活动领域", ("活动领域", "业务范围", "服务领域", "活动内容")),
    Field("resources", "资源优势", ("资源优势",)),
    Field("needs", "实际需求", ("实际需求", "需求")),
    Field("operating_mechanism", "运行机制", ("运行机制",)),
    Field("bottlenecks", "发展瓶颈", ("发展瓶颈", "存在困难", "困难问题")),
    Field("special_teams", "专项队伍", ("专项队伍", "服务队")),
    Field("grade", "评估等级", ("评估等级", "等级"), kind="choice"),
    Field("grade_awarded_on", "评估日期", ("评估日期", "等级评定日期", "评估时间"), kind="date"),
)

MEMBER_FIELDS = (
    Field(
        "organization",
        "所属社会组织",
        ("所属社会组织", "所属组织", "所属社团", "社会组织名称", "社团名称", "组织名称", "社团"),
        required=True,
        kind="ref",
    ),
    Field(
        "organization_credit_code",
        "社会组织信用代码",
        ("社会组织信用代码", "所属组织信用代码", "统一社会信用代码", "信用代码"),
        kind="credit_code",
    ),
    Field("name", "姓名", ("姓名", "成员姓名", "会员姓名", "队员姓名"), required=True),
    Field(
        "id_number",
        "身份证号",
        ("身份证号", "公民身份号码", "身份证号码", "身份证", "证件号码"),
        kind="id_number",
    ),
    Field("gender", "性别", ("性别",), kind="choice"),
    Field(
        "mobile",
        "手机号码",
        ("手机号码", "联系电话", "手机号", "手机", "电话", "联系方式"),
        kind="mobile",
    ),
    Field(
        "community",
        "居住社区（村）",
        ("居住社区村", "居住社区", "居住地社区", "所在社区"),
        kind="ref",
    ),
    Field("role", "职务", ("职务", "社团职务", "担任职务", "角色"), kind="choice"),
    Field(
        "joined_on",
        "加入日期",
        ("加入日期", "入会日期", "加入时间", "入会时间", "入团时间"),
        required=True,
        kind="date",
    ),
    Field("political_status", "政治面貌", ("政治面貌", "是否党员", "党员"), kind="choice"),
    Field(
        "party_relation_place",
        "组织关系所在地",
        ("组织关系所在地", "党组织关系所在地", "党员组织关系所在地"),
    ),
    Field("grid_role", "网格职务", ("网格职务", "网格角色", "楼栋长单元长"), kind="choice"),
    Field("notes", "备注", ("备注",)),
)

FIELDS_BY_KIND = {ORGANIZATIONS: ORGANIZATION_FIELDS, MEMBERS: MEMBER_FIELDS}
# Headers that carry nothing to import: recognised and skipped without asking.
IGNORED_HEADERS = {"序号", "编号", "行号", "no", "no."}

KIND_LABELS = {ORGANIZATIONS: _("Organisations"), MEMBERS: _("Members")}

_BRACKETS_RE = re.compile(r"[(\[（【][^)\]）】]*[)\]）】]")
_DROP_RE = re.compile(r"[\s*＊:：/、·\-_]")


def normalize_header(value) -> str:
    """Reduce a header cell to a comparable key: NFKC, no brackets, stars or spaces."""
    if value is None:
        return ""
    text = match_key(str(value))
    text = text.replace("必填", "")
    stripped = _BRACKETS_RE.sub("", text)
    # "社区（村）" loses the bracket; keep its content when nothing else is left
    text = stripped if _DROP_RE.sub("", stripped) else text
    return _DROP_RE.sub("", text).lower()


def _synonym_index(fields) -> dict[str, str]:
    index = {}
    for field in fields:
        for synonym in (field.label, *field.synonyms):
            index.setdefault(normalize_header(synonym), field.key)
    return index


# Bracketed parts are kept in the index too ("所属社区（村）" -> "所属社区村").
def _full_key(value: str) -> str:
    return _DROP_RE.sub("", re.sub(r"[()\[\]（）【】]", "", match_key(value))).lower()


def _indexes():
    result = {}
    for kind, fields in FIELDS_BY_KIND.items():
        index = _synonym_index(fields)
        for field in fields:
            for synonym in (field.label, *field.synonyms):
                index.setdefault(_full_key(synonym), field.key)
        result[kind] = index
    return result


SYNONYMS = _indexes()


def field_for(kind: str, header) -> str | None:
    """Return the field key a header names in a sheet of this kind, or None."""
    if header is None:
        return None
    index = SYNONYMS[kind]
    full = _full_key(str(header))
    if full in index:
        return index[full]
    return index.get(normalize_header(header))


def is_ignored_header(header) -> bool:
    return normalize_header(header) in IGNORED_HEADERS or _full_key(str(header)) in IGNORED_HEADERS


def _match_row(kind: str, row: tuple) -> dict[int, str]:
    found: dict[int, str] = {}
    for column, value in enumerate(row):
        key = field_for(kind, value)
        if key and key not in found.values():
            found[column] = key
    return found


def recognise(rows: list[tuple]) -> tuple[str, int, dict[int, str]] | None:
    """Find the header row among the first rows: (kind, row index, {column index: field key}).

    A row naming both a person and their organisation is a member header; otherwise a row
    naming an organisation is an organisation header. The row naming most fields wins, so
    title rows and merged group headers above the real header are skipped. None when no row
    names at least two fields including the name column.
    """
    best = None
    for row_index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        candidate = None
        members = _match_row(MEMBERS, row)
        if len(members) >= MIN_RECOGNISED and {"name", "organization"} <= set(members.values()):
            candidate = (len(members), MEMBERS, row_index, members)
        else:
            organizations = _match_row(ORGANIZATIONS, row)
            if len(organizations) >= MIN_RECOGNISED and "name" in organizations.values():
                candidate = (len(organizations), ORGANIZATIONS, row_index, organizations)
        if candidate is not None and (best is None or candidate[0] > best[0]):
            best = candidate
    if best is None:
        return None
    _score, kind, row_index, found = best
    return kind, row_index, found


def field_choices(kind: str) -> list[tuple[str, str]]:
    """Fields a user may map a column to, with their template labels."""
    return [(field.key, field.label) for field in FIELDS_BY_KIND[kind]]


def required_fields(kind: str) -> list[Field]:
    return [field for field in FIELDS_BY_KIND[kind] if field.required]


def field_label(kind: str, key: str) -> str:
    for field in FIELDS_BY_KIND[kind]:
        if field.key == key:
            return field.label
    return key
