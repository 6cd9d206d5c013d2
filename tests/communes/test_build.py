from pathlib import Path

from django.core.management import call_command

from wagtail_qf.communes import search as communes
from wagtail_qf.communes.build import build

SOURCE = Path(__file__).parent / "etalab"


def by_code(records):
    result = {}
    for r in records:
        result.setdefault(r["code"], []).append(r)
    return result


def test_build_kinds_and_links():
    records = by_code(build(SOURCE))
    [malo] = records["35288"]
    assert (malo["kind"], malo["postcodes"], malo["departement"], malo["current_code"]) == (
        "actuelle",
        "35400",
        "35",
        "",
    )
    # A code listed only in anciensCodes: a former commune without a name.
    [servan] = records["35213"]
    assert (servan["kind"], servan["name"], servan["current_code"]) == ("ancienne", "", "35288")
    # The delegated commune that lent its code to the commune nouvelle is kept (other name).
    assert [(r["kind"], r["name"]) for r in records["01015"]] == [
        ("actuelle", "Arboys en Bugey"),
        ("deleguee", "Arbignieu"),
    ]
    # ... but not when it only repeats the commune nouvelle.
    assert [r["kind"] for r in records["26086"]] == ["actuelle"]
    assert records["01091"][0]["kind"] == "deleguee" and records["01091"][0]["current_code"] == "01033"
    assert records["01120"][0]["kind"] == "associee"
    assert records["75115"][0]["kind"] == "arrondissement"
    assert records["75115"][0]["current_code"] == "75056"
    assert records["20004"][0]["departement"] == "20"


def test_command_with_source_writes_a_loadable_file(tmp_path):
    path = tmp_path / "out" / "communes.tsv.gz"
    call_command("qf_refresh_communes", source=str(SOURCE), output=str(path))
    try:
        assert [c.code for c in communes.search("cesson", path=path)] == ["35051"]
        assert communes.get("35213", path=path).current_code == "35288"
    finally:
        communes.reset()


def test_command_output_counts(tmp_path, capsys):
    call_command("qf_refresh_communes", source=str(SOURCE), output=str(tmp_path / "c.tsv.gz"))
    out = capsys.readouterr().out
    assert "actuelle: 12" in out and "ancienne: 5" in out


HISTORY = [Path(__file__).parent / "etalab-2021", Path(__file__).parent / "etalab-2019"]


def test_older_editions_name_the_former_communes_newest_first():
    records = by_code(build(SOURCE, HISTORY))
    assert records["35213"][0]["name"] == "Saint-Servan-sur-Mer"  # only the 2019 edition names it
    assert records["26109"][0]["name"] == "Menglon"  # the 2021 name wins over 2019's
    assert records["26354"][0]["name"] == ""  # named by no edition


def test_command_with_history_finds_a_merged_commune_by_its_old_name(tmp_path):
    path = tmp_path / "communes.tsv.gz"
    call_command(
        "qf_refresh_communes", source=str(SOURCE), output=str(path), history_source=[str(p) for p in HISTORY]
    )
    try:
        found = communes.search("saint servan", include_former=True, path=path)
        assert [(c.code, c.kind, c.current_code) for c in found] == [("35213", "ancienne", "35288")]
        assert communes.search("saint servan", path=path) == []  # former communes only when asked
    finally:
        communes.reset()


def test_the_shipped_file_names_almost_every_former_commune():
    former = [c for c in communes.read(communes.DEFAULT_PATH) if c.kind == "ancienne"]
    assert len(former) > 2000 and len([c for c in former if not c.name]) < 20
    assert communes.get("35213").name == "Paramé"  # merged into Saint-Malo in 1967
