import shutil
import subprocess
import tarfile
import tempfile
from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wagtail_qf.communes import search
from wagtail_qf.communes.build import DEFAULT_PATH, build, write

PACKAGE = "@etalab/decoupage-administratif"
# Older editions that still name the communes merged since (newest first).
HISTORY = "5.0.0,3.0.0,1.0.0,0.3.0"


class Command(BaseCommand):
    help = f"Rebuild wagtail_qf/communes/data/communes.tsv.gz from the npm package {PACKAGE}."

    def create_parser(self, prog_name, subcommand, **kwargs) -> CommandParser:
        # --version is the package version here, not Django's.
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--version",
            dest="package_version",
            default="6",
            help="npm version or range of the package (default: 6).",
        )
        parser.add_argument("--source", help="An already unpacked package directory (no npm call).")
        parser.add_argument(
            "--history",
            default=HISTORY,
            help="Older versions naming former communes, newest first ('' for none).",
        )
        parser.add_argument(
            "--history-source",
            action="append",
            default=[],
            help="An unpacked older edition (repeatable, newest first; no npm call).",
        )
        parser.add_argument("--output", default=str(DEFAULT_PATH), help="File to write.")

    def handle(
        self,
        *args,
        package_version="6",
        source=None,
        output=None,
        history=HISTORY,
        history_source=(),
        **options,
    ) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            current = source or self._fetch(package_version, tmp / "current")
            older = (
                list(history_source)
                if (source or history_source)
                else [self._fetch(version, tmp / version) for version in filter(None, history.split(","))]
            )
            records = build(current, older)
        path = write(records, output or DEFAULT_PATH)
        search.reset()
        counts = Counter(r["kind"] for r in records)
        detail = ", ".join(f"{kind}: {n}" for kind, n in sorted(counts.items()))
        self.stdout.write(self.style.SUCCESS(f"{len(records)} entries written to {path} ({detail})."))

    def _fetch(self, version, tmp):
        tmp.mkdir(parents=True, exist_ok=True)
        npm = shutil.which("npm")
        if not npm:
            raise CommandError("npm not found: install Node.js or pass --source.")
        result = subprocess.run(  # noqa: S603 -- an argument list, no shell
            [npm, "pack", f"{PACKAGE}@{version}"], cwd=tmp, capture_output=True, text=True
        )
        if result.returncode:
            raise CommandError(f"npm pack failed: {result.stderr.strip()}")
        tarball = tmp / result.stdout.strip().splitlines()[-1]
        with tarfile.open(tarball) as tar:
            tar.extractall(tmp, filter="data")
        return tmp / "package"
