"""What a dossier stores of a transmission: the identity as certified, only the data the page
collects and the children ticked, the commune it is for, exactly once per form
(issue 23: mutation testing of ``dossiers/creation.py``)."""

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from wagtail_qf.dossiers import creation, history
from wagtail_qf.franceconnect.identity import IDENTITY_FORM, CitizenIdentity
from wagtail_qf.models import DossierLogEntry, Submission
from wagtail_qf.models.submissions import Lookup, Source
from wagtail_qf.particulier.types import Address, Person, QFResult, QuotientFamilial
from wagtail_qf.signals import submission_created

pytestmark = pytest.mark.django_db

JEAN = Person("DUPONT", "JEAN", "2012-03-04", "M")
LUCIE = Person("DUPONT", "LUCIE", "2014-09-21", "F")
LEA = Person("DUPONT", "LEA", "2018-01-30", "F")
PAUL = Person("DUPONT", "PAUL", "1980-06-15", "M")
IDENTITY = CitizenIdentity(
    sub="s",
    given_name="Paul Louis",
    family_name="DUPONT",
    birthdate="1980-06-15",
    gender="male",
    birthplace="35238",
    birthcountry="99100",
    preferred_username="MARTIN",
)


def family(raw_children=None):
    """The family's answer: 3 children (in ``raw`` as in the answer, in the same order)."""
    raw_children = raw_children or [{"prenoms": c.prenoms} for c in (JEAN, LUCIE, LEA)]
    return QFResult(
        QuotientFamilial("CNAF", 1234, 2026, 11),
        (PAUL,),
        (JEAN, LUCIE, LEA),
        Address(destinataire="M DUPONT PAUL", numero_libelle_voie="1 RUE DE LA PAIX", pays="FRANCE"),
        raw={
            "quotient_familial": {"valeur": 1234},
            "allocataires": [{"prenoms": "PAUL"}],
            "enfants": raw_children,
            "adresse": {"pays": "FRANCE"},
        },
    )


def test_a_dossier_holds_the_certified_identity_and_the_quotient(make_qf_page):
    page = make_qf_page(collect_address=True)
    submission = creation.save_submission(page, IDENTITY, family(), [JEAN], "t1", bracket="B")
    submission.refresh_from_db()
    assert (submission.family_name, submission.given_names, submission.usage_name) == (
        "DUPONT",
        "Paul Louis",
        "MARTIN",
    )
    assert str(submission.birthdate) == "1980-06-15"
    assert (submission.gender, submission.birthplace, submission.birthcountry) == ("male", "35238", "99100")
    assert (submission.qf_value, submission.qf_year, submission.qf_month, submission.qf_provider) == (
        1234,
        2026,
        11,
        "CNAF",
    )
    assert submission.tariff_bracket == "B"
    assert submission.source == Source.FRANCECONNECT and submission.lookup == ""
    assert submission.address["numero_libelle_voie"] == "1 RUE DE LA PAIX"
    assert submission.allocataires == [
        {
            "nom_naissance": "DUPONT",
            "nom_usage": None,
            "prenoms": "PAUL",
            "date_naissance": "1980-06-15",
            "sexe": "M",
        }
    ]


def test_only_the_ticked_children_and_the_collected_data_are_stored(make_qf_page):
    page = make_qf_page(collect_allocataires=False, collect_address=False)
    submission = creation.save_submission(page, IDENTITY, family(), [JEAN, LEA], "t1")
    submission.refresh_from_db()
    assert [c["prenoms"] for c in submission.children] == ["JEAN", "LEA"]
    assert submission.allocataires == [] and submission.address is None
    assert set(submission.raw_response) == {"quotient_familial", "enfants"}
    assert submission.raw_response["enfants"] == [{"prenoms": "JEAN"}, {"prenoms": "LEA"}]


def test_a_page_that_does_not_collect_children_stores_none(make_qf_page):
    page = make_qf_page(collect_children=False)
    submission = creation.save_submission(page, IDENTITY, family(), [JEAN], "t1")
    assert submission.children == [] and "enfants" not in submission.raw_response


def test_an_answer_without_children_stores_no_child(make_qf_page):
    result = QFResult(QuotientFamilial("MSA", 800, 2026, 10), (), (), None, raw={"enfants": None})
    submission = creation.save_submission(make_qf_page(), IDENTITY, result, [], "t1")
    assert submission.raw_response == {"enfants": []}
    assert submission.address is None and submission.qf_provider == "MSA"


