"""Benchmark: builds of large seed folders, as ratios to just reading the seeds.

Run from the repository root:

    python3 bench/scale_bench.py [--sizes 1000 10000 100000] [--jobs N] [--repeat 3] [--groups]
                                 [--archive]

For each size it writes a synthetic seed folder (varied authors, zones,
paragraph counts, alt-text and credit lines, and a few broken files), then
measures, each in a fresh process, with the page cache warm:

- the floor: reading every seed's bytes in one Python process;
- a cold build (empty cache), a no-op rebuild, and rebuilds after adding,
  editing and deleting one seed;

and prints each time as a ratio to the floor, with the absolute time and the
peak resident memory of the process (its worker processes included). Each
figure is the best of --repeat runs from the same starting state (the cache
and feeds are restored between runs), since other load on a machine only ever
adds time. Times are of the work inside the process; the time to import
feedpub is printed once, apart. After every incremental rebuild it checks that
every file written is byte-identical to a build of the same folder without a cache.
Builds write every output; with --groups, the feeds per category and per author too;
with --archive, the site's feed is an RFC 5005 archived feed, by month.
"""

from __future__ import annotations

import argparse
import dataclasses
import filecmp
import json
import os
import platform
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

AUTHORS = (
    "Tim Sweezy", "Ana López", "Seán O'Brien-Kelly", "Zoë Smith-Jones", "Jean-Luc Picard",
    "María de la Cruz", "Björk Guðmundsdóttir", "D'Arcy Carden", "Ōtsuka Ken", "Li Wei",
)  # fmt: skip
ZONES = {"EDT": -4, "EST": -5, "CDT": -5, "PDT": -7, "PST": -8, "UTC": 0, "WEST": 1, "CEST": 2}
WORDS = [
    "phone",
    "camera",
    "sensor",
    "leica",
    "xiaomi",
    "launch",
    "flagship",
    "imaging",
    "software",
    "lens",
    "partnership",
    "announcement",
    "company",
    "market",
    "design",
    "specs",
    "quality",
    "brand",
    "mobile",
    "photography",
    "update",
]


def seed_text(number: int, chance: random.Random) -> bytes:
    """One synthetic seed in the seed format; about one in 500 is broken."""
    if number % 500 == 499:
        return (b"", b"\x00\x01binary", b" date 2022-05-23 CATEGORIES\nCut off\n")[number % 3]
    zone, offset = chance.choice(sorted(ZONES.items()))
    when = datetime(2015, 1, 1, tzinfo=UTC) + timedelta(minutes=chance.randrange(5_000_000))
    local = when + timedelta(hours=offset)
    authors = chance.sample(AUTHORS, chance.choice((1, 1, 1, 2, 3)))
    names = authors[0] if len(authors) == 1 else ", ".join(authors[:-1]) + " and " + authors[-1]
    stamp = local.strftime("%A, %B %-d, %Y, %I:%M %p ") + zone
    paragraphs = []
    for _ in range(chance.randrange(2, 14)):
        words = chance.choices(WORDS, k=chance.randrange(20, 90))
        paragraphs.append(" ".join(words).capitalize() + ".")
        if chance.random() < 0.15:
            paragraphs.append(" ".join(chance.sample(WORDS, 2)))  # alt text
    credit = "\n\nTop Image Courtesy of Example Photo" if chance.random() < 0.5 else ""
    category = chance.choice(("", " Phones", " Phones, Cameras", " Security"))
    text = (
        f" date {local.date().isoformat()} CATEGORIES{category}\n"
        f"Article {number}: {' '.join(chance.sample(WORDS, 6)).title()}\n\n"
        f"by {names}{stamp}\n" + "\n\n".join(paragraphs) + credit + "\n"
    )
    return text.encode()


def generate(folder: Path, count: int) -> None:
    folder.mkdir(parents=True)
    chance = random.Random(count)
    for number in range(count):
        (folder / f"{number:06d}.txt").write_bytes(seed_text(number, chance))


