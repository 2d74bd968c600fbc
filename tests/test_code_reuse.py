"""A code block repeated in the build is highlighted once.

Descriptions repeat their code blocks (a date format, a list of states),
pages repeat their samples, and highlighting one runs Pygments' lexer and
formatter.  The HTML of a block already written in the build is reused
when the block says the same thing with the same attributes, Sphinx's own
translator writes it, and writing the first logged no warning.  The pages
must be written exactly as they are when every block is highlighted on
its own.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from realistic_tree import tree_with_parameters
from sphinx import highlighting
from sphinx.highlighting import PygmentsBridge
from sphinx.writers.html5 import HTML5Translator

from os_api_ref_ext import code_blocks

#: Three descriptions share a literal block, one has its own, two share a
#: JSON block that does not lex (each must warn), one shares the text of
#: the first block but in a bullet list.
PARAMETERS = """\
changed_since:
  description: |
    A time, as::

      CCYY-MM-DDThh:mm:ss

    in UTC.
  in: query
  required: false
  type: string
created_at:
  description: |
    When it was created::

      CCYY-MM-DDThh:mm:ss
  in: body
  required: true
  type: string
updated_at:
  description: |
    When it was last changed::

      CCYY-MM-DDThh:mm:ss
  in: body
  required: true
  type: string
states:
  description: |
    One of::

      0: NOSTATE
      1: RUNNING
  in: body
  required: true
  type: integer
