"""Server time of the citizen steps and of the submission, side by side with plain Wagtail.

In-process (Django test client, no network): the upstream providers are not
called by these steps, so what is measured is the app's own server time.
Targets: each step within 1.3x of a plain Wagtail page of the same site; the
submission POST within 1.2x of a wagtail.contrib.forms submission. Measured beside it, for the
decision of issue 16, against a second form page that also writes what a transmission writes
beside its row (bookkeeping.py): no target of its own.
"""

import argparse
import statistics
import time

from bookkeeping import SLUG as FULL_FORM
from common import form_page, interleaved, setup_django, site, summary, table


def citizen_session(client, qf, token):
    from tests.fakes.families import IDENTITY, family_result

    session = client.session
    session["wagtail_qf"] = {
        "identity": IDENTITY,
        "id_token": "a.b.c",
        "expires_at": time.time() + 900,
        "pages": {str(qf.pk): {"result": family_result().to_session(), "bracket": "", "form_token": token}},
    }
    session.save()


def ratio_cells(pairs, target) -> tuple:
    """The median times of the middle round, and the ratio: its median over the rounds, and
    their range (one round's ratio moves by a few hundredths with the machine's noise)."""
    ratios = sorted(ours["median"] / theirs["median"] for ours, theirs in pairs)
    ours, theirs = sorted(pairs, key=lambda pair: pair[0]["median"] / pair[1]["median"])[len(pairs) // 2]
    spread = f"{ratios[0]:.2f}–{ratios[-1]:.2f}" if len(ratios) > 1 else "–"
    return (
        f"{ours['median']:.2f}",
        f"{theirs['median']:.2f}",
        f"{statistics.median(ratios):.2f}",
        spread,
        target,
    )


def run(repeat, rounds):
    from django.test import Client

    from tests.fakes.families import CHILDREN

    home, qf, form = site()
    full_form = form_page(form.get_parent(), FULL_FORM)
    client = Client()
    citizen_session(client, qf, "bench-token")
    steps = [
        ("accueil (start)", qf.url),
        ("consentement", qf.url + "consentement/"),
        ("quotient", qf.url + "quotient/"),
    ]

    # Submission POST vs a form page POST of comparable size.
    counter = iter(range(10**9))

    def submit():
        token = f"bench-{next(counter)}"
        citizen_session(client, qf, token)  # state preparation, as the callback would
        start = time.perf_counter()
        response = client.post(
            qf.url + "quotient/",
            {"form_token": token, "confirm": "on", "children": [CHILDREN[0].key, CHILDREN[1].key]},
        )
        elapsed = (time.perf_counter() - start) * 1000
        assert response.status_code == 302, response.status_code
        return elapsed

    data = dict.fromkeys(
        [
            "nom",
            "prenoms",
            "date_de_naissance",
            "sexe",
            "commune_de_naissance",
            "pays_de_naissance",
            "quotient_familial",
            "organisme",
            "enfant_1",
            "enfant_2",
        ],
        "DUPONT Paul Louis 1980-06-15",
    )

    def form_submit(page=form):
        start = time.perf_counter()
        response = client.post(page.url, data)
        elapsed = (time.perf_counter() - start) * 1000
        assert response.status_code == 200, response.status_code
        return elapsed

    for _ in range(5):
        submit(), form_submit(), form_submit(full_form)
    measured = {name: [] for name, _url in steps}
    posts, full_posts = [], []
    for _round in range(rounds):  # each round measures everything once: the rounds see different noise
        citizen_session(client, qf, "bench-token")  # the submissions of the round before ended it
        for name, url in steps:
            assert client.get(url).status_code == 200, url  # the step itself, not a redirection
            step, plain = interleaved(lambda url=url: client.get(url), lambda: client.get(home.url), repeat)
            measured[name].append((summary(step), summary(plain)))
        ours, theirs, full = [], [], []
        for _ in range(repeat):
            ours.append(submit())
            theirs.append(form_submit())
            full.append(form_submit(full_form))
        posts.append((summary(ours), summary(theirs)))
        full_posts.append((summary(ours), summary(full)))
    table(
        f"Citizen steps vs a plain Wagtail page (median ms; ratio: median of {rounds} rounds, range)",
        ["step", "step", "plain page", "ratio", "range", "target"],
        [(name, *ratio_cells(measured[name], "≤ 1.30")) for name, _url in steps],
    )
    table(
        f"Submission POST vs wagtail.contrib.forms POST (median ms; ratio: median of {rounds} rounds, range)",
        ["ours", "form page", "ratio", "range", "target"],
        [ratio_cells(posts, "≤ 1.20")],
    )
    table(
        "Submission POST vs a wagtail.contrib.forms POST that also writes a log entry, a count and the"
        f" session in one transaction (median ms; ratio: median of {rounds} rounds, range)",
        ["ours", "form page + bookkeeping", "ratio", "range", "target"],
        [ratio_cells(full_posts, "none (issue 16)")],
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=200, help="requests of each kind per round")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    setup_django()
    from common import database_label

    print(f"\n## Pages – {database_label()}")
    run(args.repeat, args.rounds)
