"""The background check of a dossier made without FranceConnect (API Particulier ``identite``).

The citizen typed an identity, a way to reach them and, on pages that collect them, the
children concerned; the dossier is saved at once with ``lookup`` pending and the call is
made here, by the ``check_identity`` task (``manage.py qf_lookups`` runs those still
due, for cron). Nothing found here is ever shown to the citizen: whether the family is
known or not is said only to the commune's agents, in the dossier.

- found: the quotient familial, tariff bracket, allocataires and address (as the page
  collects them) and, of the family's children, only those the citizen declared and
  that match one of them (``match_children``); declared children are marked matched or
  not. Children the citizen did not declare are never stored.
- not known to the CAF or the MSA (404): ``lookup`` NOT_FOUND; the agent asks the family
  for an attestation.
- a transient upstream error: FAILED with the error in ``lookup_error``, tried again
  later (``dossiers.lookups``), ``MAX_ATTEMPTS`` times in all.
- the commune's access refused (401, 403, 422): FAILED, logged at ERROR for the
  webmaster, tried again once a day only, within ``MAX_ATTEMPTS``.
- the page's daily budget of calls spent: no call; the dossier waits for the next day.

``submission_created`` (HubEE, editors' webhooks) is sent once the dossier is checked
(found or not found), not when it is saved: its receivers get what API Particulier said.
"""

import datetime
import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from ..conf import qf_settings
from ..dossiers import history, statistics
from ..dossiers.creation import announce, certified_fields, shown_only
from ..dossiers.lookups import (  # noqa: F401 -- the schedule, shared with the agents' display
    BUDGET,
    MAX_ATTEMPTS,
    OPEN,
    RETRY_DELAY,
    SETTLED_STATUSES,
    is_configuration_error,
    next_attempt_at,
)
from ..models import Submission
from ..models.search import words
from ..models.submissions import Lookup
from ..particulier import errors
from ..particulier.client import get_client
from ..particulier.types import IdentityQuery, Person

logger = logging.getLogger("wagtail_qf.lookup")

SEXES = {"female": "F", "male": "M"}


# -- names ------------------------------------------------------------------------
def name_tokens(text: str) -> list[str]:
    """« Léa-Marie  d'Arc » → ["lea", "marie", "d", "arc"]: no accent, no case, hyphens,
    apostrophes and spaces alike; the letters folded as the agents' search folds them
    (``models.search.words``: « Łukasz » is LUKASZ)."""
    return words(text)


def _score(declared: list[str], child: Person) -> int:
    """How many first names of ``declared`` match ``child``'s, from the first one (0: none).

    Either list may be the shorter (« Marie » for MARIE CLAIRE, or the other way round); a
    child's birth or usage name typed with the first names is left aside."""
    family = set(name_tokens(child.nom_naissance)) | set(name_tokens(child.nom_usage or ""))
    declared = [t for t in declared if t not in family] or declared
    given = name_tokens(child.prenoms)
    common = 0
    for typed, known in zip(declared, given, strict=False):
        if typed != known:
            break
        common += 1
    shorter = min(len(declared), len(given))
    return common if common and common == shorter else 0


def match_children(declared: list[dict], children) -> list[Person | None]:
    """For each declared child ({"prenoms", "date_naissance"}), the family's child it is, or None.

    Same date of birth, and first names that match from the first one. Each of the family's
    children is matched at most once, the best match first; a declaration that fits two
    children equally (twins typed by a shared first name) matches neither: the agent checks.
    """
    children = list(children or ())
    scores = []
    for d in declared:
        typed = name_tokens(d.get("prenoms", ""))
        date = d.get("date_naissance", "")
        scores.append(
            {
                j: s
                for j, c in enumerate(children)
                if date and c.date_naissance == date and (s := _score(typed, c))
            }
        )
    matched: list[Person | None] = [None] * len(declared)
    taken = set()
    for i in sorted(range(len(declared)), key=lambda i: -max(scores[i].values(), default=0)):
        free = {j: s for j, s in scores[i].items() if j not in taken}
        if not free:
            continue
        best = max(free.values())
        found = [j for j, s in free.items() if s == best]
        if len(found) == 1:
            matched[i] = children[found[0]]
            taken.add(found[0])
    return matched


# -- when (the schedule itself: ``dossiers.lookups``) -------------------------------
def error_code(exc: errors.ParticulierError) -> str:
    """« ProviderUnavailable:37001 »: the kind of error, then API Particulier's code."""
    return f"{type(exc).__name__}:{exc.code}"[:40]


def _start_of_day(now, days=0) -> datetime.datetime:
    day = timezone.localdate(now) + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


# -- the daily budget --------------------------------------------------------------
def daily_budget(page) -> int:
    budget = getattr(page, "identity_daily_budget", None)
    return qf_settings.DEFAULT_IDENTITY_DAILY_BUDGET if budget is None else budget


def calls_today(page, now=None, exclude=None) -> int:
    """Dossiers of ``page`` checked today (their tries of the day count once)."""
    queryset = Submission.objects.filter(page_id=page.pk, lookup_at__gte=_start_of_day(now or timezone.now()))
    return queryset.exclude(pk=exclude).count() if exclude else queryset.count()


# -- the check ---------------------------------------------------------------------
@dataclass(frozen=True)
class Outcome:
    lookup: str  # the dossier's ``lookup`` after this run ("" when there is no such dossier)
    retry_at: datetime.datetime | None = None  # when to run again, if ever
    called: bool = False  # whether API Particulier was called


