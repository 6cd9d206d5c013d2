"""The dossier domain: the one place where a dossier is created (``creation``, with the
double-submit recovery), its status changed, commented, viewed, downloaded and exported
(``history``), represented (``columns``, ``serializers``), counted (``counts``,
``triggers``), shown to whom (``access``) and purged (``retention``); its reference
is the model's own default (``models.references``).

The journey, the admin, the editors' API and HubEE call it; it calls none of them.
"""
