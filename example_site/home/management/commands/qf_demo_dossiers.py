"""Load a realistic volume of demo dossiers, so the inbox can be tried as an agent would.

Deterministic (seeded), written with bulk_create (the database's triggers count them).
Adds QF pages for two more communes under the default site's home page when there are none.
Part of the example site, not of the app: a real site has real dossiers.
"""

import datetime
import random

from django.core.management.base import BaseCommand
from django.utils import timezone
from wagtail.models import Site

from wagtail_qf.models import QFTransmissionPage, Submission, SubmissionStatus
from wagtail_qf.models.references import new_reference

FAMILY = [
    "MARTIN",
    "BERNARD",
    "THOMAS",
    "PETIT",
    "ROBERT",
    "RICHARD",
    "DURAND",
    "DUBOIS",
    "MOREAU",
    "LAURENT",
    "SIMON",
    "MICHEL",
    "LEFEBVRE",
    "LEROY",
    "ROUX",
    "DAVID",
    "BERTRAND",
    "MOREL",
    "FOURNIER",
    "GIRARD",
    "BONNET",
    "DUPONT",
    "LAMBERT",
    "FONTAINE",
    "ROUSSEAU",
    "VINCENT",
    "MULLER",
    "LEFEVRE",
    "FAURE",
    "ANDRE",
    "MERCIER",
    "BLANC",
    "GUERIN",
    "BOYER",
    "GARNIER",
    "CHEVALIER",
    "FRANCOIS",
    "LEGRAND",
    "GAUTHIER",
    "GARCIA",
    "LE GALL",
    "KERGOAT",
    "N'DIAYE",
    "NGUYEN",
    "DA SILVA",
]
FIRST = [
    "Camille",
    "Léa",
    "Manon",
    "Chloé",
    "Emma",
    "Inès",
    "Sarah",
    "Julie",
    "Nathalie",
    "Sophie",
    "Thomas",
    "Lucas",
    "Hugo",
    "Nicolas",
    "Julien",
    "Maxime",
    "Paul",
    "Louis",
    "Yann",
    "Gwenaël",
    "Karim",
    "Mamadou",
    "Anh",
    "Élodie",
    "Aurélien",
]
CHILDREN = [
    "JADE",
    "LOUISE",
    "AMBRE",
    "ALBA",
    "EMMA",
    "ROSE",
    "GABRIEL",
    "RAPHAEL",
    "LEO",
    "LOUIS",
    "MAEL",
    "NOAH",
    "ARTHUR",
    "JULES",
    "ADAM",
    "LINA",
    "TIMEO",
    "NINA",
]
COMMUNES = [
    ("Cesson-Sévigné", "35051", "35510", "21350051800013"),
    ("Rennes", "35238", "35000", "21350238100014"),
    ("Thorigné-Fouillard", "35334", "35235", "21350334800012"),
]
STATUS_WEIGHTS = {
    SubmissionStatus.NEW: 25,
    SubmissionStatus.RECEIVED: 5,
    SubmissionStatus.IN_PROGRESS: 15,
    SubmissionStatus.AWAITING: 5,
    SubmissionStatus.REFUSED: 3,
    SubmissionStatus.DONE: 40,
    SubmissionStatus.CLOSED: 7,
}


class Command(BaseCommand):
    help = "Charge des dossiers de démonstration (plusieurs communes, statuts variés)."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=5000)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, count, seed, **options):
        rng = random.Random(seed)  # noqa: S311 -- demo data, reproducible on purpose
        pages = self._pages()
        statuses, weights = zip(*STATUS_WEIGHTS.items(), strict=True)
        now = timezone.now()
        batch = []
        for index in range(count):
            family = rng.choice(FAMILY)
            born = datetime.date(rng.randint(1965, 2000), rng.randint(1, 12), rng.randint(1, 28))
            children = [
                {
                    "nom_naissance": family,
                    "nom_usage": None,
                    "prenoms": rng.choice(CHILDREN),
                    "date_naissance": f"{rng.randint(2008, 2023)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                    "sexe": rng.choice("FM"),
                }
                for _ in range(rng.choice([1, 1, 2, 2, 3, 4]))
            ]
            submitted = now - datetime.timedelta(minutes=rng.randint(0, 60 * 24 * 365))
            batch.append(
                Submission(
                    reference=new_reference(),
                    page=rng.choice(pages),
                    status=rng.choices(statuses, weights)[0],
                    submission_token=f"demo-{seed}-{index}",
                    submitted_at=submitted,
                    family_name=family,
                    given_names=rng.choice(FIRST),
                    birthdate=born,
                    gender=rng.choice(["female", "male"]),
                    birthplace="35238",
                    birthcountry="99100",
                    qf_value=rng.randint(150, 2600),
                    qf_year=submitted.year,
                    qf_month=submitted.month,
                    qf_provider=rng.choices(["CNAF", "MSA"], [9, 1])[0],
                    allocataires=[
                        {
                            "nom_naissance": family,
                            "nom_usage": None,
                            "prenoms": "DEMO",
                            "date_naissance": born.isoformat(),
                            "sexe": "F",
                        }
                    ],
                    children=children,
                )
            )
        Submission.objects.bulk_create(batch, batch_size=1000)
        self.stdout.write(self.style.SUCCESS(f"{count} dossiers créés sur {len(pages)} pages."))

    def _pages(self):
        pages = list(QFTransmissionPage.objects.live())
        if len(pages) >= len(COMMUNES):
            return pages
        home = Site.objects.get(is_default_site=True).root_page
        known = {page.commune_cog for page in pages}
        for name, cog, postcode, siret in COMMUNES:
            if cog in known:
                continue
            page = home.add_child(
                instance=QFTransmissionPage(
                    title=f"Quotient familial – {name}",
                    slug=f"quotient-familial-{cog}",
                    commune_name=name,
                    commune_cog=cog,
                    commune_postcode=postcode,
                    siret=siret,
                )
            )
            page.save_revision().publish()
            pages.append(page)
        return pages