def test_the_bracket_shown_is_worked_out_when_not_given(make_qf_page):
    page = make_qf_page()
    fields = creation.certified_fields(page, family(), [])
    assert fields["tariff_bracket"] == page.bracket_of(family())
    assert creation.certified_fields(page, family(), [], bracket="")["tariff_bracket"] == ""


def test_a_dossier_without_quotient_stores_none(make_qf_page):
    result = QFResult(None, (), (), None, raw={})
    fields = creation.certified_fields(make_qf_page(), result, [], bracket="")
    assert (fields["qf_value"], fields["qf_year"], fields["qf_month"], fields["qf_provider"]) == (
        None,
        None,
        None,
        "",
    )


def test_names_longer_than_the_columns_are_cut_at_255(make_qf_page):
    identity = CitizenIdentity(sub="s", given_name="A" * 300, family_name="B" * 256, preferred_username="")
    fields = creation.identity_fields(identity)
    assert (fields["given_names"], fields["family_name"], fields["usage_name"]) == ("A" * 255, "B" * 255, "")
    assert fields["birthdate"] is None  # no birthdate given: none stored, not ""


def test_the_commune_is_the_chosen_one_or_the_pages(make_qf_page):
    page = make_qf_page(commune_cog="35051", commune_name="Cesson-Sévigné")
    own = creation.save_submission(page, IDENTITY, family(), [], "t1")
    assert (own.commune_cog, own.commune_name, own.external_id) == ("35051", "Cesson-Sévigné", "")
    chosen = creation.save_submission(
        page, IDENTITY, family(), [], "t2", commune=("352380", "R" * 130), external_id="F" * 70
    )
    assert (chosen.commune_cog, chosen.commune_name, chosen.external_id) == ("35238", "R" * 120, "F" * 64)


def test_who_made_the_dossier_is_stored(make_qf_page, admin_user):
    page = make_qf_page()
    typed = CitizenIdentity(sub="", given_name="Paul", family_name="DUPONT", source=IDENTITY_FORM)
    assert creation.save_submission(page, typed, family(), [], "t1").source == Source.IDENTITY
    counter = creation.save_submission(
        page, IDENTITY, family(), [], "t2", source=Source.COUNTER, entered_by=admin_user, email="f@x.test"
    )
    counter.refresh_from_db()
    assert (counter.source, counter.entered_by, counter.email) == (Source.COUNTER, admin_user, "f@x.test")


def test_the_same_form_posted_twice_makes_one_dossier(make_qf_page):
    page = make_qf_page()
    first = creation.create_submission(page, IDENTITY, family(), [JEAN], "same-token")
    again = creation.create_submission(page, IDENTITY, family(), [LUCIE], "same-token")
    assert again.pk == first.pk and Submission.objects.count() == 1
    assert [c["prenoms"] for c in Submission.objects.get().children] == ["JEAN"]


def test_a_refused_dossier_that_is_not_a_repeat_is_not_hidden(make_qf_page, monkeypatch):
    """An IntegrityError other than a token already used (none found) goes up: never a silent loss."""
    page = make_qf_page()

    def refuse(*args, **kwargs):
        raise IntegrityError("another constraint")

    monkeypatch.setattr(Submission, "save", refuse)
    with pytest.raises(IntegrityError):
        creation.create_submission(page, IDENTITY, family(), [], "t1")


def test_a_failed_save_leaves_the_callers_transaction_usable(make_qf_page):
    page = make_qf_page()
    creation.create_submission(page, IDENTITY, family(), [], "same-token")
    with transaction.atomic():
        creation.create_submission(page, IDENTITY, family(), [], "same-token")
        assert Submission.objects.count() == 1  # a broken transaction would raise here


def test_the_commune_is_told_and_receivers_called_once_committed(
    make_qf_page, django_capture_on_commit_callbacks
):
    page = make_qf_page(notification_email="famille@mairie.test")
    received = []

    def receiver(sender, submission, page, **kwargs):
        received.append((submission.pk, page.pk))

    submission_created.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            submission = creation.save_submission(page, IDENTITY, family(), [], "t1")
        assert not mail.outbox and not received  # nothing before the commit
        for callback in callbacks:
            callback()
    finally:
        submission_created.disconnect(receiver)
    assert received == [(submission.pk, page.pk)]
    assert [m.to for m in mail.outbox] == [["famille@mairie.test"]]


def test_without_notification_address_no_mail_is_sent(make_qf_page, django_capture_on_commit_callbacks):
    page = make_qf_page(notification_email="")
    with django_capture_on_commit_callbacks(execute=True):
        creation.save_submission(page, IDENTITY, family(), [], "t1")
        creation.save_declaration(page, IDENTITY, "t2", email="f@x.test")
    assert not mail.outbox


