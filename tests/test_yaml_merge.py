"""YAML merge keys (``<<: *anchor``), anchors under ``--fix``, and F010 as
os-api-ref checks order.

Merge keys are read as PyYAML's safe loader reads them (which is what
os-api-ref renders): the loader's entries are compared with
``yaml.safe_load`` on the same text, and the lines of merged fields are
where the fields are written.  One exception: in a list of mappings
(``<<: [*a, *b]``) the earlier mapping wins, as the YAML merge spec and
PyYAML up to 6.0.3 have it; PyYAML 6.0.4 lets the later one win for keys
longer than one character (yaml/pyyaml#953, a regression of its merge-key
DoS fix), so those cases state their values instead.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st
from lint_support import cli_findings, cli_json, relative, run_cli, warnings_of

from os_api_ref_ext.sources import load_parameter_file, load_status_file
from os_api_ref_ext.yaml_nodes import construct

# --------------------------------------------------------------------------
# The loader


def _load(tmp_path: Path, text: str):  # type: ignore[no-untyped-def]
    path = tmp_path / "parameters.yaml"
    path.write_text(text, encoding="utf-8")
    return load_parameter_file(str(path))


BASE = (
    "base: &base\n"  # 1
    "  description: The base.\n"  # 2
    "  in: body\n"  # 3
    "  required: true\n"  # 4
    "  type: string\n"  # 5
)

PYYAML_CASES = {
    "explicit-overrides-merged": BASE + "child:\n  <<: *base\n  description: The child.\n",
    "explicit-before-merge": BASE + "child:\n  required: false\n  <<: *base\n",
    "two-merge-keys-later-wins": (
        "one: &one {in: path, type: string}\ntwo: &two {in: body}\nboth:\n  <<: *one\n  <<: *two\n"
    ),
    "chained": BASE
    + "middle: &middle\n  <<: *base\n  required: false\n"
    + "last:\n  <<: *middle\n  description: The last.\n",
    "inline-mapping": "entry:\n  <<: {in: query, type: string}\n  description: Inline.\n",
    "nested-value": BASE + "child:\n  <<: *base\n  extra: {<<: {a: 1}, b: 2}\n",
    "top-level-merge": (
        "shared: &shared\n  first: {in: body, type: string}\n"
        "<<: *shared\n"
        "first: {in: path, type: string}\n"
    ),
    "equals-key": "entry:\n  =: equals\n  in: body\n",
}


@pytest.mark.parametrize("text", PYYAML_CASES.values(), ids=PYYAML_CASES.keys())
def test_entries_are_what_pyyaml_reads(text: str, tmp_path: Path) -> None:
    loaded = _load(tmp_path, text)
    assert loaded.yaml_error is None
    reference = yaml.safe_load(text)
    ours = {
        key: {name: value.value for name, value in entry.fields.items()}
        for key, entry in loaded.entries.items()
    }
    assert ours == reference
    assert list(ours) == list(reference)  # the order os-api-ref's F010 walks
    for key, fields in ours.items():
        assert list(fields) == list(reference[key]), key


def test_merged_fields_keep_their_own_lines(tmp_path: Path) -> None:
    loaded = _load(tmp_path, PYYAML_CASES["explicit-overrides-merged"])
    child = loaded.entries["child"]
    assert child.line == 6
    assert {name: (value.value, value.line) for name, value in child.fields.items()} == {
        "description": ("The child.", 8),
        "in": ("body", 3),
        "required": (True, 4),
        "type": ("string", 5),
    }
    assert child.line_of("in") == 3
    assert loaded.duplicates == []


def test_a_list_of_disjoint_mappings_merges_as_pyyaml_does(tmp_path: Path) -> None:
    """The values only: PyYAML 6.0.4 also changed the order of their keys."""
    text = (
        "one: &one {in: path, description: One.}\n"
        "two: &two {type: integer, required: false}\n"
        "both:\n  <<: [*one, *two]\n  description: Both.\n"
    )
    loaded = _load(tmp_path, text)
    both = {name: value.value for name, value in loaded.entries["both"].fields.items()}
    assert both == yaml.safe_load(text)["both"]


LIST_MERGE = (
    "one: &one {in: path, type: string, description: One.}\n"
    "two: &two {in: body, type: integer, required: false}\n"
    "both:\n  <<: [*one, *two]\n  description: Both.\n"
)


def test_list_merges_and_overrides(tmp_path: Path) -> None:
    """The earlier mapping of a list wins; a key written in the entry wins over both."""
    loaded = _load(tmp_path, LIST_MERGE)
    both = loaded.entries["both"]
    assert {name: (value.value, value.line) for name, value in both.fields.items()} == {
        "in": ("path", 1),
        "type": ("string", 1),
        "description": ("Both.", 5),
        "required": (False, 2),
    }


def test_a_value_inside_a_field_merges_the_same_way(tmp_path: Path) -> None:
    loaded = _load(tmp_path, LIST_MERGE + "other:\n  in: body\n  extra: {<<: [*one, *two]}\n")
    assert loaded.entries["other"].get("extra") == {
        "in": "path",
        "type": "string",
        "description": "One.",
        "required": False,
    }
    # Reading a value changes no node: the entry merged from the same anchors is as before.
    assert loaded.entries["both"].get("in") == "path"


def test_an_override_merged_again_still_wins(tmp_path: Path) -> None:
    """'b' overrides 'a' of base; 'c' merges 'b' and gets b's 'a' (PyYAML
    6.0.4 gives base's for one-character keys, yaml/pyyaml#953)."""
    loaded = _load(tmp_path, "base: &base {a: 1, in: body}\nb: &b {<<: *base, a: 2}\nc: {<<: *b}\n")
    assert {name: f.value for name, f in loaded.entries["c"].fields.items()} == {
        "a": 2,
        "in": "body",
    }


