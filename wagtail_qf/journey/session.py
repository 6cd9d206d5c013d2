"""The citizen's state, kept in the Django session only (no ``User``).

Layout of ``request.session["wagtail_qf"]``::

    {"identity": {...}, "id_token": "...", "logged_in_at": 1699999100.0, "expires_at": 1700000000.0,
     "pages": {"<page id>": {"result": {...}, "error": {...},
                             "form_token": "...", "reference": "QF-..."}}}

The identity, the fetched data and the reference of the dossier just
transmitted (the key to its PDF summary) expire ``SESSION_TTL_SECONDS`` after
the login, later if the citizen extends it (``journey.timeout``); the id_token is kept until logout because FranceConnect needs it as
``id_token_hint``.
"""

import copy
import secrets
import time

from ..conf import qf_settings
from ..dossiers.creation import shown_only
from ..franceconnect.identity import CitizenIdentity
from ..particulier.types import QFResult

KEY = "wagtail_qf"
PORTAL_KEY = "wagtail_qf_portal"
FOLLOW_UP_KEY = "wagtail_qf_follow_up"
ACCESS_TOKEN_SECONDS = 50


class CitizenSession:
    """The citizen's state; seen from ``page`` when one is given.

    A page never accepts a path it does not offer: seen from a page without the
    identity form, a login made through another page's form is no login, and
    the FranceConnect access token serves only the page it was obtained for
    (the scopes of its login are that page's).
    """

    def __init__(self, request, page=None):
        self.request = request
        self.session = request.session
        self.page = page
        self.data = self.session.get(KEY) or {}
        if self.data.get("expires_at", 0) < time.time() and self.journey_under_way:
            self._forget_personal_data()

    # -- persistence -----------------------------------------------------------
    def _save(self):
        self.session[KEY] = self.data
        self.session.modified = True

    def snapshot(self) -> dict:
        return copy.deepcopy(self.data)

    def restore(self, snapshot: dict) -> None:
        """Back to ``snapshot`` (a transmission failed: the citizen keeps their data)."""
        self.data = snapshot
        self._save()

    def save_now(self) -> None:
        """Write the session at once (in the caller's transaction), not at the response.

        Used at transmission: the dossier and the session that forgets the citizen's
        data are written together (one commit). The middleware then has nothing
        left to save, unless the session is new and its cookie must be set.
        """
        if self.session.session_key is None:
            return
        self.session.save()
        self.session.modified = False

    @property
    def journey_under_way(self) -> bool:
        """A login, or a transmission, whose time has not run out (personal data in the session)."""
        return "identity" in self.data or any(self.data.get("pages", {}).values())

    def _forget_personal_data(self):
        self.data.pop("identity", None)
        self.data.pop("access_token", None)
        # Results, errors, form tokens, references: only the pages' ids are kept.
        self.data["pages"] = {page_id: {} for page_id in self.data.get("pages", {})}
        self._save()

    # -- login / logout --------------------------------------------------------
    def login(self, identity: CitizenIdentity, id_token: str) -> None:
        # A new session key at login: a session fixed by someone else before
        # the login cannot be used to read the citizen's data.
        self.session.cycle_key()
        communes = self.data.get("communes")
        now = time.time()
        self.data = {
            "identity": identity.to_session(),
            "id_token": id_token,
            "logged_in_at": now,
            "expires_at": now + qf_settings.SESSION_TTL_SECONDS,
            "pages": {},
        }
        if communes:  # chosen before the login: kept through the FranceConnect round trip
            self.data["communes"] = communes
        self._save()

    def logout(self) -> str:
        """Forget everything; return the id_token (for the provider's logout)."""
        id_token = self.data.get("id_token", "")
        self.data = {}
        self.session.pop(KEY, None)
        self.session.pop(PORTAL_KEY, None)
        self.session.pop(FOLLOW_UP_KEY, None)
        self.session.cycle_key()
        return id_token

    # -- the FranceConnect access token, for a retry within its short life --
    def keep_access_token(self, token: str) -> None:
        """Keep the token of a login made for ``self.page``, for that page only."""
        # FranceConnect's access tokens live about 60 s; keep it a little less.
        self.data["access_token"] = {
            "value": token,
            "until": time.time() + ACCESS_TOKEN_SECONDS,
            "page": str(self.page.pk),
        }
        self._save()

    @property
    def access_token(self) -> str:
        token = self.data.get("access_token") or {}
        if self.page is not None and token.get("page") != str(self.page.pk):
            return ""
        return token.get("value", "") if token.get("until", 0) > time.time() else ""

    def forget_access_token(self) -> None:
        self.data.pop("access_token", None)
        self._save()

    @property
    def identity(self) -> CitizenIdentity | None:
        data = self.data.get("identity")
        identity = CitizenIdentity.from_session(data) if data else None
        if identity is None or not self._offered(identity):
            return None
        return identity

    def _offered(self, identity: CitizenIdentity) -> bool:
        """Whether the page seen from offers the path ``identity`` logged in through."""
        return self.page is None or not identity.from_identity_form or self.page.allow_identity_form

    @property
    def id_token(self) -> str:
        return self.data.get("id_token", "")

    @property
    def expired(self) -> bool:
        """True when a login's time ran out (its data forgotten), until a new login or a logout."""
        return "identity" not in self.data and 0 < self.data.get("expires_at", 0) < time.time()

    @property
    def expires_at(self) -> float:
        return self.data.get("expires_at", 0)

    @property
    def logged_in_at(self) -> float:
        """When the citizen logged in (a session of an older version: its first expiry tells)."""
        return self.data.get("logged_in_at") or self.expires_at - qf_settings.SESSION_TTL_SECONDS

    def extend_to(self, expires_at: float) -> None:
        """Move the end of the citizen's data (``journey.timeout`` decides how far)."""
        self.data["logged_in_at"] = self.logged_in_at  # read from the first limit, before it moves
        self.data["expires_at"] = expires_at
        self._save()

    def page_ids(self) -> list[str]:
        """The QF pages this citizen has a state or a commune choice on (to find the way back)."""
        return [*self.data.get("pages", {}), *(self.data.get("communes") or {})]

    # -- per-page state --------------------------------------------------------
    def _page(self, page) -> dict:
        return self.data.setdefault("pages", {}).setdefault(str(page.pk), {})

    def set_result(self, page, result: QFResult, bracket: str = "") -> None:
        """API Particulier's answer, only what the page collects now: the family is shown it, and
        its dossier can hold nothing more, whatever the page collects by the transmission."""
        state = self._page(page)
        state.pop("error", None)
        state["result"] = shown_only(result, page.collected_data()).to_session()
        # Shown on every view of the quotient step: worked out once here. The
        # dossier gets the bracket of the page as it is at transmission.
        state["bracket"] = bracket
        state["form_token"] = secrets.token_urlsafe(32)
        self._save()

    def set_error(self, page, error: dict) -> None:
        state = self._page(page)
        state.pop("result", None)
        state["error"] = error
        self._save()

    def set_sources(self, page, sources: dict) -> None:
        """What each data source gave (``journey.sources``), kept beside the result or the error."""
        self._page(page)["sources"] = sources
        self._save()

    def sources(self, page) -> dict:
        return self._page(page).get("sources") or {}

    def result(self, page) -> QFResult | None:
        data = self._page(page).get("result")
        return QFResult.from_session(data) if data else None

    def bracket(self, page) -> str | None:
        """The tariff bracket worked out with the result (None for a session of an older version)."""
        return self._page(page).get("bracket")

    def error(self, page) -> dict | None:
        return self._page(page).get("error")

    def form_token(self, page) -> str:
        return self._page(page).get("form_token", "")

    def submitted(self, page, reference: str) -> None:
        """After transmission: keep only the reference; drop identity and data."""
        self.data.pop("identity", None)
        self.data.pop("access_token", None)
        self.data["pages"] = {str(page.pk): {"reference": reference}}
        self._save()

    def reference(self, page) -> str:
        return self._page(page).get("reference", "")

    # -- the address the family is written to (issue 18) ----------------------
    def set_follow_up_email(self, page, email: str) -> None:
        """The address the citizen chose on the consent step (empty: none)."""
        self._page(page)["email"] = email
        self._save()

    def follow_up_email(self, page) -> str:
        """The address chosen on the consent step, else the one FranceConnect certified."""
        state = self._page(page)
        if "email" in state:
            return state["email"]
        identity = self.identity
        return identity.email if identity is not None else ""

    # -- the editor's portal the citizen came from (deep link, see journey.deeplink) --
    # Under its own session key: a login or a transmission starts the per-page
    # state afresh, the way back to the portal must survive both.
    def set_portal(self, page, external_id: str, redirect_uri: str) -> None:
        if self.has_portal(page, external_id, redirect_uri):
            return  # the same link again: no session written (nor created)
        portals = self.session.get(PORTAL_KEY) or {}
        portals[str(page.pk)] = {"external_id": external_id, "redirect_uri": redirect_uri}
        self.session[PORTAL_KEY] = portals
        self.session.modified = True

    def has_portal(self, page, external_id: str, redirect_uri: str) -> bool:
        return self.portal(page) == {"external_id": external_id, "redirect_uri": redirect_uri}

    def portal(self, page) -> dict | None:
        """``{"external_id", "redirect_uri"}`` for this page, or None."""
        return (self.session.get(PORTAL_KEY) or {}).get(str(page.pk))

    def external_id(self, page) -> str:
        return (self.portal(page) or {}).get("external_id", "")

    # -- the commune of residence chosen on an intercommunal page ---------------
    # Kept apart from the per-page state, which a login starts afresh.
    def set_commune(self, page, cog: str) -> None:
        self.data.setdefault("communes", {})[str(page.pk)] = cog
        self._save()

    def commune_cog(self, page) -> str:
        return (self.data.get("communes") or {}).get(str(page.pk), "")

    def forget_commune(self, page) -> None:
        if (self.data.get("communes") or {}).pop(str(page.pk), None) is not None:
            self._save()


