"""Communes served by an intercommunal (EPCI) page: the citizen picks theirs.

A page without served communes serves only its own commune (the page's
``commune_*`` fields). With served communes, the page's fields stay the
page's identity (the EPCI or the commune) and its ``siret`` stays the API
recipient; the citizen's commune of residence is stored in the dossier.
"""

from dataclasses import dataclass

import swapper
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.models import Orderable

from ..validators import check_commune, validate_cog, validate_postcode, validate_siret
from .pages import qf_page_models

swapper.set_app_prefix("wagtailcore", "wagtail")

# Up to this many served communes the citizen gets radio buttons directly; above, a search.
DIRECT_CHOICE_MAX = 10


class ServedCommune(Orderable):
    # To the Page model: any page type built on the QF mixin can serve several communes.
    page = ParentalKey(
        swapper.get_model_name("wagtailcore", "Page"),
        on_delete=models.CASCADE,
        related_name="served_communes",
    )
    cog = models.CharField(
        _("code INSEE (COG)"),
        max_length=5,
        validators=[validate_cog],
        help_text=_("Code officiel géographique de la commune, par exemple 35051."),
    )
    name = models.CharField(
        _("nom de la commune"),
        max_length=120,
        blank=True,
        help_text=_("Vide : le nom officiel de la commune."),
    )
    postcode = models.CharField(
        _("code postal"),
        max_length=5,
        blank=True,
        help_text=_("Vide : le code postal principal de la commune."),
    )
    # The commune's own SIRET: an editor's link to the national form's route for this commune
    # (``/collectivites/<SIRET>/me_connecter``) leads to this page, the commune chosen.
    siret = models.CharField(
        _("SIRET de la commune"),
        max_length=14,
        blank=True,
        db_index=True,
        validators=[validate_siret],
        help_text=_(
            "Facultatif : les liens des portails famille qui visent ce SIRET (comme pour le "
            "formulaire national) mènent à cette page, la commune déjà choisie."
        ),
    )

    class Meta(Orderable.Meta):
        verbose_name = _("commune desservie")
        verbose_name_plural = _("communes desservies")

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return f"{self.name} ({self.postcode})" if self.postcode else self.name

    def clean(self) -> None:
        self.cog = (self.cog or "").strip().upper()
        self.postcode = (self.postcode or "").strip()
        validate_cog(self.cog)
        if self.postcode:
            try:
                validate_postcode(self.postcode)
            except ValidationError as exc:
                raise ValidationError({"postcode": exc.messages}) from None
        commune = check_commune(self.cog, self.postcode)
        if not (self.name or "").strip():
            self.name = commune.name
        if not self.postcode and commune.postcodes:
            self.postcode = commune.postcodes[0]

    @classmethod
    def siblings_errors(cls, communes) -> list[tuple["ServedCommune", str, str]]:
        """A commune listed twice on a page would be offered twice to the citizen; a SIRET given
        to two communes would make the national form's link for it choose one of them at random."""
        seen, sirets, errors = set(), set(), []
        for commune in communes:
            if commune.cog in seen:
                errors.append(
                    (commune, "cog", _("Cette commune est déjà dans la liste des communes desservies."))
                )
            elif commune.siret and commune.siret in sirets:
                errors.append((commune, "siret", _("Ce SIRET est déjà celui d'une autre commune desservie.")))
            seen.add(commune.cog)
            if commune.siret:
                sirets.add(commune.siret)
        return errors


def served_commune_choices(page) -> list[ServedCommune]:
    """The page's served communes, in the editor's order (an empty list for a single commune).

    Read once per page object, and not at all on a page that serves one commune
    (``serves_several_communes``, kept by the page's ``save()``). A page built from the editor's
    form or a revision (the admin's preview) holds its communes in memory, flag not yet kept:
    those are its communes."""
    unsaved = "served_communes" in (page.__dict__.get("_cluster_related_objects") or {})
    if not unsaved and not getattr(page, "serves_several_communes", False):
        return []
    if "_qf_served" not in page.__dict__:
        page.__dict__["_qf_served"] = list(page.served_communes.all())
    return page.__dict__["_qf_served"]


