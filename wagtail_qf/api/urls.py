"""The editors' API's URLs: ninja's patterns (``dossiers/``, ``dossiers/<reference>/``,
``openapi.json``), each behind ``api_view``, in the app's namespace (``wagtail_qf:api_dossier``)."""

from django.urls import URLPattern

from .views import api, api_view

urlpatterns = [
    URLPattern(pattern.pattern, api_view(pattern.callback), pattern.default_args, pattern.name)
    for pattern in api.urls[0]
]
