"""Pages of export jobs: request an export, watch its progress, download the file."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.enqueue import BrokerUnavailable
from core.quarters import format_quarter, parse_quarter, quarter_label, quarter_of, shift_quarter
from exports import services
from exports.models import ExportJob
from exports.registry import KINDS, LIST_URLS, as_querydict, build_ledger, stored_filters
from exports.selectors import export_job_list
from orgs.permissions import can_see_sensitive
from scoring.models import ScoringQuarter

PAGE_SIZE = 25
# Kinds whose form asks for a quarter or a year (they have no list page of their own yet).
QUARTER_KINDS = frozenset({"ranking", "meetings"})
YEAR_KINDS = frozenset({"awards"})
# Quarters offered for the meetings ledger: the current one and the seven before it.
RECENT_QUARTERS = 8


def _quarter_choices(kind: str, chosen: str) -> list[tuple[str, str]]:
    """(code, 2026年第三季度) pairs, newest first: the computed quarters for the ranking,
    else those and the recent quarters; the quarter already chosen (a link's) is kept."""
    quarters = set(ScoringQuarter.objects.computed().values_list("year", "quarter"))
    if kind != "ranking":
        current = quarter_of(timezone.localdate())
        quarters.update(shift_quarter(current, -back) for back in range(RECENT_QUARTERS))
    picked = parse_quarter(chosen)
    if picked is not None:
        quarters.add(picked)
    return [(format_quarter(q), quarter_label(q)) for q in sorted(quarters, reverse=True)]


def _year_choices(chosen: str) -> list[int]:
    """Years that have a computed quarter, and this year, newest first."""
    years = set(ScoringQuarter.objects.computed().values_list("year", flat=True))
    years.add(timezone.localdate().year)
    if chosen.isdigit():
        years.add(int(chosen))
    return sorted(years, reverse=True)


def _kind_choices():
    labels = dict(ExportJob.Kind.choices)
    return [(kind, labels[kind]) for kind in KINDS]


def _params(data) -> dict:
    """The filters of a GET or POST, without the ledger choice and the CSRF token."""
    return stored_filters(as_querydict({key: data.getlist(key) for key in data}))


def export_create(request):
    """GET: what will be exported (and a form to choose); POST: start the export."""
    data = request.POST if request.method == "POST" else request.GET
    kind = data.get("ledger", "")
    params = _params(data)
    context = {
        "kinds": _kind_choices(),
        "kind": kind,
        "params": params,
        "hidden": [(key, value) for key, values in params.items() for value in values],
        "reveal": can_see_sensitive(request.user),
        "quarter_kinds": QUARTER_KINDS,
        "year_kinds": YEAR_KINDS,
        "errors": [],
        "summary": "",
        "quarter_choices": _quarter_choices(kind, data.get("quarter", "")),
        "year_choices": _year_choices(data.get("year", "")),
    }
    if kind and kind in KINDS:
        context["back_url"] = reverse(LIST_URLS[kind])
    status = 200
    if request.method == "POST":
        try:
            job = services.export_job_create(actor=request.user, kind=kind, params=params)
        except ValidationError as error:
            context["errors"] = error.messages
        except BrokerUnavailable as error:  # the queue is down: the form says so, 503
            context["errors"] = [str(error)]
            status = 503
        else:
            return redirect("exports:export_detail", pk=job.pk)
    elif kind:
        try:
            ledger = build_ledger(kind, user=request.user, params=params, reveal=context["reveal"])
            context["summary"] = ledger.filters_summary
            context["expected_rows"] = ledger.expected_rows
        except ValidationError as error:
            context["errors"] = error.messages
    return render(request, "exports/export_create.html", context, status=status)


def export_list(request):
    """The user's own exports, with progress while any is running."""
    page = Paginator(export_job_list(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    polling = any(job.is_active for job in page)
    template = "exports/partials/_job_table.html" if request.htmx else "exports/export_list.html"
    return render(
        request,
        template,
        {"page": page, "polling": polling, "retention": settings.EXPORT_RETENTION_HOURS},
    )


def export_detail(request, pk: int):
    """One export's progress (htmx polls the status fragment until it is done)."""
    job = get_object_or_404(ExportJob.objects.visible_to(request.user), pk=pk)
    template = "exports/partials/_job_status.html" if request.htmx else "exports/export_detail.html"
    return render(request, template, {"job": job, "retention": settings.EXPORT_RETENTION_HOURS})


def export_download(request, pk: int):
    """Serve the workbook to its requester only, while their scope is unchanged; audited."""
    job = get_object_or_404(ExportJob.objects.visible_to(request.user), pk=pk)
    try:
        file_path = services.export_download_check(user=request.user, job=job)
    except (PermissionDenied, ExportJob.DoesNotExist) as error:
        raise Http404 from error
    except services.ExportExpired as error:
        return render(
            request, "exports/export_gone.html", {"job": job, "message": str(error)}, status=410
        )
    response = FileResponse(
        open(file_path, "rb"),  # noqa: SIM115 - FileResponse closes it
        as_attachment=True,
        filename=job.file_name or _("export.xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns = [
    path("", export_list, name="export_list"),
    path("new/", export_create, name="export_create"),
    path("<int:pk>/", export_detail, name="export_detail"),
    path("<int:pk>/download/", export_download, name="export_download"),
]
