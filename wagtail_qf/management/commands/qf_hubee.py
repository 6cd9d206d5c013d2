"""Retry the due HubEE deposits and read the case statuses back (schedule it, e.g. every 15 min)."""

from django.core.management.base import BaseCommand, CommandError

from wagtail_qf.hubee import forwarding


class Command(BaseCommand):
    help = "Relance les dépôts HubEE en attente et relit les statuts des dossiers déposés."

    def handle(self, *args, **options):
        if not forwarding.configured():
            raise CommandError("HubEE n'est pas configuré (WAGTAIL_QF['HUBEE']).")
        outcome = forwarding.sync()
        self.stdout.write(
            f"Dépôts relancés : {outcome['retried']} (réussis : {outcome['deposited']}) ; "
            f"statuts mis à jour : {outcome['statuses_changed']}."
        )
