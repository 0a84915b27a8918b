"""The package as released: what it declares is what it imports."""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.test_install import clone_as_it_is

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _name(requirement: str) -> str:
    match = re.match(r"[A-Za-z0-9._-]+", requirement)
    assert match is not None, requirement
    return match[0].lower().replace("_", "-")


def imported_distributions() -> set[str]:
    """The distributions of every module feedpub's own code imports, beside the standard
    library and feedpub itself."""
    modules: set[str] = set()
    for path in (ROOT / "feedpub").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules.add(node.module.split(".")[0])
    # Data read through importlib.resources is imported by name too.
    for path in (ROOT / "feedpub").rglob("*.py"):
        modules |= set(re.findall(r'resources\.files\("([a-z_]+)', path.read_text("utf-8")))
    third_party = modules - set(sys.stdlib_module_names) - {"feedpub"}
    found = packages_distributions()
    return {name.lower() for module in third_party for name in found[module]}


def test_the_declared_dependencies_are_what_the_code_imports() -> None:
    declared = {_name(requirement) for requirement in PYPROJECT["project"]["dependencies"]}
    assert declared == imported_distributions()


def test_validate_and_version_import_neither_the_pipeline_nor_feedgen() -> None:
    feed = ROOT / "tests" / "golden" / "rss.xml"
    probe = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from feedpub.cli import main\n"
        "for args in (['--version'], ['validate', sys.argv[1]]):\n"
        "    assert CliRunner().invoke(main, args).exit_code == 0, args\n"
        "heavy = {'feedgen', 'feedpub.build', 'feedpub.render', 'feedpub.seed', 'sqlite3'}\n"
        "print(sorted(heavy & set(sys.modules)))\n"
    )
    process = subprocess.run(
        [sys.executable, "-c", probe, str(feed)], capture_output=True, text=True, check=True
    )
    assert process.stdout == "[]\n"


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_the_sdist_holds_every_file_and_its_tests_pass(tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    clone_as_it_is(clone)
    subprocess.run(
        [sys.executable, "-m", "build", "--sdist", "--outdir", str(tmp_path / "dist"), str(clone)],
        capture_output=True,
        check=True,
        timeout=600,
    )
    [sdist] = (tmp_path / "dist").glob("feedpub-*.tar.gz")
    with tarfile.open(sdist) as archive:
        archive.extractall(tmp_path / "unpacked", filter="data")
    [unpacked] = (tmp_path / "unpacked").iterdir()
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=clone, capture_output=True, text=True, check=True
    ).stdout.split()
    missing = [name for name in tracked if not (unpacked / name).is_file()]
    assert missing == [".gitignore"]
    # Run as a packager does from the sdist: without CI set, so a reader this machine lacks
    # (the JavaScript one needs `npm ci`, which an sdist does not carry) is skipped, not failed.
    environment = {name: value for name, value in os.environ.items() if name != "CI"}
    process = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=unpacked,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert process.returncode == 0, process.stdout[-3000:]
    assert re.search(r"\b[1-9]\d* passed\b", process.stdout), process.stdout[-3000:]