def test_a_key_written_twice_is_a_duplicate_a_merged_one_is_not(tmp_path: Path) -> None:
    loaded = _load(tmp_path, PYYAML_CASES["top-level-merge"])
    assert loaded.duplicates == []
    assert loaded.top_level_merges == [3]
    assert loaded.entries["first"].fields["in"].value == "path"
    twice = _load(tmp_path, BASE + "base:\n  <<: *base\n")
    assert [(d.key, d.first_line, d.line) for d in twice.duplicates] == [("base", 1, 6)]


def test_status_files_merge_too(tmp_path: Path) -> None:
    path = tmp_path / "status.yaml"
    path.write_text(
        "404: &missing\n  default: Not found.\n  gone: Deleted.\n"
        "410:\n  <<: *missing\n  default: Gone.\n",
        encoding="utf-8",
    )
    loaded = load_status_file(str(path))
    assert loaded.yaml_error is None and loaded.duplicates == []
    assert {name: (f.value, f.line) for name, f in loaded.codes[410].reasons.items()} == {
        "default": ("Gone.", 6),
        "gone": ("Deleted.", 3),
    }


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        (
            BASE + "child:\n  description: x\n  <<: 3\n",
            "merge key '<<' needs a mapping or a list of mappings, found a scalar; file refused",
            8,
        ),
        (
            "name: &name The name.\nchild:\n  <<: *name\n",
            "merge key '<<' needs a mapping or a list of mappings, found a scalar; file refused",
            3,
        ),
        (
            BASE + "child:\n  <<: [*base, [1]]\n",
            "merge key '<<' needs a list of mappings, item 2 is a sequence; file refused",
            7,
        ),
        (
            BASE + "child:\n  in: body\n  description: <<\n",
            "'<<' can only be a mapping key; file refused",
            8,
        ),
    ],
    ids=["scalar", "alias-to-scalar", "list-item", "merge-as-value"],
)
def test_what_pyyaml_refuses_is_refused_at_the_merge(
    text: str, message: str, line: int, tmp_path: Path
) -> None:
    with pytest.raises(yaml.YAMLError):
        yaml.safe_load(text)
    loaded = _load(tmp_path, text)
    assert loaded.yaml_error is not None
    assert (loaded.yaml_error.message, loaded.yaml_error.line) == (message, line)
    assert loaded.entries == {}


