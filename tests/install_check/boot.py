"""Boot the minimal site on the INSTALLED wagtail-qf (scripts/install-check runs it in a fresh
virtualenv, from an empty folder): ``check``, ``migrate``, then one journey in-process.

Exits non-zero (an assertion or an import error) when the installed app cannot serve.
"""

import os
import re
import sys
from importlib.metadata import version
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minimal_site.settings")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from wagtail.models import Site  # noqa: E402

import wagtail_qf  # noqa: E402
from wagtail_qf.models import QFTransmissionPage, Submission  # noqa: E402

assert "site-packages" in wagtail_qf.__file__, f"not the installed wheel: {wagtail_qf.__file__}"
# The version is written once (wagtail_qf.__version__), and the wheel says it is typed.
assert version("wagtail-qf") == wagtail_qf.__version__, (version("wagtail-qf"), wagtail_qf.__version__)
assert (Path(wagtail_qf.__file__).parent / "py.typed").is_file(), "py.typed missing from the wheel"
call_command("check", fail_level="ERROR")
call_command("migrate", interactive=False, verbosity=0)

home = Site.objects.get(is_default_site=True).root_page
page = home.add_child(
    instance=QFTransmissionPage(
        title="Quotient familial",
        slug="quotient-familial",
        commune_name="Cesson-Sévigné",
        commune_cog="35051",
        commune_postcode="35510",
        siret="21350051800013",
        allow_identity_form=True,
    )
)
page.save_revision().publish()

client = Client()
start = client.get(page.url)
assert start.status_code == 200, start.status_code
assert "FranceConnect" in start.content.decode(), "the start page offers no FranceConnect login"

# The journey without FranceConnect, to its confirmation: the shipped countries list, the form,
# the dossier, the background check (the immediate backend) and the e-mails, all from the wheel.
identity_url = page.url + "sans-franceconnect/"
form = client.get(identity_url)
assert form.status_code == 200 and 'value="99109"' in form.content.decode(), "no country list in the form"
token = re.search(r'name="form_token" value="([^"]+)"', form.content.decode()).group(1)
fields = {"nom_naissance": "DUBOIS", "prenoms": "Angela", "sexe": "F", "jour": "1", "mois": "2"}
fields |= {
    "annee": "1980",
    "lieu": "etranger",
    "pays": "99109",
    "email": "angela@example.org",
    "confirm": "on",
}
sent = client.post(identity_url, {**fields, "form_token": token, "action": "send"})
assert sent.status_code == 302, (sent.status_code, sent.content.decode()[:2000])
confirmation = client.get(sent["Location"])
assert confirmation.status_code == 200 and "QF-" in confirmation.content.decode(), confirmation.status_code
assert Submission.objects.filter(page=page).count() == 1

# A citizen's form refused by the CSRF check: the README's CSRF_FAILURE_VIEW, in French.
refused = Client(enforce_csrf_checks=True).post(identity_url, fields)
assert refused.status_code == 403 and "rien n'a été envoyé" in refused.content.decode(), refused.status_code

admin = get_user_model().objects.create_superuser("admin", "admin@mairie.test", "x")
client.force_login(admin)
inbox = client.get(reverse("wagtail_qf_submissions:index"))
assert inbox.status_code == 200, inbox.status_code
export = client.get(reverse("wagtail_qf_submissions:index") + "?export=csv")  # SQLite's CSV writer
assert export.status_code == 200 and b"".join(export.streaming_content).startswith("\ufeff".encode())

print(f"install-check: wagtail-qf {wagtail_qf.__file__} boots on SQLite without extras", file=sys.stderr)
