"""The agents' inbox at volume, and the targets of issue 19 (« Volume » (1), (2), (4)) as ratios
measured in one run.

Generates 1,000 dossiers over three communes (``--small``) and as many submissions of a
``wagtail.contrib.forms`` form of ten fields, measures, then grows both tables to N
(``--dossiers``, 1,000,000 by default) and measures again: the listing filtered by status and by
page, the searches, the dossier page and the statistics page (p95 over the repeats, as a
superuser and as an agent with page rights, each requested in turn with the admin's home, the
machine's load at that moment), the agent's inbox by page in turn with Wagtail's own listing of
the form's submissions, and the queries of each. Then the ratios: each at N against the same at
1,000 (flat cost), against contrib.forms (peer), the statistics against the unfiltered listing.
The CSV export is measured by ``bench_export.py``.
"""

import argparse
import gc
import time

from common import database_label, interleaved, setup_django, site, summary, table, timed

NAMES = [
    "MARTIN",
    "BERNARD",
    "THOMAS",
    "PETIT",
    "ROBERT",
    "RICHARD",
    "DURAND",
    "DUBOIS",
    "MOREAU",
    "LAURENT",
    "SIMON",
    "MICHEL",
    "LEFEBVRE",
    "LEROY",
    "ROUX",
    "DAVID",
    "BERTRAND",
    "MOREL",
]
STATUSES = ["new", "in_progress", "awaiting", "refused", "done", "closed"]


def pages():
    from wagtail_qf.models import QFTransmissionPage

    _plain, qf, _form = site()
    result = [qf]
    for cog, name in [("35238", "Rennes"), ("35334", "Thorigné-Fouillard")]:
        page = QFTransmissionPage.objects.filter(commune_cog=cog).first()
        if page is None:
            page = qf.get_parent().add_child(
                instance=QFTransmissionPage(
                    title=f"QF {name}",
                    slug=f"qf-{cog}",
                    commune_name=name,
                    commune_cog=cog,
                    commune_postcode="",
                    siret="21350051800013",
                )
            )  # postcode from the COG
            page.save_revision().publish()
        result.append(page)
    return result


# The references of the real alphabet (``models.references``), one per number, spread over it
# as random ones are: the search finds them by the reference's unique index, as it finds real ones.
STEP = 104_729  # a prime, prime with 30: i -> i × STEP mod 30⁸ gives every number once


