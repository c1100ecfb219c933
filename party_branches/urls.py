from django.urls import path

from party_branches import views

app_name = "party_branches"

urlpatterns = [
    path("", views.branch_list, name="branch_list"),
    path("new/", views.branch_create, name="branch_create"),
    path("<int:pk>/", views.branch_detail, name="branch_detail"),
    path("<int:pk>/members/add/", views.member_add, name="member_add"),
    path("<int:pk>/members/<int:member_pk>/remove/", views.member_remove, name="member_remove"),
    path("<int:pk>/meetings/new/", views.meeting_record, name="meeting_record"),
    path("<int:pk>/dissolve/", views.branch_dissolve, name="branch_dissolve"),
    path("orgs/<int:org_pk>/instructors/new/", views.instructor_assign, name="instructor_assign"),
    path("instructors/<int:pk>/end/", views.instructor_end, name="instructor_end"),
    path("compliance/", views.compliance_board, name="compliance_board"),
    path("coverage/", views.coverage, name="coverage"),
    path("coverage/organizations/", views.coverage_organizations, name="coverage_organizations"),
    path("frequencies/", views.frequency_list, name="frequency_list"),
]
