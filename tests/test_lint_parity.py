"""The command-line linter and the Sphinx build report the same findings.

On every test root, on the Block Storage reference in ``api-ref/source``
and on generated documents, the scanner must read the same model as the
directives record (every :class:`~os_api_ref_ext.model.Document`, field
for field) and the CLI must report exactly the build's warnings.  The lint
fixtures are held to the same in ``test_lint_rules.py``.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import docutils
import pytest
from lint_support import API_REF, ROOTS, cli_findings, warnings_of

from os_api_ref_ext.domain import get_domain
from os_api_ref_ext.lint.reader import scan_tree
from os_api_ref_ext.model import Document

ROOT_NAMES = sorted(path.name.removeprefix("test-") for path in ROOTS.glob("test-*"))


def _documents_by_name(documents: list[Document]) -> dict[str, Document]:
    # A document without any directive of ours may or may not have a record.
    return {doc.docname: doc for doc in documents if doc != Document(doc.docname)}


def assert_same_model(app) -> None:  # type: ignore[no-untyped-def]
    built = _documents_by_name(list(get_domain(app.env).all_documents()))
    scanned = _documents_by_name(scan_tree(str(app.srcdir)))
    assert scanned.keys() == built.keys()
    for docname, document in built.items():
        assert scanned[docname] == document, docname


@pytest.mark.parametrize(
    "root",
    [
        pytest.param(name, marks=pytest.mark.sphinx("dummy", testroot=name, freshenv=True))
        for name in ROOT_NAMES
    ],
)
def test_test_root(root: str, app) -> None:  # type: ignore[no-untyped-def]
    app.build()
    assert_same_model(app)
    assert cli_findings([app.srcdir]) == warnings_of(app)


def test_api_ref(tmp_path: Path, make_app) -> None:  # type: ignore[no-untyped-def]
    srcdir = tmp_path / "source"
    shutil.copytree(API_REF, srcdir)
    app = make_app("dummy", srcdir=srcdir, freshenv=True)
    app.build()
    assert_same_model(app)
    assert cli_findings([srcdir]) == warnings_of(app)


# --------------------------------------------------------------------------
# Generated documents: random mixes of the constructs the scanner must get
# right (titles of every style, literal blocks, comments, targets, lists,
# notes, includes, directive options and content in every shape).

_TITLES = [
    "Request",
    "Response Parameters",
    "List *widgets*",
    "``code`` title",
    "Héllo",
    "x",
    "Go `home <javascript:x>`__",
]
_PARAGRAPHS = [
    "Text.",
    "Text ending::",
    "- bullet",
    "#. item",
    ":field: value",
    "term",
    "See `x <javascript:alert(1)>`__, javascript:alert(2) and (data:text/html,x).",
]
_ITEMS = ["- id: id", "- name: name", "- bad", "- x: y: z", "# comment", ""]
_OPTIONS = [[], [], [":class: x"], [":colour: red"], [":class:"], [":name: t", ":widths: 1 2"]]
_INDENT = "   "
# docutils before 0.22 fails an assertion (a traceback from Sphinx itself,
# with or without this extension) on a transition that opens an "only"
# block; there such a block opens with a paragraph.
_ONLY = [".. only:: html", ""] + (
    [_INDENT + "Text.", ""] if docutils.__version_info__ < (0, 22) else []
)


def _title(rng: random.Random) -> list[str]:
    text, char = rng.choice(_TITLES), rng.choice("=-~#*^")
    if rng.random() < 0.25:
        return [char * (len(text) + 2), text, char * (len(text) + 2), ""]
    return [text, char * max(1, len(text) + rng.choice([0, 2, -1, 2 - len(text)])), ""]


def _nested(rng: random.Random, depth: int, head: list[str], indent: str) -> list[str]:
    inner = [line for _ in range(rng.randint(1, 2)) for line in _block(rng, depth + 1)]
    return head + [indent + line if line else "" for line in inner] + [""]


def _block(rng: random.Random, depth: int = 0) -> list[str]:
    kind = rng.randrange(16 if depth < 2 else 11)
    if kind == 0:
        return _title(rng)
    if kind == 1:
        return [rng.choice(_PARAGRAPHS), ""]
    if kind == 2:
        method = rng.choice(["GET /v2/{id}", "POST /v2/x", "FETCH v2", ""])
        content = [_INDENT + rng.choice(["min_version: 2.1", "junk", ""]) for _ in range(2)]
        return [f".. rest_method:: {method}", *content[: rng.randint(0, 2)], ""]
    if kind == 3:
        head = [".. rest_parameters:: " + rng.choice(["p.yaml", "missing.yaml", ""])]
        head += [_INDENT + option for option in rng.choice(_OPTIONS)]
        head += [""] if rng.random() < 0.8 else []
        return head + [_INDENT + rng.choice(_ITEMS) for _ in range(rng.randint(0, 3))] + [""]
    if kind == 4:
        head = [".. rest_status_code:: " + rng.choice(["success s.yaml", "error s.yaml", "a b c"])]
        head += [_INDENT + option for option in rng.choice(_OPTIONS)] + [""]
        return head + [_INDENT + rng.choice(["- 200", "- 404: r", "- x"]), ""]
    if kind == 5:
        target = rng.choice(["a.json", "missing.json", "t.txt"])
        options = rng.choice([[], [":language: javascript"], [":bogus: 1"]])
        return [f".. literalinclude:: {target}", *(_INDENT + o for o in options), ""]
    if kind == 6:
        return [".. rest_expand_all::", *rng.choice([[], [_INDENT + ":opt: 1"]]), ""]
    if kind == 7:
        return [
            rng.choice(["..", ".. comment", ".. _target:", "__ http://x", ".. |s| replace:: x"]),
            "",
        ]
    if kind == 8:
        return [rng.choice(["----------", "::"]), ""]
    if kind == 9:
        return ["Para::", "", _INDENT + ".. rest_method:: GET /literal", ""]
    if kind == 10:
        return [".. include:: " + rng.choice(["a.inc", "sub/b.inc", "missing.inc"]), ""]
    if kind == 11:
        return _nested(rng, depth, [".. note::", ""], _INDENT)
    if kind == 12:
        return _nested(rng, depth, ["- item", ""], "  ")
    if kind == 13:
        return _nested(rng, depth, [], _INDENT)  # a block quote
    if kind == 14:
        return _nested(rng, depth, _ONLY, _INDENT)
    return ["Term", _INDENT + "definition", ""]


def _text(rng: random.Random, blocks: int) -> str:
    return "\n".join(line for _ in range(blocks) for line in _block(rng)) + "\n"


def _generated_tree(srcdir: Path, seed: int) -> None:
    rng = random.Random(seed)
    (srcdir / "sub").mkdir(parents=True)
    files = {
        "conf.py": "extensions = ['os_api_ref_ext']\n",
        "index.rst": "Index\n=====\n",
        "p.yaml": "id:\n  in: path\n  type: string\n  required: true\n  description: x\n",
        "s.yaml": "200:\n  default: OK\n404:\n  default: Not found\n  r: Gone\n",
        "a.json": '{"id": "x"}\n',
        "t.txt": "text\n",
        "a.inc": _text(rng, 4),
        "sub/b.inc": _text(rng, 3),
    }
    files.update({f"doc{number}.rst": _text(rng, rng.randint(4, 12)) for number in range(10)})
    for name, text in files.items():
        (srcdir / name).write_text(text, encoding="utf-8")


@pytest.mark.parametrize("seed", range(50))
def test_generated_documents(seed: int, tmp_path: Path, make_app) -> None:  # type: ignore[no-untyped-def]
    srcdir = tmp_path / "src"
    _generated_tree(srcdir, seed)
    app = make_app("dummy", srcdir=srcdir, freshenv=True)
    app.build()
    assert_same_model(app)
    assert cli_findings([srcdir]) == warnings_of(app)
