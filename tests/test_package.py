"""The package as users get it (``tox -e package``).

The sdist and the wheel are built with ``python -m build`` (which builds
the wheel from the sdist) and checked with ``twine check --strict``; the
wheel is installed into a fresh virtual environment, whose
``os-api-ref-lint`` and ``sphinx-build`` then lint and build this
repository's reference from the unpacked sdist, and whose ``pytest`` runs
tests from it.  Needs build and twine (skipped, saying so, without them);
the comparison of the sdist with the files git tracks needs a git
checkout.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from dataclasses import dataclass
from email.parser import HeaderParser
from pathlib import Path

import pytest

from os_api_ref_ext import __version__

REPO = Path(__file__).resolve().parents[1]
NAME = f"os_api_ref_ext-{__version__}"

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("build") is None or importlib.util.find_spec("twine") is None,
    reason="build and twine are not installed (tox -e package installs them)",
)

# What setuptools adds to an sdist beside the files of the checkout.
SDIST_METADATA = {
    "PKG-INFO",
    "setup.cfg",
    "os_api_ref_ext.egg-info/PKG-INFO",
    "os_api_ref_ext.egg-info/SOURCES.txt",
    "os_api_ref_ext.egg-info/dependency_links.txt",
    "os_api_ref_ext.egg-info/entry_points.txt",
    "os_api_ref_ext.egg-info/requires.txt",
    "os_api_ref_ext.egg-info/top_level.txt",
}
WHEEL_METADATA = {
    f"{NAME}.dist-info/{name}"
    for name in ("METADATA", "WHEEL", "entry_points.txt", "top_level.txt", "RECORD")
}
# Run from the unpacked sdist: every test module is collected (each imports
# and finds its data), and these run: the rule catalogue (docs/rules.rst),
# the directives (a test root) and two rules' fixtures through the CLI and
# a build.  test_the_sdist_holds_every_file_of_the_checkout shows that
# nothing is missing, so running the rest would only repeat tox -e py3.
SDIST_TESTS = [
    "tests/test_lint_catalogue.py",
    "tests/test_directives.py",
    "tests/test_lint_rules.py",
    "-k",
    "not test_lint_rules or F011 or S001",
]


@dataclass(frozen=True)
class Dists:
    sdist: Path
    wheel: Path


def _run(command: list[str], **options: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, timeout=900, **options)  # type: ignore[call-overload]


@pytest.fixture(scope="module")
def dists(tmp_path_factory: pytest.TempPathFactory) -> Dists:
    out = tmp_path_factory.mktemp("dist")
    result = _run([sys.executable, "-m", "build", "--outdir", str(out), str(REPO)])
    assert result.returncode == 0, result.stdout + result.stderr
    assert sorted(path.name for path in out.iterdir()) == [
        f"{NAME}-py3-none-any.whl",
        f"{NAME}.tar.gz",
    ]
    return Dists(sdist=out / f"{NAME}.tar.gz", wheel=out / f"{NAME}-py3-none-any.whl")


@pytest.fixture(scope="module")
def unpacked(dists: Dists, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sdist unpacked, as a user or a distribution gets it."""
    root = tmp_path_factory.mktemp("sdist")
    with tarfile.open(dists.sdist) as archive:
        archive.extractall(root, filter="data")
    return root / NAME


