"""The contract every registered output keeps, and a toy output that needs only registering.

The contract tests run for each output in the registry, and for the toy output of
tests/titles_output.py, which this module registers: a new output is tested by being
registered.
"""

from __future__ import annotations

import dataclasses
import http.client
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from feedpub.build import build
from feedpub.cli import EXIT_DROP_REFUSED, EXIT_OK, EXIT_OUT_OF_DATE, main
from feedpub.config import Config
from feedpub.outputs import OUTPUTS
from feedpub.serve import make_server
from tests import titles_output
from tests.conftest import BUNDLED_SEEDS, DATA, running

NAMES = [*OUTPUTS, titles_output.NAME]


@pytest.fixture(autouse=True)
def _toy_registered(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(OUTPUTS, titles_output.NAME, titles_output)


@pytest.fixture
def built(config: Config) -> Config:
    """The fixture folder (broken seeds and all) built into ``config.output``."""
    build(seeds=DATA / "seeds", config=config)
    return config


@pytest.mark.parametrize("name", NAMES)
def test_an_output_is_deterministic(built: Config, name: str, tmp_path: Path) -> None:
    again = dataclasses.replace(built, output=tmp_path / "again")
    build(seeds=DATA / "seeds", config=again)
    file_name = OUTPUTS[name].FILE_NAME
    assert (built.output / file_name).read_bytes() == (again.output / file_name).read_bytes()


@pytest.mark.parametrize("name", NAMES)
def test_an_output_passes_its_own_validator(built: Config, name: str, config: Config) -> None:
    output = OUTPUTS[name]
    findings = output.validate((built.output / output.FILE_NAME).read_bytes())
    # The fixture folder's title with markup in it is published as text, with a warning
    # at build time (README, Fallbacks), and the validator warns of it too.
    assert {(finding.level, finding.code) for finding in findings} <= {("warning", "title-html")}
    clean = dataclasses.replace(config, output=config.output.parent / "clean")
    build(seeds=BUNDLED_SEEDS, config=clean)
    assert output.validate((clean.output / output.FILE_NAME).read_bytes()) == []


@pytest.mark.parametrize("name", NAMES)
def test_an_output_counts_the_entries_it_wrote(config: Config, name: str) -> None:
    result = build(seeds=DATA / "seeds", config=config)
    output = OUTPUTS[name]
    assert len(result.entries) == 39
    # The head snippet holds links to the feeds, and no entry to count.
    expected = None if name == "head" else 39
    assert output.count_entries(config.output / output.FILE_NAME) == expected
    assert output.count_entries(config.output / "missing" / output.FILE_NAME) is None


@pytest.mark.parametrize("name", NAMES)
def test_serve_answers_with_the_outputs_media_type(built: Config, name: str) -> None:
    output = OUTPUTS[name]
    with running(
        make_server(built.output, bind="127.0.0.1", port=0, log=lambda line: None)
    ) as server:
        connection = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=10)
        connection.request("GET", f"/{output.FILE_NAME}")
        response = connection.getresponse()
        body = response.read()
        connection.close()
    assert response.status == 200
    charset = "" if output.MEDIA_TYPE.endswith("json") else "; charset=utf-8"
    assert response.getheader("Content-Type") == output.MEDIA_TYPE + charset
    assert body == (built.output / output.FILE_NAME).read_bytes()


def cli_build(seeds: Path, output: Path, *more: str) -> tuple[int, str, str]:
    args = ["build", str(seeds), "-o", str(output), "--base-url", "https://example.com/", *more]
    result = CliRunner().invoke(main, [*args, "--no-cache"])
    return result.exit_code, result.stdout, result.stderr


def test_a_registered_output_is_written_checked_and_guarded(tmp_path: Path) -> None:
    seeds, public = tmp_path / "seeds", tmp_path / "public"
    shutil.copytree(BUNDLED_SEEDS, seeds)
    code, stdout, _ = cli_build(seeds, public)
    assert code == EXIT_OK
    assert f"{public / 'titles.txt'}; unchanged: none" in stdout
    title = (seeds / "000_3ce5400f56404a2c.txt").read_text(encoding="utf-8").splitlines()[1]
    assert (public / "titles.txt").read_text(encoding="utf-8") == f"{title}\n"

    # --check sees it go out of date, and says so of it alone when only it differs.
    (public / "titles.txt").write_text("An old title\n", encoding="utf-8")
    code, _, stderr = cli_build(seeds, public, "--check")
    assert (code, stderr) == (EXIT_OUT_OF_DATE, f"{public / 'titles.txt'}: error: would change\n")

    # The drop guard counts its entries: one where ten were is a drop it refuses.
    (public / "titles.txt").write_text("A title\n" * 10, encoding="utf-8")
    code, _, stderr = cli_build(seeds, public)
    assert code == EXIT_DROP_REFUSED
    assert stderr.startswith(f"{public / 'titles.txt'}: error: the new feed would hold 1 ")
    assert (public / "titles.txt").read_text(encoding="utf-8") == "A title\n" * 10


def test_a_rebuild_checks_and_counts_only_the_files_that_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file that already holds its new bytes was validated when it was written, and
    loses no entry: a no-op rebuild neither validates nor reads it."""
    seeds, public = tmp_path / "seeds", tmp_path / "public"
    shutil.copytree(BUNDLED_SEEDS, seeds)
    assert cli_build(seeds, public)[0] == EXIT_OK
    validated: list[str] = []
    counted: list[str] = []

    def validate(data: bytes) -> list[object]:
        validated.append(data.decode())
        return []

    def count_entries(path: Path) -> int | None:
        counted.append(path.name)
        return 1

    monkeypatch.setattr(titles_output, "validate", validate)
    monkeypatch.setattr(titles_output, "count_entries", count_entries)
    assert cli_build(seeds, public)[0] == EXIT_OK
    assert (validated, counted) == ([], [])
    (public / "titles.txt").write_text("An old title\n", encoding="utf-8")
    assert cli_build(seeds, public)[0] == EXIT_OK
    title = (seeds / "000_3ce5400f56404a2c.txt").read_text(encoding="utf-8").splitlines()[1]
    assert (validated, counted) == ([f"{title}\n"], ["titles.txt"])
