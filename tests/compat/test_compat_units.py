"""The comparison machinery of the compatibility tests, on small inputs.

These need neither os-api-ref nor the real trees, so they run everywhere,
``tox -e py3`` included.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest
from compat_builds import CopyError, swap_extension
from compat_tables import (
    AllowEntry,
    AllowListError,
    Difference,
    Table,
    compare,
    excerpts,
    page_tables,
    parse_allowlist,
    report,
)
from compat_warnings import Context, Message, Source, answer, expectation, parse_messages

# The same two tables as os-api-ref and as ours write them.
THEIR_HTML = """<html><body>
<table class="docutils align-default"><thead>
<tr class="row-odd"><th class="head"><p>Name</p></th><th class="head"><p>In</p></th>
<th class="head"><p>Type</p></th><th class="head"><p>Description</p></th></tr></thead>
<tbody>
<tr class="row-even"><td><p>flavor_id (Optional)</p></td><td><p>path</p></td>
<td><p>string</p></td><td><p>The flavor.</p>
<p><strong>New in version 2.4</strong></p></td></tr>
</tbody></table>
<section id="Success"><h3>Success</h3>
<table class="docutils align-default"><thead>
<tr class="row-odd"><th class="head"><p>Code</p></th><th class="head"><p>Reason</p></th></tr>
</thead><tbody>
<tr class="row-even"><td><code>202 - Accepted</code></td><td><p>Request
   was accepted.</p></td></tr>
</tbody></table></section>
<table><thead><tr><th>Other</th></tr></thead><tbody><tr><td>x</td></tr></tbody></table>
</body></html>"""

OUR_HTML = """<html><body>
<table class="api-parameters docutils align-default"><thead>
<tr><th class="head"><p>Name</p></th><th class="head"><p>In</p></th>
<th class="head"><p>Type</p></th><th class="head"><p>Description</p></th></tr></thead>
<tbody>
<tr><td><p>flavor_id <span class="api-optional">(Optional)</span></p></td><td><p>path</p></td>
<td><p>string</p></td><td><p>The flavor.</p><p class="api-version-note">
<em>New in version 2.4</em></p></td></tr>
</tbody></table>
<table class="api-status-codes"><caption><span class="caption-text">Success</span></caption>
<thead><tr><th class="head"><p>Code</p></th><th class="head"><p>Reason</p></th></tr></thead>
<tbody><tr class="api-status-2xx"><td><p>202 - Accepted</p></td>
<td><p>Request was accepted.</p></td></tr></tbody></table>
</body></html>"""

FLAVOR = ("flavor_id (Optional)", "path", "string", "The flavor. New in version 2.4")


def test_both_writers_read_as_the_same_tables() -> None:
    expected = [
        Table("parameters", (FLAVOR,)),
        Table("status", (("202 - Accepted", "Request was accepted."),)),
    ]
    assert page_tables(THEIR_HTML) == expected
    assert page_tables(OUR_HTML) == expected


def test_replacements_apply_to_cells() -> None:
    html = OUR_HTML.replace("The flavor.", "See /build/src/x.yaml")
    [table, _status] = page_tables(html, [("/build/src", "<srcdir>")])
    assert table.rows[0][3] == "See <srcdir>/x.yaml New in version 2.4"


def _row(name: str, text: str = "same") -> tuple[str, ...]:
    return (name, "body", "string", text)


def _site(*tables: Table) -> dict[str, list[Table]]:
    return {"index.html": list(tables)}


def test_identical_builds_count_every_row() -> None:
    site = _site(
        Table("parameters", (_row("a"), _row("b"))), Table("status", (("200 - OK", "Fine"),))
    )
    result = compare("t", site, site, [])
    assert (result.counts["parameters"].compared, result.counts["parameters"].identical) == (2, 2)
    assert (result.counts["status"].compared, result.counts["status"].identical) == (1, 1)
    assert result.differences == []


def test_an_extra_row_is_one_difference_not_a_cascade() -> None:
    theirs = _site(Table("parameters", (_row("a"), _row("b"), _row("c"))))
    ours = _site(Table("parameters", (_row("a"), _row("x"), _row("b"), _row("c", "new"))))
    result = compare("t", theirs, ours, [])
    assert result.differences == [
        Difference("extra-row", "index.html", 1, "parameters", "x", ours=_row("x")),
        Difference(
            "changed",
            "index.html",
            1,
            "parameters",
            "c",
            ("Description",),
            _row("c"),
            _row("c", "new"),
        ),
    ]
    counts = result.counts["parameters"]
    assert (counts.compared, counts.identical, counts.different) == (4, 2, 2)


def test_tables_pair_by_content_when_one_side_has_more() -> None:
    """An empty table in ours between two of theirs pairs with nothing."""
    first, second = Table("parameters", (_row("a"),)), Table("parameters", (_row("b"),))
    theirs = _site(first, second)
    ours = _site(first, Table("parameters", ()), second)
    result = compare("t", theirs, ours, [])
    assert result.differences == [Difference("extra-table", "index.html", 2, "parameters")]
    assert result.counts["parameters"].identical == 2


def test_a_missing_page_reports_its_rows() -> None:
    theirs = {"a.html": [Table("status", (("200 - OK", "Fine"),))]}
    result = compare("t", theirs, {}, [])
    assert result.differences == [
        Difference("missing-row", "a.html", 1, "status", "200 - OK", theirs=("200 - OK", "Fine"))
    ]


ALLOWLIST = """
- tree: t
  page: index.html
  difference: extra-row
  row: x
  ours: body
  reason: ours keeps the author's row
