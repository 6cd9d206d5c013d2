"""Create the demo content: a commune's home page, its QF pages, the demo logins (an
administrator and three agents with their rights) and a dossier in each status.

Idempotent: running it again updates the same pages and creates nothing twice.
"""

import datetime
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from wagtail.models import GroupPagePermission, Page, Site

from example_site.devproviders.families import BY_KEY, address
from example_site.devproviders.guard import public_site_reason
from example_site.home.models import HomePage
from wagtail_qf.dgfip.client import is_configured as dgfip_configured
from wagtail_qf.dossiers.history import change_status
from wagtail_qf.models import QFTransmissionPage, ServedCommune, Submission, SubmissionStatus, TariffBracket

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


S = SubmissionStatus
# One demo dossier per status on the commune's page: (test identity, the statuses it went through,
# the message the family was sent with the last one). Families of the development providers.
DOSSIERS = [
    ("test", [], ""),
    ("sans_nom_dusage", [S.RECEIVED], ""),
    ("avec_nom_dusage", [S.RECEIVED, S.IN_PROGRESS], ""),
    (
        "test_FABIEN",
        [S.RECEIVED, S.IN_PROGRESS, S.AWAITING],
        "Merci de nous indiquer à l'accueil de la mairie l'école de chacun de vos enfants.",
    ),
    (
        "test_ELSA",
        [S.RECEIVED, S.REFUSED],
        "Votre enfant n'est pas inscrit dans une école de la commune : le tarif ne peut pas s'appliquer.",
    ),
    ("test_CINDY", [S.RECEIVED, S.IN_PROGRESS, S.DONE], ""),
    ("inconnu", [S.RECEIVED, S.DONE, S.CLOSED], ""),
]
# Demo logins (password = login): an agent of the commune, a read-only one, one of the
# intercommunal page. Seeing a page's dossiers follows the right to edit the page (README « Who
# sees what »); changing a status and exporting are model permissions.
AGENTS = [
    ("agent", "Agents de Cesson-Sévigné", ["change_submission", "export_submission"], "commune"),
    ("lecteur", "Lecture seule – Cesson-Sévigné", [], "commune"),
    (
        "agent-intercommunal",
        "Agents du Pays de l'Est rennais",
        ["change_submission", "export_submission"],
        "intercommunal",
    ),
]


class Command(BaseCommand):
    help = "Crée le site de démonstration (page d'accueil, page QF publiée, administrateur)."

    def handle(self, *args, **options):
        # Its logins (admin / admin, agent / agent…) must never land in a production database.
        reason = public_site_reason()
        if reason:
            raise CommandError(f"qf_demo refuses to run on what may be a production site: {reason}.")
        home = self._home()
        page = self._qf_page(home)
        metropole = self._intercommunal_page(home)
        # The tax-data page needs the DGFiP gateway: the development one in the demo's settings.
        tax = self._source_page(home, TAX_PAGE, TAX_BRACKETS) if dgfip_configured() else None
        creche = self._source_page(home, CRECHE_PAGE)
        admin = self._admin()
        commune_pages = [p for p in (page, tax, creche) if p is not None]
        self._agents({"commune": commune_pages, "intercommunal": [metropole]})
        self._dossiers(page, metropole, admin)
        base = os.environ.get("QF_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
        self.stdout.write(self.style.SUCCESS(f"Page QF : {base}{page.url}"))
        self.stdout.write(f"Page QF intercommunale : {base}{metropole.url}")
        if tax is not None:
            self.stdout.write(f"Page données fiscales (Pass Famille) : {base}{tax.url}")
        self.stdout.write(f"Page crèche (EAJE) : {base}{creche.url}")
        self.stdout.write(f"Administration : {base}/admin/")
        self.stdout.write("  admin / admin : administrateur (tous les dossiers, tous les réglages)")
        self.stdout.write("  agent / agent : agent de Cesson-Sévigné (voit, traite et exporte ses dossiers)")
        self.stdout.write("  lecteur / lecteur : agent de Cesson-Sévigné en lecture seule")
        self.stdout.write(
            "  agent-intercommunal / agent-intercommunal : agent du Pays de l'Est rennais (ses dossiers seuls)"
        )
        self.stdout.write(
            f"Dossiers de démonstration : un par statut (page {page.title}), dans l'administration, "
            "menu « Quotients familiaux »"
        )

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
        admin = User.objects.filter(username="admin").first()
        if admin is None:
            admin = User.objects.create_superuser(
                "admin", "admin@mairie.example", os.environ.get("QF_DEMO_ADMIN_PASSWORD", "admin")
            )
        return admin

    def _agents(self, pages):
        User = get_user_model()
        change_page = Permission.objects.get(content_type__app_label="wagtailcore", codename="change_page")
        for username, group_name, perms, scope in AGENTS:
            group, _created = Group.objects.get_or_create(name=group_name)
            group.permissions.add(
                Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
                *Permission.objects.filter(content_type__app_label="wagtail_qf", codename__in=perms),
            )
            for page in pages[scope]:
                GroupPagePermission.objects.get_or_create(group=group, page=page, permission=change_page)
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User.objects.create_user(
                    username, f"{username}@mairie.example", username, first_name=username.capitalize()
                )
            user.groups.add(group)

    def _dossiers(self, page, metropole, admin):
        """One dossier per status (created once: their token names them), and a new one on the
        intercommunal page."""
        for key, statuses, message in DOSSIERS:
            submission = self._dossier(page, key, f"qf-demo-{key}")
            for status in statuses if submission.status == S.NEW else []:
                change_status(submission, status, admin, message if status == statuses[-1] else "")
        self._dossier(metropole, "sans_nom_dusage", "qf-demo-intercommunal", cog="35024", commune="Betton")

    def _dossier(self, page, key, token, cog="", commune=""):
        existing = Submission.objects.filter(submission_token=token).first()
        if existing is not None:
            return existing
        identity = BY_KEY[key]
        claims = identity.claims
        today = timezone.localdate()
        first = identity.allocataires[0] if identity.allocataires else None
        return Submission.objects.create(
            page=page,
            submission_token=token,
            source="franceconnect" if first else "identity",
            family_name=claims["family_name"],
            given_names=claims["given_name"],
            usage_name=claims.get("preferred_username", ""),
            birthdate=datetime.date.fromisoformat(claims["birthdate"]),
            gender=claims["gender"],
            birthplace=claims["birthplace"],
            birthcountry=claims["birthcountry"],
            qf_value=identity.qf if first else None,
            qf_year=today.year if first else None,
            qf_month=today.month if first else None,
            qf_provider=identity.provider if first else "",
            commune_cog=cog,
            commune_name=commune,
            allocataires=identity.allocataires,
            children=identity.enfants[:2],
            address=address(identity) if first else None,
            # Typed without FranceConnect and checked: no CAF nor MSA file.
            lookup="" if first else "not_found",
        )
