from .pages import AbstractQFTransmissionPage, QFTransmissionPage  # noqa: F401
from .submissions import Submission, SubmissionStatus  # noqa: F401
