"""Findings, and the context that collects them with their positions."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from lxml import etree

from feedpub.validate.rules import RULES, Level


def opening(data: bytes, length: int = 1) -> bytes:
    """The first ``length`` bytes of a document after a UTF-8 byte order mark and white
    space: what tells JSON (``{``, ``[``) from XML (``<``) and a page from a feed."""
    return data.removeprefix(b"\xef\xbb\xbf").lstrip(b" \t\r\n")[:length]


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem found in a feed."""

    code: str
    """The rule's stable code."""
    level: Level
    """error, warning or info."""
    line: int
    """1-based line."""
    column: int
    """1-based column, in characters."""
    message: str
    """What was found and what was expected."""
    spec: str
    """The specification the rule comes from."""


def finding(code: str, message: str, line: int = 1, column: int = 1) -> Finding:
    """A finding of rule ``code``, with the rule's level and specification."""
    rule = RULES[code]
    return Finding(code, rule.level, line, column, message, rule.spec)


def in_order(findings: Iterable[Finding]) -> list[Finding]:
    """``findings`` in document order: by line, then column."""
    return sorted(findings, key=lambda finding: (finding.line, finding.column))


@dataclass
class Context:
    """The document being checked, and the findings so far."""

    data: bytes
    encoding: str = "utf-8"
    root: etree._Element | None = None
    findings: list[Finding] = field(default_factory=list)
    _tag_starts: dict[tuple[int, str], list[int]] = field(default_factory=dict)

    @cached_property
    def lines(self) -> list[str]:
        """The document's lines, decoded only when a column is needed."""
        return self.data.decode(self.encoding, "replace").splitlines()

    def add(self, code: str, where: etree._Element | tuple[int, int], message: str) -> None:
        """Record a finding of rule ``code`` at an element or at (line, column)."""
        line, column = where if isinstance(where, tuple) else self.position(where)
        self.findings.append(finding(code, message, line, column))

    def position(self, element: etree._Element) -> tuple[int, int]:
        """Where an element's start tag begins.

        libxml2 records the line where the start tag ends; the tag is looked
        for there (the k-th element of that name on the line is the k-th
        match), then on the lines before it, for tags that span lines.
        """
        line = _line_of(element)
        if not isinstance(element.tag, str):
            return line, 1
        name = _qualified_name(element)
        matches = self._starts(line, name)
        if matches:
            rank = self._ranks.get(element, 0)
            return line, matches[min(rank, len(matches) - 1)] + 1
        for number in range(line - 1, max(line - 20, 0), -1):
            found = self._starts(number, name)
            if found:
                return number, found[-1] + 1
        return line, 1

    def _starts(self, number: int, name: str) -> list[int]:
        """Where start tags of ``name`` begin on line ``number``, each line and name
        searched once: a minified feed is one line, and one search per finding on
        it took time quadratic in its size."""
        key = (number, name)
        found = self._tag_starts.get(key)
        if found is None:
            line = self.lines[number - 1] if 0 < number <= len(self.lines) else ""
            pattern = re.compile(rf"<{re.escape(name)}(?=[\s/>]|$)")
            found = self._tag_starts[key] = [m.start() for m in pattern.finditer(line)]
        return found

    @cached_property
    def _ranks(self) -> dict[etree._Element, int]:
        """For each element, how many elements of its name precede it on its line."""
        ranks: dict[etree._Element, int] = {}
        seen: dict[tuple[int, str], int] = {}
        root = self.root
        if root is None:
            return ranks
        for element in root.iter("*"):
            key = (_line_of(element), element.tag)
            ranks[element] = seen.get(key, 0)
            seen[key] = ranks[element] + 1
        return ranks


def _line_of(element: etree._Element) -> int:
    line = element.sourceline
    return line if isinstance(line, int) and line > 0 else 1


def _qualified_name(element: etree._Element) -> str:
    name = etree.QName(element).localname
    return f"{element.prefix}:{name}" if element.prefix else name