- tree: t
  page: index.html
  difference: missing-row
  reason: never happens
- tree: other
  page: index.html
  difference: extra-row
  reason: another tree
"""


def test_allow_list_excuses_and_reports_unused_entries() -> None:
    entries = parse_allowlist(ALLOWLIST)
    theirs = _site(Table("parameters", (_row("a"),)))
    ours = _site(Table("parameters", (_row("a"), _row("x"))))
    result = compare("t", theirs, ours, entries)
    assert result.differences == []
    assert [entry for _difference, entry in result.allowed] == [entries[0]]
    assert result.unused_entries == [entries[1]]
    assert result.counts["parameters"].allowed == 1
    assert "t index.html missing-row" in report(result, "t")


def test_allow_list_narrowing_must_match() -> None:
    entry = AllowEntry("t", "index.html", "changed", "why", columns=("Type",), ours="new")
    changed = Difference(
        "changed", "index.html", 1, "parameters", "c", ("Type",), _row("c"), _row("c", "new")
    )
    assert entry.matches(changed)
    assert not entry.matches(Difference(**{**changed.__dict__, "columns": ("Type", "In")}))
    assert not entry.matches(Difference(**{**changed.__dict__, "ours": _row("c")}))


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("- {tree: t, page: p, difference: changed}", "'reason' must be a non-empty string"),
        ("- {tree: t, page: p, difference: odd, reason: r}", "difference must be one of"),
        ("- {tree: t, page: p, difference: changed, reason: r, tabel: 1}", "unknown keys"),
        ("tree: t", "expected a list"),
    ],
)
def test_malformed_allow_list_is_refused(text: str, error: str) -> None:
    with pytest.raises(AllowListError, match=error):
        parse_allowlist(text)


def test_the_repository_allow_list_parses_with_reasons() -> None:
    entries = parse_allowlist(Path(__file__).with_name("allowlist.yaml").read_text())
    assert entries and all(len(entry.reason) > 40 for entry in entries)


def test_excerpts_cut_at_the_first_difference() -> None:
    a, b = "x" * 100 + "apple" + "y" * 100, "x" * 100 + "pear" + "y" * 100
    cut_a, cut_b = excerpts(a, b)
    assert cut_a == "..." + "x" * 23 + "apple" + "y" * 42 + "..."
    assert cut_b == "..." + "x" * 23 + "pear" + "y" * 43 + "..."
    assert excerpts("short", "text") == ("short", "text")


def test_swap_extension_renames_exactly_once() -> None:
    conf = "extensions = [\n    'os_api_ref',\n    'openstackdocstheme',\n]\n"
    assert swap_extension(conf, "os_api_ref_ext") == conf.replace(
        "'os_api_ref'", "'os_api_ref_ext'"
    )
    with pytest.raises(CopyError, match="0 times"):
        swap_extension("extensions = []\n", "os_api_ref_ext")


# --------------------------------------------------------------------------
# Warnings

WARNINGS = """\
WARNING: Parameters out of order ``name2`` should be after ``name``
/src/index.rst.rst:7: WARNING: Invalid parameter definition ``bad``. Expected format: x
/src/index.rst:22: ERROR: No parameters defined

.. rest_parameters:: parameters.yaml [docutils]
/src/empty.yaml: WARNING: Parameters file is empty, /src/empty.yaml
WARNING: No path parameter ``b_id`` found in rest_parameter stanza.

