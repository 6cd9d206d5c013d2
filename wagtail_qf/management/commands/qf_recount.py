"""Recount the dossiers per page and status (after an import or raw SQL writes)."""

from django.core.management.base import BaseCommand

from wagtail_qf.dossiers import counts


class Command(BaseCommand):
    help = "Recompte les dossiers par page et par statut (onglets de la boîte de réception)."

    def handle(self, *args, **options) -> None:
        counts.rebuild()
        self.stdout.write(self.style.SUCCESS("Compteurs recalculés."))
