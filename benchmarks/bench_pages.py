"""Server time of the citizen steps and of the submission, side by side with plain Wagtail.

In-process (Django test client, no network): the upstream providers are not
called by these steps, so what is measured is the app's own server time.
Targets: each step within 1.3x of a plain Wagtail page of the same site; the
submission POST within 1.2x of a wagtail.contrib.forms submission.
"""

import argparse
import time

from common import interleaved, setup_django, site, summary, table


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


def run(repeat):
    from django.test import Client

    home, qf, form = site()
    client = Client()
    citizen_session(client, qf, "bench-token")
    rows = []
    for name, url in [
        ("accueil (start)", qf.url),
        ("consentement", qf.url + "consentement/"),
        ("quotient", qf.url + "quotient/"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        step, plain = map(
            summary, interleaved(lambda url=url: client.get(url), lambda: client.get(home.url), repeat)
        )
        rows.append(
            (
                name,
                f"{step['median']:.2f}",
                f"{plain['median']:.2f}",
                f"{step['median'] / plain['median']:.2f}",
                "≤ 1.30",
            )
        )
    table(
        "Citizen steps vs a plain Wagtail page (median ms)",
        ["step", "step", "plain page", "ratio", "target"],
        rows,
    )

    # Submission POST vs a form page POST of comparable size.
    from tests.fakes.families import CHILDREN

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

    def form_submit():
        data = {
            name: "DUPONT Paul Louis 1980-06-15"
            for name in [
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
            ]
        }
        start = time.perf_counter()
        response = client.post(form.url, data)
        elapsed = (time.perf_counter() - start) * 1000
        assert response.status_code == 200, response.status_code
        return elapsed

    for _ in range(5):
        submit(), form_submit()
    ours, theirs = [], []
    for _ in range(repeat):
        ours.append(submit())
        theirs.append(form_submit())
    ours, theirs = summary(ours), summary(theirs)
    table(
        "Submission POST vs wagtail.contrib.forms POST (median ms)",
        ["ours", "form page", "ratio", "target"],
        [
            (
                f"{ours['median']:.2f}",
                f"{theirs['median']:.2f}",
                f"{ours['median'] / theirs['median']:.2f}",
                "≤ 1.20",
            )
        ],
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=300)
    args = parser.parse_args()
    setup_django()
    from common import database_label

    print(f"\n## Pages – {database_label()}")
    run(args.repeat)