/src/index.rst:14: WARNING: key 'lookup' is not defined [os-api-ref.S001]
"""


def test_parse_messages_joins_continuations_and_relativises() -> None:
    messages = parse_messages(WARNINGS, Path("/src"))
    assert [(m.path, m.line, m.level) for m in messages] == [
        (None, None, "WARNING"),
        ("index.rst.rst", 7, "WARNING"),
        ("index.rst", 22, "ERROR"),
        ("empty.yaml", None, "WARNING"),
        (None, None, "WARNING"),
        ("index.rst", 14, "WARNING"),
    ]
    assert messages[2].text == (
        "No parameters defined\n\n.. rest_parameters:: parameters.yaml [docutils]"
    )
    assert messages[4].text == "No path parameter ``b_id`` found in rest_parameter stanza."
    assert [m.code for m in messages] == [None, None, None, None, None, "S001"]


OS_API_REF_TEXTS = {
    "No field definition for ``k`` found in ``/src/parameters.yaml``. Skipping.": "S001",
    "Parameters out of order ``b`` should be after ``a``": "F010",
    "Section out of order. All parameters in section ``body`` should be after section "
    "``path``. (see ``k``)": "F010",
    "``bogus`` is not a valid value for 'in' (must be one of: body, header, path, query). "
    "(see ``k``)": "F006",
    "No path parameter ``p`` found in rest_parameter stanza.": "S006",
    "Invalid parameter definition ``x``. Expected format: ``name: reference``. Skipping.": "S002",
    "Failure on key: n, values: OrderedDict({'in': 'body', 'required': True}). "
    "'NoneType' object has no attribute 'split'": "S012",
    "Failure on key: n, values: OrderedDict([('in', 'body'), ('type', 'string')]). "
    "'NoneType' object has no attribute 'split'": None,
    "Parameters file is empty, /src/p.yaml": "F003",
    "Parameters file not found, /src/p.yaml": "F001",
    "Parameters file /src/status.yaml not found": "F001",
    "Error while parsing file [/src/p.yaml].": "F002",
    "No parameters defined\n\n.. rest_parameters:: p.yaml": "S003",
    "No reference file defined": "S004",
    "Type bogus is not one of ('success', 'error')": "C005",
    "Could not find gone for code 409": "C002",
    "Something os-api-ref may say one day": None,
}


@pytest.mark.parametrize(("text", "code"), OS_API_REF_TEXTS.items())
def test_each_os_api_ref_text_maps_to_a_rule(text: str, code: str | None) -> None:
    found = expectation(Message("index.rst", 3, "WARNING", text), Context(Path("/src")))
    assert (found.code if found else None) == code


SOURCE_RST = """\
Show
====

.. rest_method:: GET /servers/{server_id}/{b_id}

.. rest_parameters:: parameters.yaml

   - server_id: server_id
   - name: nope
   - a: alpha
"""

SOURCE_YAML = """\
server_id:
  in: path
  required: true
  type: string
  description: The server.
zeta:
  in: body
  required: true
  type: string
  description: Z.
alpha:
  in: body
  required: true
  description: No type.
