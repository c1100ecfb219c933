from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from core import views as core_views
from dashboards import views as dashboard_views

admin.site.site_header = _("County social-organisation registry")
admin.site.site_title = _("Registry administration")

urlpatterns = [
    path("", dashboard_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("accounts/", include("accounts.urls")),
    path("areas/", include("areas.urls")),
    path("orgs/", include("orgs.urls")),
    path("branches/", include("party_branches.urls")),
    path("venues/", include("venues.urls")),
    path("activities/", include("activities.urls")),
    path("scoring/", include("scoring.urls")),
    path("exports/", include("exports.urls")),
    path("overview/", include("dashboards.urls")),
    path("api/v1/", include("registry.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api_schema"), name="api_docs"),
    path("admin/", admin.site.urls),
]

# JSON 404s under /api/ (unknown paths included), the Chinese page elsewhere.
handler404 = "accounts.api_errors.page_not_found"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
