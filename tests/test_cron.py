"""Running from cron: crashes, concurrent runs, vanished folders, files in motion."""

from __future__ import annotations

import fnmatch
import json
import os
import random
import re
import shutil
import signal
import stat
import subprocess
import sys
import sysconfig
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from feedpub import records
from feedpub.build import build
from feedpub.cli import (
    EXIT_DROP_REFUSED,
    EXIT_LOCKED,
    EXIT_NOTHING_PUBLISHED,
    EXIT_OUT_OF_DATE,
    EXIT_OUTPUT_FAILED,
    EXIT_SEEDS_REJECTED,
)
from feedpub.config import Config
from feedpub.listing import IGNORED, seed_names
from feedpub.lock import output_lock
from feedpub.validate import validate
from feedpub.workers import Workers
from tests.conftest import BUNDLED_SEEDS, FEED_FILES, ROOT, run, small_disk

EXAMPLE = next(BUNDLED_SEEDS.glob("*.txt")).read_text(encoding="utf-8")
BASE_URL = "https://example.com/"
#: How many times the crash test kills a build; raise it for a longer soak.
KILLS = int(os.environ.get("FEEDPUB_KILLS", "30"))


def make_seeds(folder: Path, count: int, *, edition: str = "") -> Path:
    """``count`` seeds like the example, each its own article, a minute apart."""
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        minute = number % 60
        hour = 1 + (number // 60) % 12
        text = EXAMPLE.replace("01:01 PM EDT", f"{hour:02d}:{minute:02d} PM EDT").replace(
            "Xiaomi And Leica", f"Article {number}{edition}: Xiaomi And Leica"
        )
        (folder / f"{number:05d}.txt").write_text(text, encoding="utf-8")
    return folder


def cli_build(seeds: Path, output: Path, *more: str) -> Result:
    return run("build", seeds, "-o", output, "--base-url", BASE_URL, *more)


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {path.name: (path.read_bytes(), path.stat().st_mtime_ns) for path in folder.iterdir()}


#: The SOURCE_DATE_EPOCH of the soaks' builds, which date the corrections that going
#: from one edition to the other makes.
SOAK_EPOCH = 1_700_000_000


def editions_published(editions: list[Path], output: Path, limit: int) -> list[dict[str, bytes]]:
    """Every feed file after each build of the editions in turn: the first, the second
    (its titles corrections of the first's), the first again (corrected back)."""
    config = Config(base_url=BASE_URL, limit=limit, output=output)
    published = []
    for seeds in [*editions, editions[0]]:
        build(seeds=seeds, config=config, source_date=SOAK_EPOCH)
        published.append({name: (output / name).read_bytes() for name in FEED_FILES})
    return published


@pytest.mark.slow
def test_sigkill_or_a_vanishing_folder_at_any_point_leaves_whole_valid_feeds(
    tmp_path: Path,
) -> None:
    editions = [make_seeds(tmp_path / name, 2000, edition=name) for name in ("a", "b")]
    expected: dict[str, set[bytes]] = {name: set() for name in FEED_FILES}
    for files in editions_published(editions, tmp_path / "expected", 2000):
        for name, data in files.items():
            assert not [f for f in validate(data) if f.level == "error"]
            expected[name].add(data)
    output = tmp_path / "public"

    def start(seeds: Path) -> subprocess.Popen[bytes]:
        command = [sys.executable, "-m", "feedpub", "build", str(seeds), "-o", str(output)]
        return subprocess.Popen(
            [*command, "--base-url", BASE_URL, "--limit", "2000", "-q"],
            cwd=tmp_path,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "SOURCE_DATE_EPOCH": str(SOAK_EPOCH)},
        )

    started = time.monotonic()
    assert start(editions[0]).wait(timeout=120) == 0
    duration = time.monotonic() - started  # to spread the mishaps over a whole run
    chance = random.Random(20221123)
    # Besides the kills, a seeds folder renamed away at any moment of a build, and back.
    mishaps = ["kill"] * KILLS + ["vanish"] * (KILLS // 3)
    chance.shuffle(mishaps)
    for round_number, mishap in enumerate(mishaps):
        seeds = editions[(round_number + 1) % 2]
        process = start(seeds)
        time.sleep(chance.uniform(0, duration))
        if mishap == "kill":
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=60)
        else:
            seeds.rename(tmp_path / "away")
            code = process.wait(timeout=120)
            (tmp_path / "away").rename(seeds)
            assert code in (0, EXIT_NOTHING_PUBLISHED), f"round {round_number}: exit {code}"
        for name, versions in expected.items():
            data = (output / name).read_bytes()
            assert data in versions, f"round {round_number} ({mishap}): {name} is broken"
    assert start(editions[0]).wait(timeout=120) == 0
    assert sorted(path.name for path in output.iterdir()) == sorted(FEED_FILES)


