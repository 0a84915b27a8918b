"""Shared test helpers."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from feedpub.config import Config

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
GOLDEN = Path(__file__).resolve().parent / "golden"
BUNDLED_SEEDS = ROOT / "seeds"

#: Set to 1 to rewrite expected files from current output; review the diff before committing.
REGENERATE = os.environ.get("FEEDPUB_REGENERATE") == "1"


def check_expected(path: Path, actual: str) -> None:
    """Compare ``actual`` with the expected file, or rewrite it in regenerate mode."""
    if REGENERATE:
        path.write_text(actual, encoding="utf-8", newline="\n")
    assert path.read_text(encoding="utf-8") == actual


@pytest.fixture(autouse=True)
def _private_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keep each test's seed cache out of the user's home, and out of other tests' way."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture
def config(tmp_path: Path) -> Config:
    """The settings the golden feeds are made with, writing below ``tmp_path``."""
    return Config(
        base_url="https://example.com/",
        title="feedpub example",
        description="Articles from the bundled example seeds",
        output=tmp_path / "public",
    )
