"""Every lint rule has a failing and a passing fixture, checked both ways.

``tests/fixtures/lint/<CODE>/bad/`` must give exactly the findings listed
in its ``expected.txt`` (code, file and line); ``good/`` must give none at
all.  The command-line linter and a Sphinx build are each held to that,
and to each other: the build's warnings are the CLI's findings, message
for message.  Every rule runs (the set ``all``), whatever set the rule is
in, so a good fixture is clean of every rule, not only of its own, but for
the rules its ``conf.py`` ignores, with the reason written there (a good
case of one rule that is by nature another rule's finding).
"""

from __future__ import annotations

import ast
import os
import shutil
from pathlib import Path

import pytest
from lint_support import (
    LINT_FIXTURES,
    cli_findings,
    cli_json,
    expected,
    relative,
    run_cli,
    warnings_of,
)

from os_api_ref_ext.lint.registry import all_rules

CODES = sorted(path.name for path in LINT_FIXTURES.iterdir() if path.is_dir())
CASES = [(code, kind) for code in CODES for kind in ("bad", "good")]
EVERY_RULE = ["all"]
IDS = [f"{code}-{kind}" for code, kind in CASES]


def ignored_by_conf(fixture: Path) -> list[str]:
    """The ``ignore`` list of the fixture's ``os_api_ref_lint``, if any."""
    tree = ast.parse((fixture / "conf.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "os_api_ref_lint" for t in node.targets
        ):
            return list(ast.literal_eval(node.value).get("ignore", []))
    return []


def test_every_rule_has_a_bad_and_a_good_fixture() -> None:
    assert sorted(rule.code for rule in all_rules()) == CODES
    for code in CODES:
        assert (LINT_FIXTURES / code / "bad" / "expected.txt").is_file(), code
        assert (LINT_FIXTURES / code / "good" / "conf.py").is_file(), code
        assert {finding[0] for finding in expected(LINT_FIXTURES / code / "bad")} == {code}


@pytest.fixture(scope="module")
def fixtures_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixtures, copied once (S010's file lies next to the fixture dirs)."""
    root = tmp_path_factory.mktemp("lint-fixtures") / "lint"
    shutil.copytree(LINT_FIXTURES, root)
    return root


@pytest.mark.parametrize(("code", "kind"), CASES, ids=IDS)
def test_cli(code: str, kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fixture = LINT_FIXTURES / code / kind
    monkeypatch.chdir(fixture)
    selection = ["--select", "all"]
    if ignored_by_conf(fixture):
        selection += ["--ignore", ",".join(ignored_by_conf(fixture))]
    found = {(row["code"], row["path"], row["line"]) for row in cli_json(*selection, ".")}
    status, _output = run_cli(*selection, ".")
    if kind == "bad":
        assert found == expected(fixture)
        assert status == 1
    else:
        assert found == set()
        assert status == 0


@pytest.mark.parametrize(("code", "kind"), CASES, ids=IDS)
def test_sphinx_build(code: str, kind: str, fixtures_copy: Path, make_app) -> None:  # type: ignore[no-untyped-def]
    srcdir = fixtures_copy / code / kind
    app = make_app(
        "dummy",
        srcdir=srcdir,
        freshenv=True,
        confoverrides={
            "os_api_ref_lint": {"select": EVERY_RULE, "ignore": ignored_by_conf(srcdir)}
        },
    )
    app.build()
    warned = warnings_of(app)
    if kind == "bad":
        assert relative(warned, srcdir) == expected(srcdir)
    else:
        assert warned == set()
    assert warned == cli_findings([srcdir], select=EVERY_RULE)


def test_fixture_paths_are_relative_to_the_fixture() -> None:
    """expected.txt names files inside the fixture (S010's stanza line included)."""
    for code in CODES:
        for _code, path, _line in expected(LINT_FIXTURES / code / "bad"):
            assert not os.path.isabs(path) and not path.startswith(".."), (code, path)
            assert (LINT_FIXTURES / code / "bad" / path).is_file(), (code, path)
