"""Login lockout: the (username, address) pair and the username lock early, an address alone late.

django-axes compares one failure limit with the worst of its lockout parameters. An office
behind one NAT shares an address, so a handful of mistyped or made-up usernames must not lock
everyone there out: the address-only count is weighed against its own, far higher, limit.
"""

from axes.conf import settings
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit, get_lockout_parameters
from django.db.models import Sum

ADDRESS_ONLY = "ip_address"


class RegistryLockoutHandler(AxesDatabaseHandler):
    """Axes' database handler with a separate failure limit for an address on its own."""

    def get_failures(self, request, credentials=None) -> int:
        """The worst failure count, an address's alone scaled to the common limit."""
        limit = get_failure_limit(request, credentials)
        address_limit = settings.AXES_ADDRESS_FAILURE_LIMIT
        worst = 0
        parameters = get_lockout_parameters(request, credentials)
        for parameter, attempts in zip(
            parameters, self.get_user_attempts(request, credentials), strict=True
        ):
            count = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            if parameter == ADDRESS_ONLY:
                # Reaches the common limit exactly when the address reaches its own.
                count = count * limit // address_limit
            worst = max(worst, count)
        return worst
