"""Hostile but realistic input: nothing lost, no traceback, no hang.

Each test is one finding of a hostile review, named after what it keeps true.
"""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import feedpub.build
from feedpub.cli import EXIT_INTERNAL_ERROR, EXIT_OK, main
from feedpub.validate import validate
from tests.conftest import BUNDLED_SEEDS

EXAMPLE = next(BUNDLED_SEEDS.glob("*.txt")).read_bytes()
BASE_URL = "https://example.com/"


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [os.fsdecode(arg) for arg in args], catch_exceptions=False)


def build(seeds: Path, output: Path, *more: str) -> Result:
    return run("build", seeds, "-o", output, "--base-url", BASE_URL, *more)


def seed(folder: Path, name: str | bytes, data: bytes = EXAMPLE) -> Path:
    """Write a seed named ``name`` (bytes for a name that is not UTF-8) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / os.fsdecode(name)
    path.write_bytes(data)
    return path


def errors_in(data: bytes) -> list[str]:
    return [f"{f.code}: {f.message}" for f in validate(data) if f.level == "error"]


def test_a_crash_exits_70_with_one_line_and_the_traceback_only_with_debug(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> bytes:
        raise RuntimeError("render exploded")

    monkeypatch.setattr(feedpub.build, "render", broken)
    result = build(BUNDLED_SEEDS, tmp_path)
    assert result.exit_code == EXIT_INTERNAL_ERROR
    assert result.stderr == (
        "error: feedpub failed unexpectedly, a bug: RuntimeError: render exploded "
        "(--debug shows the traceback)\n"
    )
    for debug in (["--debug", "build"], ["build", "--debug"]):
        result = run(*debug, BUNDLED_SEEDS, "-o", tmp_path, "--base-url", BASE_URL)
        assert result.exit_code == EXIT_INTERNAL_ERROR
        assert result.stderr.startswith("Traceback (most recent call last):\n")
        assert result.stderr.endswith("a bug: RuntimeError: render exploded\n")
    assert not (tmp_path / "rss.xml").exists()


@pytest.mark.parametrize("cache", [True, False])
def test_a_name_that_is_not_utf8_gets_an_id_of_its_bytes(tmp_path: Path, cache: bool) -> None:
    seeds = tmp_path / "seeds"
    seed(seeds, b"caf\xe9.txt")
    seed(seeds, "plain.txt", EXAMPLE.replace(b"01:01 PM", b"02:01 PM"))
    more = () if cache else ("--no-cache",)
    result = build(seeds, tmp_path / "out", *more)
    assert (result.exit_code, result.stderr) == (EXIT_OK, "")
    atom = (tmp_path / "out" / "atom.xml").read_bytes()
    assert errors_in(atom) == []
    assert b"<id>tag:example.com,2022-05-23:caf%E9</id>" in atom
    assert b'href="https://example.com/articles/caf%E9.html"' in atom


def test_a_name_that_is_not_utf8_is_reported_with_escapes(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seed(seeds, b"caf\xe9.txt", b"")
    seed(seeds, "plain.txt")
    for log_format in ("text", "json"):
        result = build(seeds, tmp_path / "out", "--log-format", log_format)
        assert result.exit_code == 1
        assert f"{seeds}/caf\\xe9.txt" in result.stderr.replace("\\\\", "\\")


def test_ids_do_not_depend_on_the_names_normalization_form(tmp_path: Path) -> None:
    ids = []
    for form in ("NFC", "NFD"):
        seeds = tmp_path / form
        seed(seeds, unicodedata.normalize(form, "café.txt"))
        assert build(seeds, tmp_path / f"out-{form}").exit_code == EXIT_OK
        ids.append((tmp_path / f"out-{form}" / "atom.xml").read_bytes().split(b"<id>")[2])
    assert ids[0] == ids[1]
    assert ids[0].startswith(b"tag:example.com,2022-05-23:caf%C3%A9</id>")
