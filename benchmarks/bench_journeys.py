"""Complete citizen journeys under load, against a live server (gunicorn, several workers).

Each journey: start page → FranceConnect (development provider) → identity chosen →
callback (token, userinfo, API Particulier, all over HTTP) → consent → QF → children
ticked → transmission → confirmation. Bounded in count and time, on loopback only.
Reports journeys/s, p95 of a journey, the plain page views/s of the same server,
errors, and checks that every completed journey has exactly one dossier.
Also the load test of issue 7 (run it on PostgreSQL: scripts/with-postgres).
"""

import argparse
import os
import re
import socket
import subprocess
import sys
import threading
import time
from urllib.parse import parse_qs, urlsplit

import httpx
from common import ROOT, summary, table

IDENTITIES = ["sans_nom_dusage", "test_ELSA", "test_FABIEN", "avec_nom_dusage", "test"]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def field(html, name):
    match = re.search(rf'name="{re.escape(name)}" value="([^"]*)"', html)
    return match.group(1) if match else ""


def journey(base, page_path, identity):
    """One citizen, start to confirmation; returns the dossier reference."""
    with httpx.Client(base_url=base, timeout=30) as http:
        assert http.get(page_path).status_code == 200
        authorize = http.get(page_path + "connexion/").headers["location"]
        chooser = http.get(authorize)
        params = {k: v[0] for k, v in parse_qs(urlsplit(authorize).query).items()}
        back = http.post(
            authorize,
            data={
                **params,
                "identity": identity,
                "login": "",
                "csrfmiddlewaretoken": field(chooser.text, "csrfmiddlewaretoken"),
            },
        )
        callback = http.get(back.headers["location"])
        assert callback.headers["location"].endswith("/consentement/"), callback.status_code
        assert http.get(page_path + "consentement/").status_code == 200
        quotient = http.get(page_path + "quotient/").text
        children = re.findall(r'name="children" value="([^"]+)"', quotient)
        done = http.post(
            page_path + "quotient/",
            data={
                "csrfmiddlewaretoken": field(quotient, "csrfmiddlewaretoken"),
                "form_token": field(quotient, "form_token"),
                "confirm": "on",
                "children": children[:2],
            },
        )
        assert done.status_code == 302, done.status_code
        confirmation = http.get(done.headers["location"]).text
        return re.search(r'class="qf-reference">([^<]+)<', confirmation).group(1)


def load(work, count, concurrency, max_seconds):
    """Run ``work(i)`` ``count`` times on ``concurrency`` threads; stop after ``max_seconds``."""
    results, errors, durations = [], [], []
    lock = threading.Lock()
    counter = iter(range(count))
    deadline = time.monotonic() + max_seconds

    def worker():
        while time.monotonic() < deadline:
            with lock:
                index = next(counter, None)
            if index is None:
                return
            start = time.perf_counter()
            try:
                result = work(index)
            except Exception as exc:  # noqa: BLE001 - counted and reported
                with lock:
                    errors.append(type(exc).__name__)
                continue
            with lock:
                durations.append((time.perf_counter() - start) * 1000)
                results.append(result)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors, durations, time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--journeys", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--max-seconds", type=int, default=180)
    args = parser.parse_args()

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings_live",
        "QF_BASE_URL": base,
        "PYTHONPATH": str(ROOT),
    }
    python = sys.executable
    subprocess.run([python, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([python, "manage.py", "createcachetable"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [
            python,
            "-c",
            "import sys; sys.path.insert(0, 'benchmarks'); import django; "
            "django.setup(); from common import site; from wagtail_qf.models import Submission; "
            "site(); Submission.objects.all().delete()",
        ],
        cwd=ROOT,
        env=env,
        check=True,
    )
    server = subprocess.Popen(
        [
            os.path.join(os.path.dirname(python), "gunicorn"),
            "example_site.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--threads",
            "4",
            "--worker-class",
            "gthread",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                if httpx.get(f"{base}/qf/").status_code in (200, 404):
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        journey(base, "/qf/", "test")  # warm-up, also checks the set-up
        references, errors, durations, elapsed = load(
            lambda i: journey(base, "/qf/", IDENTITIES[i % len(IDENTITIES)]),
            args.journeys,
            args.concurrency,
            args.max_seconds,
        )
        with httpx.Client(base_url=base, timeout=30) as http:
            views, view_errors, view_durations, view_elapsed = load(
                lambda i: http.get("/actualites/").status_code,
                args.journeys * 10,
                args.concurrency,
                args.max_seconds,
            )
    finally:
        server.terminate()
        server.wait(timeout=30)

    check = subprocess.run(
        [
            python,
            "-c",
            "import django, json, sys; django.setup(); from wagtail_qf.models import Submission; "
            "refs = json.loads(sys.stdin.read()); "
            "print(Submission.objects.filter(reference__in=refs).count(), Submission.objects.count())",
        ],
        cwd=ROOT,
        env=env,
        input=__import__("json").dumps(references + []),
        capture_output=True,
        text=True,
        check=True,
    )
    found, total = map(int, check.stdout.split())
    duplicated = total - 1 - len(references)  # the warm-up journey made one dossier
    lost = len(references) - found
    stats = summary(durations) if durations else {"median": 0, "p95": 0}
    journeys_per_s = len(references) / elapsed
    views_per_s = len(views) / view_elapsed
    from django.db import connection  # noqa: F401  (label only)

    table(
        f"Complete journeys ({args.workers} gunicorn workers × 4 threads, {args.concurrency} concurrent "
        f"citizens, {os.environ.get('DATABASE_URL', 'sqlite').split(':')[0]})",
        [
            "journeys",
            "errors",
            "journeys/s",
            "journey p95 (ms)",
            "plain page views/s",
            "ratio",
            "dossiers lost",
            "dossiers duplicated",
        ],
        [
            (
                len(references),
                len(errors),
                f"{journeys_per_s:.1f}",
                f"{stats['p95']:.0f}",
                f"{views_per_s:.0f}",
                f"1 journey ≈ {views_per_s / journeys_per_s:.1f} page views",
                lost,
                duplicated,
            )
        ],
    )
    if errors:
        print("errors:", sorted(set(errors)))
    return 0 if not errors and not lost and not duplicated else 1


if __name__ == "__main__":
    sys.exit(main())
