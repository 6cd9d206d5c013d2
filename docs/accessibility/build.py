"""The RGAA 4.1 audit of the citizen pages: the grid in, the conformity rate and the statement's facts out.

    python docs/accessibility/build.py           # writes README.md and wagtail_qf/data/rgaa-audit.json
    python docs/accessibility/build.py --check   # fails if the grid is incomplete or those files are stale

``rgaa-grid.csv``: one row per criterion (106), one column per page type; a cell is C (conforme),
NC (non conforme), AV (à vérifier: a check not made yet) or NA (non applicable), or
``standalone|dsfr`` when the designs differ (``C|NA``). ``tests``: the automated tests that prove it
(``path::function``); ``verification_manuelle``: a review done, written « revue manuelle (date) : what
was read », or, for an AV criterion, the check that remains. ``audit.toml``: the audit's context
(date, pages, environment, derogations).

A criterion is C only on evidence: a test, or a dated review, and no check still to make. An AV
criterion counts as applicable and not conforme: the statement says the audit is partial.
The rate follows the RGAA: for each page (type × design), conforme ÷ applicable criteria; the
rate of a design is the average over its pages.
"""

import csv
import json
import re
import sys
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
GRID = HERE / "rgaa-grid.csv"
AUDIT = HERE / "audit.toml"
README = HERE / "README.md"
DATA = ROOT / "wagtail_qf" / "data" / "rgaa-audit.json"
CRITERIA_PER_TOPIC = {1: 9, 2: 2, 3: 3, 4: 13, 5: 8, 6: 2, 7: 5, 8: 10, 9: 4, 10: 14, 11: 13, 12: 11, 13: 12}
STATUSES = ("C", "NC", "AV", "NA")
REVIEW = re.compile(r"^revue manuelle \(\d{4}-\d{2}-\d{2}\) ?:")


class GridError(ValueError):
    pass


def read_grid():
    audit = tomllib.loads(AUDIT.read_text())
    with GRID.open(newline="") as f:
        rows = list(csv.DictReader(f))
    expected = [f"{topic}.{n}" for topic, count in CRITERIA_PER_TOPIC.items() for n in range(1, count + 1)]
    found = [row["critere"] for row in rows]
    if found != expected:
        missing, extra = sorted(set(expected) - set(found)), sorted(set(found) - set(expected))
        raise GridError(f"criteria missing {missing} or unknown {extra} (or out of order)")
    for row in rows:
        for page in audit["pages"]:
            for status in cell(row, page, audit["designs"]).values():
                if status not in STATUSES:
                    raise GridError(f"{row['critere']} {page}: {row[page]!r} is not C, NC, AV or NA")
        statuses = {s for p in audit["pages"] for s in cell(row, p, audit["designs"]).values()}
        manual = row["verification_manuelle"].strip()
        if statuses - {"NA"} and not (row["tests"].strip() or manual):
            raise GridError(f"{row['critere']}: no evidence (tests or manual procedure)")
        if "C" in statuses and manual and not REVIEW.match(manual):
            raise GridError(
                f"{row['critere']}: C on a manual check not made (write « revue manuelle (date) : … » or AV)"
            )
        if "C" in statuses and not (row["tests"].strip() or manual):
            raise GridError(f"{row['critere']}: C without a test or a dated manual review")
        if "AV" in statuses and (not manual or REVIEW.match(manual)):
            raise GridError(f"{row['critere']}: AV without the check that remains")
    return audit, rows


def cell(row, page, designs) -> dict:
    """{design: status} of one criterion on one page type."""
    values = row[page].strip().split("|")
    if len(values) == 1:
        values = values * len(designs)
    if len(values) != len(designs):
        raise GridError(f"{row['critere']} {page}: {row[page]!r} names {len(values)} designs")
    return dict(zip(designs, values, strict=True))


def test_ids(rows) -> set[str]:
    return {test for row in rows for test in row["tests"].split()}


