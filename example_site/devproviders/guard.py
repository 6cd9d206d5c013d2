from functools import wraps

from django.conf import settings
from django.http import Http404

from wagtail_qf.conf import qf_settings


def dev_only(view):
    """404 unless DEBUG and WAGTAIL_QF["DEV_PROVIDERS"] are both on, checked per request."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not (settings.DEBUG and qf_settings.DEV_PROVIDERS):
            raise Http404("development providers are off")
        return view(request, *args, **kwargs)

    return wrapper