def find_served(page, cog) -> ServedCommune | None:
    """The served commune of code ``cog``, or None (a forged or removed code)."""
    cog = (cog or "").strip().upper()
    if not cog:
        return None
    return next((c for c in served_commune_choices(page) if c.cog == cog), None)


def search_served(served, query, limit=None) -> list[ServedCommune]:
    """Served communes matching ``query`` by name or postcode, accent-insensitive, in alphabetical
    order; all of them unless ``limit`` (a postcode may be shared by dozens of communes, and the
    family's must be there).

    The query is normalised as in the national reference search: « 35510 »,
    « cesson sevigne », « 35510 CESSON SEVIGNE » and « Cesson 35510 » all find Cesson-Sévigné,
    « lhermitage » L'Hermitage, « st » is « saint ».
    """
    return [match.commune for match in search_served_matches(served, query)][:limit]


@dataclass(frozen=True)
class ServedMatch:
    """A served commune found by a search, and the former commune's name that found it, if any
    (« maure » finds Val d'Anast, of which Maure-de-Bretagne is part)."""

    commune: ServedCommune
    former_name: str = ""

    @property
    def cog(self) -> str:
        return self.commune.cog

    @property
    def label(self) -> str:
        return self.commune.label


def search_served_matches(served, query) -> list[ServedMatch]:
    """Every served commune matching ``query``, in alphabetical order (a postcode may list dozens
    of communes: the family looks for its name), see ``search_served``."""
    from ..communes.search import NUMBER, normalise, query_words

    words = query_words(query or "")
    if not words:
        return []
    numbers = [w for w in words if NUMBER.match(w)]
    rest = [w for w in words if not NUMBER.match(w)]
    found = []
    for commune in served:
        reference = _reference(commune.cog)
        postcodes = {commune.postcode, *(reference.postcodes if reference else ())} - {""}
        names = [commune.name, reference.name if reference else ""]
        line = _names_line(names)
        if not all(
            any(p.startswith(n) for p in postcodes) or commune.cog.lower() == n or _has_word(line, n)
            for n in numbers
        ):
            continue
        if _has_words(line, rest):
            found.append(ServedMatch(commune))
            continue
        # A family of a delegated or former commune types its village's name.
        former = next((n for n in _former_names(commune.cog) if _has_words(_names_line([n]), rest)), "")
        if former and rest:
            found.append(ServedMatch(commune, former))
    return sorted(found, key=lambda match: (normalise(match.commune.name), match.commune.postcode))


def _names_line(names) -> str:
    """`` word word`` of the names, also with their elided articles joined (« l hermitage lhermitage »)."""
    from ..communes.search import normalise, query_words

    forms = set()
    for name in names:
        if name:
            forms |= {normalise(name), " ".join(query_words(name))}
    return " " + " ".join(sorted(forms))


def _has_word(line, word) -> bool:
    from ..communes.search import ABBREVIATIONS

    return f" {word}" in line or (word in ABBREVIATIONS and f" {ABBREVIATIONS[word]}" in line)


def _has_words(line, words) -> bool:
    return all(_has_word(line, w) for w in words)


def _former_names(cog):
    from ..communes import search as communes

    return communes.former_names(cog)


def _reference(cog):
    from ..communes import search as communes

    return communes.get(cog)


def refresh_served_flag(instance, **kwargs) -> None:
    """A served commune saved or deleted on its own (not through its page): keep the page's flag."""
    several = ServedCommune.objects.filter(page_id=instance.page_id).exists()
    for page_model in qf_page_models():  # the page is of one of them
        page_model.objects.filter(pk=instance.page_id).update(serves_several_communes=several)
