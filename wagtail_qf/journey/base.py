"""What every step of the citizen's journey shares: ``StepView`` and the checks a step needs.

A step is a class-based view served by a route of the QF page: the page builds it with
``as_view(page=page)`` from ``get_step_views()``. The mixins run before the step (in
``precondition``) and may answer instead of it: back to the start when the citizen is not
logged in, the commune of residence to choose first on an intercommunal page.
"""

import logging

from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.functional import SimpleLazyObject, cached_property
from django.views import View

from ..conf import qf_settings
from ..design import layout_template
from ..months import explain
from ..typed import refuse_nul_characters
from . import communes as residence
from .navigation import step_url, stepper_for
from .session import CitizenSession

logger = logging.getLogger("wagtail_qf.journey")


class StepView(View):
    """A step of the journey, seen from its QF page (``self.page``).

    A site may serve a step with a subclass, returned by its page's ``get_step_views()``.
    Methods a step does not define answer 405, as Django's views do."""

    page = None  # given by the page's route: ``as_view(page=page)``
    http_method_names = ["get", "post", "head"]

    @cached_property
    def citizen(self) -> CitizenSession:
        """The citizen's session, seen from the page."""
        return CitizenSession(self.request, self.page)

    def dispatch(self, request, *args, **kwargs) -> HttpResponse:
        if request.method.lower() not in self.http_method_names or not hasattr(self, request.method.lower()):
            return self.http_method_not_allowed(request, *args, **kwargs)
        refuse_nul_characters(request)
        return self.precondition() or super().dispatch(request, *args, **kwargs)

    def precondition(self) -> HttpResponse | None:
        """What the step needs before it runs: None, or the response to give instead (mixins add theirs)."""
        return None

    def url(self, name: str) -> str:
        """The URL of another route of the page (``step_start``, ``step_quotient``…)."""
        return step_url(self.page, name, self.request)

    def redirect(self, name: str) -> HttpResponseRedirect:
        return HttpResponseRedirect(self.url(name))

    def render(self, template: str, step: str, status: int = 200, **context) -> TemplateResponse:
        """``template`` (``template_names``) as step ``step`` of the stepper, with the page's
        texts, the recipient and the month of the quotient."""
        page, citizen = self.page, self.citizen
        month = page.qf_month()
        stepper = stepper_for(template, step, citizen)
        order = list(stepper)
        number = order.index(step) + 1
        ctx = page.get_context(self.request)
        ctx.update(
            qf_layout=layout_template(),
            step=step,
            step_number=number,
            step_count=len(order),
            step_title=stepper[step],
            next_step_title=stepper[order[number]] if number < len(order) else None,
            citizen=citizen,
            recipient=residence.recipient(page, citizen),
            collected=page.collected_data(),
            month=month,
            # Worked out only by the templates that show them (the start, the quotient's error).
            month_reason=SimpleLazyObject(lambda: explain(page.month_rule, month)),
            step_blocks=page.step_blocks(step),
            without_fc_blocks=SimpleLazyObject(lambda: page.step_blocks("without_franceconnect")),
            error_blocks=SimpleLazyObject(lambda: page.step_blocks("error")),
            **context,
        )
        return TemplateResponse(self.request, self.template_names(template), ctx, status=status)

    def template_names(self, template: str) -> list[str]:
        """Where ``template`` is looked up, first found wins: a site's view may put its own first."""
        return [f"wagtail_qf/steps/{template}.html"]

    def too_many(self) -> TemplateResponse:
        """429: the citizen sent too many requests (``ratelimit``)."""
        logger.warning("rate limited page=%s", self.page.pk)
        return self.render("too_many", "start", status=429)


class CommuneRequiredMixin:
    """On a page serving several communes, the step needs the citizen's commune of residence."""

    def precondition(self) -> HttpResponse | None:
        if residence.needs_choice(self.page, self.citizen):
            return residence.required_redirect(self.page, self.request)
        return super().precondition()


class IdentityRequiredMixin:
    """The step needs a citizen logged in through FranceConnect: else back to the start, with
    the page saying their session expired when it did (``show_expired``).

    An identity typed on the form (a session of an older version) is no login: the data
    of API Particulier is shown only after FranceConnect."""

    show_expired = True

    def precondition(self) -> HttpResponse | None:
        identity = self.citizen.identity
        if identity is None or identity.from_identity_form:
            return (self.show_expired and self.expired()) or self.redirect("step_start")
        return super().precondition()

    def expired(self, transmitting: bool | None = None) -> HttpResponse | None:
        """The page saying the session expired (instead of a silent return to the start), or None.

        ``transmitting``: whether to say nothing was sent (default: the request is a POST)."""
        if not self.citizen.expired:
            return None
        logger.info("citizen session expired page=%s method=%s", self.page.pk, self.request.method)
        return self.render(
            "expired",
            "start",
            start_url=self.url("step_start"),
            minutes=qf_settings.SESSION_TTL_SECONDS // 60,
            transmitting=self.request.method == "POST" if transmitting is None else transmitting,
        )
