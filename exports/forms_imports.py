"""Forms of the import pages: the upload, and the mapping of unrecognised columns."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin
from exports.importing import headers, safety


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
    """One choice per unrecognised column: a field of its sheet, or "ignore"."""

    IGNORE = "__ignore__"

    def __init__(self, *args, job, **kwargs):
        super().__init__(*args, **kwargs)
        self.columns = {}
        kinds = {sheet["title"]: sheet["kind"] for sheet in job.sheets}
        for index, column in enumerate(job.unmapped_columns):
            name = f"col_{index}"
            kind = kinds[column["sheet"]]
            self.fields[name] = forms.ChoiceField(
                label=f"{column['sheet']} · {column['letter']} 列 “{column['header']}”",
                choices=[
                    ("", _("Choose…")),
                    (self.IGNORE, _("Ignore this column")),
                    *headers.field_choices(kind),
                ],
            )
            self.columns[name] = column

    def mapping(self) -> dict:
        result: dict = {}
        for name, column in self.columns.items():
            value = self.cleaned_data[name]
            result.setdefault(column["sheet"], {})[column["letter"]] = (
                headers.IGNORE if value == self.IGNORE else value
            )
        return result
