"""feedpub validate against the W3C Feed Validation Service's own code, as processes.

    python3 bench/w3c_bench.py --w3c PATH/feedvalidator/src [--w3c-python PYTHON]
                               [--feedpub-python PYTHON] [--files 1000] [--repeat 5]

The W3C code (https://github.com/w3c/feedvalidator, its ``src`` folder) is not
feedpub's and is not installed with it: check it out, and give an interpreter that has
its requirements (lxml, html5lib, rdflib) with ``--w3c-python``. Two measurements, each
the best of ``--repeat`` runs, both with a warm page cache:

- one small feed, each validator as a new process (its ``demo.py``, and
  ``feedpub validate``): what a pre-commit hook or a CI step pays per call. Beside
  them, the bare interpreter (``-c pass``) and an interpreter that only imports
  Click and lxml, which ``feedpub validate`` cannot do without: W3C / that is the
  most any command built on both can reach; and one that only imports the standard
  modules every module of feedpub is written with (dataclasses, pathlib, re, typing);
- ``--files`` copies of the feeds in ``tests/feeds/valid``: ``feedpub validate`` given
  them all in one call, and the W3C code validating them one after another in one
  process of its own (``validateString``, as its service does per request); the time
  per file of each.

Both sides run with bytecode caches, as they have once installed or run once from a
checkout: every process gets a fresh ``PYTHONPYCACHEPREFIX`` (and no
``PYTHONDONTWRITEBYTECODE``), and each command runs once before it is timed. Without
that, a machine that sets ``PYTHONDONTWRITEBYTECODE`` compiles the W3C code on every
run and flatters feedpub.

feedpub is measured as users install it: the benchmark makes a virtual environment
and runs ``pip install`` of this tree into it, unless ``--feedpub-python`` names an
interpreter that has feedpub already. An editable install (``pip install -e``) is
not what users run: its finder adds an import to every process.

It prints each time and the ratio W3C / feedpub (the targets: at least 3x for both).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SMALL = ROOT / "tests" / "feeds" / "base.xml"
CORPUS = ROOT / "tests" / "feeds" / "valid"

#: Validates each file named on its command line with the W3C code, in one process.
W3C_LOOP = """
import sys
import feedvalidator
for name in sys.argv[1:]:
    with open(name, "rb") as file:
        feedvalidator.validateString(file.read(), firstOccurrenceOnly=1)
"""


def best(repeat: int, run: Callable[[], None]) -> float:
    """The shortest of ``repeat`` timed runs, after one untimed run that fills caches."""
    run()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def quiet(command: list[str], *, cache: Path, w3c: Path | None = None) -> None:
    """Run ``command`` with its bytecode cached under ``cache``, the W3C code importable
    when ``w3c`` is its folder; exit 0 or 1 (findings) is fine, anything else is a
    broken measurement."""
    env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(cache)
    if w3c is not None:
        env["PYTHONPATH"] = str(w3c)
    ran = subprocess.run(command, capture_output=True, check=False, timeout=3600, env=env)
    if ran.returncode not in (0, 1):
        sys.exit(f"{command[:2]} failed ({ran.returncode}): {ran.stderr.decode()[-2000:]}")


def installed(venv: Path) -> Path:
    """The interpreter of a new virtual environment at ``venv`` with this tree installed."""
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", str(ROOT)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return python


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--w3c", type=Path, required=True, help="the feedvalidator's src folder")
    parser.add_argument("--w3c-python", default=sys.executable, help="Python with its requirements")
    parser.add_argument(
        "--feedpub-python", help="Python with feedpub installed (default: a new environment)"
    )
    parser.add_argument("--files", type=int, default=1000, help="files for the second measure")
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement; best kept")
    arguments = parser.parse_args()
    src = arguments.w3c.resolve()
    demo = src / "demo.py"
    if not demo.is_file():
        parser.error(f"no demo.py in {arguments.w3c}: give the feedvalidator's src folder")
    w3c = [arguments.w3c_python]
    print(
        f"{platform.python_implementation()} {platform.python_version()}, "
        f"{platform.system()}; best of {arguments.repeat} runs"
    )

    with tempfile.TemporaryDirectory() as folder:
        python = arguments.feedpub_python or str(installed(Path(folder) / "venv"))
        feedpub = [python, "-m", "feedpub", "validate"]
        cache = Path(folder) / "pycache"

        def timed(command: list[str], w3c_code: bool = False) -> float:
            return best(
                arguments.repeat,
                lambda: quiet(command, cache=cache, w3c=src if w3c_code else None),
            )

        one_w3c = timed([*w3c, str(demo), str(SMALL)], w3c_code=True)
        bare = timed([python, "-c", "pass"])
        stdlib = timed([python, "-c", "import dataclasses, pathlib, re, typing"])
        floor = timed([python, "-c", "import click, lxml.etree"])
        one_ours = timed([*feedpub, str(SMALL)])
        print(f"one small feed ({SMALL.stat().st_size:,} bytes), as a process:")
        print(f"  W3C demo.py        {one_w3c * 1000:8.1f} ms")
        print(f"  feedpub validate   {one_ours * 1000:8.1f} ms   {one_w3c / one_ours:.2f}x faster")
        print("  W3C / processes that do nothing but start or import:")
        for label, took in (
            ("-c pass", bare),
            ("dataclasses, pathlib, re, typing: what feedpub's modules use", stdlib),
            ("click, lxml.etree: the most a command importing both reaches", floor),
        ):
            print(f"    {took * 1000:8.1f} ms   {one_w3c / took:5.2f}x   {label}")

        sources = sorted(path for path in CORPUS.iterdir() if path.suffix == ".xml")
        files = []
        for number in range(arguments.files):
            source = sources[number % len(sources)]
            copy = Path(folder) / f"{number:05d}-{source.name}"
            shutil.copy(source, copy)
            files.append(str(copy))
        loop = Path(folder) / "w3c_loop.py"
        loop.write_text(W3C_LOOP, encoding="utf-8")
        many_w3c = timed([*w3c, str(loop), *files], w3c_code=True)
        many_ours = timed([*feedpub, *files])
    count = arguments.files
    print(f"{count:,} files of tests/feeds/valid (RSS and Atom), one process each side:")
    print(f"  W3C validateString {many_w3c / count * 1000:8.2f} ms a file")
    print(
        f"  feedpub validate   {many_ours / count * 1000:8.2f} ms a file   "
        f"{many_w3c / many_ours:.2f}x faster"
    )


if __name__ == "__main__":
    main()
