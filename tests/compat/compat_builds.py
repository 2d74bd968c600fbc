"""Copies of a tree for each extension, and their HTML builds.

A copy differs from its tree only in ``conf.py``'s extension name (and,
where asked, lines appended to ``conf.py``).  Each copy is committed to a
throwaway git repository, because openstackdocstheme asks git for the
page's last change and warns when there is none.  Builds run as
subprocesses of this interpreter (``python -m sphinx``), several at once.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"
#: The real trees: name -> its Sphinx source directory.
TREES = {"nova": "api-ref/source", "cinder": "api-ref/source"}

THEIRS = "os_api_ref"
OURS = "os_api_ref_ext"
_EXTENSION = re.compile(r"""(['"])os_api_ref\1""")


def examples_dir() -> Path | None:
    """os-api-ref's own examples, or None when os-api-ref is not installed."""
    spec = importlib.util.find_spec("os_api_ref")
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent / "tests" / "examples"


def example_names() -> list[str]:
    root = examples_dir()
    if root is None:
        return []
    return sorted(conf.parent.name for conf in root.glob("*/conf.py"))


class CopyError(RuntimeError):
    """A tree could not be copied for a build."""


def swap_extension(conf: str, extension: str) -> str:
    """``conf.py``'s text with its ``'os_api_ref'`` extension renamed."""
    swapped, count = _EXTENSION.subn(lambda m: m[1] + extension + m[1], conf)
    if count != 1:
        raise CopyError(f"conf.py names 'os_api_ref' {count} times, expected once")
    return swapped


def prepare_copy(
    tree: Path,
    destination: Path,
    srcdir: str,
    extension: str,
    extra_conf: str = "",
) -> Path:
    """Copy ``tree`` to ``destination`` (a new git repository) with
    ``srcdir/conf.py`` using ``extension``; return the copy's srcdir."""
    shutil.copytree(
        tree, destination, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".git")
    )
    conf = destination / srcdir / "conf.py"
    text = swap_extension(conf.read_text(encoding="utf-8"), extension)
    conf.write_text(text + extra_conf, encoding="utf-8")
    git = ["git", "-c", "user.name=compat", "-c", "user.email=compat@example.invalid"]
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "copy"]):
        subprocess.run(
            [*git, *command], cwd=destination, check=True, capture_output=True, text=True
        )
    return destination / srcdir


@dataclass(frozen=True)
class BuildSpec:
    """One HTML build: ``strict`` adds ``-W`` (always with ``--keep-going``,
    so the output is complete either way)."""

    name: str
    srcdir: Path
    outdir: Path
    strict: bool = False

    @property
    def warnings_file(self) -> Path:
        return self.outdir.parent / f"{self.outdir.name}.warnings.txt"

    def command(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "sphinx",
            "-E",
            "-q",
            "-N",
            "--keep-going",
            *(["-W"] if self.strict else []),
            "-b",
            "html",
            "-w",
            str(self.warnings_file),
            str(self.srcdir),
            str(self.outdir),
        ]


@dataclass(frozen=True)
class BuildResult:
    spec: BuildSpec
    returncode: int
    warnings: str
    stderr: str
    seconds: float


def run_build(spec: BuildSpec, timeout: float = 900) -> BuildResult:
    start = time.monotonic()
    process = subprocess.run(
        spec.command(),
        cwd=spec.srcdir,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    warnings = ""
    if spec.warnings_file.exists():
        warnings = spec.warnings_file.read_text(encoding="utf-8", errors="replace")
    return BuildResult(spec, process.returncode, warnings, process.stderr, time.monotonic() - start)


def run_builds(specs: Sequence[BuildSpec], jobs: int | None = None) -> dict[str, BuildResult]:
    """Run the builds, ``jobs`` at a time (default: one per CPU, at least 2)."""
    workers = jobs or max(2, os.cpu_count() or 1)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(run_build, specs))
    return {result.spec.name: result for result in results}
