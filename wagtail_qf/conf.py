"""The app's settings: one ``WAGTAIL_QF`` dict merged over documented defaults.

Read them through ``qf_settings`` (``qf_settings.API_PARTICULIER["TOKEN"]``...).
The merged values are cached and rebuilt when Django's ``setting_changed`` fires,
so ``override_settings(WAGTAIL_QF=...)`` works in tests.
"""

from copy import deepcopy

from django.conf import settings

DEFAULTS = {
    "FRANCECONNECT": {
        # Discovery document of the provider: switching sandbox <-> production
        # is a change of this one URL.
        "DISCOVERY_URL": ("https://fcp-low.sbx.dev-franceconnect.fr/api/v2/.well-known/openid-configuration"),
        "CLIENT_ID": "",
        "CLIENT_SECRET": "",
        # Signature algorithm of id_token and userinfo: "ES256" or "RS256".
        "SIGN_ALGO": "ES256",
        "ACR_VALUES": "eidas1",
        # FranceConnect returns userinfo as a signed JWT; plain JSON is refused
        # unless this is True.
        "ALLOW_JSON_USERINFO": False,
        # PKCE S256 on the authorization request.
        "USE_PKCE": True,
        # Seconds the discovery document and the JWKS are cached.
        "METADATA_CACHE_SECONDS": 3600,
        # Seconds allowed between the login redirect and the callback.
        "STATE_MAX_AGE": 600,
        "TIMEOUT": 10.0,
        # Clock skew tolerated on exp / iat, in seconds.
        "LEEWAY": 30,
    },
    "API_PARTICULIER": {
        "BASE_URL": "https://staging.particulier.api.gouv.fr",
        # API Particulier token, used only by the "identité" mode (no FranceConnect).
        "TOKEN": "",
        "CONNECT_TIMEOUT": 3.0,
        "READ_TIMEOUT": 10.0,
        # Retries for errors where a retry can help (409, 429, 502, 504, timeouts).
        "MAX_RETRIES": 2,
        "BACKOFF_SECONDS": 0.5,
        # Seconds for the whole call, retries and waits included (the citizen waits on
        # the FranceConnect callback meanwhile); None: each try's timeouts only.
        "TOTAL_TIMEOUT": 10.0,
    },
    # DGFiP "API Impôt particulier", FranceConnect mode (tax data). Off while BASE_URL is empty.
    # The gateway's hostnames come from the DGFiP's API portal after DataPass approval.
    "DGFIP": {
        "BASE_URL": "",  # e.g. https://<gateway>/impotparticulier/1.0
        "TOKEN_URL": "",  # e.g. https://<gateway>/token (client credentials, scope RessourceIR)
        "CLIENT_ID": "",  # the gateway's consumer key and secret
        "CLIENT_SECRET": "",
        "ID_TELESERVICE": "",  # sent as ID_Teleservice, given by the DGFiP for the use case
        # "MM-DD": from this day on, last year's income is taken as taxed (the DGFiP issues the
        # avis from late July; the exact day is not documented). Before it, the year before.
        "TAXATION_DATE": "08-01",
        # FranceConnect year scopes granted in DataPass, requested with the data scopes.
        "YEAR_SCOPES": ["dgfip_annee_n_moins_1", "dgfip_annee_n_moins_2"],
        # The gateway token is renewed this many seconds before it expires (at most half its life).
        "TOKEN_MARGIN_SECONDS": 60,
        "CONNECT_TIMEOUT": 3.0,
        "READ_TIMEOUT": 10.0,
        # Retries of 429, 5xx, timeouts; the whole call (year fallback included) within TOTAL_TIMEOUT.
        "MAX_RETRIES": 2,
        "BACKOFF_SECONDS": 0.5,
        "TOTAL_TIMEOUT": 10.0,
    },
    # How long (seconds) a citizen's FranceConnect identity stays in the session.
    "SESSION_TTL_SECONDS": 15 * 60,
    # Hard cap (seconds from the login) of the extensions the citizen asks for, SESSION_TTL_SECONDS
    # at a time (RGAA 13.1: keep room for at least 10 of them, i.e. at least 11 × SESSION_TTL_SECONDS).
    "SESSION_MAX_SECONDS": 3 * 60 * 60,
    # Default retention of dossiers, in days; each page may set its own.
    "DEFAULT_RETENTION_DAYS": 365,
    # API Particulier ``identite`` calls a day per page (path without FranceConnect) when the
    # page sets none; over it, dossiers wait for the next day's budget.
    "DEFAULT_IDENTITY_DAILY_BUDGET": 200,
    # (requests, seconds) per client address for the login and transmission steps.
    # "communes" is the search of the commune of birth (path without FranceConnect);
    # "deeplink": start pages opened with an editor's deep link (each may create a session).
    # "counter": API Particulier searches of an agent at the counter (per agent, not per address).
    "RATE_LIMITS": {
        "login": (20, 60),
        "transmit": (10, 60),
        "communes": (120, 60),
        "api": (300, 60),
        "deeplink": (20, 60),  # "api": per editor token
        "counter": (60, 3600),
        # Path without FranceConnect: requests per client address, per identity
        # (keyed hash of the typed identity) and per page.
        "identity": (10, 600),
        "identity_person": (3, 86400),
        "identity_page": (300, 3600),
        # Follow-up page: links asked by e-mail, per client address and per address typed (keyed hash).
        "follow_up": (5, 600),
        "follow_up_email": (3, 86400),
    },
    # Addresses or networks (CIDR) of the site's own reverse proxies. Behind them, the
    # client is the right-most X-Forwarded-For address that is not one of them; empty:
    # REMOTE_ADDR (no proxy, or X-Forwarded-For ignored: anyone could write it).
    "TRUSTED_PROXIES": [],
    # Citizen pages' design: "dsfr" (the State's design system, through django-dsfr),
    # "standalone" (wagtail-qf's own accessible styles), or "auto": DSFR when the
    # "dsfr" app is installed. Either layout can be overridden by the site's templates.
    "DESIGN": "auto",
    # The template the citizen pages extend (it must offer the blocks qf_title, qf_head and
    # qf_content: README, "Host layout"); None: sites-conformes' adapter when that app is
    # installed (DSFR design), else the DESIGN's own layout.
    "BASE_TEMPLATE": None,
    # Sentry DSN, for the site's settings to give to wagtail_qf.observability.init_sentry (which
    # also reads the SENTRY_DSN environment variable); empty: no error reports.
    "SENTRY_DSN": "",
    # Optional forwarding of each dossier to HubEE (pages opt in one by one).
    "HUBEE": {
        "BASE_URL": "",  # e.g. https://api.hubee.numerique.gouv.fr/teledossiers/v1
        "TOKEN_URL": "",  # OAuth2 token endpoint (client credentials, scope OSL)
        "CLIENT_ID": "",
        "CLIENT_SECRET": "",
        "PROCESS_CODE": "",  # the démarche's code, registered with HubEE
        # Attachment types declared for the process at HubEE (e.g. "DOSSIER_QF_JSON", "DOSSIER_QF_PDF").
        "JSON_TYPE": "",
        "PDF_TYPE": "",
        # The payload: "wagtail-qf" (the dossier's JSON, as the editors' API gives it, and the PDF) or
        # "formulaire-qf" (the national QF form's FormulaireQF.json, FormulaireQF.xml and PDF, so that a
        # commune's software reading its folders reads these unchanged; then XML_TYPE is needed too).
        "FORMAT": "wagtail-qf",
        "XML_TYPE": "",  # the XML's attachment type declared at HubEE (format "formulaire-qf")
        "TIMEOUT": 10,
        "UPLOAD_TIMEOUT": 300,  # seconds to upload an attachment (HubEE's gateway allows 300)
        # Notifications read per call; and, as a fallback only, one status read per open dossier.
        "NOTIFICATIONS_BATCH": 25,
        "POLL_STATUSES": False,
        # A failed deposit is tried again after about RETRY_DELAY_SECONDS × 2^(attempt − 1)
        # (less up to half of it, at random; at least HubEE's Retry-After), MAX_ATTEMPTS times in all.
        "MAX_ATTEMPTS": 6,
        "RETRY_DELAY_SECONDS": 300,
    },
    # A new dossier becomes « Reçu » when an agent first opens it ("opened") and/or when the
    # commune's software fetches it through the editors' API ("fetched"); empty: never on its own.
    "RECEIVED_WHEN": ["opened", "fetched"],
    # E-mails to the family (messages of the agents, status notices: ``dossiers.messages``).
    "FAMILY_EMAILS": {
        "FROM_EMAIL": "",  # empty: Django's DEFAULT_FROM_EMAIL
        # A failed sending (SMTP server down) is tried again after about
        # RETRY_DELAY_SECONDS × 2^(attempt − 1), at most MAX_DELAY_SECONDS, MAX_ATTEMPTS times in
        # all, with a backend that can defer tasks (database backend); once otherwise.
        "MAX_ATTEMPTS": 5,
        "RETRY_DELAY_SECONDS": 60,
        "MAX_DELAY_SECONDS": 3600,
    },
    # Documents of a dossier: the family's complements and the agents' attachments
    # (``dossiers.documents``). Never under a public URL: served by the app to whoever may see them.
    "DOCUMENTS": {
        # A key of Django's STORAGES (e.g. S3 through django-storages); when STORAGES has no such
        # key, files go to a private directory: DIRECTORY, else <MEDIA_ROOT's parent (or BASE_DIR, or
        # the current directory)>/private/wagtail_qf
        # (never under MEDIA_ROOT or STATIC_ROOT: refused).
        "STORAGE": "wagtail_qf_documents",
        "DIRECTORY": "",
        "MAX_SIZE": 10 * 1024 * 1024,  # bytes, per file
        "MAX_FILES": 5,  # per sending of the family
        "TYPES": ["pdf", "jpeg", "png"],  # among these three, recognised from the content
        # Dotted path of a callable(data: bytes) that raises ``DocumentRefused`` on a virus
        # (e.g. "wagtail_qf.dossiers.documents.clamd_scan"); empty: no scan.
        "SCAN": "",
        # clamd, for ``clamd_scan``: its Unix socket, or HOST and PORT; seconds to wait for it.
        "CLAMD": {"SOCKET": "/var/run/clamav/clamd.ctl", "HOST": "", "PORT": 3310, "TIMEOUT": 30},
        # The status of a dossier « En attente de compléments » once the family answered.
        "STATUS_AFTER_COMPLEMENT": "received",
    },
    # The follow-up page « Suivre ma demande »: seconds an e-mailed link stays valid (used once).
    "FOLLOW_UP": {"LINK_MAX_AGE_SECONDS": 24 * 60 * 60},
    # Seconds the editors' webhooks wait to connect to the editor's server, then for its answer.
    "WEBHOOKS": {"CONNECT_TIMEOUT": 5.0, "READ_TIMEOUT": 10.0},
    # The accessibility statement (``accessibilite/``): who publishes it and how to reach them.
    "ACCESSIBILITY": {
        "ENTITY": "",  # the body that publishes the service (empty: the site's name)
        "CONTACT_EMAIL": "",
        "CONTACT_URL": "",  # a contact form
        "CONTACT_ADDRESS": "",  # postal address, one line
        "STATEMENT_DATE": "",  # "YYYY-MM-DD" the statement was written (empty: the audit's date)
    },
}


def _merge(defaults, overrides):
    merged = deepcopy(defaults)
    for key, value in (overrides or {}).items():
        if isinstance(merged.get(key), dict) and isinstance(value, dict):
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    return merged


class QFSettings:
    """Attribute access to the merged ``WAGTAIL_QF`` settings."""

    def __init__(self):
        self._values = None

    def _load(self):
        if self._values is None:
            self._values = _merge(DEFAULTS, getattr(settings, "WAGTAIL_QF", {}))
        return self._values

    def __getattr__(self, name):
        values = self._load()
        try:
            return values[name]
        except KeyError:
            raise AttributeError(f"Unknown WAGTAIL_QF setting {name!r}") from None

    def reload(self) -> None:
        self._values = None


qf_settings = QFSettings()


def reload_on_setting_changed(*, setting, **kwargs) -> None:
    if setting in ("WAGTAIL_QF", "DEBUG"):
        qf_settings.reload()