def test_a_failing_receiver_is_logged_and_the_others_still_run(make_qf_page, caplog):
    page = make_qf_page()
    submission = creation.save_submission(page, IDENTITY, family(), [], "t1")
    received = []

    def broken(sender, **kwargs):
        raise RuntimeError("boom")

    def working(sender, submission, **kwargs):
        received.append(submission.pk)

    submission_created.connect(broken)
    submission_created.connect(working)
    try:
        with caplog.at_level("ERROR", logger="wagtail_qf.journey"):
            creation.announce(submission, page)
    finally:
        submission_created.disconnect(broken)
        submission_created.disconnect(working)
    assert received == [submission.pk]
    ours = [
        r.getMessage() for r in caplog.records if r.name == "wagtail_qf.journey" and r.levelname == "ERROR"
    ]
    assert len(ours) == 1  # the failing receiver only
    assert ours[0].startswith("receiver of submission_created failed") and ours[0].endswith(
        "error=RuntimeError"
    )


def test_a_declaration_waits_for_its_lookup_and_keeps_the_typed_children(
    make_qf_page, django_capture_on_commit_callbacks
):
    page = make_qf_page(notification_email="famille@mairie.test")
    typed = CitizenIdentity(sub="", given_name="Paul", family_name="DUPONT", source=IDENTITY_FORM)
    with django_capture_on_commit_callbacks(execute=True):
        submission = creation.save_declaration(
            page,
            typed,
            "t1",
            email="famille@exemple.test",
            declared_children=[{"prenoms": "JEAN", "date_naissance": "2012-03-04"}],
            external_id="FAM-1",
        )
    submission.refresh_from_db()
    assert (submission.source, submission.lookup, submission.email) == (
        Source.IDENTITY,
        Lookup.PENDING,
        "famille@exemple.test",
    )
    assert submission.declared_children == [
        {"prenoms": "JEAN", "date_naissance": "2012-03-04", "matched": False}
    ]
    assert (submission.commune_cog, submission.external_id) == (page.commune_cog, "FAM-1")
    assert (submission.family_name, submission.given_names) == ("DUPONT", "Paul")  # as typed
    assert submission.qf_value is None and submission.children == []
    assert [m.to for m in mail.outbox] == [["famille@mairie.test"]]


def test_a_declaration_on_a_page_without_children_keeps_none(make_qf_page):
    page = make_qf_page(collect_children=False)
    submission = creation.save_declaration(
        page, IDENTITY, "t1", email="f@x.test", declared_children=[{"prenoms": "JEAN"}]
    )
    assert submission.declared_children == []


def test_the_same_declaration_posted_twice_is_refused_by_the_database(make_qf_page):
    page = make_qf_page()
    creation.save_declaration(page, IDENTITY, "t1", email="f@x.test")
    with pytest.raises(IntegrityError), transaction.atomic():
        creation.save_declaration(page, IDENTITY, "t1", email="f@x.test")
    assert creation.first_submission_of("t1") == Submission.objects.get()
    assert creation.first_submission_of("unknown") is None


def history_actions(submission):
    entries = DossierLogEntry.objects.filter(object_id=str(submission.pk)).order_by("pk")
    return list(entries.values_list("action", flat=True))


def test_the_history_starts_with_the_transmission_unless_an_agent_typed_it(make_qf_page, admin_user):
    """The agent reads in the history how the dossier came; the counter writes its own line."""
    page = make_qf_page()
    transmitted = creation.save_submission(page, IDENTITY, family(), [], "t1")
    declared = creation.save_declaration(page, IDENTITY, "t2", email="f@x.test")
    typed = creation.save_submission(
        page, IDENTITY, family(), [], "t3", source=Source.COUNTER, entered_by=admin_user
    )
    assert history_actions(transmitted) == [history.TRANSMISSION]
    assert history_actions(declared) == [history.TRANSMISSION]
    assert history.TRANSMISSION not in history_actions(typed)


def test_a_page_with_its_own_dossier_class_stores_its_own_fields(home_page):
    from .factories import TownHallQFPageFactory

    page = TownHallQFPageFactory(parent=home_page)
    submission = creation.save_submission(
        page, IDENTITY, family(), [], "t1", fields={"school": "École Jules Ferry"}
    )
    declared = creation.save_declaration(
        page, IDENTITY, "t2", email="f@x.test", fields={"school": "Les Tilleuls"}
    )
    assert type(submission).objects.get(pk=submission.pk).school == "École Jules Ferry"
    assert type(declared).objects.get(pk=declared.pk).school == "Les Tilleuls"


