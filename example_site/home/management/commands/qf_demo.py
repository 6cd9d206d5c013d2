"""Create the demo content: a commune's home page, a published QF page, an admin user.

Idempotent: running it again updates the same pages.
"""

import os

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from wagtail.models import Page, Site

from example_site.home.models import HomePage
from wagtail_qf.dgfip.client import is_configured as dgfip_configured
from wagtail_qf.models import QFTransmissionPage, ServedCommune, TariffBracket

INTRO = (
    "<p>La commune de Cesson-Sévigné calcule le tarif de la cantine, de la garderie et du "
    "centre de loisirs à partir de votre quotient familial. Transmettez-le en ligne : "
    "il est obtenu directement auprès de la CAF ou de la MSA, sans justificatif à envoyer.</p>"
)
WITHOUT_FC = (
    "<p>Déposez votre attestation de quotient familial à l'accueil de la mairie, "
    "1 esplanade de l'Hôtel de Ville, du lundi au vendredi de 8 h 30 à 17 h 30, "
    "ou envoyez-la par courrier.</p>"
)


PAGE_COMMUNE = {
    "commune_name": "Cesson-Sévigné",
    "commune_cog": "35051",
    "commune_postcode": "35510",
    "siret": "21350051800013",
}
# Pass Famille: a page priced on the tax data (brackets on the income per part), with the
# QF as an optional source; and a crèche page on the EAJE data.
TAX_PAGE = {
    "slug": "tarifs-avis-impot",
    "title": "Tarifs du conservatoire : transmettre mes données fiscales",
    "source_qf": True,
    "require_qf": False,
    "source_dgfip": True,
    "require_dgfip": True,
    "dgfip_family_situation": True,
    "dgfip_dependants": True,
    "collect_children": False,
    "bracket_basis": "rfr_per_part",
}
TAX_BRACKETS = [("Tarif 1", 0, 8000), ("Tarif 2", 8001, 15000), ("Tarif 3", 15001, None)]
CRECHE_PAGE = {
    "slug": "creche-participation",
    "title": "Crèche municipale : transmettre ma participation familiale",
    "source_qf": False,
    "require_qf": False,
    "source_eaje": True,
    "require_eaje": True,
}


class Command(BaseCommand):
    help = "Crée le site de démonstration (page d'accueil, page QF publiée, administrateur)."

    def handle(self, *args, **options):
        home = self._home()
        page = self._qf_page(home)
        metropole = self._intercommunal_page(home)
        # The tax-data page needs the DGFiP gateway: the development one in the demo's settings.
        tax = self._source_page(home, TAX_PAGE, TAX_BRACKETS) if dgfip_configured() else None
        creche = self._source_page(home, CRECHE_PAGE)
        self._admin()
        base = os.environ.get("QF_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
        self.stdout.write(self.style.SUCCESS(f"Page QF : {base}{page.url}"))
        self.stdout.write(f"Page QF intercommunale : {base}{metropole.url}")
        if tax is not None:
            self.stdout.write(f"Page données fiscales (Pass Famille) : {base}{tax.url}")
        self.stdout.write(f"Page crèche (EAJE) : {base}{creche.url}")
        self.stdout.write(f"Administration : {base}/admin/ (admin / admin)")

    def _home(self):
        home = HomePage.objects.first()
        if home is None:
            root = Page.get_first_root_node()
            default = Site.objects.filter(is_default_site=True).first()
            home = root.add_child(
                instance=HomePage(
                    title="Commune de Cesson-Sévigné",
                    slug="accueil",
                    body="<p>Bienvenue sur le site de démonstration de wagtail-qf.</p>",
                )
            )
            if default:
                old_root = default.root_page
                default.root_page = home
                default.site_name = "Commune de Cesson-Sévigné"
                default.save()
                if old_root.specific_class is Page and old_root.depth == 2:
                    old_root.delete()
            else:
                Site.objects.create(
                    hostname="localhost",
                    root_page=home,
                    is_default_site=True,
                    site_name="Commune de Cesson-Sévigné",
                )
        return home

    def _qf_page(self, home):
        page = QFTransmissionPage.objects.filter(slug="quotient-familial").first()
        fields = {
            "title": "Transmettre mon quotient familial",
            "commune_name": "Cesson-Sévigné",
            "commune_cog": "35051",
            "commune_postcode": "35510",
            "siret": "21350051800013",
            "notification_email": "famille@mairie.example",
            "allow_identity_form": True,  # the development API Particulier accepts the demo token
            "texts": [
                ("step_text", {"step": "start", "text": INTRO}),
                ("step_text", {"step": "without_franceconnect", "text": WITHOUT_FC}),
            ],
        }
        if page is None:
            page = home.add_child(instance=QFTransmissionPage(slug="quotient-familial", **fields))
        else:
            for name, value in fields.items():
                setattr(page, name, value)
        page.save_revision().publish()
        return page

    def _intercommunal_page(self, home):
        """A page serving several communes: the citizen picks theirs first."""
        page = QFTransmissionPage.objects.filter(slug="quotient-familial-intercommunal").first()
        if page is None:
            page = home.add_child(
                instance=QFTransmissionPage(
                    slug="quotient-familial-intercommunal",
                    title="Quotient familial – Pays de l'Est rennais",
                    commune_name="Pays de l'Est rennais",
                    commune_cog="35051",
                    commune_postcode="35510",
                    siret="21350051800013",
                    texts=[("step_text", {"step": "start", "text": INTRO})],
                )
            )
            for order, cog in enumerate(["35051", "35024", "35001", "35334"]):
                commune = ServedCommune(page=page, sort_order=order, cog=cog)
                commune.clean()  # name and postcode from the reference data
                page.served_communes.add(commune)
        page.save_revision().publish()
        return page

    def _source_page(self, home, fields, brackets=()):
        """A Pass Famille page: its own data sources (and tariff brackets), created once."""
        page = QFTransmissionPage.objects.filter(slug=fields["slug"]).first()
        if page is None:
            page = home.add_child(instance=QFTransmissionPage(**PAGE_COMMUNE, **fields))
            for order, (label, low, high) in enumerate(brackets):
                bracket = TariffBracket(sort_order=order, label=label, qf_min=low, qf_max=high)
                page.tariff_brackets.add(bracket)
        page.save_revision().publish()
        return page

    def _admin(self):
        User = get_user_model()
        if not User.objects.filter(username="admin").exists():
            User.objects.create_superuser(
                "admin", "admin@mairie.example", os.environ.get("QF_DEMO_ADMIN_PASSWORD", "admin")
            )
