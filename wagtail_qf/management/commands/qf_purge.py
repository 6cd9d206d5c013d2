from django.core.management.base import BaseCommand

from wagtail_qf.dossiers.retention import expired, purge


class Command(BaseCommand):
    help = "Anonymise les dossiers dont la durée de conservation est dépassée."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Compter sans modifier.")

    def handle(self, *args, dry_run=False, **options) -> None:
        if dry_run:
            self.stdout.write(f"{expired().count()} dossier(s) à anonymiser.")
            return
        self.stdout.write(self.style.SUCCESS(f"{purge()} dossier(s) anonymisé(s)."))
