"""Property-based fuzzing of whole builds: seed bytes, file names and settings.

Whatever the folder and the settings hold, ``feedpub build`` must end with a code
from the README's table, never a crash (70) and never feeds of its own that fail
validation (4); the published feeds are the old ones, untouched, or new ones that
are valid; and a build with the cache writes the same bytes as one without.

The budget is fixed for CI; ``FEEDPUB_FUZZ_EXAMPLES=5000 python3 -m pytest
tests/test_fuzz.py`` runs a longer search.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from feedpub.cli import (
    EXIT_DROP_REFUSED,
    EXIT_NOTHING_PUBLISHED,
    EXIT_OK,
    EXIT_SEEDS_REJECTED,
    EXIT_USAGE,
    main,
)
from feedpub.ledger import ledger_file
from feedpub.validate import validate
from tests.conftest import BUNDLED_SEEDS, FEED_FILES

EXAMPLES = int(os.environ.get("FEEDPUB_FUZZ_EXAMPLES", "60"))
EXAMPLE_LINES = next(BUNDLED_SEEDS.glob("*.txt")).read_bytes().split(b"\n")
FEEDS = FEED_FILES
#: What a build may end with on any input: the README's table less 4 (its own feeds
#: invalid: a bug), 5 (no other build runs here), 7 (the output folder is ordinary).
ALLOWED = {EXIT_OK, EXIT_SEEDS_REJECTED, EXIT_USAGE, EXIT_NOTHING_PUBLISHED, EXIT_DROP_REFUSED}

WEEKDAYS = ["Monday", "Tuesday", "Friday", "Sunday", "monday", "Mon", ""]
MONTHS = ["May", "December", "January", "February", "Foo", ""]
ZONES = ["EDT", "UTC", "CET", "IST", "JST", "Z", "ut", "X", ""]


@st.composite
def bylines(draw: st.DrawFn) -> bytes:
    """A byline with each part drawn from values at and past the edges."""
    names = draw(st.sampled_from(["Tim Sweezy", "A, B and C", "", "é & ü", "by", "x" * 200]))
    separator = draw(st.sampled_from(["", " ", " | ", ", ", " - ", "\u2014", ", " * 50]))
    day = draw(st.integers(0, 32))
    year = draw(st.sampled_from([0, 1, 999, 1000, 1970, 2022, 9999, 10000, 99999]))
    hour = draw(st.integers(0, 25))
    minute = draw(st.integers(0, 61))
    meridiem = draw(st.sampled_from(["AM", "PM", "am", "p.m.", "XM"]))
    stamp = (
        f"{draw(st.sampled_from(WEEKDAYS))}, {draw(st.sampled_from(MONTHS))} {day}, {year}, "
        f"{hour:02d}:{minute:02d} {meridiem} {draw(st.sampled_from(ZONES))}"
    )
    return f"by {names}{separator}{stamp}".encode()


@st.composite
def seed_bytes(draw: st.DrawFn) -> bytes:
    """The example edited line by line, or bytes with no shape at all."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.binary(max_size=400))
    lines = list(EXAMPLE_LINES)
    for _ in range(draw(st.integers(0, 6))):
        where = draw(st.integers(0, len(lines)))
        edit = draw(st.sampled_from(["delete", "duplicate", "insert", "byline", "dateline"]))
        if edit == "delete" and lines:
            del lines[min(where, len(lines) - 1)]
        elif edit == "duplicate" and lines:
            lines.insert(where, lines[min(where, len(lines) - 1)])
        elif edit == "insert":
            text = draw(st.text(max_size=60))
            codec = draw(st.sampled_from(["utf-8", "cp1252", "utf-16"]))
            lines.insert(
                where, text.encode(codec, "surrogatepass" if codec != "cp1252" else "replace")
            )
        elif edit == "byline":
            lines.insert(where, draw(bylines()))
        else:
            date = draw(
                st.sampled_from(["2022-05-23", "0999-01-01", "9999-12-31", "2022-02-30", "x"])
            )
            categories = draw(st.sampled_from(["", "A, B", "<b>&", ", ,"]))
            lines.insert(where, f" date {date} CATEGORIES {categories}".encode())
    ending = draw(st.sampled_from([b"\n", b"\r\n", b"\r"]))
    return ending.join(lines)


names = (
    st.binary(min_size=1, max_size=40)
    .map(lambda name: name.replace(b"/", b"_").replace(b"\0", b"_"))
    .filter(lambda name: name not in (b".", b".."))
)


@st.composite
def folders(draw: st.DrawFn) -> dict[bytes, bytes]:
    """Up to five seeds, named in any bytes, most of them *.txt."""
    count = draw(st.integers(1, 5))
    folder: dict[bytes, bytes] = {}
    for _ in range(count):
        stem = draw(names)
        suffix = draw(st.sampled_from([b".txt", b".txt", b".txt", b".md", b""]))
        folder[stem + suffix] = draw(seed_bytes())
    return folder


