"""``feedpub validate`` and ``feedpub build --check``, and the build validating its own output."""

from __future__ import annotations

import gzip
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result
from lxml import etree

from feedpub.cli import main
from feedpub.outputs import OUTPUTS
from feedpub.serve import make_server
from tests.conftest import (
    BUNDLED_SEEDS,
    FEED_FILES,
    ROOT,
    StandIn,
    readme_block,
    require,
    run,
    running,
)
from tests.test_readers import JS_READER, node

FEEDS = Path(__file__).resolve().parent / "feeds"
WEEKDAY = FEEDS / "invalid" / "rss-date-weekday--tuesday.xml"
SELF_LINK = FEEDS / "invalid" / "rss-self-link--missing.xml"


def test_text_format_and_exit_1_on_errors() -> None:
    result = run("validate", FEEDS / "base.xml", WEEKDAY)
    assert result.exit_code == 1
    assert result.stdout == (
        f"{WEEKDAY}:18:7: error: rss-date-weekday: <pubDate>: 23 May 2022 is a Mon, not a Tue\n"
    )


def test_json_feeds_are_validated_too() -> None:
    no_zone = FEEDS / "invalid" / "jsonfeed-date--no-zone.json"
    result = run("validate", FEEDS / "base.json", no_zone)
    assert result.exit_code == 1
    assert result.stdout == (
        f"{no_zone}:40:25: error: jsonfeed-date: date_published: expected an RFC 3339 "
        "date-time such as '2022-05-23T17:01:00Z', got '2024-03-07T09:00:00'\n"
    )


def test_warnings_pass_unless_strict() -> None:
    assert run("validate", SELF_LINK).exit_code == 0
    assert run("validate", "--strict", SELF_LINK).exit_code == 1


def test_clean_files_print_nothing() -> None:
    result = run("validate", FEEDS / "base.xml", FEEDS / "base-atom.xml")
    assert (result.exit_code, result.stdout) == (0, "")


def test_json_format() -> None:
    result = run("validate", "--format", "json", WEEKDAY)
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {
        "findings": [
            {
                "path": str(WEEKDAY),
                "line": 18,
                "column": 7,
                "level": "error",
                "code": "rss-date-weekday",
                "message": "<pubDate>: 23 May 2022 is a Mon, not a Tue",
                "spec": "RFC 822 §5, as updated by RFC 1123 §5.2.14",
            }
        ],
        "files": 1,
        "errors": 1,
        "warnings": 0,
    }


def test_github_format() -> None:
    result = run("validate", "--format", "github", WEEKDAY, SELF_LINK)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"::error file={WEEKDAY},line=18,col=7,title=feedpub rss-date-weekday::"
        "<pubDate>: 23 May 2022 is a Mon, not a Tue (RFC 822 §5, as updated by RFC 1123 §5.2.14)",
        f"::warning file={SELF_LINK},line=3,col=3,title=feedpub rss-self-link::"
        'expected <atom:link rel="self" href="URL of this feed"> in the channel '
        "(RSS Best Practices Profile)",
    ]


def test_unreadable_and_oversized_files_exit_2(tmp_path: Path) -> None:
    """A file that cannot be read is a finding like any other, in every format."""
    result = run("validate", tmp_path / "missing.xml", FEEDS / "base.xml")
    assert result.exit_code == 2
    assert result.stdout == (
        f"{tmp_path / 'missing.xml'}:1:1: error: file-unreadable: cannot read: "
        "No such file or directory\n"
    )
    result = run("validate", "--max-size", "100", FEEDS / "base.xml")
    assert result.exit_code == 2
    assert result.stdout == (
        f"{FEEDS / 'base.xml'}:1:1: error: file-unreadable: larger than the 100-byte limit; "
        "raise it with --max-size\n"
    )
    report = json.loads(run("validate", "--format", "json", tmp_path / "missing.xml").stdout)
    [finding] = report["findings"]
    assert (finding["code"], finding["level"]) == ("file-unreadable", "error")
    annotation = run("validate", "--format", "github", tmp_path / "missing.xml").stdout
    assert annotation.startswith(f"::error file={tmp_path / 'missing.xml'},line=1,col=1")
    assert "file-unreadable" in annotation


