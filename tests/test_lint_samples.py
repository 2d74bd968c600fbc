"""J003/J004 on the shapes real references have, one small tree each.

Every tree is one page, ``index.rst``, with the stanzas and samples the
case needs, one ``parameters.yaml`` and its JSON samples.  The findings are
compared whole (code, file, line and message) so a test fails on any
finding too many or too few.  Each false-positive case here was reported
before J003/J004 matched paths, read a stanza's samples together and paired
each sample with its own stanza.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from lint_support import build_findings, cli_findings

PAGE_HEAD = """\
Gadgets
=======
"""


def operation(title: str, method: str, sections: str) -> str:
    """An operation section; ``sections`` holds its subsections."""
    underline = "-" * len(title)
    return f"\n{title}\n{underline}\n\n.. rest_method:: {method}\n\n{textwrap.dedent(sections)}"


def stanza(kind: str, *items: str) -> str:
    lines = "".join(f"   - {item}\n" for item in items)
    return f"\n{kind}\n{'~' * len(kind)}\n\n.. rest_parameters:: parameters.yaml\n\n{lines}"


def example(title: str, *files: str) -> str:
    body = "".join(f"\n.. literalinclude:: {name}\n   :language: javascript\n" for name in files)
    return f"\n{title}\n{'~' * len(title)}\n{body}"


def parameter(name: str, kind: str, required: bool, description: str, **extra: str) -> str:
    text = f"{name}:\n  description: |\n    {description}\n  in: body\n"
    text += f"  required: {'true' if required else 'false'}\n  type: {kind}\n"
    return text + "".join(f"  {key}: {value}\n" for key, value in extra.items())


PATH_PARAMETER = "gadget_id:\n  description: |\n    The gadget.\n  in: path\n"
PATH_PARAMETER += "  required: true\n  type: string\n"


def tree(tmp_path: Path, page: str, parameters: str, samples: dict[str, str]) -> Path:
    srcdir = tmp_path / "src"
    srcdir.mkdir()
    (srcdir / "conf.py").write_text(
        "extensions = ['os_api_ref_ext']\nos_api_ref_lint = {'select': ['recommended']}\n",
        encoding="utf-8",
    )
    (srcdir / "index.rst").write_text(PAGE_HEAD + page, encoding="utf-8")
    (srcdir / "parameters.yaml").write_text(PATH_PARAMETER + parameters, encoding="utf-8")
    for name, text in samples.items():
        target = srcdir / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text), encoding="utf-8")
    return srcdir


def findings(srcdir: Path) -> set[tuple[str, str, int, str]]:
    """The CLI's J003 and J004 findings, with the path relative to the tree
    (the small trees leave entries unused or unsorted: F010, F011)."""
    return {
        (f.code, Path(f.path).relative_to(srcdir.resolve()).as_posix(), f.line, f.message)
        for f in cli_findings([srcdir])
        if f.code in ("J003", "J004")
    }


def line_of(srcdir: Path, text: str, start: int = 0) -> int:
    """The line of the first ``text`` in index.rst after line ``start``."""
    lines = (srcdir / "index.rst").read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if n > start and text in line)


GADGET = parameter("gadget", "object", True, "A gadget.")
GADGET_ID = parameter("gadget_id_body", "string", True, "The UUID of the gadget.")
LINKS = parameter("links", "array", True, "Links to the gadget.")


def show(sections: str) -> str:
    return operation("Show gadget", "GET /v1/gadgets/{gadget_id}", sections)


def test_keys_inside_links_are_not_reported_only_a_missing_links(tmp_path: Path) -> None:
    page = show(
        stanza("Response", "gadget: gadget", "id: gadget_id_body")
        + example("Response Example", "show.json")
    )
    srcdir = tree(
        tmp_path,
        page,
        GADGET + GADGET_ID,
        {"show.json": '{"gadget": {"id": "g1", "links": [{"href": "h", "rel": "self"}]}}'},
    )
    line = line_of(srcdir, "literalinclude")
    assert findings(srcdir) == {
        (
            "J003",
            "index.rst",
            line,
            "key 'gadget.links' in response sample is not a documented body parameter",
        )
    }


def test_collection_links_are_not_descended_into(tmp_path: Path) -> None:
    page = operation(
        "List gadgets",
        "GET /v1/gadgets",
        stanza("Response", "gadgets: gadgets", "id: gadget_id_body", "gadgets_links: links")
        + example("Response Example", "list.json"),
    )
    srcdir = tree(
        tmp_path,
        page,
        GADGET_ID + parameter("gadgets", "array", True, "The gadgets.") + LINKS,
        {
            "list.json": """\
                {"gadgets": [{"id": "g1"}],
                 "gadgets_links": [{"href": "h", "rel": "next"}]}
            """
        },
    )
    assert findings(srcdir) == set()


def test_dotted_names_match_by_path_also_below_a_wrapper(tmp_path: Path) -> None:
    page = show(
        stanza(
            "Response",
            "gadget: gadget",
            "gadget.size: size",
            "size.width: width",
            "gadget.size.depth: depth",
            "links: links",
            "links.href: href",
        )
        + example("Response Example", "show.json")
    )
    srcdir = tree(
        tmp_path,
        page,
        GADGET
        + parameter("depth", "integer", True, "Depth in mm.")
        + parameter("href", "string", True, "A link.")
        + LINKS
        + parameter("size", "object", True, "The size.")
        + parameter("width", "integer", True, "Width in mm."),
        {
            "show.json": """\
                {"gadget": {"size": {"width": 3, "depth": 4},
                            "links": [{"href": "h"}]}}
            """
        },
    )
    assert findings(srcdir) == set()


def test_a_dotted_name_does_not_match_another_parent(tmp_path: Path) -> None:
    page = show(
        stanza("Response", "gadget: gadget", "box: box", "box.width: width")
        + example("Response Example", "show.json")
    )
    srcdir = tree(
        tmp_path,
        page,
        parameter("box", "object", False, "The box.")
        + GADGET
        + parameter("width", "integer", True, "Width in mm."),
        {
            "show.json": """\
                {"gadget": {"box": {"width": 2, "depth": 1},
                            "crate": {"width": 3}}}
            """
        },
    )
    line = line_of(srcdir, "literalinclude")
    message = "key {!r} in response sample is not a documented body parameter"
    assert findings(srcdir) == {
        ("J003", "index.rst", line, message.format("gadget.box.depth")),
        ("J003", "index.rst", line, message.format("gadget.crate")),
    }


def test_placeholders_match_zero_or_more_keys(tmp_path: Path) -> None:
    page = operation(
        "Show quota",
        "GET /v1/quota",
        stanza(
            "Response",
            "quota: quota",
            "slots: slots",
            "slots_{pool}: slots_pool",
            "bytes_{pool}: bytes_pool",
        )
        + example("Response Example", "quota.json"),
    )
    srcdir = tree(
        tmp_path,
        page,
        parameter("bytes_pool", "integer", True, "Bytes for one pool.")
        + parameter("quota", "object", True, "The quota.")
        + parameter("slots", "integer", True, "Slots in all.")
        + parameter("slots_pool", "integer", True, "Slots for one pool."),
        {"quota.json": '{"quota": {"slots": 9, "slots_red": 4, "slots_blue": 5}}'},
    )
    assert findings(srcdir) == set()


def test_free_form_maps_are_not_descended_into(tmp_path: Path) -> None:
    # A label may happen to share its name with a parameter ("name").
    page = show(
        stanza(
            "Response",
            "gadget: gadget",
            "name: name",
            "labels: labels",
            "metadata: gadget_metadata",
        )
        + example("Response Example", "show.json")
    )
    srcdir = tree(
        tmp_path,
        page,
        GADGET
        + parameter("gadget_metadata", "object", True, "What the owner says about it.")
        + parameter("labels", "object", True, "Label names mapped to key-value pairs.")
        + parameter("name", "string", True, "The name."),
        {
            "show.json": """\
                {"gadget": {"name": "g", "labels": {"name": "x", "size": {"unit": "mm"}},
                            "metadata": {"name": "y", "colour": "red"}}}
            """
        },
    )
    assert findings(srcdir) == set()


def test_children_named_in_the_parent_description_are_documented(tmp_path: Path) -> None:
    page = show(
        stanza(
            "Response",
            "gadget: gadget",
            "shape: shape",
            "shape.corners: corners",
            "finish: finish",
            "finish.gloss: gloss",
        )
        + example("Response Example", "show.json")
    )
    srcdir = tree(
        tmp_path,
        page,
        parameter("corners", "integer", True, "Corners.")
        + parameter("finish", "object", True, "The finish; refer to the finishes guide.")
        + GADGET
        + parameter("gloss", "integer", True, "Gloss.")
        + parameter("shape", "object", True, "The shape: ``corners`` and ``sides``."),
        {
            "show.json": """\
                {"gadget": {"shape": {"corners": 4, "sides": 4},
                            "finish": {"gloss": 1, "tint": "red"}}}
            """
        },
    )
    assert findings(srcdir) == set()


def test_samples_of_one_stanza_are_read_together(tmp_path: Path) -> None:
    page = operation(
        "List gadgets",
        "GET /v1/gadgets",
        stanza("Response", "gadgets: gadgets", "id: gadget_id_body", "weight: weight")
        + example("Response Example", "summary.json", "detail.json"),
    )
    srcdir = tree(
        tmp_path,
        page,
        GADGET_ID
        + parameter("gadgets", "array", True, "The gadgets.")
        + parameter("weight", "integer", True, "Weight in grams."),
        {
            "summary.json": '{"gadgets": [{"id": "g1"}]}',
            "detail.json": '{"gadgets": [{"id": "g1", "weight": 3}]}',
        },
    )
    assert findings(srcdir) == set()


def test_a_sample_goes_with_the_nearest_stanza_before_it(tmp_path: Path) -> None:
    # Two "Response" stanzas in one operation (a title level slipped): each
    # sample is checked against its own, not against both.
    page = show(
        stanza("Response", "gadget: gadget", "id: gadget_id_body")
        + example("Response Example", "show.json")
        + stanza("Response (detail)", "gadget: gadget", "weight: weight")
        + example("Response Example (detail)", "detail.json")
    )
    srcdir = tree(
        tmp_path,
        page,
        GADGET + GADGET_ID + parameter("weight", "integer", True, "Weight in grams."),
        {
            "show.json": '{"gadget": {"id": "g1"}}',
            "detail.json": '{"gadget": {"weight": 3, "id": "g1"}}',
        },
    )
    assert findings(srcdir) == set()


def test_the_build_pairs_samples_and_stanzas_as_the_cli_does(
    tmp_path: Path,
) -> None:
    page = show(
        stanza("Response", "gadget: gadget", "id: gadget_id_body")
        + example("Response Example", "show.json")
        + stanza("Response (detail)", "gadget: gadget", "weight: weight")
        + example("Response Example (detail)", "detail.json")
    )
    srcdir = tree(
        tmp_path,
        page,
        GADGET + GADGET_ID + parameter("weight", "integer", True, "Weight in grams."),
        {
            "show.json": '{"gadget": {"weight": 3}}',
            "detail.json": '{"gadget": {"id": "g1"}}',
        },
    )
    built = {f for f in build_findings(srcdir, tmp_path / "build") if f.code[0] == "J"}
    assert built == {f for f in cli_findings([srcdir]) if f.code[0] == "J"}
    assert {(f.code, f.line) for f in built} == {
        ("J004", line_of(srcdir, "- id: gadget_id_body")),
        ("J004", line_of(srcdir, "- weight: weight")),
    }


def test_a_required_key_no_sample_has_is_put_to_the_parameter(tmp_path: Path) -> None:
    page = show(
        stanza(
            "Response", "gadget: gadget", "id: gadget_id_body", "serial: serial", "weight: weight"
        )
        + example("Response Example", "show.json")
    ) + operation(
        "Update gadget",
        "PUT /v1/gadgets/{gadget_id}",
        stanza("Response", "gadget: gadget", "id: gadget_id_body")
        + example("Response Example", "update.json"),
    )
    srcdir = tree(
        tmp_path,
        page,
        GADGET
        + GADGET_ID
        + parameter("serial", "string", True, "The serial number.")
        + parameter("weight", "integer", False, "Weight in grams."),
        {"show.json": '{"gadget": {"weight": 3}}', "update.json": '{"gadget": {"id": "g1"}}'},
    )
    assert findings(srcdir) == {
        (
            "J004",
            "index.rst",
            line_of(srcdir, "- id: gadget_id_body"),
            "required body parameter 'id' is in none of the response samples of this "
            "stanza: add it to one, or if the API may leave it out, make "
            "'gadget_id_body' 'required: false'",
        ),
        (
            "J004",
            "index.rst",
            line_of(srcdir, "- serial: serial"),
            "body parameter 'serial' is marked required but no sample has it: if the API "
            "may leave it out, 'serial' should say 'required: false'",
        ),
    }


def test_an_unloadable_parameters_file_is_the_only_finding(tmp_path: Path) -> None:
    page = show(
        "\nResponse\n~~~~~~~~\n\n.. rest_parameters:: broken.yaml\n\n   - gadget: gadget\n"
        + example("Response Example", "show.json")
    )
    srcdir = tree(tmp_path, page, GADGET, {"show.json": '{"gadget": {"colour": "red"}}'})
    (srcdir / "broken.yaml").write_text("gadget: [unclosed\n", encoding="utf-8")
    codes = {f.code for f in cli_findings([srcdir])}
    assert "F002" in codes
    assert findings(srcdir) == set()


def test_parameters_of_other_microversions_are_not_required(tmp_path: Path) -> None:
    page = show(
        stanza("Response", "gadget: gadget", "id: gadget_id_body", "weight: weight")
        + example("Response Example (v1.1)", "v1.1/show.json")
    )
    srcdir = tree(
        tmp_path,
        page,
        GADGET
        + GADGET_ID
        + parameter("weight", "integer", True, "Weight in grams.", min_version="1.5"),
        {"v1.1/show.json": '{"gadget": {"id": "g1"}}'},
    )
    assert findings(srcdir) == set()


def test_keys_of_an_empty_list_are_not_required(tmp_path: Path) -> None:
    sections = stanza("Response", "gadgets: gadgets", "id: gadget_id_body")
    page = operation(
        "List gadgets", "GET /v1/gadgets", sections + example("Response Example", "empty.json")
    ) + operation(
        "List gadgets with details",
        "GET /v1/gadgets/detail",
        sections + example("Response Example", "full.json"),
    )
    srcdir = tree(
        tmp_path,
        page,
        GADGET_ID + parameter("gadgets", "array", True, "The gadgets."),
        {"empty.json": '{"gadgets": []}', "full.json": '{"gadgets": [{"id": "g1"}]}'},
    )
    assert findings(srcdir) == set()


def test_keys_that_are_data_beside_a_stand_in_parameter(tmp_path: Path) -> None:
    page = operation(
        "Show setting",
        "GET /v1/gadgets/{gadget_id}/settings/{setting_id}",
        stanza("Response", "setting: setting_value") + example("Response Example", "setting.json"),
    )
    srcdir = tree(
        tmp_path,
        page,
        parameter("setting_value", "string", True, "The value of the named setting.")
        + "setting_id:\n  description: |\n    The setting.\n  in: path\n"
        "  required: true\n  type: string\n",
        {"setting.json": '{"speed": "fast"}'},
    )
    assert findings(srcdir) == set()


@pytest.mark.parametrize(
    ("sample", "key"),
    [
        ('{"gadget": {"colour": "red"}}', "gadget.colour"),
        ('{"gadget": {}, "colour": "red"}', "colour"),
    ],
)
def test_an_undocumented_key_is_still_reported(tmp_path: Path, sample: str, key: str) -> None:
    page = show(stanza("Response", "gadget: gadget") + example("Response Example", "show.json"))
    srcdir = tree(
        tmp_path, page, GADGET + parameter("size", "integer", False, "Size."), {"show.json": sample}
    )
    page_text = (srcdir / "index.rst").read_text(encoding="utf-8")
    (srcdir / "index.rst").write_text(
        page_text.replace("   - gadget: gadget\n", "   - gadget: gadget\n   - size: size\n"),
        encoding="utf-8",
    )
    assert findings(srcdir) == {
        (
            "J003",
            "index.rst",
            line_of(srcdir, "literalinclude"),
            f"key {key!r} in response sample is not a documented body parameter",
        )
    }


def test_items_listed_after_an_empty_list_are_not_required(tmp_path: Path) -> None:
    # No sample anywhere shows an item of the list: the stanza's order says
    # which parameters are its keys.
    page = operation(
        "List owners",
        "GET /v1/gadgets/{gadget_id}/owners",
        stanza("Response", "owners: owners", "kind: owner_kind", "handle: owner_handle")
        + example("Response Example", "owners.json"),
    )
    srcdir = tree(
        tmp_path,
        page,
        parameter("owner_handle", "string", True, "The owner's handle.")
        + parameter("owner_kind", "string", True, "What the owner is.")
        + parameter("owners", "array", True, "The owners."),
        {"owners.json": '{"owners": []}'},
    )
    assert findings(srcdir) == set()
