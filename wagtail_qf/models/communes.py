"""Communes served by an intercommunal (EPCI) page: the citizen picks theirs.

A page without served communes serves only its own commune (the page's
``commune_*`` fields). With served communes, the page's fields stay the
page's identity (the EPCI or the commune) and its ``siret`` stays the API
recipient; the citizen's commune of residence is stored in the dossier.
"""

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
        """A commune listed twice on a page would be offered twice to the citizen."""
        seen, errors = set(), []
        for commune in communes:
            if commune.cog in seen:
                errors.append(
                    (commune, "cog", _("Cette commune est déjà dans la liste des communes desservies."))
                )
            seen.add(commune.cog)
        return errors


def served_commune_choices(page) -> list[ServedCommune]:
    """The page's served communes, in the editor's order (an empty list for a single commune).

    Read once per page object, and not at all on a page that serves one commune
    (``serves_several_communes``, kept by the page's ``save()``)."""
    if not getattr(page, "serves_several_communes", False):
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


def search_served(served, query, limit=DIRECT_CHOICE_MAX) -> list[ServedCommune]:
    """Served communes matching ``query`` by name or postcode, accent-insensitive.

    The query is normalised as in the national reference search: « 35510 »,
    « cesson sevigne » and « 35510 CESSON SEVIGNE » all find Cesson-Sévigné.
    """
    from ..communes.search import ABBREVIATIONS, normalise

    words = normalise(query or "").split()
    if not words:
        return []
    found = []
    for commune in served:
        reference = _reference(commune.cog)
        postcodes = {commune.postcode, *(reference.postcodes if reference else ())} - {""}
        names = " " + " ".join({normalise(commune.name), normalise(reference.name) if reference else ""})
        rest = list(words)
        if rest[0].isdigit() or rest[0][:2] in ("2a", "2b"):
            number = rest.pop(0)
            if not any(p.startswith(number) for p in postcodes) and commune.cog.lower() != number:
                continue
        if all(
            _has_word_prefix(names, w) or (w in ABBREVIATIONS and _has_word_prefix(names, ABBREVIATIONS[w]))
            for w in rest
        ):
            found.append(commune)
            if len(found) == limit:
                break
    return found


def _has_word_prefix(names, word):
    return f" {word}" in names


def _reference(cog):
    from ..communes import search as communes

    return communes.get(cog)


def refresh_served_flag(instance, **kwargs) -> None:
    """A served commune saved or deleted on its own (not through its page): keep the page's flag."""
    several = ServedCommune.objects.filter(page_id=instance.page_id).exists()
    for page_model in qf_page_models():  # the page is of one of them
        page_model.objects.filter(pk=instance.page_id).update(serves_several_communes=several)