@pytest.fixture(scope="module")
def venv(dists: Dists, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the wheel and its test extras."""
    home = tmp_path_factory.mktemp("venv") / "venv"
    result = _run([sys.executable, "-m", "venv", str(home)])
    assert result.returncode == 0, result.stderr
    result = _run([str(home / "bin" / "python"), "-m", "pip", "install", f"{dists.wheel}[test]"])
    assert result.returncode == 0, result.stdout + result.stderr
    return home


def _venv_env(venv: Path) -> dict[str, str]:
    """The environment of a shell with ``venv`` activated (and nothing of tox's)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME"}
    }
    env["VIRTUAL_ENV"] = str(venv)
    env["PATH"] = os.pathsep.join([str(venv / "bin"), env.get("PATH", "")])
    return env


def test_twine_check_passes(dists: Dists) -> None:
    result = _run(
        [sys.executable, "-m", "twine", "check", "--strict", str(dists.sdist), str(dists.wheel)]
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("PASSED") == 2, result.stdout


def test_the_wheel_holds_the_package_and_its_metadata(dists: Dists) -> None:
    with zipfile.ZipFile(dists.wheel) as wheel:
        names = set(wheel.namelist())
        metadata = HeaderParser().parsestr(wheel.read(f"{NAME}.dist-info/METADATA").decode())
        entry_points = wheel.read(f"{NAME}.dist-info/entry_points.txt").decode()
    package = {name for name in names if name.startswith("os_api_ref_ext/")}
    assert names == package | WHEEL_METADATA
    sources = {
        path.relative_to(REPO).as_posix()
        for path in (REPO / "os_api_ref_ext").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    assert package == sources
    assert {"os_api_ref_ext/py.typed", "os_api_ref_ext/static/os-api-ref-ext.js"} <= package
    assert (metadata["Name"], metadata["Version"]) == ("os-api-ref-ext", __version__)
    assert metadata["Requires-Python"] == ">=3.10"
    assert "os-api-ref-lint = os_api_ref_ext.lint.cli:main" in entry_points


def test_the_sdist_holds_every_file_of_the_checkout(dists: Dists) -> None:
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("not a git checkout: nothing to compare the sdist with")
    tracked = _run(["git", "ls-files", "-z"], cwd=REPO)
    assert tracked.returncode == 0, tracked.stderr
    files = {name for name in tracked.stdout.split("\0") if name} - {".gitignore"}
    with tarfile.open(dists.sdist) as archive:
        members = {
            member.name.removeprefix(f"{NAME}/")
            for member in archive.getmembers()
            if member.isfile()
        }
    assert members == files | SDIST_METADATA


def test_the_installed_cli_lints_the_reference(venv: Path, unpacked: Path) -> None:
    env = _venv_env(venv)
    where = _run(
        [
            str(venv / "bin" / "python"),
            "-c",
            "import os_api_ref_ext; print(os_api_ref_ext.__file__)",
        ],
        cwd=venv,
        env=env,
    )
    assert Path(where.stdout.strip()).is_relative_to(venv), where.stdout + where.stderr
    result = _run([str(venv / "bin" / "os-api-ref-lint"), "api-ref/source"], cwd=unpacked, env=env)
    assert (result.returncode, result.stdout) == (0, ""), result.stdout + result.stderr
    rules = _run([str(venv / "bin" / "os-api-ref-lint"), "--list-rules"], cwd=unpacked, env=env)
    assert rules.returncode == 0, rules.stderr
    assert rules.stdout.splitlines()[0].startswith("C001 ")


def test_the_installed_extension_builds_the_reference(
    venv: Path, unpacked: Path, tmp_path: Path
) -> None:
    out = tmp_path / "html"
    result = _run(
        [str(venv / "bin" / "sphinx-build"), "-W", "--keep-going", "-q", "-b", "html"]
        + ["api-ref/source", str(out)],
        cwd=unpacked,
        env=_venv_env(venv),
    )
    assert (result.returncode, result.stderr) == (0, ""), result.stdout + result.stderr
    page = (out / "v2" / "index.html").read_text(encoding="utf-8")
    assert page.count("<details") == 8  # the operations of volumes-v2-snapshots.inc
    assert (out / "_static" / "os-api-ref-ext.js").is_file()
    assert (out / "_static" / "os-api-ref-ext.css").is_file()


def test_tests_run_from_the_unpacked_sdist(venv: Path, unpacked: Path) -> None:
    collected = _run(
        [str(venv / "bin" / "pytest"), "-q", "-p", "no:cacheprovider", "--collect-only"],
        cwd=unpacked,
        env=_venv_env(venv),
    )
    assert collected.returncode == 0, collected.stdout[-5000:] + collected.stderr[-2000:]
    assert " error" not in collected.stdout.strip().splitlines()[-1], collected.stdout[-5000:]
    result = _run(
        [str(venv / "bin" / "pytest"), "-q", "-p", "no:cacheprovider", *SDIST_TESTS],
        cwd=unpacked,
        env=_venv_env(venv),
    )
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]
    summary = result.stdout.strip().splitlines()[-1]
    assert " passed" in summary and "failed" not in summary and "error" not in summary, summary
