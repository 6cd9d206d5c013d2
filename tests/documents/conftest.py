import pytest


@pytest.fixture
def documents_dir(settings, tmp_path):
    """The documents' private directory, a fresh one per test; other document settings on top."""
    directory = tmp_path / "private"

    def configure(**options):
        settings.WAGTAIL_QF = {
            **settings.WAGTAIL_QF,
            "DOCUMENTS": {"DIRECTORY": str(directory), **options},
        }
        return directory

    configure()
    return configure


@pytest.fixture
def awaiting(make_qf_page, make_submission, documents_dir):
    """A dossier « En attente de compléments » of a page that is notified by e-mail."""
    page = make_qf_page(notification_email="accueil@mairie.test")
    return make_submission(page, status="awaiting")
