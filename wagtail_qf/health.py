"""Health check for the load balancer: is this process able to serve (database and cache reachable)?

It says which part failed and nothing else: no personal data, no session, never cached.
``HealthCheckMiddleware``, first in ``MIDDLEWARE``, answers it before Django checks the Host
and redirects to HTTPS: a load balancer asks each server by its own address, over plain HTTP.
"""

import logging
import secrets

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone() != (1,):
            raise RuntimeError("SELECT 1 gave another answer")


def _cache() -> None:
    """Write a random key and read it back: a cache that loses writes (or a dummy one) fails too."""
    key, value = f"wagtail_qf:health:{secrets.token_hex(8)}", secrets.token_hex(8)
    cache.set(key, value, timeout=10)
    try:
        if cache.get(key) != value:
            raise RuntimeError("the value written could not be read back")
    finally:
        cache.delete(key)


CHECKS = {"database": _database, "cache": _cache}


@require_safe
def health(request) -> JsonResponse:
    failed = []
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as error:  # any failure of a backend means "not ready", whatever its driver raises
            logger.warning("Health check: %s unavailable (%s)", name, type(error).__name__)
            failed.append(name)
    body = {"status": "error", "failed": failed} if failed else {"status": "ok"}
    response = JsonResponse(body, status=503 if failed else 200)
    response["Cache-Control"] = "no-store"
    return response


class HealthCheckMiddleware:
    """Answer the health check first: ``ALLOWED_HOSTS`` would refuse the server's address (400)
    and ``SECURE_SSL_REDIRECT`` send plain HTTP to HTTPS (301), whatever the health. Nothing
    else is answered here, and the check reads no Host."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.path = None

    def __call__(self, request):
        if self.path is None:
            try:
                self.path = reverse("wagtail_qf:health")
            except NoReverseMatch:  # the site does not include wagtail_qf.urls
                self.path = ""
        if self.path and request.path == self.path:
            return health(request)
        return self.get_response(request)