def query_of(submission) -> IdentityQuery:
    """The typed identity of the dossier, as API Particulier's ``identite`` mode takes it."""
    birthdate = submission.birthdate
    if isinstance(birthdate, str):
        birthdate = datetime.date.fromisoformat(birthdate)
    return IdentityQuery(
        nom_naissance=submission.family_name,
        prenoms=tuple(submission.given_names.split()),
        sexe=SEXES.get(submission.gender, ""),
        code_pays_naissance=submission.birthcountry or "99100",
        annee_naissance=birthdate.year if birthdate else None,
        mois_naissance=birthdate.month if birthdate else None,
        jour_naissance=birthdate.day if birthdate else None,
        code_commune_naissance=submission.birthplace,
        nom_usage=submission.usage_name,
    )


def check(submission_id: int, now=None) -> Outcome:
    """Check the dossier if it is due and the page's budget allows; say when to run again."""
    now = now or timezone.now()
    unpurged = Submission.objects.filter(anonymised_at__isnull=True)
    submission = unpurged.select_related("page").filter(pk=submission_id).first()
    if submission is None:
        return Outcome("")
    due_at = next_attempt_at(submission, now)
    if due_at is None or due_at > now:  # settled, tried enough, or not yet
        return Outcome(submission.lookup, due_at)
    page = submission.page.specific
    if calls_today(page, now, exclude=submission.pk) >= daily_budget(page):
        if submission.lookup == Lookup.PENDING:
            Submission.objects.filter(pk=submission.pk).update(lookup_error=BUDGET)
        logger.warning("identite daily budget spent page=%s dossier=%s", page.pk, submission.pk)
        return Outcome(submission.lookup, _start_of_day(now, days=1))
    # Claimed by one worker only: the task and qf_lookups may meet on a dossier.
    claimed = Submission.objects.filter(
        pk=submission.pk, lookup=submission.lookup, lookup_attempts=submission.lookup_attempts
    ).update(lookup_attempts=F("lookup_attempts") + 1, lookup_at=now)
    if not claimed:
        return Outcome(submission.lookup)
    submission.lookup_attempts += 1
    submission.lookup_at = now
    return _call(submission, page, now)


def _call(submission, page, now) -> Outcome:
    month = page.qf_month()
    try:
        result = get_client().fetch_with_identity(
            query_of(submission), recipient=page.siret, year=month.year, month=month.month
        )
    except errors.NotFound as exc:
        statistics.record_failure(page.pk, "particulier", exc)
        if not _save(submission, lookup=Lookup.NOT_FOUND, lookup_error=""):
            return Outcome("", called=True)
        logger.info("identite lookup page=%s dossier=%s outcome=not_found", page.pk, submission.pk)
        announce(submission, page)
        return Outcome(Lookup.NOT_FOUND, called=True)
    except errors.ParticulierError as exc:
        statistics.record_failure(page.pk, "particulier", exc)
        if not _save(submission, lookup=Lookup.FAILED, lookup_error=error_code(exc)):
            return Outcome("", called=True)
        if is_configuration_error(submission.lookup_error):
            logger.error(
                "api particulier refused the service's configuration page=%s dossier=%s code=%s status=%s: "
                "check the API Particulier token and its rights, and the page's SIRET",
                page.pk,
                submission.pk,
                exc.code,
                exc.status,
            )
        else:
            logger.warning(
                "identite lookup failed page=%s dossier=%s error=%s attempt=%s",
                page.pk,
                submission.pk,
                submission.lookup_error,
                submission.lookup_attempts,
            )
        return Outcome(Lookup.FAILED, next_attempt_at(submission, now), called=True)
    announced = history.announced_data(submission)
    if announced is not None:  # nothing the family was not told of, whatever the page collects now
        result = shown_only(result, announced)
    matched = match_children(submission.declared_children, result.enfants)
    children = [child for child in matched if child is not None]
    saved = _save(
        submission,
        lookup=Lookup.FOUND,
        lookup_error="",
        declared_children=[
            {**declared, "matched": child is not None}
            for declared, child in zip(submission.declared_children, matched, strict=True)
        ],
        **certified_fields(page, result, children),
    )
    if not saved:
        return Outcome("", called=True)
    logger.info(
        "identite lookup page=%s dossier=%s outcome=found children=%s/%s",
        page.pk,
        submission.pk,
        len(children),
        len(matched),
    )
    announce(submission, page)
    return Outcome(Lookup.FOUND, called=True)


def _save(submission, **fields) -> bool:
    """Keep the outcome, unless the dossier was deleted or anonymised during the call (then False):
    an answer arriving after the purge is kept nowhere."""
    with transaction.atomic():
        unpurged = Submission.objects.select_for_update().filter(pk=submission.pk, anonymised_at__isnull=True)
        if not unpurged.exists():
            logger.info("identite lookup answer dropped: dossier=%s deleted or anonymised", submission.pk)
            return False
        for name, value in fields.items():
            setattr(submission, name, value)
        submission.save(update_fields=[*fields, "updated_at"])
    return True


def run_due(now=None) -> dict[str, int]:
    """Check every dossier that is due (oldest first); of those checked, how many ended in each state."""
    now = now or timezone.now()
    counts: dict[str, int] = {}
    open_ids = Submission.objects.filter(
        lookup__in=OPEN, lookup_attempts__lt=MAX_ATTEMPTS, anonymised_at__isnull=True
    ).exclude(status__in=SETTLED_STATUSES)
    for pk in open_ids.order_by("submitted_at").values_list("pk", flat=True).iterator():
        outcome = check(pk, now)
        if outcome.called and outcome.lookup:  # not a dossier gone during the call
            counts[outcome.lookup] = counts.get(outcome.lookup, 0) + 1
    return counts
