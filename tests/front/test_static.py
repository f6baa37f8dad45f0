"""What production serves: fingerprinted, compressed static files, plotly.js included."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command


@pytest.mark.slow
def test_collectstatic_fingerprints_and_compresses(settings, tmp_path: Path) -> None:
    """Every file gets a hashed name and .gz/.br siblings; plotly comes from the package."""
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = settings.STORAGES | {
        "staticfiles": {
            "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        }
    }
    call_command("collectstatic", "--noinput", verbosity=0)
    for name in (
        "css/modelboard.css",
        "js/modelboard.js",
        "vendor/plotly-basic.min.js",
    ):
        stem, suffix = name.rsplit(".", 1)
        hashed = list(tmp_path.glob(f"{stem}.*.{suffix}"))
        assert len(hashed) == 1, name
        assert Path(f"{hashed[0]}.gz").exists() and Path(f"{hashed[0]}.br").exists()
    assert (tmp_path / "staticfiles.json").exists()
