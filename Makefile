# wagtail-qf: the two commands of the README.
#   make demo   install, migrate, create the demo content and serve http://127.0.0.1:8000/
#   make test   install and run the whole test suite on SQLite and PostgreSQL (what CI runs)

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export QF_BASE_URL ?= http://127.0.0.1:$(PORT)

.PHONY: demo test install messages bench matrix mutation openapi clean sites-conformes

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

demo: install
	mkdir -p var
	DJANGO_SETTINGS_MODULE=example_site.settings.dev $(PY) manage.py migrate --noinput
	DJANGO_SETTINGS_MODULE=example_site.settings.dev $(PY) manage.py qf_demo
	DJANGO_SETTINGS_MODULE=example_site.settings.dev $(PY) manage.py runserver 127.0.0.1:$(PORT)

# Browser tests use Debian's Chromium (never a downloaded browser).
CHROMIUM ?= /usr/bin/chromium
$(CHROMIUM):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

# The shared cache of the production settings is tested against Debian's Redis server.
REDIS_SERVER ?= /usr/bin/redis-server
$(REDIS_SERVER):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server

# The whole suite on SQLite (embedded default), then on PostgreSQL (production path),
# then inside a real sites-conformes site (scripts/sites-conformes), then the wheel installed
# without extras in a fresh virtualenv boots a minimal site.
test: install $(CHROMIUM) $(REDIS_SERVER)
	$(VENV)/bin/ruff check wagtail_qf example_site tests benchmarks
	$(VENV)/bin/ruff format --check wagtail_qf example_site tests benchmarks
	$(VENV)/bin/lint-imports
	$(PY) -m pytest $(PYTEST_ARGS)
	scripts/with-postgres $(PY) -m pytest -p no:cacheprovider $(PYTEST_ARGS)
	PYTHON=$(PYTHON) scripts/sites-conformes
	DJANGO_SETTINGS_MODULE=tests.settings $(PY) manage.py makemigrations --check --dry-run
	PYTHON=$(PYTHON) scripts/install-check

# Benchmarks (numbers in the README): SQLite, then PostgreSQL with 1,000,000 dossiers.
bench: install $(REDIS_SERVER)
	$(PY) benchmarks/bench_search.py
	$(PY) benchmarks/bench_pages.py
	DJANGO_SETTINGS_MODULE=benchmarks.settings_cached_sessions $(PY) benchmarks/bench_pages.py
	$(PY) benchmarks/bench_inbox.py --dossiers 100000
	$(PY) benchmarks/bench_export.py --dossiers 100000
	scripts/with-postgres $(PY) benchmarks/bench_pages.py
	scripts/with-postgres $(PY) benchmarks/bench_inbox.py --dossiers 1000000
	scripts/with-postgres $(PY) benchmarks/bench_export.py --dossiers 1000000
	scripts/with-postgres $(PY) benchmarks/bench_journeys.py

# wagtail-qf inside a real sites-conformes site, on PostgreSQL, in its own virtualenv
# (var/venv-sites-conformes, reused while pyproject.toml is unchanged); part of `make test`.
sites-conformes: $(CHROMIUM)
	PYTHON=$(PYTHON) scripts/sites-conformes $(PYTEST_ARGS)

# Supported versions: the suite with the lowest allowed version of every dependency
# (constraints/lowest.txt), then with the newest (README « Supported versions »). Not in `make test`.
matrix:
	PYTHON=$(PYTHON) scripts/matrix

# Mutation testing of the security and data-protection core, in copies of the tree under
# /tmp (never in this one): score and survivors per module, see docs/mutation.md. Under a
# throw-away PostgreSQL: the export's COPY path is mutated too. Not in `make test` (too long).
mutation: install
	scripts/with-postgres $(PY) scripts/mutation $(MUTATION_ARGS)

# After changing the editors' API: rewrite its OpenAPI document (tests/api/test_openapi.py checks it).
openapi: install
	mkdir -p docs/api
	DJANGO_SETTINGS_MODULE=tests.settings $(PY) manage.py shell -v 0 -c \
		"from wagtail_qf.api.views import openapi_document; print(openapi_document(), end='')" > docs/api/openapi.json

# After changing a user-facing text: refresh and compile the English catalogue.
messages: install
	cd wagtail_qf && ../$(PY) -m django makemessages -l en --no-wrap && ../$(PY) -m django compilemessages

clean:
	rm -rf $(VENV) var
