from .pages import AbstractQFTransmissionPage, QFTransmissionPage  # noqa: F401
from .submissions import Submission, SubmissionStatus  # noqa: F401
from .brackets import TariffBracket, bracket_for  # noqa: F401
