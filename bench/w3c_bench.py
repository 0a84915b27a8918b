"""feedpub validate against the W3C Feed Validation Service's own code, as processes.

    python3 bench/w3c_bench.py --w3c PATH/feedvalidator/src [--w3c-python PYTHON]
                               [--files 1000] [--repeat 5]

The W3C code (https://github.com/w3c/feedvalidator, its ``src`` folder) is not
feedpub's and is not installed with it: check it out, and give an interpreter that has
its requirements (lxml, html5lib, rdflib) with ``--w3c-python``. Two measurements, each
the best of ``--repeat`` runs, both with a warm page cache:

- one small feed, each validator as a new process (its ``demo.py``, and
  ``feedpub validate``): what a pre-commit hook or a CI step pays per call;
- ``--files`` copies of the feeds in ``tests/feeds/valid``: ``feedpub validate`` given
  them all in one call, and the W3C code validating them one after another in one
  process of its own (``validateString``, as its service does per request); the time
  per file of each.

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
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def quiet(command: list[str], *, w3c: Path | None = None) -> None:
    """Run ``command``, the W3C code importable when ``w3c`` is its folder; exit 0 or 1
    (findings) is fine, anything else is a broken measurement."""
    env = {**os.environ, "PYTHONPATH": str(w3c)} if w3c is not None else None
    ran = subprocess.run(command, capture_output=True, check=False, timeout=3600, env=env)
    if ran.returncode not in (0, 1):
        sys.exit(f"{command[:2]} failed ({ran.returncode}): {ran.stderr.decode()[-2000:]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--w3c", type=Path, required=True, help="the feedvalidator's src folder")
    parser.add_argument("--w3c-python", default=sys.executable, help="Python with its requirements")
    parser.add_argument("--files", type=int, default=1000, help="files for the second measure")
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement; best kept")
    arguments = parser.parse_args()
    src = arguments.w3c.resolve()
    demo = src / "demo.py"
    if not demo.is_file():
        parser.error(f"no demo.py in {arguments.w3c}: give the feedvalidator's src folder")
    feedpub = [sys.executable, "-m", "feedpub", "validate"]
    w3c = [arguments.w3c_python]
    print(
        f"{platform.python_implementation()} {platform.python_version()}, "
        f"{platform.system()}; best of {arguments.repeat} runs"
    )

    one_w3c = best(arguments.repeat, lambda: quiet([*w3c, str(demo), str(SMALL)], w3c=src))
    one_ours = best(arguments.repeat, lambda: quiet([*feedpub, str(SMALL)]))
    print(f"one small feed ({SMALL.stat().st_size:,} bytes), as a process:")
    print(f"  W3C demo.py        {one_w3c * 1000:8.1f} ms")
    print(f"  feedpub validate   {one_ours * 1000:8.1f} ms   {one_w3c / one_ours:.2f}x faster")

    with tempfile.TemporaryDirectory() as folder:
        sources = sorted(path for path in CORPUS.iterdir() if path.suffix == ".xml")
        files = []
        for number in range(arguments.files):
            source = sources[number % len(sources)]
            copy = Path(folder) / f"{number:05d}-{source.name}"
            shutil.copy(source, copy)
            files.append(str(copy))
        loop = Path(folder) / "w3c_loop.py"
        loop.write_text(W3C_LOOP, encoding="utf-8")
        many_w3c = best(arguments.repeat, lambda: quiet([*w3c, str(loop), *files], w3c=src))
        many_ours = best(arguments.repeat, lambda: quiet([*feedpub, *files]))
    count = arguments.files
    print(f"{count:,} files of tests/feeds/valid (RSS and Atom), one process each side:")
    print(f"  W3C validateString {many_w3c / count * 1000:8.2f} ms a file")
    print(
        f"  feedpub validate   {many_ours / count * 1000:8.2f} ms a file   "
        f"{many_w3c / many_ours:.2f}x faster"
    )


if __name__ == "__main__":
    main()
