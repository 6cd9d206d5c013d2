"""Admin of the software editors' tokens ("Éditeurs de logiciels", under Settings).

Reserved to superusers, or to users given the model permissions of EditorToken.
The clear token (and the webhook secret) is shown once, in the creation message;
A POST to ``<pk>/nouveau-jeton/`` replaces a lost or leaked token.
"""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin.auth import permission_denied
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from ..models import EditorToken

FORM_FIELDS = ["name", "pages", "is_active", "webhook_url", "redirect_uris"]


def _secret_message(token: EditorToken, clear: str):
    return format_html(
        "{} <code>{}</code><br>{} <code>{}</code>",
        _("Copiez ce jeton maintenant, il ne sera plus affiché :"),
        clear,
        _("Secret de signature du webhook :"),
        token.webhook_secret,
    )


class EditorTokenCreateView(generic.CreateView):
    def save_instance(self):
        self.clear_token = self.form.instance.set_new_token()
        return super().save_instance()

    def get_success_message(self, instance):
        return format_html(
            "{} {}",
            _("Éditeur « %(name)s » créé.") % {"name": instance.name},
            _secret_message(instance, self.clear_token),
        )


def regenerate_token(viewset):
    @require_POST
    def view(request, pk):
        if not viewset.permission_policy.user_has_permission(request.user, "change"):
            return permission_denied(request)
        token = get_object_or_404(EditorToken, pk=pk)
        clear = token.set_new_token()
        token.save(update_fields=["token_hash", "token_prefix"])
        messages.success(
            request,
            format_html("{} {}", _("Nouveau jeton pour « %(name)s ».") % {"name": token.name},
                        _secret_message(token, clear)),  # fmt: skip
        )
        return redirect(viewset.get_url_name("edit"), pk)

    return view


class EditorTokenViewSet(ModelViewSet):
    model = EditorToken
    name = "wagtail_qf_editors"
    url_prefix = "qf-editeurs"
    icon = "key"
    menu_label = gettext_lazy("Éditeurs de logiciels")
    add_to_settings_menu = True
    add_view_class = EditorTokenCreateView
    copy_view_enabled = False
    inspect_view_enabled = False
    form_fields = FORM_FIELDS
    list_display = [
        "name",
        Column("token_prefix", label=gettext_lazy("Début du jeton")),
        StatusTagColumn("is_active", label=gettext_lazy("Actif"), primary=lambda o: o.is_active),
        DateColumn("last_used_at", label=gettext_lazy("Dernière utilisation")),
        DateColumn("created_at", label=gettext_lazy("Créé le")),
    ]

    def get_form_class(self, for_update=False):
        form_class = super().get_form_class(for_update)
        form_class.base_fields["pages"].widget = forms.CheckboxSelectMultiple()
        form_class.base_fields["pages"].widget.choices = form_class.base_fields["pages"].choices
        return form_class

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("<int:pk>/nouveau-jeton/", regenerate_token(self), name="regenerate"),
        ]


editor_token_viewset = EditorTokenViewSet()
