"""Review b3, outside b3's files: odd Unicode in the agents' comments, the exports, the family's
complements, the documents' names and the national form's XML, the names the background check
compares."""

import pytest
from defusedxml import ElementTree as ET

from wagtail_qf.admin.exports import neutralise
from wagtail_qf.admin.forms import CommentForm, MessageForm
from wagtail_qf.dossiers import documents
from wagtail_qf.dossiers.documents import DocumentRefused, clean_name
from wagtail_qf.hubee.formulaire_qf import to_xml


def test_a_comment_typed_in_nfd_is_counted_as_a_person_counts_and_stored_composed():
    """500 letters « é » typed on a Mac (NFD: 1,000 code points) are 500 characters."""
    form = CommentForm(data={"comment": "e\u0301" * 500})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["comment"] == "é" * 500
    message = MessageForm(data={"message": "Bonjour Éloi\u0308se"})
    assert message.is_valid() and message.cleaned_data["message"] == "Bonjour Éloïse"


@pytest.mark.parametrize("value", ["＝1+1", "＋33 6 12", "－2+3", "＠SUM(A1)"])
def test_full_width_formula_signs_are_neutralised(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize(
    "name, kept",
    [("Mon\u00a0fichier.pdf", "Mon fichier.pdf"), ("Avis\u202fCAF\u2003mars.pdf", "Avis CAF mars.pdf")],
)
def test_a_documents_name_keeps_its_spaces_of_any_kind(name, kept):
    assert clean_name(name, "pdf") == kept


def test_the_national_forms_xml_stays_xml_whatever_the_text_holds():
    ET.fromstring(to_xml({"nom": "Du\x0bpont\x07", "message": "ligne\x0cpage"}))


@pytest.mark.django_db
def test_a_nul_byte_in_the_familys_complement_is_refused_in_french(awaiting_dossier):
    """On PostgreSQL a NUL in the history's JSON is a database error (a 500): it is refused
    before, as Django's forms refuse it in the agents' texts."""
    with pytest.raises(DocumentRefused) as refused:
        documents.add_family_documents(awaiting_dossier, [], "Bonjour\x00")
    assert "caractère" in str(refused.value.message)


@pytest.fixture
def awaiting_dossier(make_qf_page, make_submission, settings, tmp_path):
    settings.WAGTAIL_QF = {**settings.WAGTAIL_QF, "DOCUMENTS": {"DIRECTORY": str(tmp_path / "private")}}
    return make_submission(make_qf_page(), status="awaiting")


def test_a_declared_childs_name_matches_the_cafs_whatever_letters_it_is_typed_with():
    """journey.lookup.name_tokens folds accents but not « Ł », « Đ », « ı », « ẞ » nor invisible
    characters: « Łukasz » typed by the parent never matches the CAF's LUKASZ."""
    from wagtail_qf.journey.lookup import name_tokens

    assert name_tokens("Łukasz Đỗ Yıldız Dup\u200bont") == name_tokens("LUKASZ DO YILDIZ DUPONT")


@pytest.mark.django_db
def test_the_familys_complement_is_counted_as_its_textarea_counts(awaiting_dossier):
    """2,000 characters in the textarea (``maxlength="2000"``): its line breaks arrive as « \\r\\n »
    and a Mac's accents as two code points; neither makes the message « dépasse 2000 caractères »."""
    message = "é" * 1000 + "\r\n" * 10 + "e\u0301" * 990
    documents.add_family_documents(awaiting_dossier, [], message)
    from wagtail_qf.dossiers import history

    (complement,) = [e for e in history.entries(awaiting_dossier) if e.action == documents.COMPLEMENT]
    assert complement.comment == "é" * 1000 + "\n" * 10 + "é" * 990