def test_a_dossier_without_email_keeps_none(make_qf_page):
    submission = creation.save_submission(make_qf_page(), IDENTITY, family(), [], "t1")
    assert (submission.email, submission.email_origin) == ("", "")


def test_a_transmission_becomes_the_dossier_of_its_path(make_qf_page):
    """What the journey checked is what the dossier holds, with or without FranceConnect."""
    page = make_qf_page()
    common = {"commune": ("35238", "Rennes"), "external_id": "FAM-1", "email": "f@x.test"}
    certified = creation.Transmission(
        page, IDENTITY, "t1", result=family(), children=[JEAN], bracket="B", **common
    )
    dossier = certified.save()
    dossier.refresh_from_db()
    assert (dossier.source, dossier.tariff_bracket, dossier.email) == (Source.FRANCECONNECT, "B", "f@x.test")
    assert [c["prenoms"] for c in dossier.children] == ["JEAN"]
    assert (dossier.commune_cog, dossier.external_id) == ("35238", "FAM-1")
    declared = creation.Transmission(
        page, IDENTITY, "t2", declared_children=[{"prenoms": "JEAN"}], **common
    ).save()
    declared.refresh_from_db()
    assert (declared.source, declared.lookup, declared.email) == (Source.IDENTITY, Lookup.PENDING, "f@x.test")
    assert declared.declared_children == [{"prenoms": "JEAN", "matched": False}]
    assert (declared.commune_cog, declared.external_id) == ("35238", "FAM-1")


def test_the_options_reach_the_dossier_made_once(make_qf_page):
    submission = creation.create_submission(
        make_qf_page(), IDENTITY, family(), [], "t1", bracket="C", external_id="F"
    )
    assert (submission.tariff_bracket, submission.external_id) == ("C", "F")


def test_a_declaration_without_portal_has_no_family_id(make_qf_page):
    submission = creation.save_declaration(make_qf_page(), IDENTITY, "t1", email="f@x.test")
    assert submission.external_id == ""


def test_creche_data_is_kept_only_when_the_page_collects_it(make_qf_page):
    from wagtail_qf.particulier.eaje import EAJEParameters, EAJEResult

    eaje = EAJEResult(EAJEParameters(2, 0, 30000, 2024), None, None, None)
    assert creation.pass_famille_fields(make_qf_page(), eaje=eaje)["eaje_data"] is None
    creche = make_qf_page(source_eaje=True, slug="creche")
    assert creation.pass_famille_fields(creche, eaje=eaje)["eaje_data"] == {
        "nombre_enfants_a_charge": 2,
        "nombre_enfants_beneficiaire_aeeh": 0,
        "ressources_annuelles": 30000,
        "annee_calcul": 2024,
    }


def test_a_franceconnect_dossier_keeps_the_follow_up_key_of_its_sub_and_no_other_does(
    make_qf_page, admin_user
):
    """The follow-up page finds a family's dossiers after a new FranceConnect login by this key:
    a dossier typed at the counter or declared without FranceConnect must not be found that way."""
    from wagtail_qf.models import follow_up_key

    page = make_qf_page()
    connected = creation.save_submission(page, IDENTITY, family(), [], "t1")
    typed = creation.save_submission(
        page, IDENTITY, family(), [], "t2", source=Source.COUNTER, entered_by=admin_user
    )
    declared = creation.save_declaration(page, IDENTITY, "t3", email="f@x.test")

    keys = dict(Submission.objects.values_list("pk", "follow_up_key"))
    assert keys == {connected.pk: follow_up_key("s"), typed.pk: "", declared.pk: ""}
    assert keys[connected.pk]  # IDENTITY's sub is "s": a real key


def test_each_transmission_is_counted_by_its_path_for_the_statistics(make_qf_page, admin_user):
    """The statistics page's funnel counts what families sent, by path; not the counter's entries."""
    from wagtail_qf.dossiers import statistics
    from wagtail_qf.models import DailyCount

    page = make_qf_page()
    creation.save_submission(page, IDENTITY, family(), [], "t1")
    creation.save_submission(page, IDENTITY, family(), [], "t2")
    creation.save_declaration(page, IDENTITY, "t3", email="f@x.test")
    creation.save_submission(page, IDENTITY, family(), [], "t4", source=Source.COUNTER, entered_by=admin_user)

    counted = DailyCount.objects.filter(page_id=page.pk, event=statistics.TRANSMITTED)
    assert dict(counted.values_list("code", "count")) == {Source.FRANCECONNECT: 2, Source.IDENTITY: 1}
