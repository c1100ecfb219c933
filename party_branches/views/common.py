"""What the branch pages share: page sizes, default names, looking a branch up."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy

from party_branches.models import (
    Branch,
)

PAGE_SIZE = 25
BOARD_PAGE_SIZE = 50
# Townships per page of the coverage table (each with its categories and subtotal).
COVERAGE_PAGE_SIZE = 25
BOARD_QUARTERS = 8
DEFAULT_BRANCH_NAME = gettext_lazy("%(name)s temporary Party branch")
DEFAULT_PARENT_ORG = gettext_lazy("Party committee of %(community)s")


def _add_service_errors(form, error: ValidationError) -> None:
    """Show a service's errors on the form's visible fields, or above the form otherwise."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        visible = field in form.fields and not form.fields[field].widget.is_hidden
        form.add_error(field if visible else None, errors)


def _branch_url(branch: Branch) -> str:
    return reverse("party_branches:branch_detail", kwargs={"pk": branch.pk})


def _visible_branch(request, pk: int) -> Branch:
    return get_object_or_404(
        Branch.objects.visible_to(request.user).select_related("township", "secretary"), pk=pk
    )
