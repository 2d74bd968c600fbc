"""Rule sets: ``compat`` within ``recommended`` within ``all``.

The build runs ``compat`` unless ``conf.py`` selects rules; the command
line runs ``recommended`` unless it or ``conf.py`` selects rules.  Sets
are selectors beside codes, prefixes, names and ``ALL``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from lint_support import LINT_FIXTURES, cli_findings, cli_json, run_cli, warnings_of

from os_api_ref_ext.lint.registry import (
    BUILD_DEFAULT,
    CLI_DEFAULT,
    RULE_SETS,
    all_rules,
    select_rules,
    unknown_selectors,
)

#: What os-api-ref reports, or what crashes it or renders broken output.
COMPAT = {
    "F001",  # parameters/status file missing: "Parameters file not found"
    "F002",  # YAML error: os-api-ref raises
    "F003",  # empty file: "Parameters file is empty"; an entry not a mapping raises
    "F006",  # "... is not a valid value for 'in'"
    "F010",  # "Section out of order" / "Parameters out of order"
    "F012",  # a key YAML reads as a number: key.lower() raises, or no definition
    "F013",  # a description that is not text: "Failure on key", or raises
    "S001",  # "No field definition for ... found"
    "S002",  # "Invalid parameter definition"; a status item that is not a code raises
    "S003",  # "No parameters defined"
    "S004",  # "No reference file defined"
    "S006",  # "No path parameter ... found in rest_parameter stanza"
    "S012",  # a row without 'in' or 'type': "Failure on key", the table cut short
    "C001",  # an undefined status code: KeyError
    "C002",  # "Could not find <reason> for code <code>"
    "C005",  # "Type ... is not one of ('success', 'error')"
    "D001",  # docutils: unknown option (rest_method would take it as content)
    "D002",  # a script link is shown as text, not as the link written
    "J001",  # Sphinx's literalinclude: file not found
}
#: Measured precise on nova and cinder (hand-checked findings; rules with no
#: finding on either tree report objective errors such as invalid JSON).
RECOMMENDED = COMPAT | {
    "F004",
    "F005",  # 7/7 on cinder (misspelt fields, a missing type)
    "F007",  # 7/7 ('list', 'dict')
    "F008",
    "F009",
    "F011",  # 103/103 (grep of every stanza key)
    "O001",
    "O002",  # 1/1
    "O003",  # 4/4 (files included twice, a copied operation)
    "O005",
    "O006",  # 4/4
    "O007",
    "C003",  # 2/2 (300 listed as an error)
    "C006",
    "D003",
    "J002",
    "J003",  # 66/68 hand-checked
    "J004",  # 34/34 hand-checked
    "J005",
    "J006",
    "S005",  # 2/2
    "S007",  # 25/25
    "S008",  # 14/14
    "S010",
}
#: Style rules, opted into one by one: O004, S009, S011, C004.
EVERY = {rule.code for rule in all_rules()}


def codes(rules: list) -> set[str]:  # type: ignore[type-arg]
    return {rule.code for rule in rules}


# -- the registry ------------------------------------------------------------------


def test_each_rule_is_in_the_smallest_set_that_holds_it() -> None:
    tiers = {rule.code: rule.tier for rule in all_rules()}
    assert {code for code, tier in tiers.items() if tier == "compat"} == COMPAT
    assert {code for code, tier in tiers.items() if tier == "recommended"} == RECOMMENDED - COMPAT
    assert {code for code, tier in tiers.items() if tier == "all"} == EVERY - RECOMMENDED


def test_sets_nest() -> None:
    assert RULE_SETS == ("compat", "recommended", "all")
    assert codes(select_rules(["compat"])) == COMPAT
    assert codes(select_rules(["recommended"])) == RECOMMENDED
    assert codes(select_rules(["all"])) == codes(select_rules(["ALL"])) == EVERY
    assert COMPAT < RECOMMENDED < EVERY


def test_defaults() -> None:
    assert (BUILD_DEFAULT, CLI_DEFAULT) == ("compat", "recommended")
    assert codes(select_rules()) == codes(select_rules([])) == COMPAT
    assert codes(select_rules(None, ["S"])) == {c for c in COMPAT if not c.startswith("S")}


@pytest.mark.parametrize(
    ("select", "ignore", "expected"),
    [
        (["Recommended"], None, RECOMMENDED),
        ([" COMPAT "], None, COMPAT),
        (["compat", "F011", "unordered-codes"], None, COMPAT | {"F011", "C004"}),
        (["all"], ["recommended"], EVERY - RECOMMENDED),
        (
            ["recommended"],
            ["compat", "O"],
            {code for code in RECOMMENDED - COMPAT if not code.startswith("O")},
        ),
        (["ALL"], ["all"], set()),
    ],
)
def test_sets_mix_with_other_selectors(
    select: list[str], ignore: list[str] | None, expected: set[str]
) -> None:
    assert codes(select_rules(select, ignore)) == expected


def test_set_names_are_known_selectors() -> None:
    assert unknown_selectors(["compat", "Recommended", "all", "ALL", "F011"]) == []
    assert unknown_selectors(["compatible", "recommend"]) == ["compatible", "recommend"]


# -- the build and the command line -------------------------------------------------


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """One finding per set: S001 (compat), F011 (recommended), C004 (all)."""
    srcdir = tmp_path / "src"
    shutil.copytree(LINT_FIXTURES / "F011" / "bad", srcdir)
    index = srcdir / "index.rst"
    text = index.read_text(encoding="utf-8")
    text = text.replace("   - name: name\n", "   - name: name\n   - size: size\n")
    text = text.replace(
        "error status.yaml\n\n   - 404\n", "error status.yaml\n\n   - 404\n   - 400\n"
    )
    index.write_text(text, encoding="utf-8")
    with open(srcdir / "status.yaml", "a", encoding="utf-8") as status:
        status.write("400:\n  default: The request is malformed.\n")
    return srcdir


def _conf(srcdir: Path, line: str) -> None:
    with open(srcdir / "conf.py", "a", encoding="utf-8") as conf:
        conf.write(line)


def _build(srcdir: Path, make_app) -> set[str]:  # type: ignore[no-untyped-def]
    app = make_app("dummy", srcdir=srcdir, freshenv=True)
    app.build()
    warned = warnings_of(app)
    # The build and the linter with the same selection agree.
    assert warned == cli_findings([srcdir])
    return {finding.code for finding in warned}


def _cli(*args: str) -> set[str]:
    return {str(row["code"]) for row in cli_json(*args)}


def test_the_build_runs_compat_and_the_cli_recommended(tree: Path, make_app) -> None:  # type: ignore[no-untyped-def]
    assert _build(tree, make_app) == {"S001"}
    assert _cli(str(tree)) == {"S001", "F011"}
    assert _cli("--select", "all", str(tree)) == {"S001", "F011", "C004"}
    assert _cli("--select", "compat", str(tree)) == {"S001"}


def test_one_line_opts_a_build_into_recommended(tree: Path, make_app) -> None:  # type: ignore[no-untyped-def]
    _conf(tree, 'os_api_ref_lint = {"select": ["recommended"]}\n')
    assert _build(tree, make_app) == {"S001", "F011"}
    assert _cli(str(tree)) == {"S001", "F011"}


def test_the_cli_follows_the_selection_in_conf_py(tree: Path, make_app) -> None:  # type: ignore[no-untyped-def]
    _conf(tree, 'os_api_ref_lint = {"select": ["all"], "ignore": ["compat"]}\n')
    assert _build(tree, make_app) == {"F011", "C004"}
    assert _cli(str(tree)) == {"F011", "C004"}


def test_ignore_without_select_narrows_each_default(tree: Path, make_app) -> None:  # type: ignore[no-untyped-def]
    _conf(tree, 'os_api_ref_lint = {"ignore": ["S001"]}\n')
    assert _build(tree, make_app) == set()
    assert _cli(str(tree)) == {"F011"}


def test_list_rules_shows_each_set(capsys: pytest.CaptureFixture[str]) -> None:
    status, output = run_cli("--list-rules")
    assert status == 0
    shown = {line.split()[0]: line.split()[1] for line in output.splitlines()}
    assert shown == {rule.code: rule.tier for rule in all_rules()}
