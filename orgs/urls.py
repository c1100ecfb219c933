from orgs.views import organizations, oversight, people

app_name = "orgs"

# Each views module declares its own urlpatterns.
urlpatterns = [*organizations.urlpatterns, *people.urlpatterns, *oversight.urlpatterns]
