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
        (
            "社会组织名称",
            "社团名称",
            "组织名称",
            "名称",
            "单位名称",
            "社会团体名称",
            "社区社会组织名称",
            "队伍名称",
        ),
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
        ("登记状态", "登记情况", "登记备案状态", "登记/备案", "是否登记", "登记备案情况"),
        kind="choice",
    ),
    Field(
        "legal_form",
        "组织形式",
        ("组织形式", "组织类型", "社会组织类型", "法人类型", "类型", "登记类型", "法人形式"),
        kind="choice",
    ),
    Field(
        "category",
        "类别",
        (
            "类别",
            "分类",
            "社团类别",
            "所属类别",
            "社团类型",
            "组织类别",
            "社会组织类别",
            "所属分类",
            "组织分类",
            "社团分类",
            "队伍类别",
        ),
        kind="ref",
    ),
    Field(
        "township",
        "街道（乡镇）",
        (
            "街道乡镇",
            "乡镇街道",
            "所属街道",
            "所属乡镇",
            "街道",
            "乡镇",
            "所属街道乡镇",
            "所属镇街",
            "镇街",
            "街镇",
        ),
        kind="ref",
    ),
    Field(
        "community",
        "所属社区（村）",
        (
            "所属社区村",
            "所属社区",
            "社区村",
            "村社区",
            "社区",
            "所在社区",
            "属地",
            "社区代码",
            "所属村社区",
            "所在村社区",
            "所属村居",
            "村居",
        ),
        required=True,
        kind="ref",
    ),
    Field("address", "地址", ("地址", "住所", "活动地址", "办公地址", "活动场所")),
    Field("founded_on", "成立日期", ("成立日期", "成立时间", "成立年月", "组建时间"), kind="date"),
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
        (
            "负责人",
            "法定代表人",
            "负责人姓名",
            "法人代表",
            "会长",
            "队长",
            "法人",
            "法定代表人姓名",
            "法人代表姓名",
            "负责人法定代表人",
            "法定代表人负责人",
            "带头人",
        ),
    ),
    Field(
        "leader_id_number",
        "负责人身份证号",
        (
            "负责人身份证号",
            "负责人身份证号码",
            "负责人公民身份号码",
            "负责人证件号码",
            "法定代表人身份证号",
            "法定代表人身份证号码",
            "法定代表人公民身份号码",
            "法人身份证号",
            "法人身份证号码",
            "法人代表身份证号",
            "法人代表身份证号码",
            # in an organisations sheet, the only person is the leader
            "公民身份号码",
            "身份证号",
            "身份证号码",
            "身份证",
        ),
        kind="id_number",
    ),
    Field(
        "leader_phone",
        "联系电话",
        (
            "联系电话",
            "手机号码",
            "负责人电话",
            "负责人手机",
            "手机号",
            "联系方式",
            "电话",
            "负责人联系电话",
            "负责人手机号码",
            "负责人联系方式",
            "法人电话",
            "联系手机",
        ),
        kind="mobile",
    ),
    Field(
        "activity_fields",
        "活动领域",
        (
            "活动领域",
            "业务范围",
            "服务领域",
            "活动内容",
            "服务范围",
            "服务内容",
            "主要活动",
            "主要业务",
            "活动范围",
            "活动项目",
            "服务项目",
        ),
    ),
    Field(
        "resources",
        "资源优势",
        (
            "资源优势",
            "服务资源",
            "可提供资源",
            "可提供的资源",
            "优势资源",
            "资源",
            "现有资源",
            "拥有资源",
            "资源情况",
            "资源清单",
            "能提供的资源",
        ),
    ),
    Field(
        "needs",
        "实际需求",
        (
            "实际需求",
            "需求",
            "服务需求",
            "主要需求",
            "需求情况",
            "需求清单",
            "发展需求",
            "存在需求",
            "需要解决的问题",
            "需要支持",
        ),
    ),
    Field("operating_mechanism", "运行机制", ("运行机制",)),
    Field("bottlenecks", "发展瓶颈", ("发展瓶颈", "存在困难", "困难问题", "存在问题", "困难")),
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
        ("身份证号", "公民身份号码", "身份证号码", "身份证", "证件号码", "证件号", "成员身份证号"),
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


# Headers offices use for the category as well as for the legal form (组织类型 holding 文体娱乐类,
# or 类别 holding 社会团体): the column's values decide; the synonym table gives the default.
AMBIGUOUS_FIELDS = ("category", "legal_form")
AMBIGUOUS_HEADERS = {
    ORGANIZATIONS: (
        "组织类型",
        "类型",
        "类别",
        "分类",
        "社会组织类型",
        "社会组织类别",
        "社团类型",
        "社团类别",
        "组织类别",
    )
}


def is_ambiguous(kind: str, header) -> bool:
    """Whether the header names the category or the legal form depending on its values."""
    if header is None:
        return False
    keys = {_full_key(str(header)), normalize_header(header)}
    return any(normalize_header(candidate) in keys for candidate in AMBIGUOUS_HEADERS.get(kind, ()))


def _match_row(kind: str, row: tuple) -> dict[int, str]:
    """Map the columns of a header row to fields, each field once; ambiguous headers last."""
    found: dict[int, str] = {}
    ambiguous = [column for column, value in enumerate(row) if is_ambiguous(kind, value)]
    ordered = [c for c in range(len(row)) if c not in ambiguous] + ambiguous
    for column in ordered:
        key = field_for(kind, row[column])
        if key and key in found.values() and column in ambiguous:
            # 组织类型 beside 组织形式: the other field it may hold (its values will decide)
            key = next((k for k in AMBIGUOUS_FIELDS if k not in found.values()), None)
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
