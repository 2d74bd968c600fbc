"""The pre-commit hook in .pre-commit-hooks.yaml, run as a project runs it.

``pre-commit try-repo`` installs the hook from this checkout into its own
environment and runs it on a small git project holding an API reference.
pre-commit passes only some files; the hook lints each as part of its whole
source tree, so an entry of ``parameters.yaml`` that a page not passed uses
is not "unused".  Needs pre-commit (``tox -e package`` installs it), git and
a git checkout of this repository; skipped, saying which is missing,
without them.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
HOOKS = REPO / ".pre-commit-hooks.yaml"

CONF = 'extensions = ["os_api_ref_ext"]\n'

INDEX = """\
===========
Gadgets API
===========

.. rest_expand_all::

.. include:: gadgets.inc
"""

SHOW = """\
.. -*- rst -*-

Show gadget
===========

.. rest_method:: GET /v1/gadgets/{gadget_id}

Shows one gadget.

Response codes
--------------

.. rest_status_code:: success status.yaml

   - 200

Request
-------

.. rest_parameters:: parameters.yaml

   - gadget_id: gadget_id
"""

RESPONSE = """
Response
--------

.. rest_parameters:: parameters.yaml

   - label: gadget_label
"""

PARAMETERS = """\
# path
gadget_id:
  description: The UUID of the gadget.
  in: path
  required: true
  type: string

# body
gadget_label:
  description: The label printed on the gadget.
  in: body
  required: true
  type: string
"""

STATUS = """\
200:
  default: Request was successful.
"""


def _hook() -> dict[str, object]:
    hooks = yaml.safe_load(HOOKS.read_text(encoding="utf-8"))
    assert [hook["id"] for hook in hooks] == ["os-api-ref-lint"]
    return hooks[0]


def test_the_hook_runs_the_linter_once_on_reference_sources() -> None:
    hook = _hook()
    assert (hook["entry"], hook["language"], hook["require_serial"]) == (
        "os-api-ref-lint",
        "python",
        True,
    )
    files = re.compile(str(hook["files"]))
    passed = [
        "api-ref/source/parameters.yaml",
        "api-ref/source/parameters.yml",
        "api-ref/source/status.yaml",
        "api-ref/source/index.rst",
        "api-ref/source/v2/volumes.inc",
        "api-ref/source/v2/samples/volume-show-response.json",
        "doc/api-ref/source/index.rst",
    ]
    left_out = [
        "doc/source/index.rst",
        ".zuul.yaml",
        "api-ref/source/conf.py",
        "releasenotes/notes/api-ref-fix.yaml",
        "my-api-ref/source/index.rst",
    ]
    assert [path for path in passed + left_out if files.search(path)] == passed


def _missing() -> str | None:
    if importlib.util.find_spec("pre_commit") is None:
        return "pre-commit is not installed (tox -e package installs it)"
    if shutil.which("git") is None:
        return "git is not on PATH"
    if not (REPO / ".git").exists():
        return "not a git checkout: pre-commit try-repo clones the repository"
    return None


needs_pre_commit = pytest.mark.skipif(_missing() is not None, reason=_missing() or "")


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One pre-commit cache for the module: the hook is installed once."""
    return tmp_path_factory.mktemp("pre-commit-home")


def _project(root: Path, show: str) -> Path:
    source = root / "api-ref" / "source"
    source.mkdir(parents=True)
    for name, text in {
        "conf.py": CONF,
        "index.rst": INDEX,
        "gadgets.inc": show,
        "parameters.yaml": PARAMETERS,
        "status.yaml": STATUS,
    }.items():
        (source / name).write_text(text, encoding="utf-8")
    for command in (["git", "init", "-q"], ["git", "add", "-A"]):
        subprocess.run(command, cwd=root, check=True)
    return root


def _try_repo(project: Path, home: Path, *files: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PRE_COMMIT")}
    env["PRE_COMMIT_HOME"] = str(home)
    command = [sys.executable, "-m", "pre_commit", "try-repo", str(REPO), "os-api-ref-lint"]
    command += ["--files", *files] if files else ["--all-files"]
    return subprocess.run(
        command, cwd=project, env=env, capture_output=True, text=True, timeout=900
    )


@needs_pre_commit
def test_a_tree_without_findings_passes(tmp_path: Path, pre_commit_home: Path) -> None:
    project = _project(tmp_path, SHOW + RESPONSE)
    # Only parameters.yaml is passed; the page that uses both its entries
    # is not, but it is part of the tree the hook lints.
    result = _try_repo(project, pre_commit_home, "api-ref/source/parameters.yaml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"^os-api-ref-lint\.+Passed$", result.stdout, re.MULTILINE), result.stdout


@needs_pre_commit
def test_a_finding_fails_the_hook(tmp_path: Path, pre_commit_home: Path) -> None:
    # The page no longer shows a response: 'gadget_label' is unused.
    project = _project(tmp_path, SHOW)
    result = _try_repo(project, pre_commit_home, "api-ref/source/parameters.yaml")
    assert result.returncode == 1, result.stdout + result.stderr
    assert re.search(r"^os-api-ref-lint\.+Failed$", result.stdout, re.MULTILINE), result.stdout
    assert "- exit code: 1\n" in result.stdout
    findings = [line for line in result.stdout.splitlines() if re.match(r"api-ref/\S+:\d+: ", line)]
    assert findings == [
        "api-ref/source/parameters.yaml:9: F011 entry 'gadget_label' is not used by any "
        "rest_parameters stanza"
    ]
    # Run on every file, the result is the same finding.
    every_file = _try_repo(project, pre_commit_home)
    assert every_file.returncode == 1, every_file.stdout + every_file.stderr
    assert [
        line for line in every_file.stdout.splitlines() if re.match(r"api-ref/\S+:\d+: ", line)
    ] == findings
