"""The validator: a corpus of valid feeds, one-defect feeds, and hostile input."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from feedpub.validate import RULES, html, validate
from feedpub.validate.previous import changed_ids

FEEDS = Path(__file__).resolve().parent / "feeds"
SUFFIXES = (".xml", ".json", ".html")
VALID = sorted(path for path in (FEEDS / "valid").iterdir() if path.suffix in SUFFIXES)
INVALID = sorted(path for path in (FEEDS / "invalid").iterdir() if path.suffix in SUFFIXES)


@pytest.mark.parametrize("path", VALID, ids=[path.stem for path in VALID])
def test_valid_feeds_have_no_errors(path: Path) -> None:
    errors = [finding for finding in validate(path.read_bytes()) if finding.level == "error"]
    assert errors == []


@pytest.mark.parametrize("path", [FEEDS / f"base{suffix}" for suffix in ("-atom.xml", *SUFFIXES)])
def test_base_feeds_have_no_finding_at_all(path: Path) -> None:
    assert validate(path.read_bytes()) == []


@pytest.mark.parametrize("path", INVALID, ids=[path.stem for path in INVALID])
def test_each_defect_is_caught_by_its_rule(path: Path) -> None:
    code = path.stem.split("--")[0]
    findings = validate(path.read_bytes())
    assert code in {finding.code for finding in findings}
    other_errors = {f.code for f in findings if f.level == "error" and f.code != code}
    assert other_errors == set()
    for finding in findings:
        rule = RULES[finding.code]
        assert (finding.level, finding.spec) == (rule.level, rule.spec)


PAIRS = sorted((FEEDS / "previous").glob("*.old.*"))


@pytest.mark.parametrize("old", PAIRS, ids=[path.name.split(".")[0] for path in PAIRS])
def test_each_change_between_editions_is_caught_by_its_rule(old: Path) -> None:
    code = old.name.split("--")[0]
    new = old.with_name(old.name.replace(".old.", ".new."))
    assert validate(old.read_bytes()) == []
    assert [f.code for f in validate(new.read_bytes()) if f.level == "error"] == []
    findings = changed_ids(old.read_bytes(), new.read_bytes(), max_share=0.01)
    assert {finding.code for finding in findings} == {code}
    for finding in findings:
        rule = RULES[finding.code]
        assert (finding.level, finding.spec) == (rule.level, rule.spec)
    # Under the allowed share, or against itself, nothing.
    assert changed_ids(old.read_bytes(), new.read_bytes(), max_share=1) == []
    assert changed_ids(old.read_bytes(), old.read_bytes(), max_share=0) == []


def test_every_rule_has_a_defect_in_the_corpus() -> None:
    single = {path.stem.split("--")[0] for path in INVALID}
    paired = {path.name.split("--")[0] for path in PAIRS}
    # Of inputs and exchanges, not documents: tests/test_cli_validate.py.
    reading = {"file-unreadable"} | {code for code in RULES if code.startswith("http-")}
    assert single | paired | reading == set(RULES)
    assert not single & paired


def test_findings_point_at_line_and_column() -> None:
    [finding] = validate((FEEDS / "invalid" / "rss-date-weekday--tuesday.xml").read_bytes())
    assert (finding.line, finding.column) == (18, 7)
    assert finding.message == "<pubDate>: 23 May 2022 is a Mon, not a Tue"


def test_columns_count_same_named_elements_on_one_line() -> None:
    feed = (FEEDS / "base.xml").read_text(encoding="utf-8")
    one_line = " ".join(line.strip() for line in feed.splitlines()[1:])
    one_line = one_line.replace("<link>https://base.example.com/two</link>", "<link>two</link>")
    [finding] = validate(one_line.encode())
    assert finding.code == "rss-url"
    assert one_line[finding.column - 1 :].startswith("<link>two</link>")


def test_utf16_and_latin1_columns_are_characters() -> None:
    data = (FEEDS / "valid" / "utf-16.xml").read_bytes()
    broken = data.decode("utf-16").replace(
        "<updated>2024-03-07T09:00:00+09:00</updated>\n  <author>",
        "<updated>2024-03-07</updated>\n  <author>",
    )
    [finding] = validate(b"\xff\xfe" + broken.encode("utf-16-le"))
    assert (finding.code, finding.line, finding.column) == ("atom-date", 5, 3)


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
 <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
 <!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">
 <!ENTITY i "&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;">
]>
<rss version="2.0"><channel><title>&i;</title><link>https://e.example/</link>
<description>&i;&i;&i;&i;</description></channel></rss>
"""


def run_isolated(data: bytes) -> str:
    """Validate in a child process, so a hang or a memory blow-up fails the test, not the run."""
    code = (
        "import sys; from feedpub.validate import validate; "
        "print([(f.code, f.message) for f in validate(sys.stdin.buffer.read())])"
    )
    process = subprocess.run(
        [sys.executable, "-c", code],
        input=data,
        capture_output=True,
        timeout=60,
        check=True,
    )
    return process.stdout.decode()


