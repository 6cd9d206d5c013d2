"""Fixtures of the production deployment tests: Debian's Redis server, the two-server cluster."""

import os

import pytest

from .cluster import Cluster, redis_server


@pytest.fixture
def redis_url(tmp_path):
    try:
        with redis_server(tmp_path) as url:
            yield url
    except FileNotFoundError as exc:
        pytest.skip(str(exc))


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """Two application servers, Redis, a fresh PostgreSQL database, two task workers and the
    development providers (tests.production.cluster), for the whole module."""
    server_url = os.environ.get("DATABASE_URL", "")
    if not server_url.startswith("postgres"):
        pytest.skip("needs a PostgreSQL server shared by the servers (runs in the PostgreSQL pass)")
    try:
        with Cluster(server_url, tmp_path_factory.mktemp("cluster")) as started:
            yield started
    except FileNotFoundError as exc:
        pytest.skip(str(exc))
