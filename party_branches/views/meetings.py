"""Recording a branch's meetings."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from party_branches import services
from party_branches.forms import (
    MeetingForm,
)
from party_branches.permissions import (
    can_record_meetings,
)
from party_branches.views.common import (
    _add_service_errors,
    _branch_url,
    _visible_branch,
)

# --- Meetings ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def meeting_record(request, pk: int):
    """Record a meeting in under a minute: kind, day, topic; everyone present is preselected."""
    branch = _visible_branch(request, pk)
    if not can_record_meetings(request.user, branch):
        raise PermissionDenied
    form = MeetingForm(request.POST or None, request.FILES or None, branch=branch)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_record(
                actor=request.user,
                branch=branch,
                kind=form.cleaned_data["kind"],
                held_on=form.cleaned_data["held_on"],
                topic=form.cleaned_data["topic"],
                attendees=list(form.cleaned_data["attendees"]),
                minutes=form.cleaned_data["minutes"],
                place=form.cleaned_data["place"],
                chair=form.cleaned_data["chair"],
                note_taker=form.cleaned_data["note_taker"],
                absence_reasons=form.absence_reasons(),
                attachments=form.cleaned_data["attachments"],
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(kind)s of %(day)s recorded.")
                % {"kind": meeting.get_kind_display(), "day": meeting.held_on.isoformat()},
            )
            return redirect(_branch_url(branch))
    return render(request, "party_branches/meeting_form.html", {"form": form, "branch": branch})
