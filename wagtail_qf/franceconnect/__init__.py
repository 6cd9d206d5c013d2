"""FranceConnect v2 login for citizens.

Built on mozilla-django-oidc's token verification, with its own settings
namespace (``WAGTAIL_QF["FRANCECONNECT"]``), its own session keys and no Django
``User``: a site can keep the global ``OIDC_*`` settings for its agents.

Public API: ``flow.start_login``, ``flow.finish_login``, ``flow.logout_url``,
``identity.CitizenIdentity``, ``errors.FranceConnectError``.
"""
