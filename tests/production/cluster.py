"""The reference deployment on one machine: two application servers (gunicorn, production
settings) sharing one Redis and one PostgreSQL database, the task workers, and the
development providers in their own process. Used by ``test_two_servers.py`` and by
``benchmarks/bench_journeys.py`` (README « Deux serveurs, un Redis, un PostgreSQL »).

The citizen's side is a browser behind a load balancer: ``Balancer`` is an httpx
transport answering for ``https://qf.test`` that sends each request to the next server in
turn, adding ``X-Forwarded-For`` (the citizen's address) and ``X-Forwarded-Proto`` as a
TLS-terminating proxy does, so the servers run the production settings as they are.
"""

import itertools
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import uuid
from contextlib import ExitStack, contextmanager
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx

ROOT = Path(__file__).resolve().parent.parent.parent
PUBLIC = "https://qf.test"  # the address the load balancer answers for
PAGE = "/qf/"  # the QF page of benchmarks.common.site()
PLAIN = "/actualites/"  # the plain content page of benchmarks.common.site()
# The requests a journey makes to the application (FranceConnect's own two aside).
JOURNEY_REQUESTS = 7
NOTIFICATION_EMAIL = "mairie@qf.test"
AGENT, AGENT_PASSWORD = "agent", "two-servers-" + "p" * 20
IDENTITIES = ["sans_nom_dusage", "test_ELSA", "test_FABIEN", "avec_nom_dusage", "test"]

