"""What a dossier's summary says, once: the PDF (``summary_pdf``) and its accessible HTML twin
(``steps/summary.html``, RGAA 13.3) are both drawn from it, so they hold the same facts.

No reportlab import here: the HTML page does not load it.
"""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .dossier_display import display_of
from .formatting import date_text, euros, moment_text


@dataclass(frozen=True)
class Section:
    title: str = ""
    notes: tuple[str, ...] = ()  # paragraphs under the title
    rows: tuple[tuple[str, str], ...] = ()  # label / value, empty values left out
    lines: tuple[str, ...] = ()  # one fact a line (a person, a line of the address)


@dataclass(frozen=True)
class Summary:
    title: str  # « Transmission du quotient familial »
    author: str  # the commune
    subject: str
    reference: str
    rows: tuple[tuple[str, str], ...]  # who the dossier is for, its reference, date, status
    sections: tuple[Section, ...] = field(default_factory=tuple)
    generated: str = ""  # « Récapitulatif généré le … »


def _rows(rows) -> tuple[tuple[str, str], ...]:
    return tuple((str(label), str(value)) for label, value in rows if value not in (None, ""))


def _lines(title, lines) -> tuple[Section, ...]:
    return (Section(title=title, lines=tuple(lines)),) if lines else ()


def summary_of(submission) -> Summary:
    """The summary of one dossier (:class:`~wagtail_qf.models.Submission`); an anonymised
    dossier's shows only what the retention purge keeps: no personal data."""
    page = submission.page.specific
    display = display_of(submission, page)
    rows = _rows(
        [
            (_("Commune destinataire"), display.commune),
            (_("Service gestionnaire"), display.service),
            (display.siret_label, display.siret),
            (_("Référence"), submission.reference),
            (_("Transmis le"), moment_text(submission.submitted_at)),
            (_("Parcours"), submission.get_source_display()),
            (_("Statut"), submission.get_status_display()),
        ]
    )
    if submission.anonymised_at:
        note = _("Données personnelles effacées le %(date)s (durée de conservation dépassée).") % {
            "date": moment_text(submission.anonymised_at)
        }
        sections = (Section(notes=(note,)),)
    else:
        sections = _personal_sections(submission, display)
    return Summary(
        title=str(capfirst(page._meta.verbose_name)),
        author=getattr(page, "commune_name", "") or page.title,
        subject=str(capfirst(submission._meta.verbose_name)),
        reference=submission.reference,
        rows=rows,
        sections=sections,
        generated=_("Récapitulatif généré le %(date)s") % {"date": moment_text(timezone.now())},
    )


def _personal_sections(submission, display) -> tuple[Section, ...]:
    birthdate = submission.birthdate
    requester = Section(
        title=_("Demandeur"),
        notes=(display.requester_note,),
        rows=_rows(
            [
                (_("Nom de naissance"), submission.family_name),
                (_("Nom d'usage"), submission.usage_name),
                (_("Prénoms"), submission.given_names),
                (_("Date de naissance"), date_text(birthdate) if birthdate else ""),
                (_("Sexe"), submission.gender_label),
                (_("Commune de naissance"), display.birthplace),
                (_("Pays de naissance"), display.birthcountry),
                (_("Adresse électronique"), submission.email),
            ]
        ),
    )
    value = "–" if submission.qf_value is None else euros(submission.qf_value)
    quotient = Section(
        title=_("Quotient familial"),
        notes=(
            display.family_note,
            *([f"{_('Vérification CAF/MSA')} : {display.lookup}"] if display.lookup else []),
        ),
        rows=_rows(
            [
                (_("Valeur"), value),
                (_("Mois"), display.qf_month),
                (_("Organisme"), submission.get_qf_provider_display()),
                (_("Tranche tarifaire"), "" if display.bracket_basis else submission.tariff_bracket),
            ]
        ),
    )
    declared = [
        f"{line} – "
        + (
            _("retrouvé dans le dossier CAF ou MSA")
            if matched
            else _("non retrouvé : à vérifier avec la famille")
        )
        for line, matched in display.declared_children
    ]
    return (
        requester,
        *((quotient,) if display.shows_qf else ()),
        *_pass_famille_sections(submission, display),
        *_lines(_("Allocataires"), display.allocataires),
        *(
            _lines(_("Enfants concernés"), display.children or [display.no_children])
            if display.shows_children
            else ()
        ),
        *_lines(_("Enfants déclarés par le demandeur"), declared),
        *_lines(
            _("Adresse connue de la CAF ou de la MSA"), [v for v in (submission.address or {}).values() if v]
        ),
    )


def _pass_famille_sections(submission, display) -> tuple[Section, ...]:
    """The tax and crèche data, the bracket worked out on the RFR per part, the sources not obtained."""
    sections = []
    if display.tax_rows:
        sections.append(
            Section(title=_("Données fiscales"), notes=(display.tax_note,), rows=display.tax_rows)
        )
    if display.eaje_rows:
        sections.append(Section(title=_("Participation familiale en crèche"), rows=display.eaje_rows))
    if display.bracket_basis and submission.tariff_bracket:
        line = _("%(bracket)s (d'après le %(basis)s)") % {
            "bracket": submission.tariff_bracket,
            "basis": display.bracket_basis,
        }
        sections.append(Section(title=_("Tranche tarifaire"), lines=(line,)))
    return (*sections, *_lines(_("Données non obtenues"), display.missing_sources))
