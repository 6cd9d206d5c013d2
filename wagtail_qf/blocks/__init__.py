"""StreamField blocks the editor uses for the texts of each step."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

STEPS = [
    ("start", _("Accueil (avant la connexion)")),
    ("consent", _("Consentement (après la connexion)")),
    ("quotient", _("Affichage du quotient familial")),
    ("confirmation", _("Confirmation")),
    ("without_franceconnect", _("Sans FranceConnect")),
    ("error", _("Erreur (CAF/MSA, service indisponible)")),
]

RICH_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]


class StepTextBlock(blocks.StructBlock):
    """A rich text shown at one step of the journey."""

    step = blocks.ChoiceBlock(choices=STEPS, label=_("Étape"))
    text = blocks.RichTextBlock(features=RICH_FEATURES, label=_("Texte"))

    class Meta:
        icon = "doc-full"
        label = _("Texte d'une étape")
        template = "wagtail_qf/blocks/step_text.html"


class HelpBlock(blocks.StructBlock):
    """A titled help box (« Besoin d'aide ? »), shown at one step."""

    step = blocks.ChoiceBlock(choices=STEPS, label=_("Étape"))
    title = blocks.CharBlock(max_length=120, label=_("Titre"))
    text = blocks.RichTextBlock(features=RICH_FEATURES, label=_("Texte"))

    class Meta:
        icon = "help"
        label = _("Encadré d'aide")
        template = "wagtail_qf/blocks/help.html"


class StepBlocks(blocks.StreamBlock):
    step_text = StepTextBlock()
    help = HelpBlock()


def blocks_for_step(stream, step: str) -> list:
    """The stream's blocks that belong to ``step``, in the editor's order."""
    return [child for child in stream if child.value.get("step") == step]
