"""Shared test helpers."""

from __future__ import annotations

import os
import re
import socketserver
import subprocess
import sysconfig
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import pytest
from click.testing import CliRunner, Result

from feedpub.cli import main
from feedpub.config import Config
from feedpub.feeds import FeedSpec
from feedpub.outputs import OUTPUTS, Output

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
GOLDEN = Path(__file__).resolve().parent / "golden"
BUNDLED_SEEDS = ROOT / "seeds"
#: The files a build writes for each feed, in the order it reports them.
FEED_FILES = tuple(output.FILE_NAME for output in OUTPUTS.values())

#: Set to 1 to rewrite expected files from current output; review the diff before committing.
REGENERATE = os.environ.get("FEEDPUB_REGENERATE") == "1"

# Tests that run `feedpub` as a command, as cron and shells do, run the one installed
# beside the Python that runs the tests, whatever else is on PATH.
os.environ["PATH"] = os.pathsep.join([sysconfig.get_path("scripts"), os.environ.get("PATH", "")])


README = (ROOT / "README.md").read_text(encoding="utf-8")


def readme_block(language: str, holding: str) -> str:
    """The one fenced block of ``language`` in the README that holds ``holding``."""
    blocks = re.findall(r"^ *```(\w*)\n(.*?)^ *```$", README, re.MULTILINE | re.DOTALL)
    [block] = [block for fence, block in blocks if fence == language and holding in block]
    return str(block)


def tree_files(tree: str) -> list[str]:
    """The files an output tree drawn in the README names, as sorted relative paths: each
    line is a folder (``name/``), with the files in it after it, or files alone."""
    files: list[str] = []
    folders: list[str] = []
    for line in tree.splitlines()[1:]:  # the first line is the output folder
        drawn = line.split("── ", 1)
        depth = len(drawn[0]) // 4 if len(drawn) == 2 else 0
        names = drawn[-1].split()
        folders = folders[:depth]
        if names[0].endswith("/"):
            folders.append(names[0].removesuffix("/"))
            names = names[1:]
        files += ["/".join([*folders, name]) for name in names]
    return sorted(files)


def files_below(folder: Path) -> list[str]:
    """Every file below ``folder``, as sorted relative paths."""
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file())


def check_bundled_output(public: Path) -> None:
    """``public`` holds what the bundled seeds and settings make: the README's tree, the
    golden site feeds, and a page that also lists the author's feed."""
    assert files_below(public) == tree_files(readme_block("", "└── authors/"))
    for name in FEED_FILES:
        if name != "index.html":  # the golden page is of the site's feed alone
            assert (public / name).read_bytes() == (GOLDEN / name).read_bytes(), name
    page = (public / "index.html").read_text(encoding="utf-8")
    author = '<a href="https://example.com/authors/tim-sweezy/">feedpub example: Tim Sweezy</a>'
    assert author in page


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


@pytest.fixture(autouse=True)
def _away_from_the_repository(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run each test in an empty folder of its own, as a user runs feedpub in a site: in
    the repository, a build would find the bundled example's feedpub.toml."""
    monkeypatch.chdir(tmp_path_factory.mktemp("cwd"))


@pytest.fixture
def config(tmp_path: Path) -> Config:
    """The settings the golden feeds are made with, writing below ``tmp_path``."""
    return Config(
        base_url="https://example.com/",
        title="feedpub example",
        description="Articles from the bundled example seeds",
        output=tmp_path / "public",
    )


@contextmanager
def small_disk(folder: Path, size: int) -> Iterator[Path]:
    """A real file system of ``size`` bytes at ``folder`` (tmpfs), to fill up in a test.

    Mounting takes root, which CI has; elsewhere the test is skipped.
    """
    folder.mkdir(parents=True, exist_ok=True)
    mount = ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(folder)]
    try:
        subprocess.run(mount, check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError) as error:
        pytest.skip(f"cannot mount a small file system here: {error}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=True)


class StandIn:
    """An output for tests: a registered output's name, file, validator, counter and
    reader, with bytes of the test's own making. Put it in the registry with
    ``monkeypatch.setitem(OUTPUTS, name, StandIn(name, render))``."""

    def __init__(self, name: str, render: Callable[[FeedSpec, Config], bytes]) -> None:
        real: Output = OUTPUTS[name]
        self.NAME, self.FILE_NAME, self.MEDIA_TYPE = real.NAME, real.FILE_NAME, real.MEDIA_TYPE
        self.render = render
        self.validate = real.validate
        self.count_entries = real.count_entries
        self.read_published = real.read_published


def run(*args: str | Path) -> Result:
    """``feedpub ARGS`` through Click's runner, as a shell would run it; a crash propagates.
    A path's bytes that are not UTF-8 stay as the file system has them."""
    return CliRunner().invoke(main, [os.fsdecode(arg) for arg in args], catch_exceptions=False)


def require(tool: str, available: bool) -> None:
    """Skip a test whose tool is missing, except in CI, where .ci/run installs it."""
    if not available:
        if os.environ.get("CI"):
            pytest.fail(f"{tool} is missing; .ci/run should have installed it")
        pytest.skip(f"{tool} is not installed")


S = TypeVar("S", bound=socketserver.BaseServer)


@contextmanager
def running(server: S) -> Iterator[S]:
    """``server`` serving on a thread until the block ends.

    It looks for the order to shut down every 10 ms, not every half second, so that
    ending a test does not wait.
    """
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01})
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
