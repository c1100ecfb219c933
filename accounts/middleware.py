from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.core.exceptions import PermissionDenied
from django.urls import reverse

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class ReadOnlyRoleMiddleware:
    """Refuse every unsafe request from read-only roles (officials), whatever the view.

    Logging out and changing one's own password stay allowed, and so does a POST that
    requests an Excel export: exporting reads the ledger, it changes nothing in it (the
    export job row is the official's own request, like a session).
    """

    ALLOWED_URL_NAMES = ("accounts:logout", "accounts:password_change")
    # POSTs that read, registered by the apps that offer them (exports: requesting a file).
    ALLOWED_POST_URL_NAMES: list[str] = []

    @classmethod
    def allow_reading_post(cls, url_name: str) -> None:
        """Let read-only roles POST to this page (an app's ready() calls this)."""
        if url_name not in cls.ALLOWED_POST_URL_NAMES:
            cls.ALLOWED_POST_URL_NAMES.append(url_name)

    def __init__(self, get_response):
        self.get_response = get_response
        self._allowed_paths = None
        self._allowed_post_paths = None

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            request.method not in SAFE_METHODS
            and user is not None
            and user.is_authenticated
            and user.is_read_only
            and request.path not in self.allowed_paths
            and not (request.method == "POST" and request.path in self.allowed_post_paths)
        ):
            raise PermissionDenied
        return self.get_response(request)

    @property
    def allowed_paths(self) -> frozenset[str]:
        if self._allowed_paths is None:
            self._allowed_paths = frozenset(reverse(name) for name in self.ALLOWED_URL_NAMES)
        return self._allowed_paths

    @property
    def allowed_post_paths(self) -> frozenset[str]:
        if self._allowed_post_paths is None:
            self._allowed_post_paths = frozenset(
                reverse(name) for name in self.ALLOWED_POST_URL_NAMES
            )
        return self._allowed_post_paths


class RegistryLoginRequiredMiddleware(LoginRequiredMiddleware):
    """Deny by default, except the JSON API, which authenticates (session or token) itself.

    The API's own permission classes refuse anonymous requests with 401/403 instead of a
    redirect to the login page, and token authentication only happens inside the API view.
    """

    API_PREFIX = "/api/"

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith(self.API_PREFIX):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
