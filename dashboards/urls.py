from django.urls import path

from dashboards import views

app_name = "dashboards"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("townships/<int:pk>/", views.township_overview, name="township_overview"),
    path("figures.xlsx", views.overview_xlsx, name="overview_xlsx"),
]
