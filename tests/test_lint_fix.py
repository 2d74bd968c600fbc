"""``--fix`` and ``--fix --unsafe-fixes`` on parameters files.

Entries move as whole blocks (the comment lines above an entry, its key
line, and everything up to the next block), so every comment and every
entry's text is kept byte for byte; only their order changes.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from lint_support import API_REF, cli_json, run_cli

from os_api_ref_ext.sources import load_parameter_file

_TOP_LEVEL_KEY = re.compile(r"^[^\s#][^:]*:")


def split_blocks(text: str) -> tuple[str, list[tuple[str, str]]]:
    """The preamble and (key, block) pairs, as the fixer must cut them
    (written independently of it: top-level keys found by regex)."""
    lines = text.splitlines(keepends=True)
    starts = []
    for number, line in enumerate(lines):
        if _TOP_LEVEL_KEY.match(line):
            start = number
            floor = starts[-1][1] + 1 if starts else 0
            while start > floor and lines[start - 1].startswith("#"):
                start -= 1
            starts.append((start, number))
    blocks = []
    for index, (start, key_line) in enumerate(starts):
        end = starts[index + 1][0] if index + 1 < len(starts) else len(lines)
        key = lines[key_line].split(":", 1)[0].strip("\"'")
        blocks.append((key, "".join(lines[start:end])))
    return "".join(lines[: starts[0][0]]), blocks


@pytest.fixture
def api_ref(tmp_path: Path) -> Path:
    srcdir = tmp_path / "source"
    shutil.copytree(API_REF, srcdir)
    return srcdir


def _shuffle(text: str) -> str:
    """The blocks of a canonical file in a scrambled (but fixed) order."""
    preamble, blocks = split_blocks(text)
    order = sorted(range(len(blocks)), key=lambda index: (index * 7) % len(blocks))
    assert order != list(range(len(blocks)))
    return preamble + "".join(blocks[index][1] for index in order)


def test_fix_restores_a_scrambled_file_byte_for_byte(api_ref: Path) -> None:
    parameters = api_ref / "v2" / "parameters.yaml"
    original = parameters.read_bytes()
    parameters.write_text(_shuffle(original.decode()), encoding="utf-8")
    assert "F010" in {row["code"] for row in cli_json(str(api_ref))}

    status, output = run_cli("--fix", str(api_ref))
    assert (status, output) == (0, "")
    assert parameters.read_bytes() == original


def test_fix_keeps_each_block_byte_for_byte(tmp_path: Path) -> None:
    srcdir = tmp_path / "src"
    shutil.copytree(API_REF, srcdir)
    parameters = srcdir / "v2" / "parameters.yaml"
    scrambled = (
        _shuffle(parameters.read_text())
        .replace(
            "limit:\n", "# A comment above limit,\n# on two lines.\nlimit:  # and one after\n", 1
        )
        .replace("marker:\n", "  # indented: the end of the entry above\nmarker:\n", 1)
    )
    parameters.write_text(scrambled, encoding="utf-8")
    preamble, before = split_blocks(scrambled)

    run_cli("--fix", str(srcdir))
    fixed = parameters.read_text()
    new_preamble, after = split_blocks(fixed)
    assert new_preamble == preamble
    assert sorted(after) == sorted(before)  # the same blocks, byte for byte
    assert fixed == preamble + "".join(block for _key, block in after)
    loaded = load_parameter_file(str(parameters))
    ranks = {"header": 0, "path": 1, "query": 2, "body": 3}
    keys = [(ranks[e.location or ""], e.key.lower()) for e in loaded.order]
    assert keys == sorted(keys)
    assert "# A comment above limit,\n# on two lines.\nlimit:  # and one after\n" in fixed


def test_fix_keeps_crlf_line_ends_and_a_byte_order_mark(api_ref: Path) -> None:
    parameters = api_ref / "v2" / "parameters.yaml"
    canonical = b"\xef\xbb\xbf" + parameters.read_bytes().replace(b"\n", b"\r\n")
    scrambled = _shuffle(parameters.read_text()).replace("\n", "\r\n")
    parameters.write_bytes(b"\xef\xbb\xbf" + scrambled.encode())
    assert run_cli("--fix", str(api_ref))[0] == 0
    assert parameters.read_bytes() == canonical


def test_unsafe_fixes_delete_unused_entries(api_ref: Path) -> None:
    parameters = api_ref / "v2" / "parameters.yaml"
    original = parameters.read_text()
    unused = (
        "# Nothing uses this one.\n"
        "consistencygroup_id:\n"
        "  description: |\n"
        "    The UUID of a consistency group.\n"
        "  in: body\n"
        "  required: false\n"
        "  type: string\n"
    )
    parameters.write_text(_shuffle(original) + unused, encoding="utf-8")

    run_cli("--fix", str(api_ref))  # safe fixes only: sorted, nothing deleted
    assert {row["code"] for row in cli_json(str(api_ref))} == {"F011"}
    assert unused in parameters.read_text()

    assert run_cli("--fix", "--unsafe-fixes", str(api_ref)) == (0, "")
    assert parameters.read_text() == original


def test_fix_reports_what_it_did(api_ref: Path, capsys: pytest.CaptureFixture[str]) -> None:
    parameters = api_ref / "v2" / "parameters.yaml"
    parameters.write_text(_shuffle(parameters.read_text()), encoding="utf-8")
    run_cli("--fix", str(api_ref))
    assert capsys.readouterr().err == (f"{parameters}: sorted entries by 'in', then by name\n")


def _tree_with(tmp_path: Path, text: str) -> Path:
    srcdir = tmp_path / "src"
    srcdir.mkdir()
    (srcdir / "conf.py").write_text("extensions = ['os_api_ref_ext']\n")
    (srcdir / "index.rst").write_text(
        "Things\n======\n\nList things\n-----------\n\n.. rest_method:: GET /things\n\n"
        ".. rest_parameters:: parameters.yaml\n\n   - b: b\n   - a: a\n"
    )
    (srcdir / "parameters.yaml").write_text(text, encoding="utf-8")
    return srcdir


ENTRY = "  description: x\n  in: query\n  required: false\n  type: string\n"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (f"b:\n{ENTRY}a:\n{ENTRY}b:\n{ENTRY}", "duplicate keys (b)"),
        (f"b:\n{ENTRY}a:\n  description: x\n  in: url\n", "entries without a valid 'in' (a)"),
        (f"b:\n{ENTRY}a:\n  in: [query\n", "YAML error at line 7"),
        ("{b: {in: query}, a: {in: query}}\n", "entries do not each start a line"),
        (f"b: &b\n{ENTRY}a: *b\n", "sorting would put the alias *b (line 6) before its anchor"),
    ],
)
def test_files_that_cannot_be_reordered_are_left_alone(
    text: str, reason: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    srcdir = _tree_with(tmp_path, text)
    parameters = srcdir / "parameters.yaml"
    status, _output = run_cli("--fix", str(srcdir))
    assert parameters.read_text() == text
    assert f"{parameters}: not fixed: {reason}" in capsys.readouterr().err
    assert status == 1


def test_fix_without_a_final_newline(tmp_path: Path) -> None:
    srcdir = _tree_with(tmp_path, f"b:\n{ENTRY}a:\n{ENTRY}".rstrip("\n"))
    assert run_cli("--fix", str(srcdir))[0] == 0
    assert (srcdir / "parameters.yaml").read_text() == f"a:\n{ENTRY}b:\n{ENTRY}".rstrip("\n")


def test_fix_leaves_rules_that_are_not_selected_alone(api_ref: Path) -> None:
    parameters = api_ref / "v2" / "parameters.yaml"
    scrambled = _shuffle(parameters.read_text())
    parameters.write_text(scrambled, encoding="utf-8")
    assert run_cli("--fix", "--ignore", "F010", str(api_ref)) == (0, "")
    assert parameters.read_text() == scrambled


def test_unsafe_fixes_respect_noqa(tmp_path: Path) -> None:
    text = f"a:\n{ENTRY}b:\n{ENTRY}c:  # noqa: F011\n{ENTRY}d:\n{ENTRY}"
    srcdir = _tree_with(tmp_path, text)
    assert run_cli("--fix", "--unsafe-fixes", str(srcdir)) == (0, "")
    assert (
        srcdir / "parameters.yaml"
    ).read_text() == f"a:\n{ENTRY}b:\n{ENTRY}c:  # noqa: F011\n{ENTRY}"