class FollowUpAccess:
    """Who the follow-up page of ``page`` (« Suivre ma demande ») shows dossiers to, under its own
    session key, one entry per page: the keyed hash of a FranceConnect ``sub``
    (``models.follow_up_key``), or the dossiers an e-mailed link opened. It lasts
    ``SESSION_TTL_SECONDS`` from the login, as the journey's data does."""

    def __init__(self, request, page):
        self.session = request.session
        self.page_id = str(page.pk)

    def grant(self, *, key: str = "", submissions=(), id_token: str = "") -> None:
        # A new session key at login, as for the journey: a fixed session reads nothing.
        self.session.cycle_key()
        pages = dict(self.session.get(FOLLOW_UP_KEY) or {})
        pages[self.page_id] = {
            "key": key,
            "submissions": list(submissions),
            "id_token": id_token,
            "expires_at": time.time() + qf_settings.SESSION_TTL_SECONDS,
        }
        self.session[FOLLOW_UP_KEY] = pages
        self.session.modified = True

    @property
    def state(self) -> dict | None:
        """``{"key", "submissions", "id_token", "expires_at"}`` while it lasts, else None."""
        state = (self.session.get(FOLLOW_UP_KEY) or {}).get(self.page_id)
        if state is not None and state.get("expires_at", 0) < time.time():
            self.end()  # its time ran out: nothing of it stays in the session
            return None
        return state

    def end(self) -> str:
        """Forget this page's access; return the id_token of its FranceConnect login ("" if none)."""
        pages = dict(self.session.get(FOLLOW_UP_KEY) or {})
        state = pages.pop(self.page_id, None) or {}
        self.session[FOLLOW_UP_KEY] = pages
        self.session.modified = True
        return state.get("id_token", "")