def test_billion_laughs_is_reported_not_expanded() -> None:
    output = run_isolated(BILLION_LAUGHS)
    assert "xml-dtd-entity" in output
    assert "aaaaaaaaaa" not in output


def test_external_entity_never_reads_local_files(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE", encoding="utf-8")
    data = (
        '<?xml version="1.0"?>\n'
        f'<!DOCTYPE rss [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>\n'
        '<rss version="2.0"><channel><title>&xxe;</title><link>https://e.example/</link>'
        "<description>&xxe;</description></channel></rss>\n"
    ).encode()
    output = run_isolated(data)
    assert "xml-dtd-entity" in output
    assert "TOP-SECRET-VALUE" not in output


def test_external_dtd_is_never_fetched() -> None:
    """A DTD on a loopback server must not be requested."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        data = (
            '<?xml version="1.0"?>\n'
            f'<!DOCTYPE rss SYSTEM "http://127.0.0.1:{port}/rss.dtd">\n'
            '<rss version="2.0"><channel><title>t</title><link>https://e.example/</link>'
            "<description>d</description></channel></rss>\n"
        ).encode()
        validate(data)
        # A connection made while validating waits in the listen queue: none is there.
        server.setblocking(False)
        with pytest.raises(BlockingIOError):
            server.accept()


def test_deep_nesting_is_an_error_not_a_crash() -> None:
    depth = 100_000
    data = b'<rss version="2.0">' + b"<a>" * depth + b"</a>" * depth + b"</rss>"
    output = run_isolated(data)
    assert "xml-syntax" in output


def codes_at(data: bytes) -> list[tuple[str, int, int]]:
    return [(finding.code, finding.line, finding.column) for finding in validate(data)]


def test_json_is_told_from_xml_by_its_first_character() -> None:
    base = (FEEDS / "base.json").read_bytes()
    assert validate(b"\xef\xbb\xbf \r\n\t" + base) == []  # a byte order mark, white space
    assert codes_at(b"  [1]") == [("jsonfeed-type", 1, 3)]
    assert codes_at(b"\n{") == [("json-syntax", 2, 2)]
    assert [finding.code for finding in validate(b"items: []")] == ["xml-syntax"]


def test_json_findings_point_at_the_value_in_characters() -> None:
    """Lines and columns count characters, as for XML; a string's escapes are skipped."""
    data = '{"title": "Café \\"quoted\\" ✓", "feed_url": "/feed.json",\n "é": 1}'.encode()
    assert codes_at(data) == [
        ("jsonfeed-missing", 1, 1),
        ("jsonfeed-missing", 1, 1),
        ("jsonfeed-public", 1, 1),
        ("jsonfeed-url", 1, 44),
        ("jsonfeed-unknown", 2, 7),
    ]
    assert codes_at('{"é": "\xe9"}'.encode("latin-1")) == [("json-encoding", 1, 3)]
    assert codes_at('{"é": "é\xff"}'.encode("latin-1").replace(b"\xe9", "é".encode())) == [
        ("json-encoding", 1, 9)
    ]


def test_json_that_python_reads_but_rfc_8259_does_not_is_an_error() -> None:
    for constant in (b"NaN", b"Infinity", b"-Infinity"):
        [finding] = validate(b'{"_x": ' + constant + b"}")
        assert (finding.code, finding.level) == ("json-syntax", "error")


def test_json_nested_too_deep_is_a_finding_not_a_crash() -> None:
    for depth in (101, 600, 100_000):
        [finding] = validate(b'{"_x": ' + b'{"a": ' * depth + b"1" + b"}" * depth + b"}")
        assert finding.code == "json-syntax"
        assert "nested" in finding.message
    assert [f.code for f in validate(b'{"_x": ' + b"[" * 99 + b"]" * 99 + b"}")] == [
        "jsonfeed-missing",
        "jsonfeed-missing",
        "jsonfeed-missing",
        "jsonfeed-public",
        "jsonfeed-public",
    ]


@pytest.mark.parametrize(
    ("markup", "unsafe", "relative"),
    [
        ("<p>plain</p>", None, None),
        ("<svg/onload=alert(1)>", "the onload attribute of <svg>", None),
        ('<a\nonclick="x()">x</a>', "the onclick attribute of <a>", None),
        ("<IMG SRC=javascript:alert(1)>", "a script URL in <img src>", None),
        ('<iframe src="https://e.example/"></iframe>', "<iframe>", None),
        ('<a href="/about">about</a>', None, "/about"),
        ('<a href="#top">top</a> <img src="//cdn.example/x.png">', None, None),
        ("&lt;script&gt;alert(1)&lt;/script&gt;", None, None),
    ],
)
def test_html_scan(markup: str, unsafe: str | None, relative: str | None) -> None:
    assert html.scan(markup) == (unsafe, relative)
