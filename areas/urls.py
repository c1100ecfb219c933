from django.urls import path

from areas import views

app_name = "areas"

urlpatterns = [
    path("townships/", views.township_list, name="township_list"),
    path("townships/new/", views.township_create, name="township_create"),
    path("townships/<int:pk>/", views.township_detail, name="township_detail"),
    path("townships/<int:pk>/edit/", views.township_update, name="township_update"),
    path("communities/", views.community_list, name="community_list"),
    path("communities/new/", views.community_create, name="community_create"),
    path("communities/<int:pk>/", views.community_detail, name="community_detail"),
    path("communities/<int:pk>/edit/", views.community_update, name="community_update"),
]
