"""Benchmark: how long feedpub's commands take as processes, against a bare interpreter.

Run from the repository root:

    python3 bench/startup_bench.py [--repeat R]

It times, each as a new process and best of R runs (default 20), ``python3 -c
pass`` (the floor: starting the interpreter that runs feedpub), ``feedpub
--version``, ``feedpub validate`` on a small feed (the bundled golden RSS feed)
and ``feedpub build`` of the bundled seeds into an empty folder, without a
cache, and prints each time and its ratio to the floor. The commands are the
``feedpub`` installed beside this Python.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: What feedpub validate should cost at most, as a multiple of the bare interpreter.
VALIDATE_TARGET = 5.0


def best_of(repeat: int, command: list[str], cwd: Path) -> float:
    """The shortest wall time of ``repeat`` runs of ``command``, which must succeed."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    feedpub = shutil.which("feedpub", path=sysconfig.get_path("scripts"))
    if feedpub is None:
        sys.exit("no feedpub beside this Python: install it first (pip install .)")
    print(f"{os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}")
    with tempfile.TemporaryDirectory() as scratch:
        site = Path(scratch)
        shutil.copytree(ROOT / "seeds", site / "seeds")
        shutil.copy(ROOT / "feedpub.toml", site / "feedpub.toml")
        small = ROOT / "tests" / "golden" / "rss.xml"
        output = site / "out"
        commands = {
            "python3 -c pass": [sys.executable, "-c", "pass"],
            "feedpub --version": [feedpub, "--version"],
            f"feedpub validate ({small.stat().st_size:,} bytes)": [feedpub, "validate", str(small)],
            "feedpub build (bundled seeds)": [
                feedpub, "build", "-q", "--no-cache", "-o", str(output),
            ],
        }  # fmt: skip
        times = {}
        for label, command in commands.items():
            best_of(2, command, site)  # warm the page cache
            if output.exists():
                shutil.rmtree(output)
            times[label] = best_of(args.repeat, command, site)
    floor = times["python3 -c pass"]
    print(f"{'command':<40} {'best':>9} {'ratio':>7}")
    for label, seconds in times.items():
        print(f"{label:<40} {seconds * 1000:7.1f}ms {seconds / floor:6.2f}x")
    validate = next(seconds for label, seconds in times.items() if "validate" in label)
    verdict = "met" if validate / floor <= VALIDATE_TARGET else "NOT met"
    print(f"target: feedpub validate at most {VALIDATE_TARGET:g}x the bare interpreter: {verdict}")


if __name__ == "__main__":
    main()
