from django.apps import apps
from django.conf import settings
from django.templatetags.static import static
from django.urls import include, path
from django.views import defaults
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from wagtail_qf.headers import protect

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("qf/", include("wagtail_qf.urls")),
    # Browsers ask for /favicon.ico whatever the page declares.
    path("favicon.ico", RedirectView.as_view(url=static("wagtail_qf/favicon.svg"), permanent=True)),
]

if apps.is_installed("example_site.devproviders"):
    urlpatterns.append(path("dev/", include("example_site.devproviders.urls")))

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()

urlpatterns += [path("", include(wagtail_urls))]


# The error pages a citizen meets (templates/404.html, 500.html) wear the citizen pages' headers.
def page_not_found(request, exception):
    return protect(defaults.page_not_found(request, exception))


def server_error(request):
    return protect(defaults.server_error(request))


handler404 = page_not_found
handler500 = server_error
