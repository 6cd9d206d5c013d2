"""Signals of wagtail-qf, for the site's own code and the app's optional features.

``submission_created(sender=Submission, submission=…, page=…)`` is sent once a new
dossier is committed (never for a repeated POST of the same form). Receivers run
in the request: start background work from them (django-tasks), do not block.

``submission_status_changed(sender=Submission, submission=…, old=…, new=…, user=…)`` is
sent once a change of a dossier's status is committed (an agent, a bulk action or
HubEE's case status, the commune's software; ``user`` is None for HubEE and the software).
Same advice as above.

``dossier_event(sender=Submission, submission=…, event=…, details=…)`` is sent once another
event of a dossier is committed (``dossiers.history.announce``): ``event`` is its name for the
editors' webhooks (``"dossier.message_sent"``, ``"dossier.complement_received"``…), ``details``
its own fields (a dict, no personal data).
"""

from django.dispatch import Signal

submission_created = Signal()
submission_status_changed = Signal()
dossier_event = Signal()
