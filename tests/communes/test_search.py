import pytest

from wagtail_qf.communes.search import Index, _load, get, load, search


def names(results):
    return [c.name for c in results]


def test_accents_case_hyphens_apostrophes(data_file):
    assert names(search("CESSON SEVIGNE", path=data_file)) == ["Cesson-Sévigné"]
    assert names(search("abergement-clemenciat", path=data_file)) == ["L'Abergement-Clémenciat"]
    assert names(search("l'abergement", path=data_file)) == ["L'Abergement-Clémenciat"]
    assert names(search("châtillon-en-diois", path=data_file)) == ["Châtillon-en-Diois"]


def test_word_prefixes_in_order(data_file):
    found = names(search("chatillon e", path=data_file))
    assert "Châtillon-en-Diois" in found and "Châtillon-en-Vendelais" in found
    assert names(search("chatillon diois", path=data_file)) == ["Châtillon-en-Diois"]
    assert search("diois chatillon", path=data_file) == []


def test_saint_abbreviation(data_file):
    assert names(search("st malo", path=data_file))[0] == "Saint-Malo"
    assert names(search("saint malo", path=data_file))[0] == "Saint-Malo"
    assert "Strasbourg" in names(search("st", path=data_file))


def test_postcode_and_code(data_file):
    assert names(search("35510", path=data_file)) == ["Cesson-Sévigné"]
    assert names(search("355", path=data_file)) == ["Cesson-Sévigné"]
    assert names(search("35510 CESSON SEVIGNE", path=data_file)) == ["Cesson-Sévigné"]
    assert search("35400 CESSON", path=data_file) == []
    assert names(search("35051", path=data_file)) == ["Cesson-Sévigné"]
    assert names(search("2a004", path=data_file)) == ["Ajaccio"]
    assert names(search("35 malo", path=data_file)) == ["Saint-Malo", "Saint-Malo-de-Phily"]


def test_ranking_exact_name_first(data_file):
    assert names(search("saint malo", path=data_file)) == ["Saint-Malo", "Saint-Malo-de-Phily"]
    assert names(search("paris", path=data_file)) == ["Paris", "Paris 15e Arrondissement"]


def test_former_communes_only_when_asked(data_file):
    assert search("saint bois", path=data_file) == []
    [bois] = search("saint bois", include_former=True, path=data_file)
    assert (bois.code, bois.kind, bois.current_code, bois.is_former) == ("01340", "deleguee", "01015", True)
    assert get(bois.current_code, path=data_file).name == "Arboys en Bugey"
    assert names(search("cordieux", include_former=True, path=data_file)) == ["Cordieux"]
    found = search("chatillon e", include_former=True, path=data_file)
    assert names(found)[-1] == "Châtillon-en-Michaille"  # current communes first
    # Found by their current commune's postcode.
    assert "Saint-Bois" in names(search("01300", include_former=True, path=data_file))
    assert "Saint-Bois" not in names(search("01300", path=data_file))


def test_get(data_file):
    assert get("01015", path=data_file).name == "Arboys en Bugey"  # the current commune wins
    servan = get("35213", path=data_file)
    assert (servan.kind, servan.name, servan.current_code) == ("ancienne", "", "35288")
    assert get("35288", path=data_file).current_code == "35288"
    assert get("2a004", path=data_file).code == "2A004"
    assert get("99999", path=data_file) is None


def test_label(data_file):
    assert get("35051", path=data_file).label == "Cesson-Sévigné (35510)"
    assert get("01340", path=data_file).label == "Saint-Bois (01)"


def test_shipped_data():
    index = load()
    assert sum(1 for c in index.communes if c.kind == "actuelle") > 34_000
    assert names(search("st malo"))[0] == "Saint-Malo"
    assert "Châtillon-en-Diois" in names(search("chatillon e"))
    assert names(search("35510 CESSON SEVIGNE")) == ["Cesson-Sévigné"]
    assert get("35213").current_code == "35288"  # Saint-Servan, merged into Saint-Malo


@pytest.fixture
def scanned(monkeypatch):
    """Names the search read from its scan of all names (None: it scanned none)."""
    counts = []
    by_name = Index._by_name

    def counting(self, pattern, end):
        counts.append(0)
        for row in by_name(self, pattern, end):
            counts[-1] += 1
            yield row

    monkeypatch.setattr(Index, "_by_name", counting)
    return lambda: sum(counts) if counts else None


# Timings are in benchmarks/bench_search.py; the tests check the work that keeps it fast.
@pytest.mark.parametrize("query", ["s", "chatillon e", "zzz", "saint jean de", "st", "paris"])
def test_shipped_search_stops_at_its_first_results(query, scanned):
    load()
    loads = _load.cache_info().misses
    results = search(query, include_former=True)
    # Ranked names are read until the page of results is full (the exact name may come twice).
    assert scanned() <= 2 * 10 and len(results) <= 10
    assert _load.cache_info().misses == loads  # the file is read once per process


@pytest.mark.parametrize("query", ["35", "35510 cesson", "3 s", "0 zzz", "2a004"])
def test_shipped_search_by_number_tests_only_that_numbers_entries(query, scanned):
    search(query, include_former=True)
    assert scanned() is None  # the postcode's or code's entries, never the whole list


def test_shipped_search_reads_few_names_for_a_common_word(scanned):
    """The word "saint" matches thousands of names: the first ten are enough."""
    index = load()
    assert sum("saint" in name for name in index.names) > 1000
    assert len(search("saint", include_former=True)) == 10
    assert scanned() <= 20


def test_a_number_typed_after_the_name_narrows_it_too():
    """« saint denis 974 », « saint-denis 93 »: the department or postcode typed after the name, as
    people write it, when no name has that number (« paris 15 » still finds the arrondissement)."""
    assert get(search("saint denis 974")[0].code).departement == "974"
    assert search("saint-denis 93")[0].code == "93066"
    assert search("saint malo 35400")[0].name == "Saint-Malo"
    assert "Paris 15e Arrondissement" in names(search("paris 15"))
    assert search("saint malo 13") == []  # no Saint-Malo in the Bouches-du-Rhône