def test_validate_needs_a_path() -> None:
    assert run("validate").exit_code == 2


def build(output: Path, *more: str) -> Result:
    return run("build", BUNDLED_SEEDS, "-o", output, "--base-url", "https://example.com/", *more)


def test_check_passes_on_fresh_output_and_fails_after_a_change(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(BUNDLED_SEEDS, seeds)
    args = ("build", seeds, "-o", tmp_path / "public", "--base-url", "https://example.com/")
    assert run(*args, "--check").exit_code == 1  # nothing published yet
    assert not (tmp_path / "public").exists()
    assert run(*args).exit_code == 0
    result = run(*args, "--check")
    assert result.exit_code == 0
    assert result.stdout.endswith(
        "out of date: none; unchanged: "
        + ", ".join(str(tmp_path / "public" / name) for name in FEED_FILES)
        + "\n"
    )
    seed = next(seeds.glob("*.txt"))
    seed.write_bytes(seed.read_bytes().replace(b"Xiaomi And Leica", b"Leica And Xiaomi"))
    before = {path.name: path.read_bytes() for path in (tmp_path / "public").iterdir()}
    result = run(*args, "--check")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{tmp_path / 'public' / name}: error: would change"
        for name in FEED_FILES
        if name != "head.html"  # the autodiscovery links name no article
    ]
    assert {path.name: path.read_bytes() for path in (tmp_path / "public").iterdir()} == before


def test_build_refuses_to_publish_feeds_that_fail_validation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert build(tmp_path).exit_code == 0
    before = {path.name: path.read_bytes() for path in tmp_path.iterdir()}

    def broken(*args: object) -> bytes:
        return b'<rss version="2.0"><channel><title>t</title></channel></rss>'

    for name in OUTPUTS:  # an RSS document without link and description, in every file
        monkeypatch.setitem(OUTPUTS, name, StandIn(name, broken))
    result = build(tmp_path)
    assert result.exit_code == 4
    assert result.stderr.splitlines()[:2] == [
        f"{tmp_path / 'rss.xml'}:1: error: rss-missing: expected <link> in <channel>",
        f"{tmp_path / 'rss.xml'}:1: error: rss-missing: expected <description> in <channel>",
    ]
    assert result.stderr.splitlines()[-1] == (
        f"error: the new feeds failed validation ({2 * len(OUTPUTS)} errors); "
        "the published feeds were left as they were"
    )
    assert {path.name: path.read_bytes() for path in tmp_path.iterdir()} == before


PRE_COMMIT = [sys.executable, "-m", "pre_commit"]


class _Site:
    """A git repository holding the bundled seeds and ``settings``, the feeds built from
    them by ``build``, a good feed, and three files the validate hook must pass over: a
    sitemap, an editor's XML and a ``package.json``."""

    def __init__(
        self, tmp_path: Path, build: list[str], build_env: dict[str, str], settings: Path
    ) -> None:
        self.env = {
            **os.environ,
            "PRE_COMMIT_HOME": str(tmp_path / "cache"),
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@example.com",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@example.com",
        }
        self.path = site = tmp_path / "site"
        site.mkdir()
        shutil.copytree(BUNDLED_SEEDS, site / "seeds")
        shutil.copy(settings, site / "feedpub.toml")
        shutil.copy(FEEDS / "base.xml", site / "good.xml")
        (site / "sitemap.xml").write_text(
            '<?xml version="1.0"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            "<url><loc>https://example.com/</loc></url></urlset>\n"
        )
        (site / ".idea").mkdir()
        (site / ".idea" / "workspace.xml").write_text(
            '<?xml version="1.0"?>\n<project version="4"/>\n'
        )
        (site / "package.json").write_text('{"name": "site", "version": "1.0.0"}\n')
        self.git("init", "-q")
        subprocess.run(build, cwd=site, env=build_env, check=True, capture_output=True)

    def git(self, *args: str) -> None:
        subprocess.run(["git", *args], cwd=self.path, env=self.env, check=True, capture_output=True)

    def pre_commit(self, *args: str) -> subprocess.CompletedProcess[str]:
        """``pre-commit ARGS`` in the site, every file staged first."""
        self.git("add", "-A")
        return subprocess.run(
            [*PRE_COMMIT, *args],
            cwd=self.path,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )


