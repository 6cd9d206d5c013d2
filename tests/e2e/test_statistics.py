"""The statistics page in Chromium: charts beside their tables, no axe violation (issue 19)."""

import datetime

import pytest
from django.utils import timezone

from wagtail_qf.dossiers import statistics

from ..factories import AgentFactory
from .test_webmaster_and_agent import admin_login

pytestmark = pytest.mark.e2e


def test_agent_reads_the_statistics(
    browser_page, live_site, home_page, qf_page, make_submission, axe, screenshot
):
    AgentFactory(username="sandrine", password="motdepasse", pages=[home_page])  # noqa: S106 -- a test password
    now = timezone.now()
    for days, status, provider, bracket in (
        (1, "new", "CNAF", "A"),
        (3, "in_progress", "CNAF", "B"),
        (9, "awaiting", "MSA", "A"),
        (16, "done", "CNAF", "C"),
        (30, "closed", "CNAF", "A"),
    ):
        make_submission(
            qf_page,
            status=status,
            qf_provider=provider,
            tariff_bracket=bracket,
            submitted_at=now - datetime.timedelta(days=days),
        )
    for event, times in ((statistics.START, 9), (statistics.LOGGED_IN, 7), (statistics.DATA_OBTAINED, 6)):
        for _ in range(times):
            statistics.record(qf_page.pk, event)
    for _ in range(5):
        statistics.record(qf_page.pk, statistics.TRANSMITTED, "franceconnect")
    statistics.record(qf_page.pk, statistics.UPSTREAM_FAILURE, "particulier:23003")

    page = browser_page
    admin_login(page, live_site, "sandrine", "motdepasse")
    page.goto(live_site.url + "/admin/qf-statistiques/")
    main = page.inner_text("main")
    assert "Dossiers par tranche tarifaire" in main
    assert page.locator("svg.qf-chart[role=img] title").count() == 7  # every table but the delays
    assert axe(page) == []
    page.set_viewport_size({"width": 1440, "height": 1000})  # each chart beside its table
    page.locator("#qf-stats-statuts").evaluate("heading => heading.scrollIntoView()")
    screenshot(page, "admin-4-statistiques")
    page.select_option("select[name=status]", "done")
    page.click("button:has-text('Afficher')")
    page.wait_for_url("**status=done**")
    assert "Statut : Traité." in page.inner_text("main")
    assert axe(page) == []
