"""Retry the due HubEE deposits, read HubEE's notifications, close the processed cases
(schedule it, e.g. every 15 min); ``--retry-refused`` once HubEE registered what it was missing,
``--retry-failed`` once HubEE is back after an outage longer than the retries (or the failure fixed)."""

from django.core.management.base import BaseCommand, CommandError

from wagtail_qf.hubee import forwarding


class Command(BaseCommand):
    help = "Relance les dépôts HubEE en attente, lit les notifications de HubEE et clôt les dossiers traités."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--retry-refused",
            action="store_true",
            help="Redéposer les dossiers que HubEE a refusés faute d'enregistrement (abonnement, types de pièces).",
        )
        parser.add_argument(
            "--retry-failed",
            action="store_true",
            help="Redéposer les dossiers en échec (HubEE indisponible plus longtemps que les essais, identifiants corrigés).",
        )

    def handle(self, *args, **options) -> None:
        if not forwarding.configured():
            raise CommandError("HubEE n'est pas configuré (WAGTAIL_QF['HUBEE']).")
        if options["retry_refused"]:
            self.stdout.write(f"Dossiers à redéposer : {forwarding.retry_refused()}.")
        if options["retry_failed"]:
            self.stdout.write(f"Dossiers en échec à redéposer : {forwarding.retry_failed()}.")
        outcome = forwarding.sync()
        self.stdout.write(
            f"Dépôts relancés : {outcome['retried']} (réussis : {outcome['deposited']}) ; "
            f"notifications lues : {outcome['notifications']} (événements appliqués : {outcome['events']}) ; "
            f"statuts relus : {outcome['statuses_changed']} ; dossiers clos sur HubEE : {outcome['closed']}."
        )
        if outcome["notifications_error"]:  # a non-zero exit: the scheduler shows HubEE's outage
            raise CommandError(
                f"HubEE n'a pas donné ses notifications (erreur « {outcome['notifications_error']} ») : "
                "nouvel essai au prochain passage."
            )
