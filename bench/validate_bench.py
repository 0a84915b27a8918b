"""Benchmark: validating a large feed, as a ratio to a bare lxml parse of the same bytes.

Run from the repository root:

    python3 bench/validate_bench.py [--entries N] [--repeat R]

It writes an RSS and an Atom feed of N entries (default 20,000: tens of MB)
to a temporary folder, then times, in this one process, ``lxml.etree.fromstring``
(the floor: parsing alone) and ``feedpub.validate.validate`` on each, best of R
runs, and prints the times and their ratio.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from html import escape
from pathlib import Path

from lxml import etree

from feedpub.validate import validate

PARAGRAPH = (
    "Xiaomi and Leica have announced the first imaging flagship smartphone to be developed "
    'jointly by the two companies, with <script> in the text & quotes "like this". '
)


def rss(entries: int) -> bytes:
    start = datetime(2020, 1, 1, tzinfo=UTC)
    items = []
    for number in range(entries):
        when = (start + timedelta(minutes=number)).strftime("%a, %d %b %Y %H:%M:%S +0000")
        body = escape("".join(f"<p>{escape(PARAGRAPH)}</p>" for _ in range(8)))
        items.append(
            f"<item><title>Article {number}</title>"
            f"<link>https://bench.example.com/a/{number}</link>"
            f"<description>{escape(escape(PARAGRAPH))}</description>"
            f"<content:encoded>{body}</content:encoded>"
            f"<dc:creator>Writer {number % 97}</dc:creator>"
            f'<guid isPermaLink="false">tag:bench.example.com,2020:{number}</guid>'
            f"<pubDate>{when}</pubDate><category>News</category></item>\n"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>\n'
        "<title>Bench</title><link>https://bench.example.com/</link>"
        "<description>A large feed</description>"
        '<atom:link href="https://bench.example.com/rss.xml" rel="self" '
        'type="application/rss+xml"/>\n' + "".join(items) + "</channel></rss>\n"
    ).encode()


def atom(entries: int) -> bytes:
    start = datetime(2020, 1, 1, tzinfo=UTC)
    items = []
    for number in range(entries):
        when = (start + timedelta(minutes=number)).strftime("%Y-%m-%dT%H:%M:%SZ")
        body = escape("".join(f"<p>{escape(PARAGRAPH)}</p>" for _ in range(8)))
        items.append(
            f"<entry><title>Article {number}</title>"
            f'<link href="https://bench.example.com/a/{number}"/>'
            f"<id>tag:bench.example.com,2020:{number}</id><updated>{when}</updated>"
            f"<published>{when}</published><author><name>Writer {number % 97}</name></author>"
            f'<category term="News"/><summary type="html">{escape(escape(PARAGRAPH))}</summary>'
            f'<content type="html">{body}</content></entry>\n'
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>Bench</title>'
        "<id>https://bench.example.com/</id><updated>2020-01-01T00:00:00Z</updated>"
        '<link rel="self" href="https://bench.example.com/atom.xml"/>'
        '<link href="https://bench.example.com/"/>\n' + "".join(items) + "</feed>\n"
    ).encode()


def best(function: Callable[[bytes], object], data: bytes, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function(data)
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    arguments = parser.parse_args()
    print(
        f"machine: {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"lxml {'.'.join(map(str, etree.LXML_VERSION))}, {platform.platform()}"
    )
    with tempfile.TemporaryDirectory() as folder:
        for name, make in (("rss.xml", rss), ("atom.xml", atom)):
            path = Path(folder) / name
            path.write_bytes(make(arguments.entries))
            data = path.read_bytes()
            findings = validate(data)
            if any(finding.level == "error" for finding in findings):
                sys.exit(f"the benchmark feed {name} is invalid: {findings[:3]}")
            floor = best(etree.fromstring, data, arguments.repeat)
            checked = best(validate, data, arguments.repeat)
            print(
                f"{name}: {len(data) / 1e6:.1f} MB, {arguments.entries} entries; "
                f"lxml parse {floor:.3f} s, validate {checked:.3f} s; "
                f"ratio {checked / floor:.1f}x the bare parse"
            )


if __name__ == "__main__":
    main()
