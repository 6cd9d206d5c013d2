"""Optional: the dossiers in ``wagtail-modeladmin`` for sites that still use it.

Add ``"wagtail_modeladmin"`` and ``"wagtail_qf.contrib.modeladmin"`` to
``INSTALLED_APPS``. Same queryset and permission rules as the main inbox.
"""
