"""Forms of the import pages: the upload, and the mapping of the columns."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin
from exports.importing import headers, safety

DUPLICATE_FIELD_MESSAGE = _(
    "“%(field)s” is chosen for several columns of sheet “%(sheet)s” (%(columns)s): choose it "
    "for one column only."
)


class ImportUploadForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Ledger workbook (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            safety.check_upload(upload.name, upload, upload.size)
        except safety.UploadRefused as refused:
            raise forms.ValidationError(refused.message) from None
        upload.seek(0)
        return upload


class ColumnMappingForm(BootstrapFormMixin, forms.Form):
    """One choice per column: a field of its sheet, or "ignore".

    Unrecognised columns (col_N) must be chosen; every other column (fix_N) shows what it was
    taken for and may be changed: the user's choice overrides what was recognised.
    """

    IGNORE = "__ignore__"

    def __init__(self, *args, job, **kwargs):
        super().__init__(*args, **kwargs)
        self.columns = {}
        self.kinds = {sheet["title"]: sheet["kind"] for sheet in job.sheets}
        unmapped = job.unmapped_columns
        for index, column in enumerate(unmapped):
            self._add(f"col_{index}", column, required=True)
        pending = {(c["sheet"], c["letter"]) for c in unmapped}
        index = 0
        for sheet in job.sheets:
            for column in sheet.get("columns", []):
                if (sheet["title"], column["letter"]) in pending:
                    continue
                self._add(f"fix_{index}", {**column, "sheet": sheet["title"]}, required=False)
                index += 1

    @property
    def unmapped_fields(self):
        return [self[name] for name in self.columns if name.startswith("col_")]

    @property
    def other_fields(self):
        return [self[name] for name in self.columns if name.startswith("fix_")]

    def _add(self, name: str, column: dict, *, required: bool) -> None:
        self.fields[name] = forms.ChoiceField(
            label=f"{column['sheet']} · {column['letter']} 列 “{column['header']}”",
            required=required,
            choices=[
                ("", _("Choose…")),
                (self.IGNORE, _("Ignore this column")),
                *headers.field_choices(self.kinds[column["sheet"]]),
            ],
            initial=None if required else (column.get("field") or self.IGNORE),
            widget=forms.Select(attrs={"class": "form-select"}),
        )
        self.columns[name] = column

    def _chosen(self, name: str) -> str:
        value = self.cleaned_data.get(name) or ""
        return headers.IGNORE if value == self.IGNORE else value

    def clean(self):
        cleaned = super().clean()
        by_sheet: dict[tuple, list[str]] = {}
        for name, column in self.columns.items():
            if name not in cleaned:
                continue
            value = cleaned[name]
            field = (
                self._chosen(name)
                if value
                else column.get("field", "")  # left blank: stays as recognised
            )
            if field:
                by_sheet.setdefault((column["sheet"], field), []).append(column["letter"])
        for (sheet, field), letters in by_sheet.items():
            if len(letters) > 1:
                label = headers.field_label(self.kinds[sheet], field)
                raise forms.ValidationError(
                    DUPLICATE_FIELD_MESSAGE
                    % {"field": label, "sheet": sheet, "columns": "、".join(letters)}
                )
        return cleaned

    def mapping(self) -> dict:
        """The choices that change something: every unrecognised column, and any override."""
        result: dict = {}
        for name, column in self.columns.items():
            if not self.cleaned_data.get(name):
                continue
            value = self._chosen(name)
            current = column.get("field", "")
            overridden = column.get("mapped") or not column.get("field")
            if name.startswith("fix_") and value == current and not overridden:
                continue
            result.setdefault(column["sheet"], {})[column["letter"]] = value
        return result
