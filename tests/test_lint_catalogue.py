"""The rule catalogue: generated from the registry, and kept up to date."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from docutils.core import publish_doctree
from docutils.utils import Reporter

from os_api_ref_ext.lint import catalogue
from os_api_ref_ext.lint.registry import RULE_SETS, all_rules

RULES_RST = Path(__file__).parents[1] / "docs" / "rules.rst"


def test_docs_rules_rst_is_up_to_date() -> None:
    assert RULES_RST.read_text(encoding="utf-8") == catalogue.render(), (
        "regenerate with: python -m os_api_ref_ext.lint.catalogue > docs/rules.rst"
    )


def test_main_writes_the_catalogue(capsys: pytest.CaptureFixture[str]) -> None:
    assert catalogue.main() == 0
    assert capsys.readouterr().out == catalogue.render()


def test_every_rule_has_bad_and_good_examples() -> None:
    assert catalogue.missing_examples() == []


def test_a_rule_without_examples_is_found() -> None:
    rule = all_rules()[0]
    broken = type(rule)(rule.code, rule.name, rule.summary, rule.tier, lambda context: [])
    assert catalogue.missing_examples([broken]) == [rule.code]


@pytest.mark.parametrize("rule", all_rules(), ids=lambda rule: rule.code)
def test_rule_metadata(rule) -> None:  # type: ignore[no-untyped-def]
    assert re.fullmatch(r"[FSOCJD]\d{3}", rule.code)
    assert re.fullmatch(r"[a-z]+(-[a-z]+)*", rule.name)
    assert rule.summary and "\n" not in rule.summary and not rule.summary.endswith(".")
    entry = catalogue.render([rule])
    assert f"{rule.code} {rule.name}\n" in entry
    assert rule.tier in RULE_SETS
    note = {
        "compat": "*In ``compat``: on by default in builds and in ``os-api-ref-lint``.*",
        "recommended": "*In ``recommended``: on by default in ``os-api-ref-lint``; "
        "select it to run it in builds.*",
        "all": "*In ``all`` only: select it to run it.*",
    }[rule.tier]
    assert f"{note} {rule.summary[0].upper()}{rule.summary[1:]}.\n" in entry
    assert f"     - ``{rule.tier}``\n" in entry
    assert rule.doc in entry


def test_catalogue_is_valid_restructuredtext() -> None:
    messages: list[str] = []
    document = publish_doctree(
        catalogue.render(),
        settings_overrides={"report_level": Reporter.SEVERE_LEVEL + 1, "halt_level": 5},
    )
    document.reporter.attach_observer(lambda message: messages.append(message.astext()))
    problems = [
        node.astext()
        for node in document.findall()
        if node.tagname == "system_message" and node["level"] >= Reporter.WARNING_LEVEL
    ]
    assert problems == []
    titles = [node.astext() for node in document.findall() if node.tagname == "title"]
    for rule in all_rules():
        assert f"{rule.code} {rule.name}" in titles