def compute(audit, rows) -> dict:
    designs, pages = audit["designs"], audit["pages"]
    result = {}
    for design in designs:
        per_page = {}
        for page in pages:
            statuses = [cell(row, page, designs)[design] for row in rows]
            c, nc, av = statuses.count("C"), statuses.count("NC"), statuses.count("AV")
            per_page[page] = {
                "C": c,
                "NC": nc,
                "AV": av,
                "NA": statuses.count("NA"),
                "rate": round(100 * c / (c + nc + av), 2),
            }
        rate = round(sum(p["rate"] for p in per_page.values()) / len(per_page), 2)
        result[design] = {"rate": rate, "pages": per_page}
    statement = audit["statement"]
    return {
        "referential": audit["referential"],
        "date": audit["date"],
        "auditor": audit["auditor"],
        "pages": list(pages.values()),
        "designs": result,
        "non_conformities": listed(rows, pages, designs, "NC"),
        "to_verify": listed(rows, pages, designs, "AV"),
        "derogations": statement["derogations"],
        "exempt": statement["exempt"],
        "technologies": statement["technologies"],
        "tools": statement["tools"],
        "environment": statement["environment"],
    }


def listed(rows, pages, designs, status) -> list[dict]:
    """The criteria in ``status`` somewhere, with where (and, for AV, what remains to check)."""
    return [
        {
            "criterion": row["critere"],
            "title": row["intitule"],
            "where": [
                f"{pages[page]} ({design})"
                for page in pages
                for design, found in cell(row, page, designs).items()
                if found == status
            ],
            **({"remains": row["verification_manuelle"].strip()} if status == "AV" else {}),
        }
        for row in rows
        if any(s == status for p in pages for s in cell(row, p, designs).values())
    ]


def readme(audit, rows, data) -> str:
    designs, pages = audit["designs"], audit["pages"]
    lines = [
        "# Accessibility audit of the citizen pages (RGAA 4.1)",
        "",
        "Written by `build.py` from `rgaa-grid.csv` and `audit.toml`: edit those, then run",
        "`python docs/accessibility/build.py` (`tests/test_rgaa_grid.py` fails when this file is stale).",
        "",
        f"Audit of {data['date']} — {data['auditor']}.",
        "",
        "## Conformity rate",
        "",
        "RGAA formula: for each page, conforme ÷ applicable criteria; the rate is the average over the pages.",
        "A criterion still to verify (AV) counts as applicable and not conforme.",
        "",
        "| page | " + " | ".join(designs) + " |",
        "|---|" + "---|" * len(designs),
    ]
    for key, name in pages.items():
        cells = []
        for design in designs:
            page = data["designs"][design]["pages"][key]
            cells.append(
                f"{page['rate']:g} % ({page['C']} C, {page['NC']} NC, {page['AV']} AV, {page['NA']} NA)"
            )
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines.append(
        "| **rate** | " + " | ".join(f"**{data['designs'][d]['rate']:g} %**" for d in designs) + " |"
    )
    lines += ["", "## Non-conformities", ""]
    lines += [
        f"- {n['criterion']} {n['title']}: {', '.join(n['where'])}" for n in data["non_conformities"]
    ] or ["None."]
    lines += ["", "## Checks that remain (AV, counted as not conforme)", ""]
    lines += [
        f"- **{n['criterion']}** {n['remains']} ({', '.join(n['where'])})" for n in data["to_verify"]
    ] or ["None."]
    lines += ["", "## Automated checks", ""]
    lines += [f"- `{test}`" for test in sorted(test_ids(rows))]
    lines += ["", "## Manual reviews", "", "Read on the rendered pages, in both designs:", ""]
    for row in rows:
        manual = row["verification_manuelle"].strip()
        if REVIEW.match(manual) and any(s != "NA" for p in pages for s in cell(row, p, designs).values()):
            lines.append(f"- **{row['critere']}** {manual}")
    lines += ["", "## Grid", "", "| criterion | " + " | ".join(pages) + " |", "|---|" + "---|" * len(pages)]
    lines += [f"| {row['critere']} | " + " | ".join(row[p] for p in pages) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def outputs() -> dict[Path, str]:
    audit, rows = read_grid()
    data = compute(audit, rows)
    return {
        README: readme(audit, rows, data),
        DATA: json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
    }


def main(argv):
    stale = []
    for path, text in outputs().items():
        if "--check" in argv:
            if not path.exists() or path.read_text() != text:
                stale.append(str(path.relative_to(ROOT)))
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
    if stale:
        sys.exit("stale, run python docs/accessibility/build.py: " + ", ".join(stale))


if __name__ == "__main__":
    main(sys.argv[1:])
