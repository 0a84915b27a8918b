"""Findings as text for people, JSON for tools, GitHub workflow annotations, SARIF and
JUnit XML (:mod:`feedpub.validate.interchange`)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Literal

from feedpub.log import styled_level
from feedpub.validate.findings import Finding

Format = Literal["text", "json", "github", "sarif", "junit"]
_GITHUB_COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def render_report(
    results: Sequence[tuple[str, Sequence[Finding]]],
    fmt: Format,
    *,
    styled: bool = False,
    strict: bool = False,
) -> str:
    """All findings of all files in one format; for text and annotations, empty text
    when there are none.

    ``styled`` text has its levels in colour, for click to show on a terminal. With
    ``strict``, JUnit counts warnings as failures, as the exit code does.
    """
    if fmt in ("sarif", "junit"):
        from feedpub.validate import interchange

        if fmt == "sarif":
            return interchange.sarif(results)
        failing = frozenset({"error", "warning"} if strict else {"error"})
        return interchange.junit(results, failing=failing)
    if fmt == "json":
        return (
            json.dumps(
                {
                    "findings": [
                        {
                            "path": str(path),
                            "line": finding.line,
                            "column": finding.column,
                            "level": finding.level,
                            "code": finding.code,
                            "message": finding.message,
                            "spec": finding.spec,
                        }
                        for path, findings in results
                        for finding in findings
                    ],
                    "files": len(results),
                    "errors": _count(results, "error"),
                    "warnings": _count(results, "warning"),
                },
                ensure_ascii=False,
                indent=2,
            )
            + "\n"
        )
    lines = [
        _github(path, finding) if fmt == "github" else _text(path, finding, styled=styled)
        for path, findings in results
        for finding in findings
    ]
    return "".join(line + "\n" for line in lines)


def _count(results: Sequence[tuple[str, Sequence[Finding]]], level: str) -> int:
    return sum(1 for _, findings in results for finding in findings if finding.level == level)


def _text(path: str, finding: Finding, *, styled: bool) -> str:
    location = f"{path}:{finding.line}:{finding.column}"
    level = styled_level(finding.level) if styled else finding.level
    return f"{location}: {level}: {finding.code}: {finding.message}"


def _github(path: str, finding: Finding) -> str:
    properties = ",".join(
        f"{name}={_escape(value, property_value=True)}"
        for name, value in (
            ("file", str(path)),
            ("line", str(finding.line)),
            ("col", str(finding.column)),
            ("title", f"feedpub {finding.code}"),
        )
    )
    message = _escape(f"{finding.message} ({finding.spec})", property_value=False)
    return f"::{_GITHUB_COMMANDS[finding.level]} {properties}::{message}"


def _escape(value: str, *, property_value: bool) -> str:
    """Escape as GitHub's workflow commands require."""
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value
