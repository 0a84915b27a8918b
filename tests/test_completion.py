"""The README's shell-completion lines, run as written in bash, zsh and fish."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, require

README = (ROOT / "README.md").read_text(encoding="utf-8")
LINES = dict(re.findall(r"^```(bash|zsh|fish)\n(.*_FEEDPUB_COMPLETE=.*)\n```$", README, re.M))
# What each shell runs after the README's line: it prints what "feedpub bu<Tab>"
# and "feedpub build --all-d<Tab>" would offer.
CHECKS = {
    "bash": """
complete -p feedpub
for words in "feedpub bu" "feedpub build --all-d"; do
    COMP_WORDS=($words); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=()
    _feedpub_completion feedpub  # as bash calls it: with the command's name
    echo "${COMPREPLY[@]}"
done
""",
    # Completing inside zsh needs a terminal; this checks that the line registers
    # the function, then runs what the function runs for each word.
    "zsh": """
print -r -- "complete: $_comps[feedpub]"
for words in "feedpub bu" "feedpub build --all-d"; do
    env COMP_WORDS="$words" COMP_CWORD=$(( ${#${(z)words}} - 1 )) \\
        _FEEDPUB_COMPLETE=zsh_complete feedpub | sed -n 2p
done
""",
    "fish": """
complete -C "feedpub bu"
complete -C "feedpub build --all-d"
""",
}
PRELUDE = {"bash": "", "zsh": "autoload -Uz compinit && compinit -u -D\n", "fish": ""}
EXPECTED = {
    "bash": "complete -o nosort -F _feedpub_completion feedpub\nbuild\n--all-diagnostics\n",
    "zsh": "complete: _feedpub_completion\nbuild\n--all-diagnostics\n",
    "fish": "build\n--all-diagnostics\n",
}


def test_the_readme_has_a_line_for_each_shell() -> None:
    assert sorted(LINES) == ["bash", "fish", "zsh"]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_as_written(shell: str, tmp_path: Path) -> None:
    require(shell, shutil.which(shell) is not None)
    installed = Path(sys.executable).parent
    assert (installed / "feedpub").is_file(), "the feedpub command is installed beside python"
    script = f"{PRELUDE[shell]}{LINES[shell]}\n{CHECKS[shell]}"
    result = subprocess.run(
        [shell, "-c", script],
        env={"PATH": f"{installed}:/usr/bin:/bin", "HOME": str(tmp_path), "LC_ALL": "C.UTF-8"},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (result.returncode, result.stderr) == (0, "")
    offered = [line.split("\t")[0] for line in result.stdout.splitlines()]  # fish: word<Tab>help
    assert offered == EXPECTED[shell].splitlines(), result.stdout
