from django.urls import path

from scoring import views

app_name = "scoring"

urlpatterns = [
    path("ranking/", views.ranking, name="ranking"),
    path("ranking/run/", views.run_panel, name="run_panel"),
    path("ranking/recompute/", views.recompute, name="recompute"),
    path("ranking/finalize/", views.quarter_finalize, name="quarter_finalize"),
    path("ranking/reopen/", views.quarter_reopen, name="quarter_reopen"),
    path("organizations/<int:pk>/", views.organization_score, name="organization_score"),
    path("counties/", views.county_comparison, name="county_comparison"),
    path("scheme/", views.scheme, name="scheme"),
    path("scheme/new/", views.scheme_create, name="scheme_create"),
    path("assessments/", views.assessments, name="assessments"),
    path("awards/", views.awards, name="awards"),
    path("awards/propose/", views.awards_propose, name="awards_propose"),
    path("awards/<int:pk>/decide/", views.award_decide, name="award_decide"),
]
