"""Recount the dossiers per page and status (after an import or raw SQL writes)."""

from django.core.management.base import BaseCommand

from wagtail_qf import counters
from wagtail_qf.admin import status_counts


class Command(BaseCommand):
    help = "Recompte les dossiers par page et par statut (onglets de la boîte de réception)."

    def handle(self, *args, **options):
        counters.rebuild()
        status_counts.bump()
        self.stdout.write(self.style.SUCCESS("Compteurs recalculés."))
