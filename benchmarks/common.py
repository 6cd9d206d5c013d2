"""Shared helpers of the benchmarks: Django set-up, timing, site fixtures, report."""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")


def setup_django(fresh=True, migrate=True):
    import django
    from django.conf import settings

    django.setup()
    from django.core.management import call_command

    if fresh and settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        Path(settings.DATABASES["default"]["NAME"]).unlink(missing_ok=True)
    if migrate:
        call_command("migrate", verbosity=0, interactive=False)


def database_label():
    from django.db import connection

    return "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"


def timed(fn, repeat):
    """Durations (ms) of ``repeat`` calls of fn, after 5 warm-up calls."""
    for _ in range(5):
        fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def interleaved(fn_a, fn_b, repeat):
    """Durations (ms) of fn_a and fn_b called in turn: both see the same machine noise."""
    for _ in range(5):
        fn_a(), fn_b()
    a, b = [], []
    for _ in range(repeat):
        for fn, samples in ((fn_a, a), (fn_b, b)):
            start = time.perf_counter()
            fn()
            samples.append((time.perf_counter() - start) * 1000)
    return a, b


def summary(samples):
    samples = sorted(samples)
    return {
        "median": statistics.median(samples),
        "p95": samples[int(len(samples) * 0.95) - 1],
        "n": len(samples),
    }


def site():
    """A home page, a QF page and a form page of comparable size, under the default site."""
    from wagtail.models import Page, Site

    from example_site.home.models import HomePage
    from wagtail_qf.models import QFTransmissionPage

    home = HomePage.objects.filter(slug="bench").first()
    if home is None:
        root = Page.get_first_root_node()
        home = root.add_child(instance=HomePage(title="Commune", slug="bench", body="<p>Bienvenue</p>"))
        Site.objects.update_or_create(
            is_default_site=True, defaults={"root_page": home, "hostname": "localhost"}
        )
        home.save_revision().publish()
    qf = QFTransmissionPage.objects.filter(slug="qf").first()
    if qf is None:
        qf = home.add_child(
            instance=QFTransmissionPage(
                title="Quotient familial",
                slug="qf",
                commune_name="Cesson-Sévigné",
                commune_cog="35051",
                commune_postcode="35510",
                siret="21350051800013",
            )
        )
        qf.save_revision().publish()
    form = form_page(home, "formulaire")
    plain = HomePage.objects.filter(slug="actualites").first()
    if plain is None:  # a plain content page at the same depth as the QF page
        plain = home.add_child(
            instance=HomePage(
                title="Actualités", slug="actualites", body="<p>Les actualités de la commune.</p>"
            )
        )
        plain.save_revision().publish()
    return plain, qf, form


FORM_FIELDS = [
    "Nom",
    "Prénoms",
    "Date de naissance",
    "Sexe",
    "Commune de naissance",
    "Pays de naissance",
    "Quotient familial",
    "Organisme",
    "Enfant 1",
    "Enfant 2",
]


def form_page(home, slug):
    """A ``wagtail.contrib.forms`` page of ten fields (the yardstick of the submission POST)."""
    from example_site.home.models import FormField, FormPage

    form = FormPage.objects.filter(slug=slug).first()
    if form is None:
        form = home.add_child(instance=FormPage(title="Formulaire", slug=slug))
        for index, label in enumerate(FORM_FIELDS):
            FormField.objects.create(
                page=form, sort_order=index, label=label, field_type="singleline", required=False
            )
        form.save_revision().publish()
    return form


def table(title, headers, rows):
    print(f"\n### {title}\n")
    print("| " + " | ".join(headers) + " |")
    print("|" + "---|" * len(headers))
    for row in rows:
        print("| " + " | ".join(str(cell) for cell in row) + " |")