def reference(i):
    """The reference the SQL of ``generate`` writes for the ``i``-th dossier."""
    from wagtail_qf.models.references import ALPHABET

    number = i * STEP % len(ALPHABET) ** 8
    chars = "".join(ALPHABET[number // len(ALPHABET) ** k % len(ALPHABET)] for k in range(7, -1, -1))
    return f"QF-{chars[:4]}-{chars[4:]}"


def generate(count, page_ids):
    from django.db import connection

    from wagtail_qf.dossiers import search
    from wagtail_qf.models import Submission
    from wagtail_qf.models.references import ALPHABET
    from wagtail_qf.models.search import search_text

    existing = Submission.objects.count()
    if existing >= count:
        return
    started = time.perf_counter()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # A million rows in one statement: counted once at the end (rebuild), not by the
            # per-row trigger, whose updates of the same few counter rows pile up in one transaction.
            cursor.execute("ALTER TABLE wagtail_qf_submission DISABLE TRIGGER wagtail_qf_count_insert_delete")
            cursor.execute(
                "ALTER TABLE wagtail_qf_submission DISABLE TRIGGER wagtail_qf_statistics_insert_delete"
            )
            cursor.execute(
                """
                INSERT INTO wagtail_qf_submission (reference, page_id, status, source, submitted_at,
                  updated_at, submission_token, family_name, given_names, usage_name, gender, birthplace,
                  birthcountry, qf_value, qf_year, qf_month, qf_provider, tariff_bracket, allocataires,
                  children, address, raw_response, commune_cog, commune_name, external_id, search_text,
                  declared_children, missing_sources, lookup, lookup_attempts, lookup_error, email,
                  tariff_basis, email_origin, follow_up_key)
                SELECT 'QF-' || substr(chars, 1, 4) || '-' || substr(chars, 5, 4),
                  (%(pages)s::bigint[])[1 + i %% %(n_pages)s], (%(statuses)s::text[])[1 + i %% 6],
                  'franceconnect', now() - (i || ' seconds')::interval, now(), 'bench-' || i,
                  (%(names)s::text[])[1 + i %% %(n_names)s], 'Paul Louis', '', 'male', '35238', '99100',
                  100 + i %% 2400, 2026, 1 + i %% 12, CASE WHEN i %% 10 = 0 THEN 'MSA' ELSE 'CNAF' END,
                  CASE WHEN i %% 2400 < 300 THEN 'A' ELSE 'B' END, '[]', '[{"prenoms": "JEAN", "nom_naissance": "X", "date_naissance": "2012-03-04"}]',
                  NULL, '{}', '35051', 'Cesson-Sévigné', '',
                  -- what ``models.search.search_text`` writes for these names (checked below)
                  ' qf ' || lower(substr(chars, 1, 4)) || ' ' || lower(substr(chars, 5, 4))
                  || ' qf' || lower(chars) || ' ' || lower(chars)
                  || ' ' || lower((%(names)s::text[])[1 + i %% %(n_names)s]) || ' paul louis paullouis x jean',
                  '[]', '{}', '', 0, '', '', '', '', ''
                FROM generate_series(%(first)s, %(count)s) AS i,
                  LATERAL (
                    SELECT string_agg(
                      substr(%(alphabet)s, 1 + ((i::bigint * %(step)s %% %(space)s) / (%(base)s::bigint ^ k)::bigint
                        %% %(base)s)::int, 1), '' ORDER BY k DESC) AS chars
                    FROM generate_series(0, 7) AS k
                  ) AS reference
                """,
                {
                    "pages": page_ids,
                    "n_pages": len(page_ids),
                    "statuses": STATUSES,
                    "names": NAMES,
                    "n_names": len(NAMES),
                    "first": existing + 1,
                    "count": count,
                    "alphabet": ALPHABET,
                    "base": len(ALPHABET),
                    "space": len(ALPHABET) ** 8,
                    "step": STEP,
                },
            )
            cursor.execute("ALTER TABLE wagtail_qf_submission ENABLE TRIGGER wagtail_qf_count_insert_delete")
            cursor.execute(
                "ALTER TABLE wagtail_qf_submission ENABLE TRIGGER wagtail_qf_statistics_insert_delete"
            )
    if connection.vendor == "postgresql":  # the steady state autovacuum keeps in production
        connection.ensure_connection()
        old = connection.connection.autocommit
        connection.connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE wagtail_qf_submission")
        connection.connection.autocommit = old
    else:
        batch = []
        for i in range(existing + 1, count + 1):
            batch.append(
                Submission(
                    reference=reference(i),
                    page_id=page_ids[i % len(page_ids)],
                    status=STATUSES[i % 6],
                    submission_token=f"bench-{i}",
                    family_name=NAMES[i % len(NAMES)],
                    given_names="Paul Louis",
                    qf_value=100 + i % 2400,
                    qf_provider="CNAF",
                    children=[{"prenoms": "JEAN"}],
                )
            )
            batch[-1].search_text = search_text(batch[-1])  # bulk_create does not call save()
            if len(batch) == 5000:
                Submission.objects.bulk_create(batch)
                batch = []
        Submission.objects.bulk_create(batch)
    from wagtail_qf.dossiers import counts, statistics

    counts.rebuild()  # generated with the counting triggers off
    statistics.rebuild()
    # A rare family name, for a search the index must serve (not a scan of the newest rows).
    for row in Submission.objects.order_by("pk")[500:503] if not existing else []:
        row.family_name = "ZYLBERSTEIN"
        row.save(update_fields=["family_name"])
    sample = Submission.objects.order_by("?")[:20]
    assert all(row.search_text == search_text(row) for row in sample), "generated search text differs"
    assert all(search.reference_of(row.reference)[0] == row.reference for row in sample), "not a reference"
    print(f"generated {count - existing:,} dossiers (now {count:,}) in {time.perf_counter() - started:.1f}s")


def agent(home):
    from django.contrib.auth.models import Group, Permission, User
    from wagtail.models import GroupPagePermission

    user = User.objects.filter(username="agent-bench").first()
    if user:
        return user
    group = Group.objects.create(name="Agents bench")
    group.permissions.add(
        *Permission.objects.filter(codename__in=["access_admin", "change_submission", "export_submission"])
    )
    GroupPagePermission.objects.create(
        group=group, page=home, permission=Permission.objects.get(codename="change_page")
    )
    user = User.objects.create_user("agent-bench", "a@b.test", "pw")
    user.groups.add(group)
    return user


def generate_form_submissions(count, form):
    """``count`` submissions of the bench form page (``wagtail.contrib.forms``), ten fields each,
    in one ``INSERT … SELECT`` on PostgreSQL: the peer of the inbox."""
    from django.db import connection
    from wagtail.contrib.forms.models import FormSubmission

    existing = FormSubmission.objects.filter(page=form).count()
    if existing >= count:
        return
    started = time.perf_counter()
    names = [field.clean_name for field in form.get_form_fields()]
    if connection.vendor != "postgresql":
        for first in range(existing, count, 5000):
            FormSubmission.objects.bulk_create(
                FormSubmission(page=form, form_data={name: f"{NAMES[i % len(NAMES)]} {i}" for name in names})
                for i in range(first, min(first + 5000, count))
            )
        return
    values = [
        "(%(names)s::text[])[1 + i %% %(n_names)s]",
        "'Paul Louis'",
        "'2012-03-04'",
        "'M'",
        "'Rennes'",
        "'France'",
        "(100 + i %% 2400)::text",
        "CASE WHEN i %% 10 = 0 THEN 'MSA' ELSE 'CAF' END",
        "'JEAN'",
        "''",
    ]
    pairs = ", ".join(f"'{name}', {value}" for name, value in zip(names, values, strict=True))
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {FormSubmission._meta.db_table} (form_data, page_id, submit_time)
            SELECT jsonb_build_object({pairs}), %(page)s, now() - (i || ' seconds')::interval
            FROM generate_series(%(first)s, %(count)s) AS i
            """,  # noqa: S608 -- the form's own field names, bound values
            {"names": NAMES, "n_names": len(NAMES), "page": form.pk, "first": existing + 1, "count": count},
        )
    connection.ensure_connection()
    old = connection.connection.autocommit
    connection.connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {FormSubmission._meta.db_table}")
    connection.connection.autocommit = old
    print(
        f"generated {count - existing:,} form submissions (now {count:,}) in {time.perf_counter() - started:.1f}s"
    )


def query_count(client, url):
    from django.db import connection

    queries = []
    with connection.execute_wrapper(lambda execute, *args: queries.append(1) or execute(*args)):
        client.get(url)
    return len(queries)


YARDSTICK = "/admin/"  # Wagtail's admin home: the same work whatever the number of dossiers


def measure(client, url, repeat):
    """(median, p95) of ``url``, and the p95 of the admin's home requested in turn with it: the
    machine's load at that moment, to compare two moments of the run (``ratios``)."""
    samples, yardstick = interleaved(lambda: client.get(url), lambda: client.get(YARDSTICK), repeat)
    stats = summary(samples)
    return stats["median"], stats["p95"], summary(yardstick)["p95"]


def listing(repeat, phase):
    """Every listing, search, dossier page and the statistics page, as a superuser and as an
    agent: {(user, name): (median, p95, queries)}, printed as a table."""
    from django.contrib.auth.models import User
    from django.test import Client
    from django.urls import reverse

    from wagtail_qf.models import Submission

    qf_pages = pages()
    _plain, _qf, form = site()
    # What the process holds by now (modules, settings, URLs: some 200,000 objects) is never
    # garbage: frozen, as a server does after loading the application (``gc.freeze``), so that
    # the collector's full passes (118–152 ms each over them, on this machine) no longer land
    # in one view of 20 and decide its p95.
    gc.collect()
    gc.freeze()
    # The same dossiers at every size: the table grows with older ones.
    reference = Submission.objects.order_by("pk").values_list("reference", flat=True)[600]
    # A dossier without history at each size (every view of it is written to its history).
    dossier = Submission.objects.order_by("pk").values_list("pk", flat=True)[700 + phase]
    admin = User.objects.filter(username="admin-bench").first() or User.objects.create_superuser(
        "admin-bench", "x@b.test", "pw"
    )
    changed = Submission.objects.filter(reference=reference)  # one dossier written before a view
    results = {}
    for label, user in [("superuser", admin), ("agent", agent(qf_pages[0].get_parent()))]:
        client = Client()
        client.force_login(user)
        for name, url in [
            ("status = Nouveau", "?status=new"),
            ("page", f"?page={qf_pages[1].pk}"),
            ("search by reference", f"?q={reference}"),
            ("search by reference, typed without hyphens", f"?q={reference.replace('-', '').lower()}"),
            ("search by name (1 in 18 dossiers)", "?q=martin+paul"),
            ("search by a rare name", "?q=zylberstein"),
            ("search by name and status", "?q=paul+moreau&status=done"),
            ("no filter", ""),
            ("statistics page", reverse("wagtail_qf_statistics")),
        ]:
            url = url if url.startswith("/") else "/admin/quotients-familiaux/" + url
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            queries = query_count(client, url)
            results[label, name] = measure(client, url, repeat) + (queries,)
        # The first view after any dossier changed (a write renews the version of the cached counts).
        url = "/admin/quotients-familiaux/?status=new"
        stats = summary(
            timed(lambda client=client, url=url: (changed.update(lookup_attempts=0), client.get(url)), repeat)
        )
        results[label, "status = Nouveau, just after a change"] = (
            stats["median"],
            stats["p95"],
            None,
            results[label, "status = Nouveau"][3] + 1,
        )
        url = reverse("wagtail_qf_submissions:inspect", args=[dossier])
        assert client.get(url).status_code == 200
        queries = query_count(client, url)
        results[label, "dossier page"] = measure(client, url, repeat) + (queries,)
    # The peer: Wagtail's own listing of a form's submissions (a superuser), and the agent's
    # inbox filtered by page, requested in turn so that both see the same machine noise.
    superuser, agent_client = Client(), Client()
    superuser.force_login(admin)
    agent_client.force_login(agent(qf_pages[0].get_parent()))
    forms_url = f"/admin/forms/submissions/{form.pk}/"
    inbox_url = f"/admin/quotients-familiaux/?page={qf_pages[1].pk}"
    assert superuser.get(forms_url).status_code == 200
    inbox, peer = interleaved(lambda: agent_client.get(inbox_url), lambda: superuser.get(forms_url), repeat)
    results["agent", "page, beside contrib.forms"] = (
        summary(inbox)["median"],
        summary(inbox)["p95"],
        None,
        None,
    )
    results["superuser", "contrib.forms submissions"] = (
        summary(peer)["median"],
        summary(peer)["p95"],
        None,
        query_count(superuser, forms_url),
    )
    # Absolute times vary twofold between runs on a shared machine: each listing is also given as a
    # ratio of the same user's unfiltered listing, measured in the same run.
    rows = []
    for (label, name), (median, p95, yardstick, queries) in results.items():
        ratio = p95 / results[label, "no filter"][1]
        yardstick = f"{yardstick:.0f}" if yardstick else ""
        rows.append([label, name, f"{median:.0f}", f"{p95:.0f}", f"{ratio:.2f}×", yardstick, queries])
    table(
        f"Inbox listing with {Submission.objects.count():,} dossiers (ms)",
        [
            "user",
            "listing",
            "median",
            "p95",
            "p95 / no filter",
            "p95 of the admin's home, in turn",
            "queries",
        ],
        rows,
    )
    return results


# (name, measured at each size, target, met): issue 19, « Volume » (1), (2), (4).
FLAT = [
    ("agent", "status = Nouveau"),
    ("agent", "page"),
    ("agent", "no filter"),
    ("agent", "search by reference"),
    ("agent", "search by name (1 in 18 dossiers)"),
    ("agent", "dossier page"),
]


def ratios(small, large, sizes):
    """The targets of issue 19 as ratios, each measured in this run. A flat cost compares two
    moments of the run: its ratio is also given divided by the same ratio of the admin's home
    (requested in turn with each listing), which takes out a change of the machine's load."""
    rows = []

    def ratio_row(name, at_small, at_large, ratio, target, limit, corrected=None):
        met = "yes" if ratio <= limit else "**no**"
        corrected = f"{corrected:.2f}×" if corrected else ""
        rows.append([name, at_small, at_large, f"{ratio:.2f}×", corrected, target, met])

    for key in FLAT:
        (_m, p95_small, yard_small, _q), (_m, p95_large, yard_large, _q) = small[key], large[key]
        ratio_row(
            f"(1) {key[0]}, {key[1]}: p95 at {sizes[1]:,} / at {sizes[0]:,}",
            f"{p95_small:.0f} ms",
            f"{p95_large:.0f} ms",
            p95_large / p95_small,
            "≤ 1.2×",
            1.2,
            (p95_large / p95_small) / (yard_large / yard_small),
        )
    for user in ("superuser", "agent"):
        names = ("no filter" if user == "superuser" else "page", "statistics page", "dossier page")
        rows.append(
            [
                f"queries, {user}: {' / '.join(names)}",
                " / ".join(str(small[user, n][3]) for n in names),
                " / ".join(str(large[user, n][3]) for n in names),
                "",
                "",
                "the same",
                "yes" if all(small[user, n][3] == large[user, n][3] for n in names) else "**no**",
            ]
        )

    def peer(results):
        return (
            results["agent", "page, beside contrib.forms"][1]
            / results["superuser", "contrib.forms submissions"][1]
        )

    ratio_row(
        "(2) agent's inbox by page / contrib.forms submissions (superuser), p95, same number of rows",
        f"{peer(small):.2f}×",
        f"{peer(large):.2f}×",
        peer(large),
        "≤ 0.25×",
        0.25,
    )
    for user in ("superuser", "agent"):

        def stats(results, user=user):
            return results[user, "statistics page"][1] / results[user, "no filter"][1]

        ratio_row(
            f"(4) statistics page / unfiltered listing, {user}, p95",
            f"{stats(small):.2f}×",
            f"{stats(large):.2f}×",
            stats(large),
            "≤ 2×",
            2,
        )
    table(
        "Issue 19, volume: ratios measured in this run",
        ["measure", f"at {sizes[0]:,}", f"at {sizes[1]:,}", "ratio", "ratio / admin home's", "target", "met"],
        rows,
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--dossiers", type=int, default=1_000_000, help="the large size")
    parser.add_argument("--small", type=int, default=1_000, help="the size the large one is compared with")
    parser.add_argument("--repeat", type=int, default=100)
    args = parser.parse_args()
    setup_django(fresh=False)
    print(f"\n## Inbox – {database_label()}")
    page_ids = [page.pk for page in pages()]
    from wagtail_qf.models import Submission

    if Submission.objects.count() > args.small:  # a database kept from another run (SQLite)
        from wagtail.contrib.forms.models import FormSubmission

        Submission.objects.all().delete()
        FormSubmission.objects.all().delete()
    measured = []
    for phase, size in enumerate((args.small, args.dossiers)):
        generate(size, page_ids)
        generate_form_submissions(size, site()[2])
        measured.append(listing(args.repeat, phase))
    ratios(*measured, (args.small, args.dossiers))
