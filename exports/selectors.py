"""Reads of export jobs: always the requester's own."""

from django.db.models import QuerySet

from exports.models import ExportJob


def export_job_list(*, user) -> QuerySet[ExportJob]:
    """The user's export jobs, newest first (one query per page: no relations are shown)."""
    return ExportJob.objects.visible_to(user).order_by("-created_at", "-pk")
