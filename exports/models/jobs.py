"""ExportJob: a workbook written by a Celery task (issue 8)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.scoping import scope_for

__all__ = ["ExportJob", "ExportJobQuerySet", "export_scope_key"]


def export_scope_key(user, *, reveal: bool) -> str:
    """What the file's rows depend on: the role, the area and whether identifiers are shown.

    A file is served only while the requester's scope is the one it was written for, so a
    user moved to another area, or who lost the right to see ID numbers, no longer gets it.
    """
    scope = scope_for(user)
    parts = (
        scope.role,
        scope.township_id,
        scope.community_id,
        scope.organization_id,
        "full" if reveal else "masked",
    )
    return ":".join("" if part is None else str(part) for part in parts)


class ExportJobQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A user sees their own export jobs only; nobody else's files, whatever the role."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(requested_by=user)

    def expired(self, now=None):
        """Jobs whose file is past its retention time and not yet cleared."""
        now = now or timezone.now()
        return self.filter(expires_at__lte=now).exclude(status=ExportJob.Status.EXPIRED)

    def unfinished(self):
        return self.filter(Q(status=ExportJob.Status.QUEUED) | Q(status=ExportJob.Status.RUNNING))


class ExportJob(models.Model):
    """One request for an Excel ledger: what, with which filters, by whom, and how it went."""

    class Kind(models.TextChoices):
        ORGANIZATIONS = "orgs", _("Organisations")
        MEMBERS = "members", _("Members")
        BRANCHES = "branches", _("Temporary Party branches")
        MEETINGS = "meetings", _("Organisational-life meetings")
        BOOKINGS = "bookings", _("Venue bookings")
        ACTIVITIES = "activities", _("Activities and services")
        RANKING = "ranking", _("Quarterly ranking")
        AWARDS = "awards", _("Annual awards")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Ready")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Expired")

    kind = models.CharField(_("ledger"), max_length=20, choices=Kind.choices)
    # The list page's query string, as {name: [values]} (the FilterSet re-reads it).
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    filters_summary = models.CharField(_("filters"), max_length=500, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.CASCADE,
        related_name="export_jobs",
    )
    scope_key = models.CharField(_("scope"), max_length=100, blank=True)
    reveal = models.BooleanField(_("full ID numbers and mobiles"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    expected_rows = models.PositiveIntegerField(_("rows expected"), null=True, blank=True)
    # Relative to settings.EXPORTS_ROOT; never under MEDIA_ROOT.
    file_path = models.CharField(_("file"), max_length=200, blank=True)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    file_size = models.PositiveBigIntegerField(_("file size"), default=0)
    error = models.TextField(_("error"), blank=True)
    task_id = models.CharField(_("task id"), max_length=50, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)

    objects = ExportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("export job")
        verbose_name_plural = _("export jobs")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["requested_by", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="export_job_progress_at_most_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.RUNNING}

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.SUCCEEDED and self.expires_at > timezone.now()

    @property
    def is_expired(self) -> bool:
        return self.status == self.Status.EXPIRED or (
            self.status == self.Status.SUCCEEDED and self.expires_at <= timezone.now()
        )
