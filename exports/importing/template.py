"""The downloadable import template: one sheet of organisations, one of members."""

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from exports.importing import headers
from orgs.models import Category

ORGANIZATIONS_SHEET = "社会组织"
MEMBERS_SHEET = "成员"
NOTES_SHEET = "填写说明"
TEXT_KINDS = {"credit_code", "id_number", "mobile"}
HEADER_FILL = PatternFill("solid", fgColor="FDE9D9")

NOTES = (
    "1. 第一行是表头，请勿修改表头文字；带 * 的列必须填写。",
    "2. 身份证号、统一社会信用代码、手机号码列已设置为文本格式，请直接填写，不要改成数字格式。",
    "3. 日期可写成 2023-05-01、2023/5/1、2023.5.1 或 2023年5月1日。",
    "4. 所属社区（村）填写社区名称或12位代码；社区重名时请同时填写街道（乡镇）。",
    "5. 成员表的“所属社会组织”填写社会组织名称，重名时请填写社会组织信用代码。",
    "6. 不要使用公式：公式单元格不会被导入。",
    "7. 同一文件可重复导入：已有的社会组织按信用代码（或名称+社区）匹配并更新，"
    "已有的成员按身份证号匹配，不会重复添加。",
    "8. 填写了负责人身份证号的，负责人将同时记为该社会组织的成员（职务为负责人）；"
    "性别与身份证号不符时以身份证号为准，并在预览中提示。",
)


def _sheet(workbook, title, fields, first=False):
    sheet = workbook.active if first else workbook.create_sheet()
    sheet.title = title
    for index, field in enumerate(fields, start=1):
        cell = sheet.cell(
            row=1, column=index, value=f"{field.label}{'*' if field.required else ''}"
        )
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(12, len(field.label) * 2 + 4)
        if field.kind in TEXT_KINDS:
            for row in range(2, 502):
                sheet.cell(row=row, column=index).number_format = "@"
    sheet.freeze_panes = "A2"
    return sheet


def build_template() -> bytes:
    """Return the template workbook as bytes."""
    workbook = Workbook()
    _sheet(workbook, ORGANIZATIONS_SHEET, headers.ORGANIZATION_FIELDS, first=True)
    _sheet(workbook, MEMBERS_SHEET, headers.MEMBER_FIELDS)
    notes = workbook.create_sheet(NOTES_SHEET)
    for index, line in enumerate(NOTES, start=1):
        notes.cell(row=index, column=1, value=line)
    categories = "、".join(Category.objects.filter(is_active=True).values_list("name", flat=True))
    notes.cell(row=len(NOTES) + 1, column=1, value=f"{len(NOTES) + 1}. 可填写的类别：{categories}")
    notes.column_dimensions["A"].width = 110
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
