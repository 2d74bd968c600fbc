"""The ``openapi`` builder: OpenAPI 3.1 documents from the recorded model.

The reference in api-ref/source is exported and compared with a golden
file, validated with openapi-spec-validator, and every example checked
against its schema with jsonschema.  The ``test-openapi`` root holds one
case of each mapping (types, required, microversions, nesting by dotted
name and by sample, free-form maps, arrays, CommonMark, operation ids and
two operations on one URL); the ``test-parallel`` root checks ``-j``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from docutils.core import publish_doctree
from openapi_spec_validator import validate
from sphinx.testing.util import SphinxTestApp
from sphinx.util.parallel import parallel_available

from os_api_ref_ext.collector import get_domain
from os_api_ref_ext.lint.engine import run_lint
from os_api_ref_ext.lint.registry import select_rules
from os_api_ref_ext.openapi.commonmark import to_commonmark
from os_api_ref_ext.openapi.schema import BodyRow, disagreements, json_schema, place_body
from os_api_ref_ext.sources import SourceCache, load_parameter_file

REPO = Path(__file__).resolve().parent.parent
SOURCE = REPO / "api-ref" / "source"
GOLDEN = Path(__file__).parent / "fixtures" / "openapi" / "v2-index.openapi.yaml"
MakeApp = Callable[..., SphinxTestApp]


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if not method.startswith("x-")
    ]


def bodies(operation: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    if "requestBody" in operation:
        found.append(operation["requestBody"]["content"]["application/json"])
    for response in operation.get("responses", {}).values():
        if "content" in response:
            found.append(response["content"]["application/json"])
    return found


def property_names(schema: dict[str, Any]) -> set[str]:
    names: set[str] = set()
    stack = [schema]
    while stack:
        current = stack.pop()
        names.update(current.get("properties", {}))
        stack.extend(current.get("properties", {}).values())
        if "items" in current:
            stack.append(current["items"])
    return names


# --------------------------------------------------------------------------
# This repository's reference


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("openapi-reference")
    subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-E", "-W", "--keep-going", "-b", "openapi"]
        + [str(SOURCE), str(out / "html"), "-d", str(out / "doctrees")],
        check=True,
    )
    return out / "html"


def test_reference_exports_one_document(reference: Path) -> None:
    files = sorted(p.relative_to(reference).as_posix() for p in reference.rglob("*.openapi.*"))
    assert files == ["v2/index.openapi.yaml"]


def test_reference_matches_the_golden_file(reference: Path) -> None:
    exported = (reference / "v2" / "index.openapi.yaml").read_text(encoding="utf-8")
    assert exported == GOLDEN.read_text(encoding="utf-8"), (
        "regenerate with: sphinx-build -q -E -b openapi api-ref/source OUT && "
        f"cp OUT/v2/index.openapi.yaml {GOLDEN.relative_to(REPO)}"
    )


def test_reference_is_valid_with_every_row_code_and_sample(reference: Path) -> None:
    document = yaml.safe_load((reference / "v2" / "index.openapi.yaml").read_text())
    validate(document)
    found = operations(document)
    assert [(method, path) for path, method, _op in found] == [
        ("get", "/v2/{tenant_id}/snapshots/detail"),
        ("get", "/v2/{tenant_id}/snapshots"),
        ("post", "/v2/{tenant_id}/snapshots"),
        ("get", "/v2/{tenant_id}/snapshots/{snapshot_id}/metadata"),
        ("put", "/v2/{tenant_id}/snapshots/{snapshot_id}/metadata"),
        ("get", "/v2/{tenant_id}/snapshots/{snapshot_id}"),
        ("put", "/v2/{tenant_id}/snapshots/{snapshot_id}"),
        ("delete", "/v2/{tenant_id}/snapshots/{snapshot_id}"),
    ]
    domain = _reference_model()
    examples = []
    for (_path, _method, operation), recorded in zip(found, domain.operations, strict=True):
        rows = {
            item.name
            for stanza in domain.parameter_stanzas
            if stanza.operation == recorded.index
            for item in stanza.items
        }
        exported = {p["name"] for p in operation.get("parameters", [])}
        for body in bodies(operation):
            exported |= property_names(body["schema"])
            for name, example in body.get("examples", {}).items():
                jsonschema.Draft202012Validator(body["schema"]).validate(example["value"])
                examples.append(name)
        assert exported == rows, recorded.title
        codes = {
            str(item.code)
            for stanza in domain.status_stanzas
            if stanza.operation == recorded.index
            for item in stanza.items
        }
        assert set(operation["responses"]) == codes, recorded.title
    assert sorted(set(examples)) == sorted(p.stem for p in (SOURCE / "v2" / "samples").iterdir())
    assert len(set(examples)) == 10


def _reference_model():  # type: ignore[no-untyped-def]
    from os_api_ref_ext.lint.scanner import scan_tree

    (document,) = [d for d in scan_tree(str(SOURCE)) if d.operations]
    return document


def test_reference_samples_agree_with_their_schemas() -> None:
    from os_api_ref_ext.lint.scanner import scan_tree

    documents = scan_tree(str(SOURCE))
    findings = run_lint(documents, SourceCache(), str(SOURCE), rules=select_rules(["J007"]))
    assert findings == []


# --------------------------------------------------------------------------
# One case of each mapping


@pytest.fixture(scope="module")
def gizmos(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = Path(__file__).parent / "roots" / "test-openapi"
    out = tmp_path_factory.mktemp("openapi-gizmos")
    subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-E", "-b", "openapi", str(root), str(out)],
        check=True,
        capture_output=True,
    )
    assert sorted(p.name for p in out.glob("*.openapi.*")) == ["gizmos.openapi.yaml"]
    document = yaml.safe_load((out / "gizmos.openapi.yaml").read_text(encoding="utf-8"))
    validate(document)
    return document


def _show(document: dict[str, Any]) -> dict[str, Any]:
    return document["paths"]["/v1/gizmos/{gizmo_id}"]["get"]


def test_info_servers_and_tags_from_the_configuration(gizmos: dict[str, Any]) -> None:
    assert gizmos["openapi"] == "3.1.0"
    assert gizmos["info"] == {
        "title": "Gizmo API",
        "version": "1.4",
        "summary": "Gizmos and their parts.",
    }
    assert gizmos["servers"] == [{"url": "https://gizmo.example.org"}]
    assert gizmos["tags"] == [
        {
            "name": "Gizmos",
            "description": "A *gizmo* holds **parts**; see "
            "[the catalogue](<https://example.org/catalogue>).",
        }
    ]


def test_operation_fields(gizmos: dict[str, Any]) -> None:
    show = _show(gizmos)
    assert show["operationId"] == "show-gizmo"
    assert show["summary"] == "Show gizmo"
    assert show["tags"] == ["Gizmos"]
    assert show["x-openstack"] == {"min-ver": "1.2", "max-ver": "1.9"}
    assert show["description"] == (
        "Shows one gizmo, with `verbose` detail:\n\n- its parts\n- its *owner*\n\n"
        '```json\n{"gizmo": {}}\n```'
    )
    assert "deprecated" not in show


def test_parameters_types_required_and_microversions(gizmos: dict[str, Any]) -> None:
    assert _show(gizmos)["parameters"] == [
        {
            "name": "gizmo_id",
            "in": "path",
            "description": "The UUID of the gizmo.",
            "required": True,  # required: false in the file; a path parameter always is
            "schema": {"type": "string"},
        },
        {
            "name": "verbose",
            "in": "query",
            "description": "Show more.",
            "required": False,
            "schema": {"type": "boolean"},
            "x-openstack": {"min-ver": "1.3"},
        },
        {
            "name": "weight_limit",
            "in": "query",
            "description": "The heaviest gizmo to show.",
            "required": True,
            "schema": {"type": "number"},
        },
        {
            "name": "colour",
            "in": "query",
            "description": "A colour filter.",
            "required": False,
            "schema": {"x-openstack-type": "uuid"},
        },
        {
            "name": "X-Trace",
            "in": "header",
            "description": "A trace id.",
            "required": False,
            "schema": {"type": "string"},
        },
    ]


def test_responses_codes_reasons_headers(gizmos: dict[str, Any]) -> None:
    responses = _show(gizmos)["responses"]
    assert list(responses) == ["200", "404", "409"]
    assert responses["404"] == {"description": "No such gizmo."}
    assert responses["409"] == {"description": "The gizmo is *busy*."}
    assert responses["200"]["description"] == "The gizmo is shown."
    assert responses["200"]["headers"] == {
        "X-Served-By": {"description": "The server that answered.", "schema": {"type": "string"}}
    }


def test_body_nesting_maps_arrays_and_nullable(gizmos: dict[str, Any]) -> None:
    body = _show(gizmos)["responses"]["200"]["content"]["application/json"]
    schema = body["schema"]
    assert schema["required"] == ["gizmo"]
    # 'serial' has no dotted name and no place in the sample: top level,
    # and not required there since the sample shows the body without it.
    assert list(schema["properties"]) == ["gizmo", "serial"]
    gizmo = schema["properties"]["gizmo"]
    assert gizmo["type"] == "object"
    # by sample: id, labels, parts, ratio; by dotted name: owner
    assert list(gizmo["properties"]) == ["id", "labels", "parts", "owner", "ratio"]
    assert gizmo["required"] == ["id", "labels", "parts"]  # ratio has a microversion
    assert gizmo["properties"]["labels"] == {
        "type": "object",
        "description": "Free-form labels.",
        "additionalProperties": True,
    }
    parts = gizmo["properties"]["parts"]
    assert parts["type"] == "array"
    assert parts["items"] == {
        "type": "object",
        "properties": {
            "id": {"type": "integer", "description": "The id of the part."},
            "mass": {"type": "number", "description": "The mass of the part."},
        },
        "required": ["id", "mass"],
    }
    owner = gizmo["properties"]["owner"]
    assert owner["properties"] == {
        "name": {"type": "string", "description": "The owner\u2019s name."}
    }
    assert owner["required"] == ["name"]
    assert gizmo["properties"]["ratio"] == {
        "type": ["number", "null"],
        "description": "A ratio, in newer versions.",
        "x-openstack": {"min-ver": "1.5"},
    }
    assert list(body["examples"]) == ["gizmo-show-response"]
    jsonschema.Draft202012Validator(schema).validate(
        body["examples"]["gizmo-show-response"]["value"]
    )


def test_one_url_twice_gives_two_operations(gizmos: dict[str, Any]) -> None:
    found = [(path, op["operationId"]) for path, _method, op in operations(gizmos)]
    assert found == [
        ("/v1/gizmos/{gizmo_id}", "show-gizmo"),
        ("/v1/gizmos/{gizmo_id}/action#reboot-gizmo", "reboot-gizmo"),
        ("/v1/gizmos/{id}/action#id6", "id6"),
    ]
    ids = [op["operationId"] for _path, _method, op in operations(gizmos)]
    assert len(ids) == len(set(ids))
    second = gizmos["paths"]["/v1/gizmos/{id}/action#id6"]["post"]
    assert second["x-openstack"] == {"path": "/v1/gizmos/{id}/action"}
    # The URL's parameter is not documented: it is declared, and says so.
    assert second["parameters"] == [
        {
            "name": "id",
            "in": "path",
            "required": True,
            "schema": {},
            "x-openstack": {"undocumented": True},
        }
    ]


# --------------------------------------------------------------------------
# Placement and disagreements without Sphinx


def _rows(tmp_path: Path, text: str, names: list[tuple[str, str]]) -> list[BodyRow]:
    path = tmp_path / "parameters.yaml"
    path.write_text(text, encoding="utf-8")
    loaded = load_parameter_file(str(path))
    return [BodyRow(name, loaded.entries[key], str(path)) for name, key in names]


PARAMETERS = """\
item: {in: body, required: true, type: object}
name: {in: body, required: true, type: string}
count: {in: body, required: true, type: integer}
"""


def test_the_place_after_the_previous_row_wins(tmp_path: Path) -> None:
    rows = _rows(tmp_path, PARAMETERS, [("item", "item"), ("name", "name"), ("name", "name")])
    sample = {"name": "outer", "item": {"name": "inner"}}
    body = place_body(rows, [sample])
    assert [how for _row, how in body.placements] == ["sample", "sample", "sample"]
    schema = json_schema(body.root)
    assert schema["properties"]["item"]["properties"] == {"name": {"type": "string"}}
    assert schema["properties"]["name"] == {"type": "string"}


def test_dotted_names_nest_through_arrays(tmp_path: Path) -> None:
    text = PARAMETERS + "list: {in: body, required: true, type: array}\n"
    rows = _rows(tmp_path, text, [("list", "list"), ("list.count", "count")])
    body = place_body(rows, [])
    assert [how for _row, how in body.placements] == ["top", "dotted"]
    assert json_schema(body.root)["properties"]["list"]["items"] == {
        "type": "object",
        "properties": {"count": {"type": "integer"}},
        "required": ["count"],
    }


def test_disagreements_match_jsonschema(tmp_path: Path) -> None:
    rows = _rows(tmp_path, PARAMETERS, [("item", "item"), ("name", "name"), ("count", "count")])
    samples = [{"item": {"name": 3, "count": 2}}, {"item": {"name": "x"}}]
    body = place_body(rows, samples)
    schema = json_schema(body.root)
    for sample in samples:
        ours = [d.key for d in disagreements(body.root, sample)]
        theirs = list(jsonschema.Draft202012Validator(schema).iter_errors(sample))
        assert len(ours) == len(theirs)
    assert [d.message for d in disagreements(body.root, samples[0])] == [
        "sample key 'item.name' is an integer, but body parameter 'name' is documented as string"
    ]
    assert [d.message for d in disagreements(body.root, samples[1])] == [
        "sample object 'item' lacks required body parameter 'count'"
    ]


# --------------------------------------------------------------------------
# CommonMark


@pytest.mark.parametrize(
    ("rst", "markdown"),
    [
        ("Plain *emphasis* and **strong**.", "Plain *emphasis* and **strong**."),
        ("A ``literal`` and ``a`b``.", "A `literal` and ``a`b``."),
        ("See `docs <https://example.org/a>`_.", "See [docs](<https://example.org/a>)."),
        ("- one\n- two", "- one\n- two"),
        ("#. first\n#. second", "1. first\n2. second"),
        ("::\n\n    code *here*", "```\ncode *here*\n```"),
        ("Term\n   Its definition.", "- **Term**\n\n  Its definition."),
        (".. note:: Mind the *gap*.", "> **Note:**\n>\n> Mind the *gap*."),
        ("Markup chars: 2 * 3 < 4 [x] _y_ & #.", r"Markup chars: 2 \* 3 \< 4 \[x\] \_y\_ \& #."),
        ("# not a heading", r"\# not a heading"),
        ("=====  =====\nA      B\n=====  =====", "A | B"),
        ("Unknown :ref:`label <target>` role.", "Unknown label role."),
        ("  quoted text", "> quoted text"),
    ],
)
def test_commonmark(rst: str, markdown: str) -> None:
    doctree = publish_doctree(rst, settings_overrides={"report_level": 5, "halt_level": 5})
    assert to_commonmark(doctree.children) == markdown


# --------------------------------------------------------------------------
# Determinism, -j and the HTML link


def _files(outdir: Path) -> dict[str, bytes]:
    return {
        path.relative_to(outdir).as_posix(): path.read_bytes()
        for path in sorted(outdir.rglob("*.openapi.*"))
    }


@pytest.mark.skipif(not parallel_available, reason="parallel builds need fork (POSIX)")
def test_parallel_export_is_byte_identical(
    make_app: MakeApp, rootdir: Path, tmp_path: Path
) -> None:
    srcdir = tmp_path / "src"
    shutil.copytree(rootdir / "test-parallel", srcdir)
    outputs = []
    for name, parallel in (("j1", 0), ("again", 0), ("j4", 4)):
        app = make_app("openapi", srcdir=srcdir, builddir=tmp_path / name, parallel=parallel)
        app.build(force_all=True)
        app.cleanup()
        outputs.append(_files(app.outdir))
    assert len(outputs[0]) == 22
    assert outputs[0] == outputs[1] == outputs[2]


def test_html_links_each_page_to_its_document(make_app: MakeApp, tmp_path: Path) -> None:
    srcdir = tmp_path / "src"
    shutil.copytree(Path(__file__).parent / "roots" / "test-openapi", srcdir)
    conf = srcdir / "conf.py"
    conf.write_text(conf.read_text() + "os_api_ref_openapi['html_link'] = True\n")
    app = make_app("html", srcdir=srcdir, freshenv=True)
    app.build()
    page = (app.outdir / "gizmos.html").read_text(encoding="utf-8")
    assert (
        '<p class="api-openapi-link">OpenAPI document: '
        '<a class="reference external" href="gizmos.openapi.yaml">gizmos.openapi.yaml</a></p>'
    ) in page
    assert "openapi" not in (app.outdir / "index.html").read_text(encoding="utf-8")
    assert sorted(_files(app.outdir)) == ["gizmos.openapi.yaml"]


def test_html_link_is_off_by_default(make_app: MakeApp, tmp_path: Path) -> None:
    srcdir = tmp_path / "src"
    shutil.copytree(Path(__file__).parent / "roots" / "test-openapi", srcdir)
    app = make_app("html", srcdir=srcdir, freshenv=True)
    app.build()
    assert "api-openapi-link" not in (app.outdir / "gizmos.html").read_text(encoding="utf-8")
    assert _files(app.outdir) == {}


def test_json_output(make_app: MakeApp, tmp_path: Path) -> None:
    srcdir = tmp_path / "src"
    shutil.copytree(Path(__file__).parent / "roots" / "test-openapi", srcdir)
    conf = srcdir / "conf.py"
    conf.write_text(conf.read_text() + "os_api_ref_openapi['format'] = 'json'\n")
    app = make_app("openapi", srcdir=srcdir, freshenv=True)
    app.build()
    document = json.loads((app.outdir / "gizmos.openapi.json").read_text(encoding="utf-8"))
    validate(document)
    assert sorted(_files(app.outdir)) == ["gizmos.openapi.json"]
    assert get_domain(app.env).documents["gizmos"].operations[0].title == "Show gizmo"
