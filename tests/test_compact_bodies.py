"""Bodies packed after reading are written exactly as their nodes were.

:class:`os_api_ref_ext.tables.CompactBodiesTransform` packs the bodies of
a page into one pickled string on their store once the page is read, and
:class:`~os_api_ref_ext.tables.UnpackBodiesTransform` makes them nodes
again when it is written.  Each builder must write the same output with and
without the packing; a body the document refers to by name stays a node.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from os_api_ref_ext import tables

ROOT = Path(__file__).parent / "roots" / "test-realistic"

EXTRA_PARAMETERS = """\
plain_only:
  description: Plain text with 'quotes' -- and a dash.
  in: query
  required: false
  type: string
with_literal:
  description: |
    Use ``GET`` or ``HEAD`` on
    two lines.
  in: query
  required: false
  type: string
  min_version: 2.3
  max_version: 2.9
empty_with_note:
  description: ''
  in: query
  required: false
  type: string
  min_version: 2.4
with_link:
  description: See `the guide <https://example.com/guide>`_.
  in: query
  required: false
  type: string
with_xref:
  description: Listed by :ref:`list-servers-operation`.
  in: query
  required: false
  type: string
with_anonymous_link:
  description: See `the page <https://example.com/page>`__.
  in: query
  required: false
  type: string
"""


def _tree(tmp_path: Path, name: str) -> Path:
    src = tmp_path / name
    shutil.copytree(ROOT, src)
    params = src / "v2" / "parameters.yaml"
    params.write_text(EXTRA_PARAMETERS + params.read_text(encoding="utf-8"), encoding="utf-8")
    index = src / "v2" / "index.rst"
    index.write_text(
        index.read_text(encoding="utf-8")
        + "\nExtra\n=====\n\n.. rest_parameters:: parameters.yaml\n\n"
        + "".join(
            f"   - {key}: {key}\n"
            for key in (
                "plain_only",
                "with_literal",
                "empty_with_note",
                "with_link",
                "with_anonymous_link",
                "with_xref",
            )
        ),
        encoding="utf-8",
    )
    return src


def _build(make_app, src: Path, buildername: str) -> dict[str, str]:
    app = make_app(buildername, srcdir=src, freshenv=True)
    app.build()
    out = Path(app.outdir)
    return {
        str(path.relative_to(out)): path.read_text(encoding="utf-8")
        for path in sorted(out.rglob("*"))
        if path.is_file()
        and path.suffix in {".html", ".js", ".txt", ".tex", ".xml"}
        and not path.name.startswith("documentation_options")
    }


@pytest.mark.parametrize("buildername", ["html", "singlehtml", "text", "latex"])
def test_output_is_the_same_with_bodies_packed(
    make_app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, buildername: str
) -> None:
    compact = _build(make_app, _tree(tmp_path, "compact"), buildername)
    with monkeypatch.context() as patch:
        patch.setattr(tables.CompactBodiesTransform, "apply", lambda self, **kwargs: None)
        full = _build(make_app, _tree(tmp_path, "full"), buildername)
    assert compact.keys() == full.keys()
    for name in compact:
        assert compact[name] == full[name], name


def test_bodies_are_packed_unless_the_document_refers_to_them(make_app, tmp_path: Path) -> None:
    app = make_app("html", srcdir=_tree(tmp_path, "src"), freshenv=True)
    app.build()
    doctree = app.env.get_doctree("v2/index")  # as pickled, before writing
    stores = list(doctree.findall(tables.api_body_store))
    assert stores and all(isinstance(store.get("packed"), bytes) for store in stores)
    kept = [body for store in stores for body in store.children]
    # A named link's target is known to the document: its body stays a
    # node; an anonymous link's is not.
    assert [body.astext() for body in kept] == ["See the guide."]
    bodies = tables.stored_bodies(doctree)
    assert len(bodies) > 10
    assert "packed" not in stores[0].attributes
    assert all(body.document is doctree for body in bodies.values())
    paragraph = next(iter(bodies.values()))[0]
    assert paragraph.document is doctree