def peak_rss_mb() -> float:
    """The largest resident set of this process or any of its finished children, in MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def measure(
    operation: str,
    seeds: Path,
    output: Path,
    cache: Path,
    jobs: int,
    *,
    groups: bool,
    archive: bool,
) -> None:
    """Run one operation in this (fresh) process and print its time and peak memory as JSON."""
    if operation == "floor":
        started = time.perf_counter()
        total = 0
        with os.scandir(seeds) as entries:
            for entry in entries:
                with open(entry.path, "rb") as file:  # noqa: PTH123 - the floor is plain reads
                    total += len(file.read())
        seconds = time.perf_counter() - started
    elif operation == "raw floor":
        started = time.perf_counter()
        total = 0
        folder = os.open(seeds, os.O_RDONLY)
        for name in os.listdir(folder):  # noqa: PTH208 - names relative to the folder
            descriptor = os.open(name, os.O_RDONLY, dir_fd=folder)
            total += len(os.read(descriptor, os.fstat(descriptor).st_size))
            os.close(descriptor)
        os.close(folder)
        seconds = time.perf_counter() - started
    elif operation == "imports":
        started = time.perf_counter()
        import feedpub.cli  # noqa: F401

        seconds = time.perf_counter() - started
    else:
        from feedpub.build import build
        from feedpub.config import ArchiveFeeds, Config, GroupFeeds

        config = Config(base_url="https://bench.example.com/", output=output)
        if groups:
            config = dataclasses.replace(config, categories=GroupFeeds(), authors=GroupFeeds())
        if archive:
            config = dataclasses.replace(config, archive=ArchiveFeeds())
        started = time.perf_counter()
        build(
            seeds=seeds,
            config=config,
            cache_dir=None if operation == "reference" else cache,
            jobs=jobs,
            force=True,
        )
        seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "rss_mb": peak_rss_mb()}))


#: Flags every measuring process gets, as main() was given them.
SHARED_FLAGS: list[str] = []


def child(operation: str, seeds: Path, output: Path, cache: Path, jobs: int) -> dict[str, float]:
    command = [sys.executable, __file__, "--measure", operation, "--seeds", str(seeds)]
    command += ["--output", str(output), "--cache", str(cache), "--jobs", str(jobs)]
    command += SHARED_FLAGS
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    return dict(json.loads(result.stdout.splitlines()[-1]))


def best(repeat: int, run: Callable[[], dict[str, float]]) -> dict[str, float]:
    """The shortest time of ``repeat`` runs, with the largest peak memory among them."""
    runs = [run() for _ in range(repeat)]
    return {"seconds": min(r["seconds"] for r in runs), "rss_mb": max(r["rss_mb"] for r in runs)}


def same_feeds(one: Path, two: Path) -> bool:
    """Whether the two output folders hold the same files with the same bytes.

    One pair of files at a time: a process that held them all would grow, and the
    measuring processes it starts after would report its peak memory as theirs (on
    Linux, a process started by fork and exec begins with its parent's peak).
    """

    def files(folder: Path) -> set[Path]:
        return {p.relative_to(folder) for p in folder.rglob("*") if p.is_file()}

    names = files(one)
    return names == files(two) and all(filecmp.cmp(one / n, two / n, shallow=False) for n in names)


Row = tuple[str, float, float, str]


def run_size(count: int, jobs: int, repeat: int, work: Path) -> list[Row]:
    seeds, output, cache = work / "seeds", work / "public", work / "cache"
    generate(seeds, count)
    child("floor", seeds, output, cache, jobs)  # warm the page cache
    floor = best(repeat, lambda: child("floor", seeds, output, cache, jobs))
    rows = [("floor: read every seed", floor["seconds"], floor["rss_mb"], "")]
    raw = best(repeat, lambda: child("raw floor", seeds, output, cache, jobs))
    label = "(for scale: os.open and os.read at a folder descriptor)"
    rows.append((label, raw["seconds"], raw["rss_mb"], ""))

    from feedpub.ledger import ledger_file

    ledger = ledger_file(output)

    def step(label: str, verify: bool) -> None:
        """Measure a build from the same starting state ``repeat`` times: the output
        folder, the cache and the ledger as the step before left them."""
        before = work / "before"
        shutil.rmtree(before, ignore_errors=True)
        before.mkdir()
        for state in (output, cache):
            if state.exists():
                shutil.copytree(state, before / state.name)
        if ledger.parent.exists():
            shutil.copytree(ledger.parent, before / ledger.parent.name)

        def again() -> dict[str, float]:
            for state in (output, cache):
                shutil.rmtree(state, ignore_errors=True)
                if (before / state.name).exists():
                    shutil.copytree(before / state.name, state)
            shutil.rmtree(ledger.parent, ignore_errors=True)
            if (before / ledger.parent.name).exists():
                shutil.copytree(before / ledger.parent.name, ledger.parent)
            return child("build", seeds, output, cache, jobs)

        figures = best(repeat, again)
        check = ""
        if verify:
            # The same history, without the cache: what was published before this step.
            reference = work / "reference"
            shutil.rmtree(reference, ignore_errors=True)
            shutil.rmtree(ledger_file(reference).parent, ignore_errors=True)
            if (before / ledger.parent.name).exists():
                shutil.copytree(before / ledger.parent.name, ledger_file(reference).parent)
            child("reference", seeds, reference, cache, jobs)
            check = "identical" if same_feeds(output, reference) else "DIFFERENT"
        rows.append((label, figures["seconds"], figures["rss_mb"], check))

    step("cold build (empty cache)", verify=False)
    step("no-op rebuild", verify=True)
    chance = random.Random(1)
    (seeds / "zzz-new.txt").write_bytes(seed_text(count + 1, chance))
    step("rebuild after adding one seed", verify=True)
    edited = seeds / f"{count // 2:06d}.txt"
    edited.write_bytes(edited.read_bytes().replace(b"Article", b"Edited article", 1))
    step("rebuild after editing one seed", verify=True)
    (seeds / f"{count // 3:06d}.txt").unlink()
    step("rebuild after deleting one seed", verify=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; best kept")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--seeds", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--output", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--cache", type=Path, help=argparse.SUPPRESS)
    parser.add_argument(
        "--groups", action="store_true", help="also a feed per category and per author"
    )
    parser.add_argument(
        "--archive", action="store_true", help="the site's feed as an archived feed, by month"
    )
    arguments = parser.parse_args()
    if arguments.measure:
        measure(
            arguments.measure,
            arguments.seeds,
            arguments.output,
            arguments.cache,
            arguments.jobs,
            groups=arguments.groups,
            archive=arguments.archive,
        )
        return
    for flag in ("groups", "archive"):
        if getattr(arguments, flag):
            SHARED_FLAGS.append(f"--{flag}")
    print(
        f"machine: {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.platform()}; --jobs {arguments.jobs}; best of {arguments.repeat} runs"
        + ("; with the feeds per category and per author" if arguments.groups else "")
        + ("; with archives by month" if arguments.archive else "")
    )
    nowhere = Path(tempfile.gettempdir())
    imports = best(arguments.repeat, lambda: child("imports", nowhere, nowhere, nowhere, 1))
    print(f"importing feedpub (not in the times below): {imports['seconds']:.3f} s")
    for count in arguments.sizes:
        with tempfile.TemporaryDirectory() as folder:
            rows = run_size(count, arguments.jobs, arguments.repeat, Path(folder))
        floor = rows[0][1]
        print(f"\nN = {count:,}")
        print("| measurement | time | ratio to floor | peak RSS | output |")
        print("| --- | --- | --- | --- | --- |")
        for label, seconds, rss, check in rows:
            print(f"| {label} | {seconds:.3f} s | {seconds / floor:.2f} | {rss:.0f} MB | {check} |")


if __name__ == "__main__":
    main()
