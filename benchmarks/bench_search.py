"""Commune search (path without FranceConnect) over the shipped communes file, in process.

Yardstick: one pass of plain Python over the ~40,000 normalised names (``word in name``),
the least a naive search would do for each keystroke. Target: each query under 5 ms
(median), i.e. well under one naive pass. The tests only check the work done (tests/communes).
"""

import argparse

from common import interleaved, summary, table

QUERIES = ["s", "chatillon e", "zzz", "35", "saint jean de", "35510 cesson", "3 s", "0 zzz"]


def run(repeat):
    from wagtail_qf.communes.search import load, normalise, search

    index = load()
    rows = []
    for query in QUERIES:
        word = normalise(query).split()[-1]
        found, naive = map(
            summary,
            interleaved(
                lambda query=query: search(query, include_former=True),
                lambda word=word: [n for n in index.names if word in n],
                repeat,
            ),
        )
        rows.append(
            (
                f"`{query}`",
                f"{found['median']:.2f}",
                f"{naive['median']:.2f}",
                f"{found['median'] / naive['median']:.2f}",
                "< 5 ms",
                "yes" if found["median"] < 5 else "no",
            )
        )
    table(
        f"Commune search, {len(index.communes)} entries (median of {repeat}, ms)",
        ["query", "search", "naive pass", "ratio", "target", "met"],
        rows,
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=200)
    run(parser.parse_args().repeat)