payload_one:
  description: |
    .. code-block:: json

       {oops
  in: body
  required: true
  type: object
payload_two:
  description: |
    .. code-block:: json

       {oops
  in: body
  required: true
  type: object
listed_format:
  description: |
    - in a list::

        CCYY-MM-DDThh:mm:ss
  in: body
  required: true
  type: string
"""

KEYS = (
    "changed_since",
    "created_at",
    "updated_at",
    "states",
    "payload_one",
    "payload_two",
    "listed_format",
)


def _tree(tmp_path: Path, name: str) -> Path:
    return tree_with_parameters(tmp_path, name, PARAMETERS, KEYS, "Extra")


class _Highlights:
    """Counts the sources Sphinx highlights."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.sources: list[str] = []
        original = PygmentsBridge.highlight_block

        def spy(bridge: PygmentsBridge, source: str, *args: Any, **kwargs: Any) -> str:
            self.sources.append(source)
            return original(bridge, source, *args, **kwargs)

        monkeypatch.setattr(PygmentsBridge, "highlight_block", spy)

    def count(self, text: str) -> int:
        return sum(1 for source in self.sources if source.strip() == text)


def _build(make_app, src: Path, translator: type | None = None) -> tuple[str, list[str]]:
    app = make_app("html", srcdir=src, freshenv=True)
    if translator is not None:
        app.set_translator("html", translator, override=True)
    app.build()
    html = (Path(app.outdir) / "v2" / "index.html").read_text(encoding="utf-8")
    warnings = [
        line for line in app._warning.getvalue().splitlines() if "Lexing literal_block" in line
    ]
    return html, warnings


def test_a_repeated_block_is_highlighted_once_and_written_the_same(
    make_app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as patch:
        highlights = _Highlights(patch)
        reused, reused_warnings = _build(make_app, _tree(tmp_path, "reused"))
        # The three top-level blocks and the one in a list.
        assert highlights.count("CCYY-MM-DDThh:mm:ss") == 1
        assert highlights.count("0: NOSTATE\n1: RUNNING") == 1
    with monkeypatch.context() as patch:
        patch.setattr(code_blocks, "_sphinx_writes_code", lambda translator: False)
        highlights = _Highlights(patch)
        each, each_warnings = _build(make_app, _tree(tmp_path, "each"))
        assert highlights.count("CCYY-MM-DDThh:mm:ss") == 4
    assert reused == each
    assert reused.count('<div class="highlight-default notranslate">') == 5


def test_a_block_that_warns_is_highlighted_each_time(
    make_app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    highlights = _Highlights(monkeypatch)
    _html, warnings = _build(make_app, _tree(tmp_path, "warns"))
    # Both JSON blocks are lexed, and each warns (naming its own line).
    assert highlights.count("{oops") >= 2
    assert len(warnings) == 2
    assert len(set(warnings)) == 2


class _NumberingTranslator(HTML5Translator):
    """Another extension's translator: numbers every code block."""

    def visit_literal_block(self, node: Any) -> None:
        self.numbered = getattr(self, "numbered", 0) + 1
        self.body.append(f'<p class="block-number">{self.numbered}</p>')
        super().visit_literal_block(node)


def test_a_translator_that_writes_code_its_own_way_sees_every_block(
    make_app, tmp_path: Path
) -> None:
    html, _warnings = _build(make_app, _tree(tmp_path, "numbered"), _NumberingTranslator)
    numbers = re.findall(r'<p class="block-number">(\d+)</p>', html)
    assert len(numbers) == html.count('<div class="highlight-')
    # every block of the extra table, repeated ones included, each visited
    assert len(numbers) >= 7
    assert len(set(numbers)) == len(numbers)


def _sample_tree(tmp_path: Path, name: str) -> Path:
    """Two pages including samples: the same JSON in two files, one file
    twice, and a sample that does not lex as JSON in both pages."""
    src = tmp_path / name
    (src / "one").mkdir(parents=True)
    (src / "two").mkdir()
    (src / "conf.py").write_text('extensions = ["os_api_ref_ext"]\n', encoding="utf-8")
    (src / "index.rst").write_text(
        "Index\n=====\n\n.. toctree::\n\n   one/index\n   two/index\n", encoding="utf-8"
    )
    same = '{\n    "volume": {\n        "id": "1"\n    }\n}\n'
    for folder in ("one", "two"):
        (src / folder / "show.json").write_text(same, encoding="utf-8")
        (src / folder / "broken.json").write_text("{oops\n", encoding="utf-8")
    (src / "one" / "list.json").write_text('{"volumes": []}\n', encoding="utf-8")
    for folder, title in (("one", "One"), ("two", "Two")):
        extra = (
            ".. literalinclude:: list.json\n   :language: javascript\n\n"
            ".. literalinclude:: show.json\n   :language: javascript\n\n"
            if folder == "one"
            else ""
        )
        (src / folder / "index.rst").write_text(
            f"{title}\n{'=' * len(title)}\n\n"
            ".. literalinclude:: show.json\n   :language: javascript\n\n"
            f"{extra}"
            ".. literalinclude:: broken.json\n   :language: json\n",
            encoding="utf-8",
        )
    return src


def _build_pages(make_app, src: Path) -> tuple[dict[str, str], list[str]]:
    app = make_app("html", srcdir=src, freshenv=True)
    app.build()
    pages = {
        name: (Path(app.outdir) / name / "index.html").read_text(encoding="utf-8")
        for name in ("one", "two")
    }
    warnings = [
        line for line in app._warning.getvalue().splitlines() if "Lexing literal_block" in line
    ]
    assert not hasattr(app.builder, code_blocks._WRITTEN)  # dropped when the build ends
    return pages, warnings


def test_a_sample_repeated_across_pages_is_highlighted_once(
    make_app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    show = '{\n    "volume": {\n        "id": "1"\n    }\n}'
    with monkeypatch.context() as patch:
        highlights = _Highlights(patch)
        reused, reused_warnings = _build_pages(make_app, _sample_tree(tmp_path, "reused"))
        assert highlights.count(show) == 1
        assert highlights.count('{"volumes": []}') == 1
        assert highlights.count("{oops") >= 2  # warns: lexed in each page
    with monkeypatch.context() as patch:
        patch.setattr(code_blocks, "_sphinx_writes_code", lambda translator: False)
        highlights = _Highlights(patch)
        each, each_warnings = _build_pages(make_app, _sample_tree(tmp_path, "each"))
        assert highlights.count(show) == 3
    assert reused == each
    assert reused["one"].count('<div class="highlight-javascript notranslate">') == 3
    assert reused["two"].count('<div class="highlight-javascript notranslate">') == 1
    # one warning per page, each naming its own page
    assert len(reused_warnings) == 2
    assert sorted(w.split(":")[0].rsplit("/", 2)[-2] for w in reused_warnings) == ["one", "two"]
    assert [w.replace("reused", "each") for w in reused_warnings] == each_warnings


def test_an_extension_writing_code_blocks_first_keeps_them(make_app, tmp_path: Path) -> None:
    """An extension set up before this one that writes code blocks its own
    way (``add_node`` for ``literal_block``) keeps writing them."""
    src = _sample_tree(tmp_path, "other")
    (src / "numbering.py").write_text(
        "from docutils import nodes\n\n"
        "def visit(self, node):\n"
        "    self.body.append('<pre class=\"numbered\">' + self.encode(node.astext()) + '</pre>')\n"
        "    raise nodes.SkipNode\n\n"
        "def setup(app):\n"
        "    app.add_node(nodes.literal_block, override=True, html=(visit, None))\n",
        encoding="utf-8",
    )
    (src / "conf.py").write_text(
        "import sys, os\nsys.path.insert(0, os.path.dirname(__file__))\n"
        'extensions = ["numbering", "os_api_ref_ext"]\n',
        encoding="utf-8",
    )
    app = make_app("html", srcdir=src, freshenv=True)
    app.build()
    html = (Path(app.outdir) / "one" / "index.html").read_text(encoding="utf-8")
    assert html.count('<pre class="numbered">') == 4
    assert "highlight-javascript" not in html


class _Made:
    """Counts the formatters and lexers Sphinx's highlighter makes."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.formatters = 0
        self.lexers: list[str] = []
        made = self
        original_lexer = highlighting.get_lexer_by_name

        class CountedFormatter(PygmentsBridge.html_formatter):  # type: ignore[misc,name-defined]
            def __init__(self, **options: Any) -> None:
                made.formatters += 1
                super().__init__(**options)

        def lexer_by_name(name: str, **options: Any) -> Any:
            self.lexers.append(name)
            return original_lexer(name, **options)

        monkeypatch.setattr(PygmentsBridge, "html_formatter", CountedFormatter)
        monkeypatch.setattr(highlighting, "get_lexer_by_name", lexer_by_name)


def _language_tree(tmp_path: Path, name: str) -> Path:
    """One page: three distinct JSON blocks, two distinct blocks in a
    language Pygments does not know, and one numbered block."""
    src = tmp_path / name
    src.mkdir()
    (src / "conf.py").write_text('extensions = ["os_api_ref_ext"]\n', encoding="utf-8")
    blocks = [
        ("json", '{"a": 1}', ""),
        ("json", '{"b": 2}', ""),
        ("json", '{"c": 3}', ""),
        ("no-such-language", "first", ""),
        ("no-such-language", "second", ""),
        ("json", '{"d": 4}', "   :linenos:\n"),
    ]
    text = "Index\n=====\n\n" + "".join(
        f".. code-block:: {language}\n{options}\n   {code}\n\n"
        for language, code, options in blocks
    )
    (src / "index.rst").write_text(text, encoding="utf-8")
    return src


def _build_index(make_app, src: Path) -> tuple[str, list[str], Any]:
    app = make_app("html", srcdir=src, freshenv=True)
    app.build()
    html = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    warnings = [line for line in app._warning.getvalue().splitlines() if "index.rst" in line]
    return html, warnings, app


def test_formatters_and_lexers_are_made_once_per_build_for_their_options(
    make_app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as patch:
        made = _Made(patch)
        reused, reused_warnings, app = _build_index(make_app, _language_tree(tmp_path, "reused"))
        # One formatter without line numbers, one with (and the one the
        # builder makes for the style sheet); one JSON lexer.
        assert made.formatters == 1 + 2
        assert made.lexers.count("json") == 1
        # An unknown language is looked up (and warned about) per block.
        assert made.lexers.count("no-such-language") == 2
        assert not hasattr(app.builder, code_blocks._TOOLS)  # dropped when the build ends
        assert "get_formatter" not in vars(app.builder.highlighter)
    with monkeypatch.context() as patch:
        patch.setattr(code_blocks, "_sphinx_writes_code", lambda translator: False)
        made = _Made(patch)
        each, each_warnings, _app = _build_index(make_app, _language_tree(tmp_path, "each"))
        assert made.formatters == 1 + 6
    assert reused == each
    unknown = [w for w in reused_warnings if "no-such-language" in w]
    assert len(unknown) == 2
    assert [w.replace("reused", "each") for w in reused_warnings] == each_warnings


class _OwnBridge(PygmentsBridge):
    """A project's highlighter that makes its formatters its own way."""

    made = 0

    def get_formatter(self, **kwargs: Any) -> Any:
        type(self).made += 1
        return super().get_formatter(**kwargs)


def test_a_highlighter_of_its_own_makes_every_formatter(
    make_app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sphinx.builders.html import StandaloneHTMLBuilder

    original = StandaloneHTMLBuilder.init_highlighter

    def init_highlighter(builder: StandaloneHTMLBuilder) -> None:
        original(builder)
        builder.highlighter = _OwnBridge("html", "sphinx")

    monkeypatch.setattr(StandaloneHTMLBuilder, "init_highlighter", init_highlighter)
    _html, _warnings, _app = _build_index(make_app, _language_tree(tmp_path, "own"))
    assert _OwnBridge.made == 1 + 6  # the style sheet's, and one per block
