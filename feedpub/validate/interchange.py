"""Findings for other tools: SARIF 2.1.0 (code scanning, editors) and JUnit XML (CI
test reports)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote

from lxml import etree

from feedpub import __version__
from feedpub.validate.findings import Finding
from feedpub.validate.http import is_url
from feedpub.validate.rules import RULES

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_SARIF_LEVELS = {"error": "error", "warning": "warning", "info": "note"}

Results = Sequence[tuple[str, Sequence[Finding]]]


def sarif(results: Results) -> str:
    """One SARIF 2.1.0 log with one run: every rule, and each finding as a result."""
    codes = list(RULES)
    rules = [
        {
            "id": rule.code,
            "shortDescription": {"text": rule.summary},
            "defaultConfiguration": {"level": _SARIF_LEVELS[rule.level]},
            "properties": {"specification": rule.spec},
        }
        for rule in RULES.values()
    ]
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "feedpub",
                        "version": __version__,
                        "informationUri": "https://pypi.org/project/feedpub/",
                        "rules": rules,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": [
                    {
                        "ruleId": finding.code,
                        "ruleIndex": codes.index(finding.code),
                        "level": _SARIF_LEVELS[finding.level],
                        "message": {"text": finding.message},
                        "locations": [
                            {
                                "physicalLocation": {
                                    "artifactLocation": {"uri": _uri(path)},
                                    "region": {
                                        "startLine": finding.line,
                                        "startColumn": finding.column,
                                    },
                                }
                            }
                        ],
                    }
                    for path, findings in results
                    for finding in findings
                ],
            }
        ],
    }
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"


def _uri(name: str) -> str:
    """An input as a SARIF artifact location: a URL as it is, a ``file:`` URI for an
    absolute path, else a relative reference, percent-encoded."""
    if is_url(name):
        return name
    path = Path(name)
    if path.is_absolute():
        return path.as_uri()
    return quote(path.as_posix(), safe="/")


def junit(results: Results, *, failing: frozenset[str]) -> str:
    """A JUnit XML report: a test suite per file, a test case per finding (a failure
    when its level is in ``failing``), or one passing case for a file without any."""
    suites = etree.Element("testsuites", name="feedpub validate")
    total = failures = 0
    for path, findings in results:
        suite = etree.SubElement(suites, "testsuite", name=str(path))
        failed = 0
        for finding in findings:
            case = etree.SubElement(
                suite,
                "testcase",
                classname=str(path),
                name=f"{finding.code} at {finding.line}:{finding.column}",
            )
            text = f"{finding.level}: {finding.message} ({finding.spec})"
            if finding.level in failing:
                failure = etree.SubElement(
                    case, "failure", message=finding.message, type=finding.code
                )
                failure.text = f"{path}:{finding.line}:{finding.column}: {text}"
                failed += 1
            else:
                etree.SubElement(case, "system-out").text = text
        cases = len(findings)
        if not findings:
            etree.SubElement(suite, "testcase", classname=str(path), name="valid")
            cases = 1
        suite.set("tests", str(cases))
        suite.set("failures", str(failed))
        suite.set("errors", "0")
        total += cases
        failures += failed
    suites.set("tests", str(total))
    suites.set("failures", str(failures))
    suites.set("errors", "0")
    return etree.tostring(
        suites, pretty_print=True, xml_declaration=True, encoding="UTF-8"
    ).decode()