SEED = f"""
import django
django.setup()
from benchmarks.common import site
plain, qf, form = site()
qf.notification_email = {NOTIFICATION_EMAIL!r}
qf.save_revision().publish()
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} stopped (exit {process.returncode})")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port} after {seconds} s")


@contextmanager
def running(command, *, log: Path, port: int | None = None, **kwargs):
    """A process for the duration of the block, its output in ``log``; stopped at the end."""
    with open(log, "ab") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, **kwargs)
    try:
        if port is not None:
            wait_for_port(port, process)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def redis_server(folder: Path):
    """Debian's redis-server on a free loopback port, nothing saved; yields its URL."""
    server = shutil.which("redis-server")
    if server is None:
        raise FileNotFoundError("redis-server is not installed (apt-get install redis-server)")
    port = free_port()
    command = [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    with running([*command, "--dir", str(folder)], log=folder / "redis.log", port=port):
        yield f"redis://127.0.0.1:{port}/0"


@contextmanager
def fresh_database(server_url: str):
    """A new database on the PostgreSQL server of ``server_url``, dropped at the end."""
    import psycopg

    name = f"qf_cluster_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlsplit(server_url)._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(server_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Cluster:
    """Start everything with ``with Cluster(...) as cluster:``; ``cluster.citizen(i)`` is a
    browser behind the load balancer, ``cluster.sql()`` reads the servers' database."""

    def __init__(self, server_url, folder, *, servers=2, workers=2, threads=4, task_workers=2):
        self.server_url, self.folder = server_url, Path(folder)
        self.servers, self.workers, self.threads, self.task_workers = servers, workers, threads, task_workers
        self.stack = ExitStack()

    def __enter__(self):
        try:
            self._start()
        except BaseException:
            self.stack.close()
            raise
        return self

    def __exit__(self, *exc):
        self.stack.close()

    def _start(self):
        from example_site.settings import dev  # the development providers' client identifiers

        self.email_dir = self.folder / "mails"
        self.email_dir.mkdir(parents=True, exist_ok=True)
        redis_url = self.stack.enter_context(redis_server(self.folder))
        self.database_url = self.stack.enter_context(fresh_database(self.server_url))
        providers = f"http://127.0.0.1:{free_port()}"
        fc, particulier = dev.WAGTAIL_QF["FRANCECONNECT"], dev.WAGTAIL_QF["API_PARTICULIER"]
        base = {k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "QF_BASE_URL")}
        self.env = {
            **base,
            "PYTHONPATH": str(ROOT),
            "DJANGO_SETTINGS_MODULE": "tests.production.server_settings",
            "DJANGO_SECRET_KEY": "two-servers-" + "s" * 40,
            "DJANGO_ALLOWED_HOSTS": urlsplit(PUBLIC).hostname,
            "DATABASE_URL": self.database_url,
            "REDIS_URL": redis_url,
            "QF_BASE_URL": PUBLIC,
            "QF_VAR_DIR": str(self.folder),
            "QF_EMAIL_DIR": str(self.email_dir),
            "FC_DISCOVERY_URL": f"{providers}/dev/franceconnect/api/v2/.well-known/openid-configuration",
            "FC_CLIENT_ID": fc["CLIENT_ID"],
            "FC_CLIENT_SECRET": fc["CLIENT_SECRET"],
            "API_PARTICULIER_URL": f"{providers}/dev/api-particulier",
            "API_PARTICULIER_TOKEN": particulier["TOKEN"],
        }
        self.manage("migrate", "--noinput", "-v0")
        self.python(SEED)
        self.manage(
            "createsuperuser", "--noinput", "--username", AGENT, "--email", "agent@qf.test",
            extra_env={"DJANGO_SUPERUSER_PASSWORD": AGENT_PASSWORD},
        )  # fmt: skip
        self._serve(
            "providers",
            providers,
            workers=2,
            env={  # no database: the providers keep nothing but single-use codes (in their cache)
                **{k: v for k, v in self.env.items() if k != "DATABASE_URL"},
                "DJANGO_SETTINGS_MODULE": "example_site.settings.providers",
                "QF_BASE_URL": providers,
            },
        )
        self.addresses = []
        for index in range(self.servers):
            address = f"http://127.0.0.1:{free_port()}"
            self._serve(f"server-{index}", address, workers=self.workers, env=self.env)
            self.addresses.append(address)
        for index in range(self.servers):  # the first requests import the code: slow on a busy machine
            with self.citizen(0, server=index) as http:
                for path in (PAGE, PAGE + "connexion/"):
                    if http.get(path, timeout=300).status_code >= 400:
                        raise RuntimeError(f"server {index} answers {path} with an error")
        for index in range(self.task_workers):
            command = [*self.command("db_worker"), "--interval", "0.2", "--no-startup-delay"]
            self.stack.enter_context(
                running(command, log=self.folder / f"tasks-{index}.log", cwd=ROOT, env=self.env)
            )

    def _serve(self, name, address, *, workers, env):
        port = urlsplit(address).port
        gunicorn = Path(sys.executable).with_name("gunicorn")
        command = [
            str(gunicorn), "example_site.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
            "--threads", str(self.threads), "--worker-class", "gthread", "--preload",
            "--log-level", "warning", "--graceful-timeout", "3",
            # Idle connections kept 75 s, as nginx in front of a service: with gunicorn's 2 s, the
            # servers' pooled connections to the providers could be closed as a request is sent.
            "--keep-alive", "75",
        ]  # fmt: skip
        self.stack.enter_context(
            running(command, log=self.folder / f"{name}.log", port=port, cwd=ROOT, env=env)
        )

    def python(self, code) -> str:
        """Run ``code`` with the servers' settings; its output."""
        return self._run([sys.executable, "-c", code], None)

    @staticmethod
    def command(name: str) -> list[str]:
        """``manage.py name``, without the system checks: the production ones want https
        providers, and these are on loopback."""
        return [sys.executable, "manage.py", name, "--skip-checks"]

    def manage(self, name, *args, extra_env=None) -> str:
        return self._run([*self.command(name), *args], extra_env)

    def _run(self, command, extra_env) -> str:
        result = subprocess.run(
            command,
            cwd=ROOT,
            env={**self.env, **(extra_env or {})},
            capture_output=True,
            text=True,
            timeout=600,
        )
        if result.returncode:
            raise RuntimeError(f"{command[1:3]} failed:\n{result.stderr[-3000:]}")
        return result.stdout

    def sql(self, query, *params) -> list[tuple]:
        import psycopg

        with psycopg.connect(self.database_url) as connection:
            return connection.execute(query, params).fetchall()

    def citizen(self, index: int, server: int | None = None) -> httpx.Client:
        """A browser of its own (cookie jar), from address 10.x.y.z, behind the load balancer;
        sent to ``server`` only when given."""
        address = f"10.{index >> 16 & 255}.{index >> 8 & 255}.{index & 255}"
        servers = self.addresses if server is None else [self.addresses[server]]
        return httpx.Client(base_url=PUBLIC, transport=Balancer(servers, address), timeout=60)

    def sent_emails(self) -> list[str]:
        return [path.read_text() for path in sorted(self.email_dir.iterdir())]

    def wait_for_tasks(self, seconds: float = 120) -> None:
        """Until the task workers have taken every task enqueued."""
        deadline = time.monotonic() + seconds
        query = "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status IN ('READY', 'RUNNING')"
        while self.sql(query)[0][0]:
            if time.monotonic() > deadline:
                raise TimeoutError("tasks still waiting")
            time.sleep(0.2)


class Balancer(httpx.BaseTransport):
    """The load balancer in front of the servers: each request to the next server in turn."""

    def __init__(self, servers: list[str], address: str):
        self.servers = [urlsplit(server) for server in servers]
        self.address = address
        self.turn = itertools.count()
        self.served: list[int] = []  # the index of the server of each request
        # One connection per request, as nginx to its upstreams by default: a kept-alive
        # connection closed by gunicorn (2 s idle) while a request is sent would be reset.
        self.inner = httpx.HTTPTransport(limits=httpx.Limits(max_keepalive_connections=0))

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if f"{request.url.scheme}://{request.url.host}" != PUBLIC:
            return self.inner.handle_request(request)  # the providers, reached directly
        index = next(self.turn) % len(self.servers)
        self.served.append(index)
        server = self.servers[index]
        headers = httpx.Headers(request.headers)  # Host stays qf.test, as behind a proxy
        headers["X-Forwarded-For"] = self.address
        headers["X-Forwarded-Proto"] = "https"
        upstream = httpx.Request(
            request.method,
            request.url.copy_with(scheme="http", host=server.hostname, port=server.port),
            headers=headers,
            stream=request.stream,
            extensions=request.extensions,
        )
        return self.inner.handle_request(upstream)

    def close(self):
        self.inner.close()


