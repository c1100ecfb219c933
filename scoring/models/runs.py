"""Recompute runs: who asked, when, how long, how it ended."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.quarters import quarter_label


class RankingRun(models.Model):
    """One recompute of a quarter: who or what started it, how it went."""

    class Trigger(models.TextChoices):
        MANUAL = "manual", _("Started from the page")
        SCHEDULE = "schedule", _("Nightly schedule")
        COMMAND = "command", _("Command line")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    # The county whose programme this is (each county has its own scheme, ranking, awards).
    county = models.ForeignKey(
        "areas.County", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    finalize = models.BooleanField(_("finalise after computing"), default=False)
    trigger = models.CharField(_("started by"), max_length=10, choices=Trigger.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    stage = models.CharField(_("stage"), max_length=50, blank=True)
    task_id = models.CharField(_("task id"), max_length=50, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    organizations_scored = models.PositiveIntegerField(_("organisations scored"), default=0)
    organizations_ranked = models.PositiveIntegerField(_("organisations ranked"), default=0)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("ranking run")
        verbose_name_plural = _("ranking runs")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["county", "year", "quarter", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.quarter_label} {self.get_status_display()}"

    @property
    def quarter_label(self) -> str:
        """The quarter as a person reads it ("2026年第四季度")."""
        return quarter_label((self.year, self.quarter))

    @property
    def is_active(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.RUNNING}

    @property
    def duration(self):
        if self.started_at and self.finished_at:
            return self.finished_at - self.started_at
        return None

    @property
    def duration_seconds(self) -> float | None:
        """Seconds the run took, or None when unknown or too short to show as "0.0"."""
        duration = self.duration
        if duration is None or duration.total_seconds() < 0.05:
            return None
        return duration.total_seconds()