# --------------------------------------------------------------------------
# A tree shaped like nova's: quota entries derived from one another with
# merge keys, some entries no stanza uses.

PARAMETERS = """\
# Parameters of the gadget API.

gadget_class_id: &gadget_class_id
  description: |
    The ID of the gadget class.
  in: path
  required: true
  type: string
gadget_class_id_body:
  <<: *gadget_class_id
  in: body
gadgets: &gadgets
  description: |
    The number of gadgets each project may have.
  in: body
  required: true
  type: integer
gadgets_class: &gadgets_class
  <<: *gadgets
  description: |
    The number of gadgets of the class.
gadgets_class_optional:
  <<: *gadgets_class
  required: false
  min_version: 2.7
spare: &spare
  description: |
    A spare count that nothing lists.
  in: body
  required: false
  type: integer
spare_parts:
  <<: [*spare, *gadgets]
  description: |
    Parts that nothing lists either.
widgets:
  description: |
    The number of widgets.
  in: body
  required: true
  type: integer
"""

INDEX = """\
Gadgets
=======

Update gadget class
-------------------

.. rest_method:: PUT /v2/gadget-classes/{gadget_class_id}

Request
~~~~~~~

.. rest_parameters:: parameters.yaml

   - gadget_class_id: gadget_class_id
   - gadgets: gadgets_class_optional

Response
~~~~~~~~

.. rest_parameters:: parameters.yaml

   - id: gadget_class_id_body
   - gadgets: gadgets_class
   - total: gadgets
"""


@pytest.fixture
def gadgets(tmp_path: Path) -> Path:
    srcdir = tmp_path / "src"
    srcdir.mkdir()
    (srcdir / "conf.py").write_text(
        "extensions = ['os_api_ref_ext']\nos_api_ref_lint = {'select': ['recommended']}\n",
        encoding="utf-8",
    )
    (srcdir / "index.rst").write_text(INDEX, encoding="utf-8")
    (srcdir / "parameters.yaml").write_text(PARAMETERS, encoding="utf-8")
    return srcdir


