from django.core.management.base import BaseCommand

from wagtail_qf.journey.lookup import run_due
from wagtail_qf.models.submissions import Lookup


class Command(BaseCommand):
    help = (
        "Vérifie auprès d'API Particulier les dossiers sans FranceConnect en attente ou à réessayer "
        "(à planifier, par exemple toutes les 15 minutes)."
    )

    def handle(self, *args, **options) -> None:
        counts = run_due()
        labels = dict(Lookup.choices)
        checked = sum(counts.values())
        self.stdout.write(self.style.SUCCESS(f"{checked} dossier(s) vérifié(s)."))
        for state, count in sorted(counts.items()):
            self.stdout.write(f"  {labels.get(state, state)} : {count}")
