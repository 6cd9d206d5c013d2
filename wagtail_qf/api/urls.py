"""The editors' API's URLs: ninja's patterns (``dossiers/``, ``dossiers/<reference>/``,
``openapi.json``), each behind ``api_view``, in the app's namespace (``wagtail_qf:api_dossier``).
Any other address under the API is its JSON 404 (``unknown_path``): its root (ninja's serves the
site's HTML 404 page) and, last, every other path ending in "/" (one without it is first sent to
its "/" form by ``APPEND_SLASH``, as before)."""

from django.urls import URLPattern, re_path

from .views import api, api_view, unknown_path

ROOT = "api-root"  # ninja's name; its address is the ``servers`` entry of the document

urlpatterns = [
    URLPattern(
        pattern.pattern,
        api_view(unknown_path if pattern.name == ROOT else pattern.callback),
        pattern.default_args,
        pattern.name,
    )
    for pattern in api.urls[0]
] + [re_path(r"^(?P<path>.+/)$", api_view(unknown_path))]
