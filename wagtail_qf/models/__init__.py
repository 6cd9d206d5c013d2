from .brackets import TariffBracket, bracket_for  # noqa: F401
from .communes import ServedCommune  # noqa: F401
from .counts import SubmissionCount, SubmissionsVersion  # noqa: F401
from .documents import DocumentAuthor, DossierDocument  # noqa: F401
from .editors import EditorToken  # noqa: F401
from .exports import Export, ExportedSubmission  # noqa: F401
from .follow_up import FollowUpLink, follow_up_key  # noqa: F401
from .history import DossierLogEntry  # noqa: F401
from .hubee import HubEEForwarding, HubEEState  # noqa: F401
from .pages import AbstractQFTransmissionPage, QFTransmissionPage  # noqa: F401
from .statistics import DailyCount, DossierCount, JourneyEvent  # noqa: F401
from .submissions import EmailOrigin, Lookup, Source, Submission, SubmissionStatus  # noqa: F401
