"""Reading a JSON document with the position of every value, for findings that say where.

``json`` gives values without positions; :func:`parse` checks the document with it
(its messages for syntax errors are good), then walks the text once more to record
where each value starts. Duplicate member names, which ``json`` silently resolves to
the last, are reported here.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass
from typing import Any

from feedpub.validate.findings import Context

#: How deep arrays and objects may nest (RFC 8259 §9 lets a reader set a limit); a feed
#: needs five levels.
MAX_DEPTH = 100
_SPACE = re.compile(r"[ \t\n\r]*")
_SCALAR = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null")
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)


@dataclass(frozen=True, slots=True)
class Node:
    """A JSON value and where it starts."""

    value: Any
    """A ``dict[str, Node]``, a ``list[Node]``, or a string, number, bool or None."""
    line: int
    column: int

    @property
    def where(self) -> tuple[int, int]:
        return self.line, self.column


def parse(context: Context) -> Node | None:
    """The document as nodes; None, with a finding, when it is not UTF-8 JSON."""
    data = context.data.removeprefix(b"\xef\xbb\xbf")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        before = data[data.rfind(b"\n", 0, error.start) + 1 : error.start]
        column = len(before.decode("utf-8")) + 1  # in characters, as every column is
        context.add("json-encoding", (line, column), "expected UTF-8 (RFC 8259 §8.1)")
        return None
    try:
        json.loads(text, parse_constant=_not_json)
    except json.JSONDecodeError as error:
        context.add("json-syntax", (error.lineno, error.colno), error.msg)
        return None
    except ValueError as error:  # NaN or Infinity, which Python's json reads
        context.add("json-syntax", (1, 1), str(error))
        return None
    except RecursionError:
        context.add("json-syntax", (1, 1), "values nested too deeply to read")
        return None
    starts = [0] + [match.end() for match in re.finditer("\n", text)]
    try:
        return _Walk(text, starts, context).value(0, depth=0)[0]
    except _TooDeepError as error:
        context.add("json-syntax", error.where, f"values nested more than {MAX_DEPTH} deep")
        return None


class _TooDeepError(Exception):
    def __init__(self, where: tuple[int, int]) -> None:
        self.where = where


def _not_json(name: str) -> None:
    raise ValueError(f"{name} is not a JSON value")


class _Walk:
    """One pass over text already known to be JSON."""

    def __init__(self, text: str, starts: list[int], context: Context) -> None:
        self.text = text
        self.starts = starts
        self.context = context

    def position(self, index: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, index)
        return line, index - self.starts[line - 1] + 1

    def skip(self, index: int) -> int:
        match = _SPACE.match(self.text, index)
        assert match is not None  # the pattern matches the empty string
        return match.end()

    def value(self, index: int, depth: int) -> tuple[Node, int]:
        index = self.skip(index)
        line, column = self.position(index)
        first = self.text[index]
        if first in "{[" and depth == MAX_DEPTH:
            raise _TooDeepError((line, column))
        if first == "{":
            members, index = self.members(index + 1, depth + 1)
            return Node(members, line, column), index
        if first == "[":
            values: list[Node] = []
            index = self.skip(index + 1)
            while self.text[index] != "]":
                node, index = self.value(index, depth + 1)
                values.append(node)
                index = self.skip(index)
                if self.text[index] == ",":
                    index += 1
            return Node(values, line, column), index + 1
        match = (_STRING if first == '"' else _SCALAR).match(self.text, index)
        assert match is not None  # json.loads accepted the document
        return Node(json.loads(match.group()), line, column), match.end()

    def members(self, index: int, depth: int) -> tuple[dict[str, Node], int]:
        members: dict[str, Node] = {}
        index = self.skip(index)
        while self.text[index] != "}":
            name_at = self.position(index)
            match = _STRING.match(self.text, index)
            assert match is not None  # json.loads accepted the document
            name, index = json.loads(match.group()), match.end()
            index = self.skip(index) + 1  # the colon
            node, index = self.value(index, depth)
            if name in members:
                self.context.add(
                    "json-duplicate-key", name_at, f"{name!r} is given twice; readers differ"
                )
            members[name] = node
            index = self.skip(index)
            if self.text[index] == ",":
                index = self.skip(index + 1)
        return members, index + 1
