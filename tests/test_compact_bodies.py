"""Bodies kept as text after reading are written exactly as their nodes were.

:class:`os_api_ref_ext.tables.CompactBodiesTransform` keeps each body that
is one paragraph of plain text and inline literals (with its version
notes) as text on its store, and makes the nodes again at write time.
Each builder must write the same output with and without it.
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
  description: See `the guide <https://example.com/guide>`__.
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
            for key in ("plain_only", "with_literal", "empty_with_note", "with_link")
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
def test_output_is_the_same_with_bodies_kept_as_text(
    make_app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, buildername: str
) -> None:
    compact = _build(make_app, _tree(tmp_path, "compact"), buildername)
    with monkeypatch.context() as patch:
        patch.setattr(tables.CompactBodiesTransform, "apply", lambda self, **kwargs: None)
        full = _build(make_app, _tree(tmp_path, "full"), buildername)
    assert compact.keys() == full.keys()
    for name in compact:
        assert compact[name] == full[name], name


def test_most_bodies_are_kept_as_text(make_app, tmp_path: Path) -> None:
    app = make_app("html", srcdir=_tree(tmp_path, "src"), freshenv=True)
    app.build()
    doctree = app.env.get_doctree("v2/index")
    stores = list(doctree.findall(tables.api_body_store))
    plain = {key for store in stores for key in store.get("plain", {})}
    kept = [body for store in stores for body in store.children]
    assert plain and len(plain) > len(kept)
    # The link needs its nodes; the plain text, the literals and a lone
    # version note do not.
    assert all(body.astext() for body in kept)
    assert any("the guide" in body.astext() for body in kept)
