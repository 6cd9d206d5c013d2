"""Turn Etalab's ``@etalab/decoupage-administratif`` package into ``communes.tsv.gz``.

Etalab's ``communes.json`` holds current communes, delegated and associated communes
(``chefLieu`` = their current commune) and Paris/Lyon/Marseille municipal arrondissements
(``commune`` = their commune). Communes merged without keeping a delegated status appear
only as codes in the current commune's ``anciensCodes``, without a name: they are written
with kind ``ancienne``, named from older editions of the package when given (``history``,
newest first: 0.3.0, of 2019, still names almost all of them).

A delegated commune often shares its code with its commune nouvelle (the chef-lieu); it is
kept only when its name differs.
"""

import gzip
import json
from pathlib import Path

KINDS = {
    "commune-actuelle": "actuelle",
    "arrondissement-municipal": "arrondissement",
    "commune-deleguee": "deleguee",
    "commune-associee": "associee",
}
# Order of entries sharing a code; get(code) returns the first one.
KIND_ORDER = {"actuelle": 0, "arrondissement": 1, "deleguee": 2, "associee": 3, "ancienne": 4}
COLUMNS = ("code", "name", "postcodes", "departement", "kind", "current_code", "population")
DEFAULT_PATH = Path(__file__).parent / "data" / "communes.tsv.gz"


def _departement(code):
    return code[:3] if code.startswith("97") else code[:2]


def _entries(source_dir):
    source_dir = Path(source_dir)
    path = source_dir / "data" / "communes.json"
    if not path.exists():
        path = source_dir / "communes.json"
    return json.loads(path.read_text(encoding="utf-8"))


def former_names(history_dirs) -> dict:
    """{code: name} from older editions, the newest edition's name first."""
    names = {}
    for source_dir in history_dirs:
        for entry in _entries(source_dir):
            names.setdefault(entry["code"], entry["nom"])
    return names


def build(source_dir, history_dirs=()) -> list[dict]:
    """Return records (dicts keyed by COLUMNS) from an unpacked Etalab npm package dir
    (and older editions, newest first, for the names of former communes)."""
    entries = _entries(source_dir)
    old_names = former_names(history_dirs)
    names = {e["code"]: e["nom"] for e in entries if e["type"] == "commune-actuelle"}
    known = {e["code"] for e in entries}
    records = []
    for e in entries:
        kind = KINDS[e["type"]]
        current = e.get("chefLieu") or e.get("commune") or ""
        if kind == "deleguee" and current == e["code"] and names.get(current) == e["nom"]:
            continue
        records.append(
            {
                "code": e["code"],
                "name": e["nom"],
                "postcodes": ",".join(e.get("codesPostaux") or ()),
                "departement": e["departement"],
                "kind": kind,
                "current_code": current,
                "population": e.get("population") or 0,
            }
        )
        for old in e.get("anciensCodes") or ():
            if old not in known:
                records.append(
                    {
                        "code": old,
                        "name": old_names.get(old, ""),
                        "postcodes": "",
                        "departement": _departement(old),
                        "kind": "ancienne",
                        "current_code": e["code"],
                        "population": 0,
                    }
                )
    records.sort(key=lambda r: (r["code"], KIND_ORDER[r["kind"]], r["name"]))
    return records


def write(records, path=DEFAULT_PATH) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ["\t".join(COLUMNS)]
    lines += ["\t".join(str(r[c]) for c in COLUMNS) for r in records]
    # mtime=0: the same data gives the same bytes (no spurious diff in the repository).
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as f:
        f.write(("\n".join(lines) + "\n").encode("utf-8"))
    return path
