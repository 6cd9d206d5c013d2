from django.apps import AppConfig


class WagtailQFModelAdminConfig(AppConfig):
    name = "wagtail_qf.contrib.modeladmin"
    label = "wagtail_qf_modeladmin"
    verbose_name = "wagtail-qf (modeladmin)"
