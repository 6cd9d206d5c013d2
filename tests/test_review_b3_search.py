"""Review b3: the agents' search finds names as people write them, whatever their script,
their letters without a decomposition (« Đ », « Ł », « ı »), the invisible characters pasted in
them, and the way the elision is typed (« N’Diaye », « ndiaye », « n diaye »)."""

import unicodedata

import pytest
from django.urls import reverse

from wagtail_qf.dossiers.search import matching
from wagtail_qf.models import Submission
from wagtail_qf.models.search import words

pytestmark = pytest.mark.django_db


def person(family, given, usage=""):
    return {"nom_naissance": family, "nom_usage": usage, "prenoms": given, "date_naissance": "1980-01-01"}


@pytest.fixture
def families(qf_page, make_submission):
    names = {
        "eloise": ("BERNARD", "Éloïse"),
        "ndiaye": ("N'Diaye", "Awa"),
        "ndiaye_caf": ("NDIAYE", "Moussa"),  # as the CAF may write it, without the apostrophe
        "lebihan": ("Le Bihan-Ménez", "Yann"),
        "lebihan_caf": ("LEBIHAN", "Gwen"),  # the same name, written in one word
        "mcdonald": ("MCDONALD", "Ian"),
        "stefan": ("POPESCU", "Ștefan"),
        "nguyen": ("Nguyễn", "Thị Hoà"),
        "do": ("Đỗ", "Văn Minh"),
        "lukasz": ("Wałęsa", "Łukasz"),
        "yildiz": ("Yıldız", "Ayşe"),
        "strasse": ("STRAẞER", "Jonas"),
        "muller": ("MÜLLER", "Anna"),
        "oeuvre": ("Œuvray", "Cœline"),
        "ivanov": ("Иванов", "Пётр"),
        "mohamed": ("محمد", "علي"),
        "zw": ("Dup\u200bont", "Zo\u00e9"),  # a zero-width space pasted in the name
        "soft": ("Lam\u00adbert", "Hugo"),  # a soft hyphen
        "nfd": (unicodedata.normalize("NFD", "Hélène"), unicodedata.normalize("NFD", "Gaëlle")),
    }
    return {
        key: make_submission(qf_page, family_name=family, given_names=given, children=[])
        for key, (family, given) in names.items()
    }


def found(query):
    return set(matching(Submission.objects.all(), query).values_list("pk", flat=True))


@pytest.mark.parametrize(
    "query, key",
    [
        ("eloise", "eloise"),
        (unicodedata.normalize("NFD", "Éloïse"), "eloise"),  # typed in NFD, stored NFC
        ("helene", "nfd"),  # typed plain, stored NFD
        ("Hélène Gaëlle", "nfd"),  # typed NFC, stored NFD
        ("menez yann", "lebihan"),
        ("stefan", "stefan"),
        ("Ștefan", "stefan"),
        ("Ştef", "stefan"),  # the cedilla form, as older keyboards type it
        ("nguyen hoa", "nguyen"),
        ("do van", "do"),  # « Đ » has no decomposition: folded by hand
        ("Đỗ", "do"),
        ("lukasz walesa", "lukasz"),
        ("yildiz ayse", "yildiz"),
        ("strasser", "strasse"),
        ("straßer", "strasse"),
        ("muller", "muller"),
        ("MÜLLER anna", "muller"),
        ("oeuvray", "oeuvre"),
        ("coeline", "oeuvre"),
        ("Œuv", "oeuvre"),
        ("иванов", "ivanov"),  # another script is found too
        ("ИВАНОВ Пётр", "ivanov"),
        ("петр", "ivanov"),
        ("محمد", "mohamed"),
        ("dupont", "zw"),  # the zero-width space does not cut the name
        ("lambert", "soft"),
    ],
)
def test_a_name_is_found_as_people_type_it(families, query, key):
    assert found(query) == {families[key].pk}


@pytest.mark.parametrize("query", ["ndiaye", "n diaye", "N'Diaye", "N’Diaye", "N\u00a0Diaye", "n’diaye awa"])
def test_an_elided_name_is_found_however_the_elision_is_typed(families, query):
    expected = {families["ndiaye"].pk}
    if "awa" not in query:
        expected.add(families["ndiaye_caf"].pk)  # « N'Diaye » also finds the « NDIAYE » of the CAF
    assert found(query) == expected


@pytest.mark.parametrize(
    "query, keys",
    [
        ("le bihan", {"lebihan", "lebihan_caf"}),
        ("lebihan", {"lebihan", "lebihan_caf"}),
        ("Le Bihan gwen", {"lebihan_caf"}),
        ("mc donald", {"mcdonald"}),
        ("Mc Donald Ian", {"mcdonald"}),
    ],
)
def test_a_particle_typed_apart_finds_the_name_written_in_one_word(families, query, keys):
    assert found(query) == {families[key].pk for key in keys}


@pytest.mark.parametrize("query", ["😀", "???", "\u200b", "’"])
def test_a_query_without_any_letter_finds_nothing_rather_than_everything(families, query):
    assert found(query) == set()


def test_a_blank_query_still_lists_everything(families):
    assert len(found("  ")) == len(families)


def test_a_reference_typed_in_lower_case_full_width_or_with_odd_spaces(families):
    dossier = families["muller"]
    ref = dossier.reference  # QF-XXXX-XXXX
    for typed in (
        ref.lower(),
        ref.replace("-", "\u00a0"),
        ref.replace("-", " ").lower(),
        unicodedata.normalize("NFKC", ref).translate({ord(c): ord(c) + 0xFEE0 for c in ref if c.isalnum()}),
        ref.replace("-", "\u2011"),  # non-breaking hyphen
        ref[3:].replace("-", "\u200b"),
    ):
        assert found(typed) == {dossier.pk}, typed


def test_odd_queries_do_not_break_the_inbox(client, admin_user, families):
    client.force_login(admin_user)
    url = reverse("wagtail_qf_submissions:index")
    for query in ("a" * 10_000, "x " * 5_000, "\x00dupont", "\ufeff", "\u202eтест"):
        assert client.get(url, {"q": query}).status_code == 200
    response = client.get(url, {"q": "Иванов"})
    assert [row.pk for row in response.context["object_list"]] == [families["ivanov"].pk]


def test_words_keep_every_script_and_fold_letters_without_decomposition():
    assert words("Đỗ Łukasz Yıldız STRAẞE Þór") == ["do", "lukasz", "yildiz", "strasse", "thor"]
    assert words("Иванов محمد") == ["иванов", "محمد"]
    assert words("Dup\u200bont Lam\u00adbert") == ["dupont", "lambert"]
    assert words("under_score") == ["under", "score"]


def test_line_breaks_and_tabs_still_part_words():
    assert words("Paul\nLouis\tMARIE\r\nDupont") == ["paul", "louis", "marie", "dupont"]
