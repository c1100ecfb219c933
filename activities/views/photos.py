"""An activity's photos."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from activities import permissions, services
from activities.models import (
    Activity,
    ActivityPhoto,
)


@require_POST
def activity_photo_add(request, pk: int):
    activity = get_object_or_404(Activity.objects.visible_to(request.user), pk=pk)
    if not permissions.can_record_for(request.user, activity.lead_organization):
        raise PermissionDenied
    upload = request.FILES.get("image")
    if upload is None:
        messages.error(request, _("Choose a photo to upload."))
        return redirect("activities:activity_detail", pk=activity.pk)
    try:
        services.activity_photo_add(
            actor=request.user,
            activity=activity,
            upload=upload,
            caption=request.POST.get("caption", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(str(message) for message in error.messages))
    else:
        messages.success(request, _("Photo added."))
    return redirect("activities:activity_detail", pk=activity.pk)


def activity_photo(request, pk: int):
    """Serve a photo only to users who may see its activity (never from a public URL)."""
    photo = get_object_or_404(
        ActivityPhoto.objects.filter(activity__in=Activity.objects.visible_to(request.user)),
        pk=pk,
    )
    extension = photo.image.name.rsplit(".", 1)[-1].lower()
    content_type = "image/png" if extension == "png" else "image/jpeg"
    response = FileResponse(photo.image.open("rb"), content_type=content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
