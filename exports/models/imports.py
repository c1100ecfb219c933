"""ImportJob: an uploaded ledger validated row by row before commit (issue 8)."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from exports.permissions import can_import

__all__ = ["ImportJob", "ImportJobQuerySet", "ImportsStorage", "imports_storage"]


class ImportsStorage(FileSystemStorage):
    """Uploads in the private IMPORTS_ROOT, read from settings at each use; no URL serves them."""

    @property
    def base_location(self):
        from exports.importing import imports_root

        return str(imports_root())

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None


def imports_storage() -> FileSystemStorage:
    """Return the storage of uploaded ledgers."""
    return ImportsStorage()


class ImportJobQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Jobs the user may open: only their own (uploads hold ID numbers)."""
        if not can_import(user):
            return self.none()
        return self.filter(uploaded_by=user)


class ImportJob(models.Model):
    """One uploaded workbook of organisations and members, from upload to commit."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded")
        VALIDATED = "validated", _("Validated")
        COMMITTED = "committed", _("Committed")
        FAILED = "failed", _("Failed")

    class Action(models.TextChoices):
        """What a background task is doing with the job ("" when none is)."""

        NONE = "", _("None")
        CHECK = "check", _("Checking the file")
        COMMIT = "commit", _("Importing")

    class Stage(models.TextChoices):
        NONE = "", _("None")
        QUEUED = "queued", _("Waiting for a worker")
        READING = "reading", _("Reading the file")
        CHECKING = "checking", _("Checking the rows")
        WRITING = "writing", _("Writing to the ledger")

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="import_jobs",
    )
    original_name = models.CharField(_("file name"), max_length=200)
    file = models.FileField(_("file"), storage=imports_storage, upload_to="%Y/%m/", max_length=200)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.UPLOADED
    )
    # {sheet title: {column letter: field key or "" to ignore}} chosen by the user.
    header_mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    # What the reader found: sheets, their header rows and columns.
    sheets = models.JSONField(_("sheets"), default=list, blank=True)
    # {"organizations": {"create": n, "update": n, "unchanged": n}, "members": {...}, "rows": n}
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    # [{"sheet", "row", "column", "header", "message"}]; row/column empty for file-level errors.
    errors = models.JSONField(_("errors"), default=list, blank=True)
    # Same shape: what the import corrected by itself (e.g. the gender taken from the ID
    # number). Shown in the preview; they never block the commit.
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    # What each row would do (masked identifiers only).
    preview = models.JSONField(_("preview"), default=list, blank=True)
    # The background task at work (issue 15): what it does, where it is, how far it got.
    action = models.CharField(
        _("task"), max_length=10, choices=Action.choices, default="", blank=True
    )
    stage = models.CharField(
        _("stage"), max_length=10, choices=Stage.choices, default="", blank=True
    )
    rows_total = models.PositiveIntegerField(_("rows in the file"), null=True, blank=True)
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    rows_checked = models.PositiveIntegerField(_("rows checked"), default=0)
    rows_written = models.PositiveIntegerField(_("rows written"), default=0)
    # Why the last task failed as a whole (in Chinese); row errors go to `errors`.
    error = models.TextField(_("error"), blank=True)
    task_id = models.CharField(_("task id"), max_length=50, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    validated_at = models.DateTimeField(_("validated at"), null=True, blank=True)
    committed_at = models.DateTimeField(_("committed at"), null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="committed") | Q(committed_at__isnull=False),
                name="import_job_committed_has_time",
            )
        ]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def is_refused(self) -> bool:
        """Refused as a whole: its file was deleted at once, only the reason is kept."""
        return self.status == self.Status.FAILED and not self.file

    @property
    def is_active(self) -> bool:
        """A check or a commit is queued or running: the page polls until it ends."""
        return bool(self.action)

    @property
    def has_errors(self) -> bool:
        return bool(self.errors)

    @property
    def unmapped_columns(self) -> list[dict]:
        """Columns neither recognised nor mapped (or ignored) by the user yet."""
        missing = []
        for sheet in self.sheets:
            chosen = self.header_mapping.get(sheet["title"], {})
            for column in sheet.get("columns", []):
                if not column.get("field") and column["letter"] not in chosen:
                    missing.append({**column, "sheet": sheet["title"]})
        return missing

    @property
    def can_commit(self) -> bool:
        """Offered on the page: checked without errors, and no task at work on it."""
        return self.ready_to_commit and not self.action

    @property
    def ready_to_commit(self) -> bool:
        return (
            self.status == self.Status.VALIDATED
            and not self.errors
            and not self.unmapped_columns
            and bool(self.summary.get("rows"))
        )