def field(html: str, name: str) -> str:
    match = re.search(rf'name="{re.escape(name)}" value="([^"]*)"', html)
    return match.group(1) if match else ""


def post(http: httpx.Client, url: str, data: dict) -> httpx.Response:
    """A form posted as a browser does: with the Origin of the page (Django's CSRF check)."""
    target = http.base_url.join(url)
    return http.post(url, data=data, headers={"Origin": f"{target.scheme}://{target.netloc.decode()}"})


class Steps:
    """Durations (ms) of each step of the journeys, from all threads."""

    def __init__(self):
        self.durations: dict[str, list[float]] = {}
        self.lock = threading.Lock()

    @contextmanager
    def timed(self, name: str):
        start = time.perf_counter()
        yield
        elapsed = (time.perf_counter() - start) * 1000
        with self.lock:
            self.durations.setdefault(name, []).append(elapsed)


def journey(http: httpx.Client, identity: str, steps: Steps) -> str:
    """One citizen, from the QF page to the confirmation; the dossier's reference."""
    with steps.timed("page"):
        assert http.get(PAGE).status_code == 200
    with steps.timed("connexion"):
        login = http.get(PAGE + "connexion/")
        assert login.status_code == 302, login.status_code
        authorize = login.headers["location"]
    with steps.timed("FranceConnect"):
        chooser = http.get(authorize)
        params = {k: v[0] for k, v in parse_qs(urlsplit(authorize).query).items()}
        token = field(chooser.text, "csrfmiddlewaretoken")
        back = post(http, authorize, {**params, "identity": identity, "csrfmiddlewaretoken": token})
    with steps.timed("retour FranceConnect + API Particulier"):
        callback = http.get(back.headers["location"])
        assert callback.headers.get("location", "").endswith("/consentement/"), callback.status_code
    with steps.timed("consentement"):
        assert http.get(PAGE + "consentement/").status_code == 200
    with steps.timed("quotient"):
        quotient = http.get(PAGE + "quotient/").text
    with steps.timed("transmission"):
        done = post(
            http,
            PAGE + "quotient/",
            {
                "csrfmiddlewaretoken": field(quotient, "csrfmiddlewaretoken"),
                "form_token": field(quotient, "form_token"),
                "confirm": "on",
                "children": re.findall(r'name="children" value="([^"]+)"', quotient)[:2],
            },
        )
        assert done.status_code == 302, done.status_code
    with steps.timed("confirmation"):
        confirmation = http.get(done.headers["location"]).text
    return re.search(r'class="qf-reference">([^<]+)<', confirmation).group(1)


def in_parallel(cluster: Cluster, count: int, concurrency: int, visit) -> tuple[list, list[str], float]:
    """``count`` visits by ``concurrency`` citizens at once, each visit ``visit(http, index)`` with
    a browser of its own: (what the visits returned, their errors, seconds)."""
    results, errors = [], []
    lock = threading.Lock()
    counter = iter(range(count))

    def citizen():
        while True:
            with lock:
                index = next(counter, None)
            if index is None:
                return
            try:
                with cluster.citizen(index) as http:
                    result = visit(http, index)
            except Exception as exc:  # noqa: BLE001 -- counted and reported
                with lock:
                    errors.append(f"{type(exc).__name__}: {exc}"[:200])
                continue
            with lock:
                results.append(result)

    started = time.perf_counter()
    threads = [threading.Thread(target=citizen) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors, time.perf_counter() - started


def load(cluster: Cluster, count: int, concurrency: int, steps: Steps):
    """``count`` journeys by ``concurrency`` citizens at once: (references, errors, seconds)."""
    return in_parallel(
        cluster,
        count,
        concurrency,
        lambda http, index: journey(http, IDENTITIES[index % len(IDENTITIES)], steps),
    )


def dossier_count(cluster: Cluster) -> int:
    return cluster.sql("SELECT count(*) FROM wagtail_qf_submission")[0][0]


def lost_and_duplicated(cluster: Cluster, references: list[str], before: int) -> tuple[int, int]:
    """Journeys completed without their dossier, and dossiers beyond one per completed journey
    (``before``: the dossiers there were before the journeys)."""
    found = cluster.sql("SELECT count(*) FROM wagtail_qf_submission WHERE reference = ANY(%s)", references)
    lost = len(set(references)) - found[0][0]
    return lost, dossier_count(cluster) - before - (len(references) - lost)