def test_build_renders_merged_entries(gadgets: Path, make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app("html", srcdir=gadgets, freshenv=True)
    app.build()
    soup = BeautifulSoup((app.outdir / "index.html").read_text(encoding="utf-8"), "lxml")
    tables = soup.find_all("table", class_="api-parameters")
    rows = [
        [" ".join(td.get_text().split()) for td in row.find_all("td")]
        for table in tables
        for row in table.find("tbody").find_all("tr")
    ]
    assert rows == [
        ["gadget_class_id", "path", "string", "The ID of the gadget class."],
        [
            "gadgets (Optional)",
            "body",
            "integer",
            "The number of gadgets of the class. New in version 2.7",
        ],
        ["id", "body", "string", "The ID of the gadget class."],
        ["gadgets", "body", "integer", "The number of gadgets of the class."],
        ["total", "body", "integer", "The number of gadgets each project may have."],
    ]
    assert "could not be used" not in soup.get_text()
    warned = warnings_of(app)
    # The build and the command-line linter agree, finding for finding.
    assert warned == cli_findings([gadgets])
    assert relative(warned, gadgets) == {
        ("F011", "parameters.yaml", 26),  # spare: only spare_parts merges it
        ("F011", "parameters.yaml", 32),  # spare_parts
        ("F011", "parameters.yaml", 36),  # widgets
    }


def test_unused_entries_are_those_no_stanza_reaches(gadgets: Path) -> None:
    """F011 names the entries no stanza lists, except those a listed entry
    merges (``gadgets`` and ``gadget_class_id`` are listed themselves;
    ``spare`` is merged only by the unlisted ``spare_parts``)."""
    found = [(row["line"], row["message"]) for row in cli_json("--select", "F011", str(gadgets))]
    assert found == [
        (26, "entry 'spare' is not used by any rest_parameters stanza"),
        (32, "entry 'spare_parts' is not used by any rest_parameters stanza"),
        (36, "entry 'widgets' is not used by any rest_parameters stanza"),
    ]


def test_an_entry_only_merged_by_a_used_entry_is_used(gadgets: Path) -> None:
    index = gadgets / "index.rst"
    index.write_text(
        INDEX.replace("   - total: gadgets\n", "   - parts: spare_parts\n"), encoding="utf-8"
    )
    found = [row["line"] for row in cli_json("--select", "F011", str(gadgets))]
    assert found == [36]  # widgets; 'spare' and 'gadgets' are merged by listed entries


# --------------------------------------------------------------------------
# --fix with anchors, aliases and merge keys


def test_fix_moves_anchors_aliases_and_merges_byte_for_byte(gadgets: Path) -> None:
    """The body entry 'widgets' moved above the anchored path entry."""
    parameters = gadgets / "parameters.yaml"
    preamble, rest = PARAMETERS.split("gadget_class_id: ", 1)
    widgets_at = rest.index("widgets:\n")
    scrambled = preamble + rest[widgets_at:] + "gadget_class_id: " + rest[:widgets_at]
    parameters.write_text(scrambled, encoding="utf-8")
    assert [row["line"] for row in cli_json("--select", "F010", str(gadgets))] == [9]

    status, output = run_cli("--fix", "--select", "F010", str(gadgets))
    assert (status, output) == (0, "")
    assert parameters.read_text(encoding="utf-8") == PARAMETERS


ENTRY = "  description: x\n  required: false\n  type: string\n"


def _tree(tmp_path: Path, text: str, listed: str = "   - b: b\n   - a: a\n") -> Path:
    srcdir = tmp_path / "tree"
    srcdir.mkdir()
    (srcdir / "conf.py").write_text(
        "extensions = ['os_api_ref_ext']\nos_api_ref_lint = {'select': ['recommended']}\n",
        encoding="utf-8",
    )
    (srcdir / "index.rst").write_text(
        "Things\n======\n\nList things\n-----------\n\n.. rest_method:: GET /things\n\n"
        f".. rest_parameters:: parameters.yaml\n\n{listed}",
        encoding="utf-8",
    )
    (srcdir / "parameters.yaml").write_text(text, encoding="utf-8")
    return srcdir


def test_fix_will_not_put_an_alias_before_its_anchor(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 'a' (query) merges the body entry 'b': sorted, 'a' would come first.
    text = f"b: &b\n  in: body\n{ENTRY}a:\n  <<: *b\n  in: query\n"
    srcdir = _tree(tmp_path, text)
    parameters = srcdir / "parameters.yaml"
    status, output = run_cli("--fix", str(srcdir))
    assert parameters.read_text(encoding="utf-8") == text
    assert capsys.readouterr().err == (
        f"{parameters}: not fixed: sorting would put the alias *b (line 7) before its "
        "anchor &b (line 1)\nFound 1 finding.\n"
    )
    assert status == 1
    assert "parameters.yaml:6: F010" in output


def test_unsafe_fixes_will_not_drop_an_anchor_still_in_use(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Nothing lists 'c' or 'd'; 'd' is kept by its noqa and merges 'c'.
    text = (
        f"a:\n  in: query\n{ENTRY}b:\n  in: query\n{ENTRY}"
        f"c: &c\n  in: query\n{ENTRY}d:  # noqa: F011\n  <<: *c\n"
    )
    srcdir = _tree(tmp_path, text)
    parameters = srcdir / "parameters.yaml"
    status, _output = run_cli("--fix", "--unsafe-fixes", str(srcdir))
    assert parameters.read_text(encoding="utf-8") == text
    assert capsys.readouterr().err == (
        f"{parameters}: not fixed: deleting 'c' would drop its anchor &c (line 11), "
        "which the alias *c (line 17) uses\nFound 1 finding.\n"
    )
    assert status == 1


def test_unsafe_fixes_delete_an_unused_entry_with_its_unused_anchor(tmp_path: Path) -> None:
    kept = f"a:\n  in: query\n{ENTRY}b:\n  in: query\n{ENTRY}"
    srcdir = _tree(tmp_path, kept + f"c: &c\n  in: query\n{ENTRY}d:\n  <<: *c\n")
    assert run_cli("--fix", "--unsafe-fixes", str(srcdir)) == (0, "")
    assert (srcdir / "parameters.yaml").read_text(encoding="utf-8") == kept


# --------------------------------------------------------------------------
# F010 as os-api-ref's _check_yaml_sorting: each entry (as YAML reads the
# file) against the one before it, whatever that one's own place; entries
# with a missing or invalid 'in' are skipped.


def _entry(key: str, location: str | None) -> str:
    where = f"  in: {location}\n" if location else ""
    return f"{key}:\n{where}{ENTRY}"


SORTING_CASES = {
    "sorted": ([("h", "header"), ("p", "path"), ("q", "query"), ("b", "body")], []),
    "names-ignore-case": ([("alpha", "body"), ("Beta", "body"), ("gamma", "body")], []),
    "upper-case-after-lower-case": ([("Beta", "body"), ("alpha", "body")], ["alpha"]),
    "equal-but-for-case": ([("name", "body"), ("Name", "body")], []),
    "one-entry-out-of-place": (
        [("a", "body"), ("z", "body"), ("b", "body"), ("c", "body")],
        ["b"],
    ),
    "section-goes-back": (
        [("a", "body"), ("b", "path"), ("c", "path"), ("d", "body")],
        ["b"],
    ),
    "section-back-then-names": (
        [("x", "query"), ("b", "path"), ("a", "path")],
        ["b", "a"],
    ),
    "invalid-in-skipped": ([("b", "body"), ("a", "url"), ("c", "body")], []),
    "missing-in-skipped": ([("b", "body"), ("z", None), ("a", "body")], ["a"]),
}


def _flagged(tmp_path: Path, text: str) -> list[str]:
    srcdir = _tree(tmp_path, text)
    lines = text.splitlines()
    return [
        lines[int(row["line"]) - 1].split(":")[0]
        for row in cli_json("--select", "F010", str(srcdir))
    ]


@pytest.mark.parametrize(("entries", "flagged"), SORTING_CASES.values(), ids=SORTING_CASES.keys())
def test_f010_flags_what_os_api_ref_flags(
    entries: list[tuple[str, str | None]], flagged: list[str], tmp_path: Path
) -> None:
    text = "".join(_entry(key, location) for key, location in entries)
    assert _flagged(tmp_path, text) == flagged


def test_f010_ranks_an_entry_by_its_merged_in(tmp_path: Path) -> None:
    text = (
        "x: &x\n  in: path\n"
        + ENTRY  # path
        + "x_body:\n  <<: *x\n  in: body\n"  # body: its own 'in' wins
        + "y:\n  <<: *x\n"  # path, merged: after a body entry
    )
    assert _flagged(tmp_path, text) == ["y"]


def test_f010_reads_a_duplicate_key_once_where_it_first_appears(tmp_path: Path) -> None:
    """YAML keeps one 'a', at its first place: a, c (the second 'a' is F004's)."""
    text = _entry("a", "body") + _entry("c", "body") + _entry("a", "body")
    srcdir = _tree(tmp_path, text)
    assert {row["code"] for row in cli_json("--select", "F010,F004", str(srcdir))} == {"F004"}


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
        max_size=40,
    ),
    st.sampled_from(["plain", "'", '"', "|", ">"]),
)
def test_a_text_field_is_read_as_the_safe_loader_reads_it(text: str, style: str) -> None:
    """A scalar YAML resolves as text is taken as it stands, without the
    safe constructor: the same value the safe loader gives."""
    try:
        document = yaml.safe_dump(
            {"description": text}, default_style=None if style == "plain" else style
        )
        root = yaml.compose(document, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return
    for key, value in root.value:
        expected = yaml.safe_load(document)["description"]
        assert construct(value) == expected
        assert type(construct(value)) is type(expected)
        assert construct(key) == "description"