@pytest.mark.slow  # installs feedpub and its dependencies into an environment of its own
@pytest.mark.skipif(shutil.which("git") is None, reason="pre-commit needs git")
def test_pre_commit_hooks(tmp_path: Path) -> None:
    """Both hooks, run by the real pre-commit tool against this repository."""
    site = _Site(tmp_path, ["feedpub", "build"], dict(os.environ), ROOT / "feedpub.toml")

    def hook(name: str) -> subprocess.CompletedProcess[str]:
        return site.pre_commit("try-repo", str(ROOT), name, "--all-files")

    passed = hook("feedpub-validate")  # sitemap.xml, .idea/workspace.xml, package.json
    assert passed.returncode == 0, passed.stdout
    assert hook("feedpub-check").returncode == 0
    # A rejected seed changes no feed: the feeds are current, and the check passes.
    (site.path / "seeds" / "broken.txt").write_bytes(b"no dateline\n")
    current = hook("feedpub-check")
    assert current.returncode == 0, current.stdout
    (site.path / "seeds" / "broken.txt").unlink()
    shutil.copy(WEEKDAY, site.path / "bad.xml")
    failed = hook("feedpub-validate")
    assert failed.returncode == 1
    assert "bad.xml:18:7: error: rss-date-weekday:" in failed.stdout
    seed = next((site.path / "seeds").glob("*.txt"))
    seed.write_bytes(seed.read_bytes().replace(b"Xiaomi And Leica", b"Leica And Xiaomi"))
    stale = hook("feedpub-check")
    assert stale.returncode == 1
    assert "public/rss.xml: error: would change" in stale.stdout


