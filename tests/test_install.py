"""The README's two quick-start commands, run as written with Debian's own python3."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT, check_bundled_output

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
    check_bundled_output(clone / "public")
    process = subprocess.run(
        ["sh", "-c", run_tests], cwd=clone, env=environment, capture_output=True, timeout=1800
    )
    output = process.stdout.decode(errors="replace")
    assert process.returncode == 0, output[-3000:]
    assert re.search(r"^=+ \d+ passed", output, re.MULTILINE), output[-3000:]


SERVICE = ROOT / "contrib" / "systemd" / "feedpub.service"


@pytest.mark.slow
@pytest.mark.skipif(
    not DEBIAN_PYTHON.exists() or shutil.which("git") is None or shutil.which("unshare") is None,
    reason="needs Debian's /usr/bin/python3, git and unshare",
)
@pytest.mark.skipif(os.geteuid() != 0, reason="lays the site out over /srv: needs root")
def test_the_systemd_service_runs_as_its_user_without_a_writable_home(tmp_path: Path) -> None:
    settings: dict[str, str] = {}
    for line in SERVICE.read_text(encoding="utf-8").splitlines():
        if "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            settings[key] = value
    user, site, command = settings["User"], settings["WorkingDirectory"], settings["ExecStart"]
    home = subprocess.run(
        ["getent", "passwd", user], capture_output=True, text=True, check=True
    ).stdout.split(":")[5]
    # What systemd gives the service: CacheDirectory= made and owned by the user, the
    # unit's Environment= with %C (the cache root of a system unit) filled in.
    key, value = settings["Environment"].replace("%C", "/var/cache").split("=", 1)
    environment = f"PATH=/usr/bin:/bin HOME={home} LOGNAME={user} {key}={value}"
    cache = f"/var/cache/{settings['CacheDirectory']}"
    clone = tmp_path / "clone"
    clone_as_it_is(clone)
    make_feeds = COMMANDS[0]
    run_as_unit = f"cd {site} && runuser -u {user} -- env -i {environment} {command}"
    script = f"""
        set -u
        mount -t tmpfs tmpfs /srv && mount -t tmpfs tmpfs /var/cache || exit 90
        cp -a {clone} {site} && cd {site} || exit 91
        # The README's quick start, as root, in the default layout.
        env PATH=/usr/bin:/bin sh -c {shlex.quote(make_feeds)} >/dev/null 2>&1 || exit 92
        chown -R {user}: public public.ledger && mkdir {cache} && chown {user}: {cache} || exit 93
        runuser -u {user} -- test -w {home} && exit 94
        {run_as_unit} 2>&1; echo "first $?"
        printf 'no dateline\\n' > seeds/broken.txt
        {run_as_unit} 2>&1; echo "rejected $?"
        {run_as_unit} 2>&1; echo "again $?"
        ls {cache} | sed 's/-.*//' | sort -u | tr '\\n' ' '; echo
        cmp public/atom.xml {clone}/tests/golden/atom.xml && echo same
    """
    environ = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    process = subprocess.run(
        ["unshare", "--mount", "--propagation", "private", "sh", "-c", script],
        capture_output=True,
        text=True,
        env=environ,
        timeout=900,
        check=False,
    )
    assert process.returncode == 0, process.stdout + process.stderr
    lines = process.stdout.splitlines()
    assert lines[0] == "first 0"
    assert lines[1].startswith("seeds/broken.txt:2: error: expected body paragraphs")
    assert lines[2:] == [
        f"rejected {settings['SuccessExitStatus']}",
        "again 8",  # and not a word: nothing new
        "reported seeds ",
        "same",
    ]
