"""Pages of export jobs."""

urlpatterns: list = []
