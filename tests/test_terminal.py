"""What a person at a terminal sees: the progress bar, coloured levels, completion."""

from __future__ import annotations

import io
import os
import pty
import select
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from feedpub.cli import ProgressBar, main
from tests.conftest import BUNDLED_SEEDS, DATA

BROKEN = DATA / "seeds" / "ambiguous-zone.txt"
WEEKDAY = Path(__file__).resolve().parent / "feeds" / "invalid" / "rss-date-weekday--tuesday.xml"
RED_ERROR = "\x1b[31m\x1b[1merror\x1b[0m"


class Terminal(io.StringIO):
    """A text stream that says it is a terminal, as click's bar asks."""

    def isatty(self) -> bool:
        return True


def test_the_bar_ends_its_line_when_parsing_is_done() -> None:
    screen = Terminal()
    with ProgressBar(enabled=True, file=screen) as bar:
        bar.update(1000, 2000)
        assert "\n" not in screen.getvalue()
        bar.update(2000, 2000)
        assert screen.getvalue().endswith("\n")
        screen.write("after\n")
    assert "100%" in screen.getvalue()
    assert screen.getvalue().count("after") == 1
    assert screen.getvalue().endswith("\nafter\n")


def test_a_diagnostic_during_parsing_starts_a_line_of_its_own() -> None:
    screen = Terminal()
    with ProgressBar(enabled=True, file=screen) as bar:
        bar.update(500, 2000)
        bar.finish()
        screen.write("seed.txt:1: error: broken\n")
        bar.update(2000, 2000)
    before, after = screen.getvalue().split("seed.txt:1: error: broken\n")
    assert before.endswith("\n")
    assert "100%" in after
    assert after.endswith("\n")


def test_no_bar_below_a_thousand_seeds_or_when_not_asked() -> None:
    for enabled, total in ((True, 999), (False, 5000)):
        screen = Terminal()
        with ProgressBar(enabled=enabled, file=screen) as bar:
            bar.update(total, total)
        assert screen.getvalue() == ""


def read_terminal(command: list[str], cwd: Path, **env: str) -> tuple[int, str]:
    """Run ``command`` with its stderr on a pseudo-terminal; its exit code and the screen."""
    controller, terminal = pty.openpty()
    environ = {**os.environ, "COLUMNS": "80"}
    environ.pop("NO_COLOR", None)
    environ.update(env)
    process = subprocess.Popen(
        command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=terminal, env=environ
    )
    os.close(terminal)
    screen = bytearray()
    while True:
        ready, _, _ = select.select([controller], [], [], 60)
        if not ready:
            process.kill()
            break
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the other end closed: the process is done
            break
        if not chunk:
            break
        screen += chunk
    os.close(controller)
    return process.wait(), screen.decode("utf-8")


def test_build_on_a_terminal_prints_each_diagnostic_on_its_own_line(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    text = next(BUNDLED_SEEDS.glob("*.txt")).read_bytes()
    for number in range(1200):
        (seeds / f"{number:05d}.txt").write_bytes(text)
    shutil.copy(BROKEN, seeds / "00600-broken.txt")
    command = [sys.executable, "-m", "feedpub", "build", "seeds", "--output", "public"]
    command += ["--base-url", "https://example.com/", "--cache-dir", "cache"]
    code, screen = read_terminal(command, tmp_path)
    assert code == 8, screen
    assert "Parsing seeds" in screen
    assert "100%" in screen
    lines = screen.replace("\r\n", "\n").split("\n")
    errors = [line for line in lines if "00600-broken.txt:" in line]
    assert len(errors) == 1, screen
    assert errors[0].startswith("seeds/00600-broken.txt:"), screen


def broken_folder(tmp_path: Path) -> Path:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(BROKEN, seeds / "broken.txt")
    shutil.copy(next(BUNDLED_SEEDS.glob("*.txt")), seeds / "good.txt")
    return seeds


def build_in(tmp_path: Path) -> list[str]:
    seeds = broken_folder(tmp_path)
    output = str(tmp_path / "public")
    args = ["build", str(seeds), "--output", output, "--no-cache", "--all-diagnostics"]
    return [*args, "--base-url", "https://x.org/"]


def test_levels_are_coloured_where_colour_is_on(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, build_in(tmp_path), color=True)
    assert result.exit_code == 8
    assert f"broken.txt:4: {RED_ERROR}: ambiguous time zone 'IST'" in result.stderr
    result = CliRunner().invoke(main, ["validate", str(WEEKDAY)], color=True)
    assert result.exit_code == 1
    assert f"{WEEKDAY}:18:7: {RED_ERROR}: rss-date-weekday: <pubDate>" in result.stdout


@pytest.mark.parametrize("env", [{}, {"NO_COLOR": "1"}])
def test_no_colour_when_not_a_terminal_or_with_no_color(
    tmp_path: Path, env: dict[str, str]
) -> None:
    colour = bool(not env)  # CliRunner's color=True stands for a terminal; NO_COLOR wins
    runner = CliRunner(env={"NO_COLOR": None, **env})
    for args in (build_in(tmp_path), ["validate", str(WEEKDAY)]):
        plain = runner.invoke(main, args)
        assert "\x1b" not in plain.output
        coloured = runner.invoke(main, args, color=True)
        assert ("\x1b[" in coloured.output) is colour
        assert errors(click.unstyle(coloured.output)) == errors(plain.output) != []


def errors(output: str) -> list[str]:
    return [line for line in output.splitlines() if ": error: " in line]


def test_a_real_terminal_gets_colour_unless_no_color(tmp_path: Path) -> None:
    seeds = broken_folder(tmp_path)
    command = [sys.executable, "-m", "feedpub", "build", str(seeds), "--all-diagnostics"]
    command += ["--output", str(tmp_path / "public"), "--base-url", "https://example.com/"]
    code, screen = read_terminal(command, tmp_path)
    assert (code, RED_ERROR in screen) == (8, True), screen
    code, screen = read_terminal(command, tmp_path, NO_COLOR="1")
    assert (code, "\x1b[" in screen, "error: ambiguous time zone" in screen) == (8, False, True), (
        screen
    )
