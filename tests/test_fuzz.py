"""Fuzzing: no input, however broken or hostile, makes an exception escape.

Hypothesis writes parameters files, status files, JSON samples and
operations (with their stanzas), breaks them the way editors and terminals
do (tabs, stray quotes, aliases, truncation, BOMs, CRLF, bytes that are not
UTF-8) and salts them with HTML and script links.  Then:

* the loaders, the stanza and URL parsers never raise;
* the command-line linter never raises and exits 0 or 1;
* a Sphinx build never raises, and its page carries no script, event
  handler or script URL beyond the theme's and our own;
* the build's warnings are the command-line linter's findings on the same
  input, message for message (the base tree's ``conf.py`` selects every
  rule but a few style ones);
* with some of those files replaced by what is no regular file (a symlink
  to ``/dev/zero``, ``/dev/urandom`` or ``/dev/null``, a FIFO, a socket, a
  directory), the linter and the build still finish within seconds (each
  runs in a forked child that is killed when it overstays).

The default run tries a few hundred inputs; ``HYPOTHESIS_PROFILE=fuzz``
(``tox -e fuzz``) tries thousands.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
from pathlib import Path

import pytest
import yaml
from catalogue import active_content, build, make_special, materialize, read_html, run_bounded
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lint_support import Finding, build_findings, cli_findings

from os_api_ref_ext.json_samples import load_sample
from os_api_ref_ext.model import (
    METHODS,
    parse_method_block,
    parse_parameter_items,
    parse_status_items,
    split_url,
    url_params,
)
from os_api_ref_ext.sources import load_parameter_file, load_status_file, reason_text

FUZZ = os.environ.get("HYPOTHESIS_PROFILE") == "fuzz"
settings.register_profile("fuzz", deadline=None, print_blob=True)
if FUZZ:
    settings.load_profile("fuzz")


def examples(default: int, fuzz: int) -> settings:
    return settings(
        max_examples=fuzz if FUZZ else default,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


# --------------------------------------------------------------------------
# Strategies

#: Pieces of text that break YAML, reST or HTML when they land in the wrong place.
SNIPPETS = [
    "\t",
    "\r",
    "\n",
    "\x00",
    "\ufeff",
    "\u202e",
    ":",
    ": ",
    "- ",
    "#",
    "&a ",
    "*a",
    "<<: *a",
    "!!python/object/apply:os.system ['true']",
    "!custom ",
    "'",
    '"',
    "|",
    ">",
    "{",
    "}",
    "[",
    "]",
    "`",
    "*",
    "``",
    "..",
    "::",
    "\\",
    "%",
    "@",
    "---",
    "...",
    "<script>alert(1)</script>",
    "`x <javascript:alert(1)>`__",
    "javascript:alert(2)",
    "JaVa\tScRiPt:alert(3)",
    "vbscript:msgbox(4)",
    "data:text/html,<script>alert(5)</script>",
    '" onmouseover="alert(6)',
    "<img src=x onerror=alert(7)>",
    "\n\n.. raw:: html\n\n   <script>alert(8)</script>\n\n",
    "\n\n.. include:: /etc/passwd\n\n",
]

words = st.sampled_from(SNIPPETS) | st.text(max_size=12)
text = st.lists(words, max_size=6).map("".join)
one_line = text.map(lambda t: " ".join(t.replace(".. ", "").split()))
scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | text
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(one_line, inner, max_size=3),
    max_leaves=8,
)
keys = st.sampled_from(["case", "widget", "project_id", "1", "yes"]) | one_line | scalars

parameter_fields = st.fixed_dictionaries(
    {},
    optional={
        "description": text | values,
        "in": st.sampled_from(["path", "query", "body", "header", "url"]) | values,
        "required": st.booleans() | values,
        "type": st.sampled_from(["string", "integer", "object", "array", "dict"]) | values,
        "min_version": st.sampled_from(["2.1", "2.10", "3", "two"]) | values,
        "max_version": st.sampled_from(["2.1", "2.5", "1.0"]) | values,
    },
)
parameter_data = st.dictionaries(keys, parameter_fields | values, max_size=5)
status_data = st.dictionaries(
    st.sampled_from([200, 202, 404, 409, 418, 999]) | keys,
    st.dictionaries(st.sampled_from(["default", "gone"]) | one_line, text | values, max_size=3)
    | values,
    max_size=4,
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
    max_leaves=10,
)


def _dump_yaml(data: object) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


@st.composite
def broken(draw: st.DrawFn, source: st.SearchStrategy[str]) -> str:
    """Text from ``source`` with a few edits of the kind that break files."""
    result = draw(source)
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(result)))
        edit = draw(st.sampled_from(["insert", "delete", "repeat", "cut"]))
        if edit == "insert":
            result = result[:at] + draw(words) + result[at:]
        elif edit == "delete":
            result = result[:at] + result[at + draw(st.integers(1, 8)) :]
        elif edit == "repeat":
            result = result[:at] + result[at : at + 40] + result[at:]
        else:
            result = result[:at]
    return result


@st.composite
def encoded(draw: st.DrawFn, source: st.SearchStrategy[str]) -> bytes:
    """Text turned into the bytes of a file: some CRLF, some BOM, some not UTF-8."""
    result = draw(source)
    newline = draw(st.sampled_from(["\n", "\n", "\r\n", "\r"]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "latin-1", "utf-16"]))
    return result.replace("\n", newline).encode(encoding, errors="replace")


parameter_files = encoded(broken(parameter_data.map(_dump_yaml)) | text)
status_files = encoded(broken(status_data.map(_dump_yaml)) | text)
sample_files = encoded(broken(json_values.map(json.dumps)) | text) | st.binary(max_size=200)

FILE_ARGUMENTS = ["case.yaml", "case-status.yaml", "nothing.yaml", "samples", "../outside.yaml"]


@st.composite
def operations(draw: st.DrawFn) -> str:
    """An operation with its stanzas, in the shape of an .inc file."""
    method = draw(st.sampled_from(METHODS) | one_line)
    url = draw(st.sampled_from(["/v2/cases", "/v2/{project_id}/cases/{case_id}"]) | one_line)
    title = draw(one_line).strip() or "Case"
    version_lines = draw(
        st.lists(st.sampled_from(["min_version: 2.1", "max_version: 2"]) | one_line, max_size=2)
    )
    items = draw(
        st.lists(
            st.builds("- {}: {}".format, one_line, st.sampled_from(["case", "cas", "1"]) | one_line)
            | one_line,
            max_size=4,
        )
    )
    codes = draw(
        st.lists(st.sampled_from(["- 404", "- 404: gone", "- 418", "- x"]) | one_line, max_size=3)
    )
    status_type = draw(st.sampled_from(["success", "error", ""]) | one_line)
    option = draw(st.sampled_from(["", "   :class: compact", "   :colour: red"]))
    sample = draw(st.sampled_from(["samples/case.json", "samples/nothing.json", "samples"]))
    parameters_file = draw(st.sampled_from(FILE_ARGUMENTS))
    status_file = draw(st.sampled_from(FILE_ARGUMENTS))

    def block(lines: list[str]) -> str:
        return "".join(f"   {line}\n" for line in lines)

    return (
        f"{title}\n{'=' * max(len(title), 4)}\n\n"
        f".. rest_method:: {method} {url}\n{block(version_lines)}\n"
        f"Request\n-------\n\n"
        f".. rest_parameters:: {parameters_file}\n{option}\n\n{block(items)}\n"
        f"Response codes\n--------------\n\n"
        f".. rest_status_code:: {status_type} {status_file}\n\n{block(codes)}\n"
        f"Response Example\n----------------\n\n"
        f".. literalinclude:: {sample}\n"
    )


trees = st.fixed_dictionaries(
    {},
    optional={
        "case.yaml": parameter_files,
        "case-status.yaml": status_files,
        "samples/case.json": sample_files,
        # No raw directive in a page: that is the author's deliberate HTML.
        "case.inc": operations().map(str.encode)
        | encoded(text.map(lambda t: t.replace(".. raw::", ".. rawish::"))),
        "../outside.yaml": parameter_files,
    },
)


#: What a file of the tree may be instead of a regular file.
special_files = st.sampled_from(
    [
        {"symlink": "/dev/zero"},
        {"symlink": "/dev/urandom"},
        {"symlink": "/dev/null"},
        {"fifo": True},
        {"socket": True},
        {"directory": True},
    ]
)
specials = st.dictionaries(
    st.sampled_from(["case.yaml", "case-status.yaml", "samples/case.json", "case.inc"]),
    special_files,
    min_size=1,
)
#: The base tree builds in about a second; a child still running after
#: this long is blocked on a special file.
SPECIAL_SECONDS = 20


def lay_out(
    files: dict[str, bytes], root: Path, special: dict[str, dict[str, object]] | None = None
) -> Path:
    srcdir = materialize(None, root)
    for relative, data in files.items():
        target = Path(os.path.normpath(srcdir / relative))
        target.write_bytes(data)
    for relative, spec in (special or {}).items():
        make_special(Path(os.path.normpath(srcdir / relative)), spec)
    return srcdir


# --------------------------------------------------------------------------
# Tests


@examples(default=300, fuzz=5000)
@given(parameters=parameter_files, status=status_files, sample=sample_files)
def test_loaders_never_raise(parameters: bytes, status: bytes, sample: bytes) -> None:
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        for name, data in (("p.yaml", parameters), ("s.yaml", status), ("j.json", sample)):
            (root / name).write_bytes(data)
        loaded = load_parameter_file(str(root / "p.yaml"))
        for entry in loaded.order:
            # What the directive and the rules read from every entry.
            assert isinstance(entry.description, str)
            entry.required, entry.type, entry.location  # noqa: B018
            entry.version("min_version"), entry.version("max_version")  # noqa: B018
        for code in load_status_file(str(root / "s.yaml")).codes.values():
            for reason in code.reasons.values():
                assert isinstance(reason_text(reason.value), str)
        load_sample(str(root / "j.json"))


@examples(default=300, fuzz=5000)
@given(lines=st.lists(one_line | text, max_size=6), url=text)
def test_parsers_never_raise(lines: list[str], url: str) -> None:
    numbered = [(line, number) for number, line in enumerate(lines, start=1)]
    parse_parameter_items(numbered, "x.inc")
    parse_status_items(numbered, "x.inc")
    parse_method_block(numbered, "x.inc")
    split_url(url)
    url_params(url)


@examples(default=150, fuzz=2000)
@given(files=trees)
def test_linter_never_raises(files: dict[str, bytes]) -> None:
    cli = pytest.importorskip("os_api_ref_ext.lint.cli")
    with tempfile.TemporaryDirectory() as directory:
        srcdir = lay_out(files, Path(directory))
        out = io.StringIO()
        status = cli.main([str(srcdir), "--format", "json"], out=out)
        assert status in (0, 1)
        for finding in json.loads(out.getvalue()):
            assert finding["code"] and finding["path"]


@pytest.fixture(scope="module")
def theme_content(tmp_path_factory: pytest.TempPathFactory) -> set[tuple[str, ...]]:
    """The scripts and handlers the theme and our assets put on the base page."""
    srcdir = materialize(None, tmp_path_factory.mktemp("fuzz-base"))
    return active_content(read_html(build(srcdir).outdir / "index.html"))


@examples(default=30, fuzz=500)
@given(files=trees)
def test_build_never_raises_or_injects(files: dict[str, bytes], theme_content) -> None:  # type: ignore[no-untyped-def]
    with tempfile.TemporaryDirectory() as directory:
        srcdir = lay_out(files, Path(directory))
        result = build(srcdir)
        assert result.statuscode == 0
        assert "Traceback" not in result.raw_warnings
        assert active_content(read_html(result.outdir / "index.html")) <= theme_content


def _inside(findings: set[Finding], srcdir: Path) -> set[Finding]:
    """The findings about files in the tree (the linter reports only those
    under the paths it is given; the build warns about every file)."""
    root = os.path.realpath(srcdir) + os.sep
    return {finding for finding in findings if finding.path.startswith(root)}


@examples(default=40, fuzz=500)
@given(files=trees)
def test_build_warnings_are_the_linters_findings(files: dict[str, bytes]) -> None:
    with tempfile.TemporaryDirectory() as directory:
        srcdir = lay_out(files, Path(directory))
        # Both follow conf.py, which selects every rule but a few style ones.
        built = build_findings(srcdir, Path(directory) / "build")
        assert cli_findings([srcdir]) == _inside(built, srcdir)


def _lint(srcdir: Path) -> tuple[int, str]:
    from os_api_ref_ext.lint import cli

    out = io.StringIO()
    return cli.main([str(srcdir), "--format", "json"], out=out), out.getvalue()


@examples(default=30, fuzz=500)
@given(files=trees, special=specials)
def test_linter_never_blocks_on_special_files(
    files: dict[str, bytes], special: dict[str, dict[str, object]]
) -> None:
    with tempfile.TemporaryDirectory() as directory:
        srcdir = lay_out(files, Path(directory), special)
        status, output = run_bounded(_lint, srcdir, seconds=SPECIAL_SECONDS)
        assert status in (0, 1)
        assert all(finding["code"] for finding in json.loads(output))


@examples(default=8, fuzz=200)
@given(files=trees, special=specials)
def test_build_never_blocks_on_special_files(
    files: dict[str, bytes], special: dict[str, dict[str, object]], theme_content
) -> None:  # type: ignore[no-untyped-def]
    with tempfile.TemporaryDirectory() as directory:
        srcdir = lay_out(files, Path(directory), special)
        result = run_bounded(build, srcdir, seconds=SPECIAL_SECONDS)
        assert result.statuscode == 0
        assert "Traceback" not in result.raw_warnings
        assert active_content(read_html(result.outdir / "index.html")) <= theme_content
