"""The README's two quick-start commands, run as written with Debian's own python3."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import GOLDEN, ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
#: The quick start's commands: the first makes the feeds, the second runs the tests.
COMMANDS = re.findall(r"^```sh\n(python3 -m venv \.venv && [^\n]+)\n```$", README, re.MULTILINE)
DEBIAN_PYTHON = Path("/usr/bin/python3")


def test_the_quick_start_has_its_two_commands() -> None:
    assert len(COMMANDS) == 2
    assert COMMANDS[0].endswith(".venv/bin/feedpub build")
    assert COMMANDS[1].endswith(".venv/bin/python -m pytest")


def clone_as_it_is(destination: Path) -> None:
    """A repository holding the tracked files as they are now, committed: what a fresh
    clone has, with any change not yet committed."""
    names = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.split(b"\0")
    for name in filter(None, names):
        source = ROOT / os.fsdecode(name)
        target = destination / os.fsdecode(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
    git = ["git", "-c", "user.name=test", "-c", "user.email=test@example.com"]
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "as it is"]):
        subprocess.run([*git, *command], cwd=destination, check=True, capture_output=True)


@pytest.mark.slow
@pytest.mark.skipif(
    not DEBIAN_PYTHON.exists() or shutil.which("git") is None,
    reason="needs Debian's /usr/bin/python3 and git",
)
def test_the_quick_start_works_as_written_with_debians_python(tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    clone_as_it_is(clone)
    # Debian's python3 first on PATH, as on a stock machine; the rest of the environment
    # (pip's settings among it) as it is. Without CI set, tools it lacks are skipped.
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("CI", "VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")
    }
    environment["PATH"] = "/usr/bin:/bin"
    make_feeds, run_tests = COMMANDS
    process = subprocess.run(
        ["sh", "-c", make_feeds], cwd=clone, env=environment, capture_output=True, timeout=900
    )
    assert process.returncode == 0, process.stderr.decode(errors="replace")[-3000:]
    assert (
        (clone / ".venv" / "bin" / "python")
        .resolve()
        .is_relative_to(DEBIAN_PYTHON.resolve().parent)
    )
    for name in ("rss.xml", "atom.xml"):
        assert (clone / "public" / name).read_bytes() == (GOLDEN / name).read_bytes()
    process = subprocess.run(
        ["sh", "-c", run_tests], cwd=clone, env=environment, capture_output=True, timeout=1800
    )
    output = process.stdout.decode(errors="replace")
    assert process.returncode == 0, output[-3000:]
    assert re.search(r"^=+ \d+ passed", output, re.MULTILINE), output[-3000:]
