"""The page of a refused form (``CSRF_FAILURE_VIEW = "wagtail_qf.csrf.csrf_failure"``).

A citizen's form fails Django's CSRF check when the page stayed open for long, was opened from
another site, or when the browser refuses the site's cookies. Django's own page then speaks of
« CSRF » and « Referer » and leads nowhere: under a QF page, the citizen reads in French that
nothing was sent, in the site's layout, with the way back to the journey. Elsewhere (the admin,
the site's other forms), Django's page is kept.
"""

from django.template.response import TemplateResponse
from django.views import csrf
from wagtail.models import Page, Site

from .design import layout_template
from .headers import protect
from .models.pages import qf_page_content_types


def qf_page_of(request) -> Page | None:
    """The live QF page whose address begins ``request``'s path (its step, its follow-up), or None."""
    site = Site.find_for_request(request)
    if site is None:
        return None
    parts = [part for part in request.path.split("/") if part]
    candidates = [
        site.root_page.url_path + "".join(f"{p}/" for p in parts[:n]) for n in range(1, len(parts) + 1)
    ]
    return (
        Page.objects.live()
        .filter(url_path__in=candidates, content_type__in=qf_page_content_types())
        .order_by("-depth")
        .first()
    )


def csrf_failure(request, reason: str = ""):
    page = qf_page_of(request)
    if page is None:
        return csrf.csrf_failure(request, reason)
    context = {"qf_layout": layout_template(), "page": page, "start_url": page.get_url(request)}
    return protect(TemplateResponse(request, "wagtail_qf/csrf_failure.html", context, status=403))