def _tags() -> list[str]:
    """This repository's tags; none when it is not a git checkout (an sdist)."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        return []
    listed = subprocess.run(
        ["git", "-C", str(ROOT), "tag", "--list"], capture_output=True, text=True, check=True
    )
    return listed.stdout.split()


@pytest.mark.slow  # installs feedpub at the tag into an environment of its own
@pytest.mark.skipif(not _tags(), reason="a checkout without tags cannot look up the rev")
def test_the_readme_pre_commit_configuration_at_the_tag_it_pins(tmp_path: Path) -> None:
    """The README's configuration, with the one change it asks for: where feedpub comes
    from, here this repository. Its rev is a release tag, and its hooks work there."""
    block = readme_block("yaml", "id: feedpub-validate")
    [repo] = yaml.safe_load(block)["repos"]
    rev = repo["rev"]
    assert rev in _tags()
    assert re.fullmatch(r"v\d+\.\d+\.\d+", rev), rev
    tagged = tmp_path / "tagged"  # the code at the tag, to build the site's feeds with
    tagged.mkdir()
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", rev], capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(tagged)], input=archive, check=True)
    version = (tagged / "feedpub" / "__init__.py").read_text(encoding="utf-8")
    assert f'__version__ = "{rev[1:]}"' in version
    site = _Site(
        tmp_path,
        [sys.executable, "-m", "feedpub", "build"],
        {**os.environ, "PYTHONPATH": str(tagged)},
        tagged / "feedpub.toml",
    )
    (site.path / ".pre-commit-config.yaml").write_text(
        block.replace(repo["repo"], str(ROOT)), encoding="utf-8"
    )
    passed = site.pre_commit("run", "--all-files")
    assert passed.returncode == 0, passed.stdout
    assert passed.stdout.count("Passed") == 2, passed.stdout
    shutil.copy(WEEKDAY, site.path / "bad.xml")
    failed = site.pre_commit("run", "--all-files")
    assert failed.returncode == 1
    assert "bad.xml:18:7: error: rss-date-weekday:" in failed.stdout


TITLE_HTML = FEEDS / "invalid" / "title-html--end-tag-in-title.xml"
TITLE_HTML_FINDING = (
    f"{TITLE_HTML}:13:7: warning: title-html: '</b>' in a title: readers differ on markup here\n"
)


def test_rules_are_selected_ignored_and_made_errors_by_code_or_prefix() -> None:
    weekday = (
        f"{WEEKDAY}:18:7: error: rss-date-weekday: <pubDate>: 23 May 2022 is a Mon, not a Tue\n"
    )
    both = ("validate", WEEKDAY, TITLE_HTML)
    assert run(*both).stdout == weekday + TITLE_HTML_FINDING
    for selected in ("rss-date-weekday", "rss", "rss-date"):
        result = run(*both, "--select", selected)
        assert (result.exit_code, result.stdout) == (1, weekday), selected
    result = run(*both, "--ignore", "rss-date-weekday")
    assert (result.exit_code, result.stdout) == (0, TITLE_HTML_FINDING)
    result = run(*both, "--select", "title-html,rss-date-weekday", "--ignore", "rss")
    assert (result.exit_code, result.stdout) == (0, TITLE_HTML_FINDING)
    result = run("validate", TITLE_HTML, "--warn-as-error", "title-html")
    assert (result.exit_code, result.stdout) == (1, TITLE_HTML_FINDING.replace("warning", "error"))
    result = run("validate", TITLE_HTML, "--warn-as-error", "title", "--warn-as-error", "rss")
    assert result.exit_code == 1


def test_an_unknown_rule_is_a_usage_error_with_a_suggestion() -> None:
    result = run("validate", WEEKDAY, "--ignore", "rss-date-weekdy")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert (
        "Invalid value for '--ignore': no rule is named 'rss-date-weekdy' "
        "(did you mean 'rss-date-weekday'?)" in result.stderr
    )


@pytest.mark.parametrize("layout", ["feedpub.toml", "pyproject.toml"])
def test_the_validate_table_of_the_settings_chooses_rules(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, layout: str
) -> None:
    table = "[validate]" if layout == "feedpub.toml" else "[tool.feedpub.validate]"
    (tmp_path / layout).write_text(
        f'{table}\nignore = ["rss-date-weekday"]\nwarn_as_error = ["title-html"]\n',
        encoding="utf-8",
    )
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")  # found upward, as build finds it; no base_url needed
    result = run("validate", WEEKDAY, TITLE_HTML)
    assert (result.exit_code, result.stdout) == (1, TITLE_HTML_FINDING.replace("warning", "error"))
    # A flag replaces its key: here, nothing is made an error any more...
    result = run("validate", WEEKDAY, TITLE_HTML, "--warn-as-error", "rss-empty")
    assert (result.exit_code, result.stdout) == (0, TITLE_HTML_FINDING)
    # ... and here every rule is reported again, the settings' ignore replaced.
    result = run("validate", WEEKDAY, "--ignore", "title-html")
    assert result.exit_code == 1


def test_a_bad_validate_setting_names_its_file_and_line(tmp_path: Path) -> None:
    settings = tmp_path / "feedpub.toml"
    settings.write_text('base_url = "https://example.com/"\n\n[validate]\nselect = ["rss-dat"]\n')
    result = run("validate", "--config", settings, WEEKDAY)
    assert result.exit_code == 2
    assert result.stderr == (
        f"{settings}:4: error: validate.select: no rule is named 'rss-dat' "
        "(did you mean 'rss-date'?)\n"
    )


def test_the_readmes_validate_table_works_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "feedpub.toml").write_text(readme_block("toml", "[validate]"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run("validate", WEEKDAY, TITLE_HTML)
    assert (result.exit_code, result.stdout) == (
        1,
        f"{WEEKDAY}:18:7: error: rss-date-weekday: <pubDate>: 23 May 2022 is a Mon, not a Tue\n",
    )


def test_standard_input_is_read_for_a_dash() -> None:
    result = CliRunner().invoke(main, ["validate", "-"], input=WEEKDAY.read_bytes())
    assert result.exit_code == 1
    assert result.stdout == (
        "<stdin>:18:7: error: rss-date-weekday: <pubDate>: 23 May 2022 is a Mon, not a Tue\n"
    )
    big = CliRunner().invoke(main, ["validate", "--max-size", "10", "-"], input=b"<rss>" * 9)
    assert (big.exit_code, big.stdout) == (
        2,
        "<stdin>:1:1: error: file-unreadable: larger than the 10-byte limit; raise it with "
        "--max-size\n",
    )


def test_a_folder_is_searched_for_feeds_by_their_root_element(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "blog" / "deep").mkdir(parents=True)
    (site / ".git").mkdir()
    shutil.copy(WEEKDAY, site / "blog" / "deep" / "news.rss")  # no .xml: found anyway
    shutil.copy(FEEDS / "base-atom.xml", site / "atom.xml")
    shutil.copy(FEEDS / "base.json", site / "feed.json")
    shutil.copy(WEEKDAY, site / ".git" / "old.xml")  # hidden: left out
    (site / "sitemap.xml").write_text(
        '<?xml version="1.0"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<url><loc>https://example.com/</loc></url></urlset>\n"
    )
    (site / "workspace.xml").write_text('<?xml version="1.0"?>\n<project version="4"/>\n')
    (site / "package.json").write_text('{"name": "site", "version": "1.0.0"}\n')
    (site / "broken.xml").write_text("<rss version='2.0'><channel>")  # unfinished, yet a feed
    result = run("validate", "--format", "json", site)
    paths = sorted({finding["path"] for finding in json.loads(result.stdout)["findings"]})
    assert paths == [str(site / "blog" / "deep" / "news.rss"), str(site / "broken.xml")]
    assert json.loads(result.stdout)["files"] == 4
    assert result.exit_code == 1


MULTITOOL = JS_READER / "node_modules" / "@microsoft" / "sarif-multitool-linux" / "Sarif.Multitool"


def test_sarif_output_passes_the_sarif_schema_and_microsofts_validator(tmp_path: Path) -> None:
    spaced = tmp_path / "with space.xml"
    shutil.copy(TITLE_HTML, spaced)
    result = run("validate", "--format", "sarif", WEEKDAY, spaced, FEEDS / "base.xml")
    assert result.exit_code == 1
    log = tmp_path / "report.sarif"
    log.write_text(result.stdout, encoding="utf-8")
    checked = node("schema.mjs", "sarif", str(log))
    assert (checked.returncode, json.loads(checked.stdout)) == (0, {str(log): []})
    require("the SARIF Multitool", MULTITOOL.is_file())
    verdict = tmp_path / "verdict.sarif"
    ran = subprocess.run(
        [str(MULTITOOL), "validate", str(log), "-o", str(verdict), "--quiet"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert json.loads(verdict.read_text(encoding="utf-8"))["runs"][0]["results"] == []
    [run_] = json.loads(result.stdout)["runs"]
    assert [(r["ruleId"], r["level"]) for r in run_["results"]] == [
        ("rss-date-weekday", "error"),
        ("title-html", "warning"),
    ]
    rules = run_["tool"]["driver"]["rules"]
    for found in run_["results"]:
        assert rules[found["ruleIndex"]]["id"] == found["ruleId"]
    location = run_["results"][1]["locations"][0]["physicalLocation"]
    assert location == {
        "artifactLocation": {"uri": spaced.as_uri()},
        "region": {"startLine": 13, "startColumn": 7},
    }
    assert "%20" in spaced.as_uri()


def test_junit_output_has_a_suite_per_file_and_fails_as_the_exit_code_does() -> None:
    result = run("validate", "--format", "junit", WEEKDAY, TITLE_HTML, FEEDS / "base.xml")
    assert result.exit_code == 1
    suites = etree.fromstring(result.stdout.encode())
    assert suites.tag == "testsuites"
    assert (suites.get("tests"), suites.get("failures")) == ("3", "1")
    assert [suite.get("name") for suite in suites] == [
        str(WEEKDAY),
        str(TITLE_HTML),
        str(FEEDS / "base.xml"),
    ]
    [failure] = suites.iter("failure")
    assert failure.get("type") == "rss-date-weekday"
    assert failure.get("message") == "<pubDate>: 23 May 2022 is a Mon, not a Tue"
    [passing] = suites[2]
    assert passing.get("name") == "valid"
    strict = etree.fromstring(
        run("validate", "--format", "junit", "--strict", TITLE_HTML).stdout.encode()
    )
    assert strict.get("failures") == "1"


def test_feeds_only_passes_over_named_files_that_are_no_feeds(tmp_path: Path) -> None:
    sitemap = tmp_path / "sitemap.xml"
    sitemap.write_text('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"/>\n')
    assert run("validate", sitemap).exit_code == 1  # named: an error, xml-root
    result = run("validate", "--feeds-only", sitemap, WEEKDAY)
    assert (result.exit_code, result.stdout.count("\n")) == (1, 1)
    assert "rss-date-weekday" in result.stdout
    assert run("validate", "--feeds-only", sitemap).exit_code == 0


def test_check_with_rejected_ok_exits_0_when_the_feeds_are_current(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(BUNDLED_SEEDS, seeds)
    (seeds / "broken.txt").write_bytes(b"no dateline\n")
    output = tmp_path / "public"
    base = ["build", str(seeds), "-o", str(output), "--base-url", "https://example.com/"]
    assert run(*base).exit_code == 8
    assert run(*base, "--check").exit_code == 8
    assert run(*base, "--check", "--rejected-ok").exit_code == 0
    (output / "rss.xml").write_bytes(b"stale")
    assert run(*base, "--check", "--rejected-ok").exit_code == 1


def test_the_github_action_is_one_composite_step_running_its_script() -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    [step] = action["runs"]["steps"]
    assert step["run"] == 'bash "$GITHUB_ACTION_PATH/contrib/github-action/validate.sh"'
    assert set(action["inputs"]) == {"paths", "args", "requirement"}
    assert (ROOT / "contrib" / "github-action" / "validate.sh").is_file()


@pytest.mark.slow  # installs feedpub into an environment of its own, as the action does
def test_the_github_actions_step_validates_with_annotations(tmp_path: Path) -> None:
    """The action's step, run as GitHub runs it: its command through bash, with the
    inputs in its environment as action.yml maps them."""
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    [step] = action["runs"]["steps"]
    site = tmp_path / "site"
    (site / "public" / "feeds").mkdir(parents=True)
    shutil.copy(FEEDS / "base.xml", site / "public" / "rss.xml")
    shutil.copy(WEEKDAY, site / "public" / "feeds" / "old.xml")
    (site / "public" / "sitemap.xml").write_text(
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"/>\n'
    )
    inputs = {name: spec.get("default", "") for name, spec in action["inputs"].items()}

    def run_step(**given: str) -> subprocess.CompletedProcess[str]:
        values = {**inputs, **given}
        env = {
            name: re.sub(r"\$\{\{ inputs\.(\w+) \}\}", lambda m: values[m[1]], value)
            for name, value in step["env"].items()
        }
        return subprocess.run(
            [step["shell"], "-c", step["run"]],
            cwd=site,
            env={
                **os.environ,
                **env,
                "GITHUB_ACTION_PATH": str(ROOT),
                "RUNNER_TEMP": str(tmp_path / "runner"),
            },
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )

    (tmp_path / "runner").mkdir()
    failed = run_step()  # the default paths: public, searched for feeds
    assert failed.returncode == 1, failed.stderr
    assert failed.stdout == (
        "::error file=public/feeds/old.xml,line=18,col=7,title=feedpub rss-date-weekday::"
        "<pubDate>%3A 23 May 2022 is a Mon, not a Tue (RFC 822 §5, as updated by RFC 1123 "
        "§5.2.14)\n"
    ).replace("%3A", ":")
    passed = run_step(paths="public/rss.xml", args="--strict")
    assert (passed.returncode, passed.stdout) == (0, "")
    # The README's job, with its inputs: they are the action's, and work as given.
    job = yaml.safe_load(readme_block("yaml", "OWNER/feedpub@"))
    [uses] = [entry for entry in job["steps"] if "feedpub@" in entry.get("uses", "")]
    assert set(uses["with"]) <= set(action["inputs"])
    readme = run_step(**uses["with"])
    assert (readme.returncode, readme.stdout) == (1, failed.stdout)


class _Awkward(http.server.BaseHTTPRequestHandler):
    """A server that gets what readers meet wrong: a feed as text/html with a wrong self
    link and no validator, a redirect, a gzip-encoded feed as text/xml without charset."""

    feed = (FEEDS / "base-atom.xml").read_bytes()

    def do_GET(self) -> None:
        if self.path == "/moved.xml":
            self.send_response(301)
            self.send_header("Location", "/atom.xml")
            self.end_headers()
            return
        if self.path == "/gone.xml":
            self.send_error(404)
            return
        body, kind = self.feed, "text/html"
        if self.path == "/gzip.xml":
            body, kind = gzip.compress(self.feed), "text/xml"
        self.send_response(200)
        self.send_header("Content-Type", kind)
        if self.path == "/gzip.xml":
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def test_a_feed_served_by_feedpub_serve_passes_over_http(tmp_path: Path) -> None:
    output = tmp_path / "public"
    output.mkdir()
    with running(make_server(output, bind="127.0.0.1", port=0)) as server:
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        assert build(output, "--base-url", base).exit_code == 0  # self links where served
        for name in ("atom.xml", "rss.xml", "feed.json"):
            result = run("validate", "--strict", base + name)
            assert (result.exit_code, result.stdout) == (0, ""), name


def test_what_a_server_gets_wrong_is_reported_with_codes() -> None:
    with running(http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Awkward)) as server:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        result = run("validate", f"{base}/atom.xml")
        assert result.exit_code == 0  # warnings: the document itself is fine
        assert result.stdout.splitlines() == [
            f"{base}/atom.xml:1:1: warning: http-content-type: served as 'text/html': "
            "expected 'application/atom+xml' (or 'application/xml', 'text/xml')",
            f"{base}/atom.xml:1:1: warning: http-self-link: the self link is "
            f"'https://base.example.com/atom.xml', but the feed is at '{base}/atom.xml'",
            f"{base}/atom.xml:1:1: warning: http-conditional: no ETag or Last-Modified: every "
            "reader downloads the whole feed at every poll",
        ]
        moved = run("validate", "--select", "http-redirect", f"{base}/moved.xml")
        assert moved.stdout == (
            f"{base}/moved.xml:1:1: warning: http-redirect: {base}/moved.xml redirects "
            f"permanently (301) to {base}/atom.xml: readers should subscribe to where the feed "
            "is\n"
        )
        packed = run("validate", "--select", "http-charset,atom", f"{base}/gzip.xml")
        assert packed.stdout == (
            f"{base}/gzip.xml:1:1: warning: http-charset: text/xml without a charset is "
            "US-ASCII (RFC 3023), whatever the XML declaration says: add '; charset=utf-8'\n"
        )  # decoded: the Atom checks found nothing in it
        gone = run("validate", f"{base}/gone.xml")
        assert (gone.exit_code, gone.stdout) == (
            2,
            f"{base}/gone.xml:1:1: error: file-unreadable: {base}/gone.xml answered 404 Not "
            "Found\n",
        )
    refused = run("validate", f"{base}/atom.xml")  # the server is gone
    assert refused.exit_code == 2
    assert "file-unreadable: cannot fetch" in refused.stdout