text_values = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", " ", "a\x0bb", "<script>", "&amp;", "\u2028", "\ufffe", "t" * 500]),
)


printable = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Cn")), max_size=30)
#: For each setting, values that are fine and values that are not.
SETTINGS: dict[str, tuple[st.SearchStrategy[object], st.SearchStrategy[object]]] = {
    "base_url": (
        st.sampled_from(
            ["https://example.com/", "https://example.com/blog", "http://EXAMPLE.com:8080/a/",
             "https://xn--exmple-cua.com/"]
        ),
        st.sampled_from(
            ["https://exa mple.com/", "https://user:pw@example.com/", "https://[::1]/",
             "ftp://example.com/", "https://example.com/%zz/", "https://exämple.com/"]
        ),
    ),
    "title": (printable.filter(str.strip), text_values),
    "description": (printable, text_values),
    "author": (printable, text_values),
    "language": (st.sampled_from(["en", "en-US", "zh-Hant-TW"]), st.sampled_from(["English", "x"])),
    "limit": (st.integers(1, 60), st.integers(-1, 0)),
    "article_path": (
        st.sampled_from(["articles/{key}.html", "{year}/{month}/{day}/{key}/", "{key}", "{key}#x"]),
        st.sampled_from(["{key.__class__}/{key}", "{key:>99}", "a b/{key}", "/{key}"]),
    ),
    "pattern": (st.sampled_from(["*.txt", "*", "*.md", "[", "?*"]), st.sampled_from(["", "a/b"])),
    "max_drop": (st.sampled_from([0, 0.5, 1]), st.sampled_from([2, -1])),
    "max_seed_size": (
        st.sampled_from([100, 1_000, 1_048_576, 1_900_000]),
        st.sampled_from([0, 2_000_000]),
    ),
}  # fmt: skip


@st.composite
def config_files(draw: st.DrawFn) -> str:
    """A feedpub.toml with a base URL and any of the other settings; each is usually
    fine, and one time in six not."""
    values: dict[str, object] = {}
    for key, (good, bad) in SETTINGS.items():
        if key == "base_url" or draw(st.booleans()):
            fine = draw(st.sampled_from([True, True, True, True, True, False]))
            values[key] = draw(good if fine else bad)
    # JSON strings are TOML basic strings, but for DEL and lone surrogates, which make a
    # file TOML rejects: a case worth having too.
    return "".join(
        f"{key} = {json.dumps(value, ensure_ascii=False)}\n" for key, value in values.items()
    )


def snapshot(output: Path) -> dict[str, bytes]:
    return {name: (output / name).read_bytes() for name in FEEDS if (output / name).exists()}


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(folder=folders(), config=config_files(), cached=st.booleans())
def test_any_folder_and_settings_end_in_a_documented_way(
    folder: dict[bytes, bytes], config: str, cached: bool
) -> None:
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        seeds = root / "seeds"
        seeds.mkdir()
        for name, data in folder.items():
            (seeds / os.fsdecode(name)).write_bytes(data)
        (root / "feedpub.toml").write_text(config, encoding="utf-8", errors="surrogatepass")
        output = root / "public"
        runner = CliRunner()
        # A good build first, so that a failing one has feeds to leave alone.
        (root / "first.toml").write_text('base_url = "https://example.com/"\n', encoding="utf-8")
        first = runner.invoke(
            main,
            ["build", str(BUNDLED_SEEDS), "-o", str(output), "--config", str(root / "first.toml"),
             "--no-cache"],
        )  # fmt: skip
        assert first.exit_code == EXIT_OK, first.stderr
        before = snapshot(output)
        # The build "again" below has the same history: what the first build published.
        shutil.copytree(ledger_file(output).parent, ledger_file(root / "again").parent)
        command = ["build", str(seeds), "-o", str(output), "--config", str(root / "feedpub.toml")]
        cache = ["--cache-dir", str(root / "cache")] if cached else ["--no-cache"]
        result = runner.invoke(main, [*command, *cache])
        assert "Traceback" not in result.stderr, result.stderr
        assert result.exit_code in ALLOWED, (result.exit_code, result.stderr)
        event(f"exit {result.exit_code}")
        after = snapshot(output)
        if result.exit_code in (EXIT_OK, EXIT_SEEDS_REJECTED):
            for feed in FEEDS:
                errors = [f for f in validate(after[feed]) if f.level == "error"]
                assert errors == [], (feed, errors)
            # The cache changes no byte: a build without it, elsewhere, agrees.
            again = runner.invoke(
                main, [*command[:3], str(root / "again"), *command[4:], "--no-cache", "--force"]
            )
            assert again.exit_code == result.exit_code, again.stderr
            assert snapshot(root / "again") == after
        else:
            assert after == before
