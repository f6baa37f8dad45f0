"""The partial plotly.js bundle the pages load: check it, or fetch it again.

Pages draw only scatter and bar traces, so they load plotly.js's "basic" bundle
(scatter, bar, pie: ~330 KB compressed instead of ~1.1 MB for the full library).
It is shipped in static/vendor/ as published on the npm registry, its licence
header kept, at the plotly.js version that the Python plotly package embeds, with
its sha256 recorded in static/vendor/plotly-basic.json:

    manage.py vendor_plotly --check            # the shipped file is the recorded one
    manage.py vendor_plotly [--tarball PATH]   # fetch (or unpack) and verify again

`make plotly` runs the second (through `npm pack` when npm is installed).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import tarfile
import urllib.request
from pathlib import Path
from typing import Any

import plotly
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

VENDOR = Path(settings.BASE_DIR) / "static" / "vendor"
RECORD = VENDOR / "plotly-basic.json"
LICENSE = "plotly.js-LICENSE"
DEFAULT_REGISTRY = "https://registry.npmjs.org"
HEADER_VERSION = re.compile(rb"plotly\.js(?: \([^)]*\))? v(\d+\.\d+\.\d+)")


def record() -> dict[str, Any]:
    """What static/vendor/plotly-basic.json says is shipped."""
    recorded: dict[str, Any] = json.loads(RECORD.read_text())
    return recorded


def embedded_version() -> str:
    """The plotly.js version inside the installed Python plotly package."""
    path = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
    with path.open("rb") as fh:
        match = HEADER_VERSION.search(fh.read(400))
    if match is None:
        raise CommandError(f"no plotly.js version in the header of {path}")
    return match.group(1).decode()


def problems() -> list[str]:
    """What is wrong with the shipped bundle (empty when all is well)."""
    wanted = record()
    found: list[str] = []
    path = VENDOR / wanted["file"]
    body = path.read_bytes() if path.exists() else b""
    if hashlib.sha256(body).hexdigest() != wanted["file_sha256"]:
        found.append(f"{path} is not the recorded file (sha256 differs)")
    header = HEADER_VERSION.search(body[:400])
    if header is None or header.group(1).decode() != wanted["version"]:
        found.append(f"{path} lost its licence header or is not v{wanted['version']}")
    if embedded_version() != wanted["version"]:
        found.append(
            f"the plotly package embeds plotly.js {embedded_version()}, the bundle "
            f"is {wanted['version']}: update {RECORD.name} and run `make plotly`"
        )
    if not (VENDOR / LICENSE).exists():
        found.append(f"{VENDOR / LICENSE} is missing")
    return found


class Command(BaseCommand):
    help = "Check the shipped plotly.js basic bundle, or fetch and verify it again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true")
        parser.add_argument("--tarball", help="an npm tarball already fetched")

    def handle(
        self, *args: Any, check: bool, tarball: str | None, **options: Any
    ) -> None:
        if check:
            if found := problems():
                raise CommandError("; ".join(found))
            self.stdout.write(f"plotly.js basic bundle v{record()['version']}: ok")
            return
        wanted = record()
        data = Path(tarball).read_bytes() if tarball else self._download(wanted)
        digest = hashlib.sha256(data).hexdigest()
        if digest != wanted["tarball_sha256"]:
            raise CommandError(
                f"tarball sha256 {digest} is not the recorded "
                f"{wanted['tarball_sha256']}: refusing to ship it"
            )
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
            for member, target in ((wanted["file"], wanted["file"]), ("LICENSE", LICENSE)):  # fmt: skip
                extracted = archive.extractfile(f"package/{member}")
                if extracted is None:
                    raise CommandError(f"package/{member} missing from the tarball")
                (VENDOR / target).write_bytes(extracted.read())
        if found := problems():
            raise CommandError("; ".join(found))
        self.stdout.write(
            f"fetched and verified {wanted['package']} {wanted['version']}"
        )

    def _download(self, wanted: dict[str, Any]) -> bytes:
        registry = os.environ.get("NPM_REGISTRY", DEFAULT_REGISTRY).rstrip("/")
        name, version = wanted["package"], wanted["version"]
        url = f"{registry}/{name}/-/{name}-{version}.tgz"
        self.stdout.write(f"fetching {url}")
        with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310
            data: bytes = response.read()
        return data
