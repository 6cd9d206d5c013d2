"""Admin of the software editors' tokens ("Éditeurs de logiciels", under Settings).

Reserved to superusers, or to users given the model permissions of EditorToken.
Such a user chooses among the QF pages they may edit, and manages only the tokens
reading nothing else (``tokens_for_user``): the others are not listed, and their
edit, deletion, history and renewal answer 404.
The clear token (and the webhook secret) is shown once, in the creation message;
A POST to ``<pk>/nouveau-jeton/`` replaces a lost or leaked token.
"""

from collections.abc import Callable

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin.auth import permission_denied
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.usage import UsageView
from wagtail.admin.viewsets.model import ModelViewSet

from ..dossiers import history
from ..dossiers.access import tokens_for_user
from ..models import EditorToken
from .forms import EditorTokenForm


def _secret_message(token: EditorToken, clear: str):
    return format_html(
        "{} <code>{}</code><br>{} <code>{}</code>",
        _("Copiez ce jeton maintenant, il ne sera plus affiché :"),
        clear,
        _("Secret de signature du webhook :"),
        token.webhook_secret,
    )


class EditorTokenIndexView(generic.IndexView):
    def get_base_queryset(self) -> QuerySet:
        return tokens_for_user(self.request.user)


class EditorTokenEditView(generic.EditView):
    def get_queryset(self) -> QuerySet:
        return tokens_for_user(self.request.user)


class EditorTokenDeleteView(generic.DeleteView):
    def get_queryset(self) -> QuerySet:
        return tokens_for_user(self.request.user)


class EditorTokenHistoryView(HistoryView):
    def get_base_object_queryset(self) -> QuerySet:
        return tokens_for_user(self.request.user)


class EditorTokenUsageView(UsageView):
    def get_base_object_queryset(self) -> QuerySet:
        return tokens_for_user(self.request.user)


class EditorTokenCreateView(generic.CreateView):
    def save_instance(self) -> EditorToken:
        self.clear_token = self.form.instance.set_new_token()
        return super().save_instance()

    def get_success_message(self, instance) -> SafeString:
        return format_html(
            "{} {}",
            _("Éditeur « %(name)s » créé.") % {"name": instance.name},
            _secret_message(instance, self.clear_token),
        )


def regenerate_token(viewset) -> Callable[..., HttpResponse]:
    @require_POST
    def view(request, pk) -> HttpResponse:
        if not viewset.permission_policy.user_has_permission(request.user, "change"):
            return permission_denied(request)
        token = get_object_or_404(tokens_for_user(request.user), pk=pk)
        clear = history.renew_token(token, request.user)
        messages.success(
            request,
            format_html(
                "{} {}",
                _("Nouveau jeton pour « %(name)s ».") % {"name": token.name},
                _secret_message(token, clear),
            ),
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
    index_view_class = EditorTokenIndexView
    add_view_class = EditorTokenCreateView
    edit_view_class = EditorTokenEditView
    delete_view_class = EditorTokenDeleteView
    history_view_class = EditorTokenHistoryView
    usage_view_class = EditorTokenUsageView
    copy_view_enabled = False
    inspect_view_enabled = False
    list_display = [
        "name",
        Column("token_prefix", label=gettext_lazy("Début du jeton")),
        StatusTagColumn("is_active", label=gettext_lazy("Actif"), primary=lambda o: o.is_active),
        DateColumn("last_used_at", label=gettext_lazy("Dernière utilisation")),
        DateColumn("created_at", label=gettext_lazy("Créé le")),
    ]

    def get_form_class(self, for_update=False) -> type[EditorTokenForm]:
        return EditorTokenForm

    def get_urlpatterns(self) -> list:
        return super().get_urlpatterns() + [
            path("<int:pk>/nouveau-jeton/", regenerate_token(self), name="regenerate"),
        ]


editor_token_viewset = EditorTokenViewSet()
