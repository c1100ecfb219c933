from django.urls import path

from activities import views

app_name = "activities"

urlpatterns = [
    path("", views.activity_list, name="activity_list"),
    path("new/", views.activity_create, name="activity_create"),
    path("<int:pk>/", views.activity_detail, name="activity_detail"),
    path("<int:pk>/edit/", views.activity_update, name="activity_update"),
    path("<int:pk>/decide/", views.activity_decide, name="activity_decide"),
    path("<int:pk>/print/", views.activity_print, name="activity_print"),
    path("<int:pk>/qr.svg", views.activity_qr_svg, name="activity_qr_svg"),
    path("<int:pk>/photos/add/", views.activity_photo_add, name="activity_photo_add"),
    path("photos/<int:pk>/", views.activity_photo, name="activity_photo"),
    path("<int:pk>/qr.png", views.activity_qr_png, name="activity_qr_png"),
    path(
        "from-booking/<int:booking_pk>/", views.activity_from_booking, name="activity_from_booking"
    ),
    path("verify/", views.verification_queue, name="verification_queue"),
    path("mediation/", views.mediation_list, name="mediation_list"),
    path("mediation/new/", views.mediation_create, name="mediation_create"),
    path("mediation/<int:pk>/edit/", views.mediation_update, name="mediation_update"),
    path("mediation/<int:pk>/decide/", views.mediation_decide, name="mediation_decide"),
    path("feedback/org/<int:org_pk>/", views.organization_feedback, name="organization_feedback"),
    path("feedback/org/<int:org_pk>/phone/", views.phone_survey_create, name="phone_survey_create"),
    path("rate/<str:token>/", views.feedback_public, name="feedback_public"),
    path("rate/<str:token>/thanks/", views.feedback_thanks, name="feedback_thanks"),
]
