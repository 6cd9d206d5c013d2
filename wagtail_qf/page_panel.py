"""The page editor's panels: the page's dossier count, its QR code, inlines (no model import: used by the page)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from modelcluster.forms import BaseChildFormSet
from wagtail.admin.panels import InlinePanel, Panel
from wagtail.permissions import policy_registry


class SubmissionsCountPanel(Panel):
    """Read-only panel in the page editor: how many dossiers this page received."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "wagtail_qf/admin/page_submissions_panel.html"

        def get_context_data(self, parent_context=None) -> dict:
            context = super().get_context_data(parent_context)
            page = self.instance
            # Only for whoever sees the page's dossiers (a workflow's reviewers open the editor too).
            model = page.qf_submissions.model
            policy = policy_registry.get_by_type(model)
            counted = bool(page.pk) and policy.user_has_permission_for_instance(
                self.request.user, "view", model(page_id=page.pk)
            )
            context["visible"] = counted or not page.pk  # a new page: none yet
            context["count"] = page.qf_submissions.count() if counted else 0
            context["new"] = page.qf_submissions.filter(status="new").count() if counted else 0
            context["url"] = f"{reverse('wagtail_qf_submissions:index')}?page={page.pk}"
            return context

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("heading", _("Dossiers reçus"))
        super().__init__(*args, **kwargs)


class SharePanel(Panel):
    """Read-only panel in the page editor: the page's QR code, its downloads and the A4 poster."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "wagtail_qf/admin/page_share_panel.html"

        def get_context_data(self, parent_context=None) -> dict:
            from . import qr  # segno: loaded when an editor opens a page, not with the models

            context = super().get_context_data(parent_context)
            page = self.instance
            url = qr.page_url(page, self.request) if page.pk else ""
            context.update(url=url, live=page.live)
            if url:
                context.update(
                    qr_svg=qr.qr_inline_svg(url),
                    svg_url=reverse("wagtail_qf_share:qr_svg", args=[page.pk]),
                    png_url=reverse("wagtail_qf_share:qr_png", args=[page.pk]),
                    poster_url=reverse("wagtail_qf_share:poster", args=[page.pk]),
                )
            return context

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("heading", _("Code QR et affiche"))
        super().__init__(*args, **kwargs)


class SiblingsFormSet(BaseChildFormSet):
    """An inline's rows checked together, by their model's ``siblings_errors(rows)`` (a list of
    ``(row, field, message)``): overlapping tariff brackets, a commune served twice. Each error is
    shown next to the row's field; deleted rows and rows already in error are left out."""

    def clean(self) -> None:
        super().clean()
        siblings_errors = getattr(self.model, "siblings_errors", None)
        if siblings_errors is None:
            return
        forms = [f for f in self.forms if f.is_valid() and not self._should_delete_form(f)]
        by_row = {id(form.instance): form for form in forms}
        for row, field, message in siblings_errors([form.instance for form in forms]):
            by_row[id(row)].add_error(field, message)


class QFInlinePanel(InlinePanel):
    """An InlinePanel whose add button reads as French: « Ajouter une tranche », and whose rows
    are checked together (``SiblingsFormSet``).

    Wagtail's button says « Ajouter un(e) <label> »; ``add_label`` is the whole sentence."""

    def __init__(self, *args, add_label, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_label = add_label

    def clone_kwargs(self) -> dict:
        return {**super().clone_kwargs(), "add_label": self.add_label}

    def get_form_options(self) -> dict:
        options = super().get_form_options()
        options["formsets"][self.relation_name]["formset"] = SiblingsFormSet
        return options

    class BoundPanel(InlinePanel.BoundPanel):
        template_name = "wagtail_qf/panels/inline_panel.html"
