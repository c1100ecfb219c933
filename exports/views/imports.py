"""Pages of import jobs."""

urlpatterns: list = []
