"""Signals of wagtail-qf, for the site's own code and the app's optional features.

``submission_created(sender=Submission, submission=…, page=…)`` is sent once a new
dossier is committed (never for a repeated POST of the same form). Receivers run
in the request: start background work from them (django-tasks), do not block.
"""

from django.dispatch import Signal

submission_created = Signal()