"""


@pytest.fixture
def srcdir(tmp_path: Path) -> Path:
    (tmp_path / "index.rst").write_text(SOURCE_RST)
    (tmp_path / "parameters.yaml").write_text(SOURCE_YAML)
    return tmp_path


def _found(srcdir: Path, text: str, finding: Message) -> bool:
    expected = expectation(Message(None, None, "WARNING", text), Context(srcdir))
    assert expected is not None and expected.code == finding.code
    return expected.check(finding, Source(srcdir))


def _ours(code: str, path: str, line: int, text: str) -> Message:
    return Message(path, line, "WARNING", f"{text} [os-api-ref.{code}]")


@pytest.mark.parametrize(
    ("text", "finding", "answers"),
    [
        (
            "No path parameter ``b_id`` found in rest_parameter stanza.",
            _ours("S006", "index.rst", 6, "path parameter 'b_id' is missing"),
            True,
        ),
        (  # the right code at the wrong place: the item, not the stanza
            "No path parameter ``b_id`` found in rest_parameter stanza.",
            _ours("S006", "index.rst", 8, "path parameter 'b_id' is missing"),
            False,
        ),
        (
            "No field definition for ``nope`` found in ``/x/parameters.yaml``. Skipping.",
            _ours("S001", "index.rst", 9, "key 'nope' is not defined"),
            True,
        ),
        (
            "No field definition for ``nope`` found in ``/x/parameters.yaml``. Skipping.",
            _ours("S001", "index.rst", 8, "key 'nope' is not defined"),
            False,
        ),
        (
            "Parameters out of order ``zeta`` should be after ``alpha``",
            _ours("F010", "parameters.yaml", 11, "entry 'alpha' is out of order"),
            True,
        ),
        (
            "Parameters out of order ``zeta`` should be after ``alpha``",
            _ours("F010", "parameters.yaml", 1, "entry 'server_id' is out of order"),
            False,
        ),
        (
            "Section out of order. All parameters in section ``body`` should be after section "
            "``path``. (see ``zeta``)",
            _ours("F010", "parameters.yaml", 11, "entry 'alpha' is out of order"),
            True,
        ),
        (
            "Section out of order. All parameters in section ``body`` should be after section "
            "``path``. (see ``zeta``)",
            _ours("F010", "parameters.yaml", 1, "entry 'server_id' is out of order"),
            False,
        ),
        (
            "Failure on key: a, values: OrderedDict([('in', 'body'), ('required', True), "
            "('description', 'No type.')]). 'NoneType' object has no attribute 'split'",
            _ours("S012", "index.rst", 10, "entry 'alpha' (parameters.yaml:11) has no 'type'"),
            True,
        ),
        (
            "Failure on key: a, values: OrderedDict([('in', 'body'), ('required', True), "
            "('description', 'Other.')]). 'NoneType' object has no attribute 'split'",
            _ours("S012", "index.rst", 10, "entry 'alpha' (parameters.yaml:11) has no 'type'"),
            False,
        ),
        (  # the right entry, but not at a stanza item that uses it
            "Failure on key: a, values: OrderedDict([('in', 'body'), ('required', True), "
            "('description', 'No type.')]). 'NoneType' object has no attribute 'split'",
            _ours("S012", "index.rst", 9, "entry 'alpha' (parameters.yaml:11) has no 'type'"),
            False,
        ),
    ],
)
def test_a_finding_answers_only_at_the_mistake(
    srcdir: Path, text: str, finding: Message, answers: bool
) -> None:
    assert _found(srcdir, text, finding) is answers


def test_a_located_error_is_answered_at_its_line(srcdir: Path) -> None:
    theirs = Message("index.rst", 6, "ERROR", "No parameters defined\n\n.. rest_parameters::")
    expected = expectation(theirs, Context(srcdir))
    assert expected is not None and expected.code == "S003"
    assert expected.check(_ours("S003", "index.rst", 6, "stanza lists no items"), Source(srcdir))
    assert not expected.check(
        _ours("S003", "index.rst", 7, "stanza lists no items"), Source(srcdir)
    )


def test_answer_skips_shared_warnings_and_names_unmapped_ones(srcdir: Path) -> None:
    theirs = [
        Message("index.rst", 1, "WARNING", "duplicate label x"),
        Message(None, None, "WARNING", "Something new"),
        Message(
            None, None, "WARNING", "No path parameter ``b_id`` found in rest_parameter stanza."
        ),
    ]
    ours = [
        Message("index.rst", 1, "WARNING", "duplicate label x"),
        _ours("S006", "index.rst", 6, "path parameter 'b_id' is missing"),
    ]
    outcomes = answer(theirs, ours, Path("/elsewhere"), srcdir)
    assert [(o.theirs.text, o.answer) for o in outcomes] == [
        ("Something new", None),
        (theirs[2].text, ours[1]),
    ]
    assert outcomes[0].describe() == "os-api-ref warning maps to no rule of ours: 'Something new'"


def test_py3_environment_has_no_os_api_ref() -> None:
    """Our own tests must not lean on os-api-ref: only ``tox -e compat``
    (and ``bench``) install it."""
    if os.environ.get("TOX_ENV_NAME") not in {"py3", "py310-oldest", "py313-newest"}:
        pytest.skip("checked in the test suite's tox environments only")
    assert importlib.util.find_spec("os_api_ref") is None


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    """.ci/run and README's "Run the tests" command are one command, and it
    runs the version matrix, the package checks and the compatibility test."""
    root = Path(__file__).resolve().parents[2]
    readme = (root / "README.rst").read_text(encoding="utf-8")
    section = readme.split("The two commands\n", 1)[1].split("\nUsing it\n", 1)[0]
    commands = [line.strip() for line in section.splitlines() if "python3 -m tox" in line]
    ci = [
        line.strip()
        for line in (root / ".ci" / "run").read_text(encoding="utf-8").splitlines()
        if "python3 -m tox" in line
    ]
    assert len(ci) == 1 and ci[0] in commands
    command, envs = ci[0].rsplit(" -e ", 1)
    assert command.endswith("python3 -m tox")
    assert envs.split(",") == ["lint", "py3", "py310-oldest", "py313-newest", "package", "compat"]
    tox_ini = (root / "tox.ini").read_text(encoding="utf-8")
    assert [env for env in envs.split(",") if f"\n[testenv:{env}]\n" not in tox_ini] == []