@pytest.mark.slow  # a soak: seconds of work, run by CI with -m slow
def test_a_full_disk_at_any_point_leaves_both_feeds_of_one_edition(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no settings file but the flags'
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(SOAK_EPOCH))
    editions = [make_seeds(tmp_path / name, 300, edition=name) for name in ("a", "b")]
    pairs = [
        tuple(files[name] for name in FEED_FILES)
        for files in editions_published(editions, tmp_path / "expected", 300)
    ]
    room = sum(len(feed) for feed in pairs[0]) + 128 * 1024
    chance = random.Random(20261202)
    with small_disk(tmp_path / "disk", 4 * room) as disk:
        output = disk / "public"
        assert cli_build(editions[0], output, "--limit", "300", "--no-cache").exit_code == 0
        for round_number in range(max(KILLS // 3, 1)):
            filler = disk / "filler"
            free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
            leave = chance.randrange(0, room + room // 2)
            filler.write_bytes(b"\0" * max(free - leave, 0))
            result = cli_build(editions[(round_number + 1) % 2], output, "--limit", "300")
            filler.unlink()
            assert result.exit_code in (0, EXIT_OUTPUT_FAILED), result.stderr
            published = tuple((output / name).read_bytes() for name in FEED_FILES)
            assert published in pairs, f"round {round_number}: not both feeds of one edition"
            assert sorted(path.name for path in output.iterdir()) == sorted(FEED_FILES)


def running(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in status  # a zombie has ended; only its parent has not looked


@pytest.mark.slow  # a soak: seconds of work, run by CI with -m slow
def test_a_killed_build_leaves_no_worker_and_no_lock(tmp_path: Path) -> None:
    seeds = make_seeds(tmp_path / "seeds", 6000)
    output = tmp_path / "public"
    command = [sys.executable, "-m", "feedpub", "build", str(seeds), "-o", str(output)]
    command += ["--base-url", BASE_URL, "-q", "--no-cache", "-j", "2"]
    process = subprocess.Popen(command, cwd=tmp_path)
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
    deadline = time.monotonic() + 60
    workers: list[int] = []
    while len(workers) < 2 and process.poll() is None and time.monotonic() < deadline:
        workers = [int(pid) for pid in children.read_text(encoding="ascii").split()]
    assert len(workers) == 2, "the build ended before its workers started"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    deadline = time.monotonic() + 10
    while any(running(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [pid for pid in workers if running(pid)]
    assert cli_build(seeds, output, "--lock-timeout", "0", "--no-cache").exit_code == 0


def test_concurrent_builds_wait_or_give_up_and_never_interleave(tmp_path: Path) -> None:
    seeds = make_seeds(tmp_path / "seeds", 500)
    output = tmp_path / "public"
    command = [sys.executable, "-m", "feedpub", "build", str(seeds), "-o", str(output)]
    command += ["--base-url", BASE_URL, "--limit", "500", "-q", "--lock-timeout", "0"]
    processes = [subprocess.Popen(command, cwd=tmp_path) for _ in range(3)]
    codes = sorted(process.wait(timeout=120) for process in processes)
    assert set(codes) <= {0, EXIT_LOCKED}
    assert codes[0] == 0
    config = Config(base_url=BASE_URL, limit=500, output=tmp_path / "expected")
    build(seeds=seeds, config=config)
    for name in FEED_FILES:
        assert (output / name).read_bytes() == (config.output / name).read_bytes()


def test_a_held_lock_makes_a_build_give_up_without_touching_anything(tmp_path: Path) -> None:
    output = tmp_path / "public"
    assert cli_build(BUNDLED_SEEDS, output).exit_code == 0
    seeds = make_seeds(tmp_path / "newer", 3)
    before = snapshot(output)
    with output_lock(output, timeout=0):
        result = cli_build(seeds, output, "--lock-timeout", "0.2")
    assert result.exit_code == EXIT_LOCKED
    assert result.stderr == (
        f"{output}: error: another feedpub build holds the lock; gave up after 0.2 s\n"
    )
    assert snapshot(output) == before


def test_the_lock_leaves_nothing_in_the_output_folder(tmp_path: Path) -> None:
    output = tmp_path / "public"
    output.mkdir()
    (output / ".feedpub.lock").write_bytes(b"")  # as earlier versions left it
    result = cli_build(BUNDLED_SEEDS, output)
    assert result.exit_code == 0
    assert result.stderr == (
        f"{output / '.feedpub.lock'}: warning: removed: the lock is now on the output folder "
        "itself, so deploys miss it\n"
    )
    # What rsync or git would deploy from the folder: the feeds alone.
    assert sorted(path.name for path in output.iterdir()) == sorted(FEED_FILES)
    assert cli_build(BUNDLED_SEEDS, output).stderr == ""
    # A FIFO of that name is not the old lock: it stays, and does not block the build.
    os.mkfifo(output / ".feedpub.lock")
    again = cli_build(BUNDLED_SEEDS, output)
    assert (again.exit_code, again.stderr) == (0, "")
    assert stat.S_ISFIFO((output / ".feedpub.lock").lstat().st_mode)


def test_a_build_waits_for_the_lock(tmp_path: Path) -> None:
    seeds = make_seeds(tmp_path / "seeds", 3)
    output = tmp_path / "public"
    command = [sys.executable, "-m", "feedpub", "build", str(seeds), "-o", str(output)]
    with output_lock(output, timeout=0):
        process = subprocess.Popen(
            [*command, "--base-url", BASE_URL, "--lock-timeout", "60"], cwd=tmp_path
        )
        with pytest.raises(subprocess.TimeoutExpired):
            process.wait(timeout=1)
        assert not (output / "rss.xml").exists()
    assert process.wait(timeout=60) == 0
    assert (output / "rss.xml").is_file()


@pytest.mark.parametrize("mishap", ["renamed away", "emptied", "unreadable"])
def test_a_missing_or_empty_seeds_folder_changes_nothing(
    tmp_path: Path, mishap: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeds = make_seeds(tmp_path / "seeds", 5)
    output = tmp_path / "public"
    assert cli_build(seeds, output).exit_code == 0
    before = snapshot(output)
    if mishap == "renamed away":
        seeds.rename(tmp_path / "elsewhere")
    elif mishap == "emptied":
        for path in seeds.iterdir():
            path.unlink()
    else:  # chmod cannot stop root, who runs CI, so the refusal is simulated
        real_open = os.open

        def os_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
            if isinstance(path, str | Path) and Path(path) == seeds:
                raise PermissionError(13, "Permission denied")
            return real_open(path, flags, *args, **kwargs)

        monkeypatch.setattr(os, "open", os_open)
    result = cli_build(seeds, output)
    assert result.exit_code == EXIT_NOTHING_PUBLISHED
    assert (
        result.stderr
        == {
            "renamed away": f"{seeds}: error: the seeds folder does not exist\n",
            "emptied": f"{seeds}: error: no seed files (*.txt) in the seeds folder; the feeds were "
            "left as they were (--allow-empty publishes empty feeds)\n",
            "unreadable": f"{seeds}: error: cannot read the seeds folder: Permission denied\n",
        }[mishap]
    )
    assert snapshot(output) == before


def test_allow_empty_publishes_empty_valid_feeds(tmp_path: Path) -> None:
    seeds = make_seeds(tmp_path / "seeds", 2)
    output = tmp_path / "public"
    assert cli_build(seeds, output).exit_code == 0
    for path in seeds.iterdir():
        path.unlink()
    result = cli_build(seeds, output, "--allow-empty")
    assert result.exit_code == 0
    for name in FEED_FILES:
        data = (output / name).read_bytes()
        assert [finding for finding in validate(data) if finding.level == "error"] == []
        assert b"<item>" not in data
        assert b"<entry>" not in data


def test_a_big_drop_needs_force(tmp_path: Path) -> None:
    seeds = make_seeds(tmp_path / "seeds", 10)
    output = tmp_path / "public"
    assert cli_build(seeds, output).exit_code == 0
    for path in sorted(seeds.iterdir())[:6]:
        path.unlink()
    before = snapshot(output)
    result = cli_build(seeds, output)
    assert result.exit_code == EXIT_DROP_REFUSED
    assert result.stderr.endswith(
        "error: the new feed would hold 4 entries where the published one holds 10, a drop of "
        "more than 50%; the feeds were left as they were (--force publishes anyway)\n"
    )
    assert snapshot(output) == before
    assert cli_build(seeds, output, "--max-drop", "0.7").exit_code == 0
    for path in sorted(seeds.iterdir())[:3]:
        path.unlink()
    assert cli_build(seeds, output).exit_code == EXIT_DROP_REFUSED
    assert cli_build(seeds, output, "--force").exit_code == 0
    assert (output / "atom.xml").read_text(encoding="utf-8").count("<entry>") == 1


def test_files_in_motion_are_not_seeds(tmp_path: Path) -> None:
    seeds = make_seeds(tmp_path / "seeds", 2)
    for name in (".00000.txt.swp", ".hidden.txt", "00001.txt~", "new.txt.part", "x.tmp", "y.swp"):
        (seeds / name).write_text("half-written", encoding="utf-8")
    (seeds / "notes.md").write_text("not a seed", encoding="utf-8")
    result = cli_build(seeds, tmp_path / "out")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.startswith("2 entries published from 2 seeds (0 rejected)")
    result = cli_build(seeds, tmp_path / "out", "--pattern", "*")
    assert result.exit_code == EXIT_SEEDS_REJECTED
    assert result.stdout.startswith("2 entries published from 3 seeds (1 rejected)")


NAMES = (
    "a.txt", "A.TXT", ".txt", "a.txt~", "a.txt.swp", ".a.txt", "a.tmp", "a.part", "notes.md",
    "a.txt.md", "x", "~", "a b.txt", "a\nb.txt", "é.txt", "a.swp.txt", "[1].txt", "a?.txt",
)  # fmt: skip


@pytest.mark.parametrize(
    "pattern", ["*.txt", "*", "*.md", "*~", "*.TXT", "*.swp", "*p", "a*", "[a-z].txt", "?"]
)
def test_the_seed_name_filter_is_fnmatch_without_ignored_names(pattern: str) -> None:
    expected = [
        name
        for name in NAMES
        if fnmatch.fnmatchcase(name, pattern)
        and not any(fnmatch.fnmatchcase(name, ignored) for ignored in IGNORED)
    ]
    assert seed_names(NAMES, pattern) == expected


def test_seeds_that_vanish_or_change_while_read_are_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeds = make_seeds(tmp_path / "seeds", 3)
    vanishing, changing, steady = sorted(seeds.iterdir())
    vanishing.unlink()
    typed_into = changing.stat().st_ino
    read = os.read

    def read_while_an_editor_types(fd: int, length: int) -> bytes:
        data = read(fd, length)
        if os.fstat(fd).st_ino == typed_into and data:
            with changing.open("a", encoding="utf-8") as file:
                file.write("\nAn editor is still typing.\n")
        return data

    names = [path.name for path in (vanishing, changing, steady)]
    with Workers(1) as workers, monkeypatch.context() as patch:
        patch.setattr(os, "read", read_while_an_editor_types)
        [chunk] = records.parse_all(seeds, names, "example.com", workers=workers)
    assert [(record.name, record.diagnostics) for record in chunk.unstored] == [
        (vanishing.name, ((None, "warning", "vanished while being read; skipped"),)),
        (changing.name, ((None, "warning", "changed while being read; skipped"),)),
    ]
    assert [(record.name, record.diagnostics) for record in chunk.records] == [(steady.name, ())]
    assert [record.published is not None for record in chunk.unstored + chunk.records] == [
        False,
        False,
        True,
    ]


def test_stale_temporary_files_are_removed(tmp_path: Path) -> None:
    assert cli_build(BUNDLED_SEEDS, tmp_path).exit_code == 0
    stale = tmp_path / ".feedpub-rss.xml.k1ll3d.tmp"
    stale.write_bytes(b"<rss><chan")
    result = cli_build(BUNDLED_SEEDS, tmp_path)
    assert result.exit_code == 0
    assert result.stderr == f"{stale}: warning: removed, left by an interrupted build\n"
    assert not stale.exists()


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o027, 0o640), (0o002, 0o664)])
def test_published_files_follow_the_umask(tmp_path: Path, umask: int, mode: int) -> None:
    old = os.umask(umask)
    try:
        assert cli_build(BUNDLED_SEEDS, tmp_path).exit_code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "rss.xml").stat().st_mode) == mode


def test_json_log_is_one_object_per_event(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT / "tests" / "data" / "seeds", seeds)
    result = cli_build(seeds, tmp_path / "out", "--log-format", "json")
    assert result.exit_code == EXIT_SEEDS_REJECTED
    events = [json.loads(line) for line in result.stderr.splitlines()]
    assert {event["event"] for event in events} == {"diagnostic"}
    assert {
        "event": "diagnostic",
        "level": "error",
        "path": str(seeds / "empty.txt"),
        "line": 1,
        "message": "empty file: expected a dateline, a title and a body",
    } in events
    [summary] = [json.loads(line) for line in result.stdout.splitlines()]
    assert summary["event"] == "summary"
    assert (summary["seeds"], summary["rejected"], summary["entries"]) == (59, 20, 39)
    assert summary["not_repeated"] == 0
    assert summary["written"] == [str(tmp_path / "out" / name) for name in FEED_FILES]


def test_a_rerun_reports_only_new_or_changed_problems(tmp_path: Path) -> None:
    seeds = make_seeds(tmp_path / "seeds", 4)
    output = tmp_path / "public"
    (seeds / "00000.txt").write_text("no dateline\n", encoding="utf-8")

    def error_of(name: str, text: str) -> str:
        return f"{seeds / name}:1: error: {text}"

    empty = "empty file: expected a dateline, a title and a body"
    first = cli_build(seeds, output, "-q")
    assert first.exit_code == EXIT_SEEDS_REJECTED
    [old_error] = first.stderr.splitlines()
    assert old_error.startswith(f"{seeds / '00000.txt'}:2: error: expected body paragraphs")
    for more in ([], ["--no-cache"]):  # the memory is kept without a cache too
        again = cli_build(seeds, output, "-q", *more)
        assert (again.exit_code, again.stdout, again.stderr) == (EXIT_SEEDS_REJECTED, "", "")
    # Without -q the summary says what it left out.
    assert cli_build(seeds, output).stdout.startswith(
        "3 entries published from 4 seeds (1 rejected; 1 diagnostic reported before, "
        "not repeated (--all-diagnostics repeats them)); "
    )
    # A newly broken seed is reported once, alone.
    (seeds / "00001.txt").write_bytes(b"")
    assert cli_build(seeds, output, "-q").stderr == error_of("00001.txt", empty) + "\n"
    assert cli_build(seeds, output, "-q").stderr == ""
    # A seed whose problem changed is reported again.
    (seeds / "00000.txt").write_bytes(b"")
    assert cli_build(seeds, output, "-q").stderr == error_of("00000.txt", empty) + "\n"
    assert cli_build(seeds, output, "-q").stderr == ""
    # --all-diagnostics and --check report them all, and neither makes the next run speak.
    everything = error_of("00000.txt", empty) + "\n" + error_of("00001.txt", empty) + "\n"
    assert cli_build(seeds, output, "-q", "--all-diagnostics").stderr == everything
    checked = cli_build(seeds, output, "-q", "--check")
    assert (checked.exit_code, checked.stderr) == (EXIT_SEEDS_REJECTED, everything)
    assert cli_build(seeds, output, "-q").stderr == ""
    # Fixed, then broken the same way again: new again.
    (seeds / "00000.txt").write_text(EXAMPLE, encoding="utf-8")
    assert cli_build(seeds, output, "-q").stderr == ""
    (seeds / "00000.txt").write_bytes(b"")
    assert cli_build(seeds, output, "-q").stderr == error_of("00000.txt", empty) + "\n"


def test_problems_of_a_build_that_published_nothing_are_reported_again(tmp_path: Path) -> None:
    seeds = make_seeds(tmp_path / "seeds", 4)
    output = tmp_path / "public"
    assert cli_build(seeds, output, "-q").exit_code == 0
    for name in ("00000.txt", "00001.txt", "00002.txt"):
        (seeds / name).write_bytes(b"")
    for _ in range(2):  # refused, so not remembered as reported: the next run says it again
        refused = cli_build(seeds, output, "-q")
        assert refused.exit_code == EXIT_DROP_REFUSED
        assert refused.stderr.count(": error: empty file: ") == 3
    assert cli_build(seeds, output, "-q", "--force").exit_code == EXIT_SEEDS_REJECTED
    assert cli_build(seeds, output, "-q").stderr == ""


def test_check_tells_out_of_date_from_rejected(tmp_path: Path) -> None:
    seeds = make_seeds(tmp_path / "seeds", 3)
    output = tmp_path / "public"
    assert cli_build(seeds, output, "--check").exit_code == EXIT_OUT_OF_DATE
    assert cli_build(seeds, output).exit_code == 0
    assert cli_build(seeds, output, "--check").exit_code == 0
    (seeds / "broken.txt").write_bytes(b"")
    # The broken seed changes no feed: up to date, with a seed rejected.
    assert cli_build(seeds, output, "--check").exit_code == EXIT_SEEDS_REJECTED
    (seeds / "00000.txt").write_text(EXAMPLE.replace("Xiaomi", "Leica"), encoding="utf-8")
    assert cli_build(seeds, output, "--check").exit_code == EXIT_OUT_OF_DATE


def test_the_readme_crontab_line_works_in_crons_environment(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    line = re.search(r"^(\*/5 \* \* \* \* .+)$", readme, re.MULTILINE)
    assert line is not None
    site = tmp_path / "site"
    command = line[1].split(" ", 5)[5].replace("/srv/site", str(site))
    shutil.copytree(BUNDLED_SEEDS, site / "seeds")
    shutil.copy(ROOT / "feedpub.toml", site)
    # The quick start's .venv in the site's folder: here, the environment under test.
    (site / ".venv").mkdir()
    (site / ".venv" / "bin").symlink_to(sysconfig.get_path("scripts"))
    home = tmp_path / "home"
    home.mkdir()
    cron = ["env", "-i", "PATH=/usr/bin:/bin", f"HOME={home}", "SHELL=/bin/sh", "LOGNAME=site"]
    process = subprocess.run([*cron, "sh", "-c", command], capture_output=True, check=False)
    assert (process.returncode, process.stdout, process.stderr) == (0, b"", b"")
    assert (site / "public" / "atom.xml").read_bytes() == (
        ROOT / "tests" / "golden" / "atom.xml"
    ).read_bytes()
    # A broken seed is mailed once: the next run, with nothing new, prints nothing.
    (site / "seeds" / "broken.txt").write_text("no dateline\n", encoding="utf-8")
    process = subprocess.run([*cron, "sh", "-c", command], capture_output=True, check=False)
    assert (process.returncode, process.stdout) == (EXIT_SEEDS_REJECTED, b"")
    assert process.stderr.startswith(b"seeds/broken.txt:2: error: expected body paragraphs")
    process = subprocess.run([*cron, "sh", "-c", command], capture_output=True, check=False)
    assert (process.returncode, process.stdout, process.stderr) == (EXIT_SEEDS_REJECTED, b"", b"")


UNITS = ROOT / "contrib" / "systemd"


def unit_settings(name: str) -> dict[str, list[str]]:
    """Each key of a unit file with its values, in order."""
    settings: dict[str, list[str]] = {}
    for line in (UNITS / name).read_text(encoding="utf-8").splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            key, value = line.split("=", 1)
            settings.setdefault(key, []).append(value)
    return settings


def test_the_systemd_service_treats_rejected_seeds_as_success_and_is_hardened() -> None:
    service = unit_settings("feedpub.service")
    assert service["SuccessExitStatus"] == [str(EXIT_SEEDS_REJECTED)]
    assert service["CacheDirectory"] == ["feedpub"]
    assert service["Environment"] == ["XDG_CACHE_HOME=%C"]
    [site] = service["WorkingDirectory"]
    assert service["ExecStart"] == [f"{site}/.venv/bin/feedpub build -q"]
    assert service["ReadWritePaths"] == [f"{site}/public {site}/public.ledger"]
    for key, value in [("NoNewPrivileges", "yes"), ("ProtectSystem", "strict")]:
        assert service[key] == [value]


@pytest.mark.skipif(
    shutil.which("systemd-analyze") is None or shutil.which("unshare") is None,
    reason="needs systemd-analyze and unshare",
)
@pytest.mark.skipif(os.geteuid() != 0, reason="mounts the default layout over /srv: needs root")
def test_the_systemd_units_verify_as_shipped() -> None:
    # The README's layout, /srv/site/.venv/bin/feedpub, in a mount namespace of its own:
    # the feedpub under test, and the unit files exactly as shipped.
    feedpub = Path(sysconfig.get_path("scripts")) / "feedpub"
    units = [str(UNITS / "feedpub.service"), str(UNITS / "feedpub.timer")]
    script = (
        "mount -t tmpfs tmpfs /srv && mkdir -p /srv/site/.venv/bin"
        ' && ln -s "$1" /srv/site/.venv/bin/feedpub && shift'
        ' && systemd-analyze verify "$@"'
        ' && systemd-analyze security --offline=true --threshold=30 "$1" >/dev/null'
    )
    namespace = ["unshare", "--mount", "--propagation", "private"]
    process = subprocess.run(
        [*namespace, "sh", "-c", script, "sh", str(feedpub), *units],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (process.returncode, process.stderr) == (0, "")
