from exports.views import exports, imports

app_name = "exports"

urlpatterns = exports.urlpatterns + imports.urlpatterns
