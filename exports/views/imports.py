"""Pages of import jobs: upload, preview with errors and mapping, commit, template."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from exports.forms_imports import ColumnMappingForm, ImportUploadForm
from exports.importing import commit as services
from exports.importing import headers
from exports.importing.progress import rows_written
from exports.importing.template import build_template
from exports.models import ImportJob
from exports.permissions import can_import

RECENT_JOBS = 10
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require_importer(user) -> None:
    if not can_import(user):
        raise PermissionDenied


@require_http_methods(["GET", "POST"])
def import_upload(request):
    _require_importer(request.user)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = services.import_job_create(actor=request.user, upload=form.cleaned_data["file"])
        return redirect("exports:import_detail", pk=job.pk)
    jobs = ImportJob.objects.visible_to(request.user).select_related("uploaded_by")[:RECENT_JOBS]
    return render(request, "exports/import_upload.html", {"form": form, "jobs": jobs})


@require_GET
def import_detail(request, pk: int):
    """The job's preview; while a task works on it, htmx polls its progress fragment."""
    _require_importer(request.user)
    jobs = ImportJob.objects.visible_to(request.user)
    if request.htmx:  # the poll reads no preview nor errors (a big file's are large)
        jobs = jobs.defer("preview", "errors", "warnings", "sheets")
    job = get_object_or_404(jobs, pk=pk)
    if request.htmx:
        if not job.is_active:
            # done: reload the whole page, which now shows the result
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"
            return response
        return render(request, "exports/partials/_import_progress.html", _progress_context(job))
    return render(request, "exports/import_detail.html", _detail_context(job))


def _progress_context(job) -> dict:
    return {"job": job, "rows_written": rows_written(job)}


def _can_map(job) -> bool:
    return (
        bool(job.sheets)
        and job.status != ImportJob.Status.COMMITTED
        and not job.is_refused
        and not job.is_active
    )


def _detail_context(job, mapping_form=None):
    if mapping_form is None and _can_map(job):
        mapping_form = ColumnMappingForm(job=job)
    kind_labels = {key: str(label) for key, label in headers.KIND_LABELS.items()}
    sheets = [{**sheet, "kind_label": kind_labels.get(sheet["kind"], "")} for sheet in job.sheets]
    return {
        **_progress_context(job),
        "sheets": sheets,
        "mapping_form": mapping_form,
        "kind_labels": kind_labels,
        "actions": {"create": _("Create"), "update": _("Update"), "unchanged": _("No change")},
    }


@require_POST
def import_mapping(request, pk: int):
    _require_importer(request.user)
    job = get_object_or_404(ImportJob.objects.visible_to(request.user), pk=pk)
    if not _can_map(job):
        return redirect("exports:import_detail", pk=job.pk)
    form = ColumnMappingForm(request.POST, job=job)
    if not form.is_valid():
        return render(request, "exports/import_detail.html", _detail_context(job, form))
    try:
        services.import_job_set_mapping(actor=request.user, job=job, mapping=form.mapping())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("exports:import_detail", pk=job.pk)
    job.refresh_from_db()
    if job.is_active:
        messages.success(request, _("Column mapping saved; the file is being checked again."))
    else:
        messages.success(request, _("Column mapping saved; the file was checked again."))
    return redirect("exports:import_detail", pk=job.pk)


@require_POST
def import_commit(request, pk: int):
    _require_importer(request.user)
    job = get_object_or_404(ImportJob.objects.visible_to(request.user), pk=pk)
    try:
        job = services.import_job_start(actor=request.user, job=job, action=ImportJob.Action.COMMIT)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if job.status == ImportJob.Status.COMMITTED:
            messages.success(request, _("Import committed: the ledger was updated."))
        elif job.is_active:
            messages.info(
                request,
                _(
                    "The import has started: this page shows how far it got. You may leave it "
                    "and come back."
                ),
            )
        elif job.error:
            messages.error(request, job.error)
        else:
            messages.error(request, _("Nothing was imported: the file has errors (see below)."))
    return redirect("exports:import_detail", pk=job.pk)


@require_GET
def import_template(request):
    _require_importer(request.user)
    response = HttpResponse(build_template(), content_type=XLSX)
    response["Content-Disposition"] = (
        'attachment; filename="ledger-import-template.xlsx"; '
        "filename*=UTF-8''%E5%8F%B0%E8%B4%A6%E5%AF%BC%E5%85%A5%E6%A8%A1%E6%9D%BF.xlsx"
    )
    return response


urlpatterns = [
    path("imports/", import_upload, name="import_upload"),
    path("imports/template/", import_template, name="import_template"),
    path("imports/<int:pk>/", import_detail, name="import_detail"),
    path("imports/<int:pk>/mapping/", import_mapping, name="import_mapping"),
    path("imports/<int:pk>/commit/", import_commit, name="import_commit"),
]
