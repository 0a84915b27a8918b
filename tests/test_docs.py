"""The README must not drift from the code."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from feedpub import cli
from feedpub.config import Config
from feedpub.validate.rules import RULES
from feedpub.zones import AMBIGUOUS, ZONE_OFFSETS
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
TEST_COMMAND = (
    "python3 -m venv .venv && .venv/bin/python -m pip install -e '.[test]'"
    " && .venv/bin/python -m pytest"
)


def test_ci_runs_the_readme_test_command() -> None:
    assert f"```sh\n{TEST_COMMAND}\n```" in README
    assert TEST_COMMAND in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()


def test_zone_table_matches_the_code() -> None:
    documented = dict(re.findall(r"^\| `([A-Z]+)` \| ([+-]\d\d:\d\d) \|$", README, re.MULTILINE))
    expected = {
        name: f"{'+' if minutes >= 0 else '-'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
        for name, minutes in ZONE_OFFSETS.items()
    }
    assert documented == expected


def test_the_ambiguous_zones_are_documented() -> None:
    documented = dict(re.findall(r"^\| `([A-Z]+)` \| ([^|+-][^|]+) \|$", README, re.MULTILINE))
    assert documented == AMBIGUOUS


def test_exit_codes_are_documented() -> None:
    codes = {value for name, value in vars(cli).items() if name.startswith("EXIT_")}
    documented = {int(code) for code in re.findall(r"^\| (\d+) \| ", README, re.MULTILINE)}
    assert documented == codes


def test_rule_table_matches_the_code() -> None:
    documented = re.findall(r"^\| `([a-z0-9-]+)` \| (error|warning|info) \| ", README, re.MULTILINE)
    assert documented == [(rule.code, rule.level) for rule in RULES.values()]


@pytest.mark.parametrize("command", sorted(cli.main.commands))
def test_every_option_is_documented(command: str) -> None:
    result = CliRunner().invoke(cli.main, [command, "--help"])
    assert result.exit_code == 0
    options = re.findall(r"(--[a-z-]+)", result.stdout)
    assert "--help" in options
    for option in options:
        assert f"`{option}`" in README or f"[{option}" in README, option


def test_every_command_is_documented() -> None:
    assert sorted(cli.main.commands) == ["build", "ping", "serve", "validate"]
    for command in cli.main.commands:
        assert f"\nfeedpub {command} " in README or f"\nfeedpub [--debug] {command} " in README


def test_every_setting_is_documented() -> None:
    for setting in Config.__dataclass_fields__:
        assert f"| `{setting}` |" in README, setting


def test_the_architecture_names_modules_that_exist() -> None:
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    modules = set(re.findall(r"\b([a-z_]+\.py)\b", text))
    assert len(modules) > 15
    present = {path.name for path in (ROOT / "feedpub").rglob("*.py")}
    present |= {path.name for path in (ROOT / "tests").glob("*.py")}
    assert modules <= present
    for package in re.findall(r"`feedpub/([a-z_]+)/`", text):
        assert (ROOT / "feedpub" / package / "__init__.py").is_file(), package
    for registry in ("SELECTIONS", "OUTPUTS"):
        assert f"`{registry}`" in text
