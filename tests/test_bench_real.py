"""The real-tree mode of ``benchmarks/run.py`` (``--real``), without building.

Argument parsing, reading ``conf.py``'s extensions list, the summary, ratio
and target computation on made-up samples, the rendering, and the one
measurement assumption the report relies on (``os.wait4`` counts the
workers of a ``-j N`` build).  No test here builds the corpus.
"""

from __future__ import annotations

import importlib.util
import sys
import textwrap
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def _load_runner() -> ModuleType:
    # run.py imports its sibling generate_tree, as when run as a script.
    saved = list(sys.path)
    sys.path.insert(0, str(BENCHMARKS))
    try:
        spec = importlib.util.spec_from_file_location("bench_runner", BENCHMARKS / "run.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
    finally:
        sys.path[:] = saved
    return module


run = _load_runner()

NOVA_CONF = textwrap.dedent(
    """\
    import os
    import sys

    extensions = [
        'openstackdocstheme',
        'os_api_ref',
    ]
    html_theme = 'openstackdocs'
    """
)


# -- arguments --------------------------------------------------------------


def test_real_alone_runs_both_trees_and_no_generated_tree() -> None:
    args = run.parse_args(["--real"])
    assert args.real == ["nova", "cinder"]
    assert args.operations == []
    assert (args.runs, args.warmup) == (5, 0)
    assert args.real_theme == "alabaster"
    assert args.corpus == run.REPO.parent / "shared" / "corpus"


def test_without_real_the_generated_trees_keep_their_defaults() -> None:
    args = run.parse_args([])
    assert args.real is None
    assert args.operations == [250, 2500]
    assert run.parse_args(["--quick"]).operations == [20]


def test_real_tree_subset_keeps_the_canonical_order() -> None:
    assert run.parse_args(["--real", "cinder"]).real == ["cinder"]
    assert run.parse_args(["--real", "cinder", "nova", "cinder"]).real == ["nova", "cinder"]


def test_real_with_explicit_operations_runs_both_modes() -> None:
    args = run.parse_args(["--real", "nova", "--operations", "30", "10"])
    assert args.real == ["nova"]
    assert args.operations == [10, 30]


def test_quick_real_is_one_run_without_warmup() -> None:
    args = run.parse_args(["--real", "--quick", "--runs", "7", "--warmup", "2"])
    assert (args.runs, args.warmup, args.operations) == (1, 0, [])
    assert run.parse_args(["--real", "--quick", "--operations", "30"]).operations == [20]


def test_real_combines_with_the_common_options(tmp_path: Path) -> None:
    args = run.parse_args(
        [
            "--real",
            "--impls",
            "stub_ext",
            "os_api_ref",
            "--runs",
            "3",
            "--warmup",
            "1",
            "--out",
            str(tmp_path),
            "--pythonpath",
            ".",
            "--real-theme",
            "tree",
            "--corpus",
            str(tmp_path / "corpus"),
        ]
    )
    assert args.impls == ["os_api_ref", "stub_ext"]
    assert (args.runs, args.warmup, args.out) == (3, 1, tmp_path)
    assert args.pythonpath == ["."]
    assert args.real_theme == "tree"
    assert args.corpus == tmp_path / "corpus"


@pytest.mark.parametrize(
    "argv",
    [
        ["--real", "glance"],
        ["--real", "--real-theme", "furo"],
        ["--real", "--runs", "0"],
        ["--real", "--warmup", "-1"],
    ],
)
def test_bad_real_arguments_are_usage_errors(argv: list[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        run.parse_args(argv)
    assert exc.value.code == 2


def test_run_order_rotates() -> None:
    items = ["a", "b", "c"]
    assert [run.run_order(items, r) for r in range(4)] == [
        ["a", "b", "c"],
        ["b", "c", "a"],
        ["c", "a", "b"],
        ["a", "b", "c"],
    ]
    assert run.run_order(["serial", "j2"], 1) == ["j2", "serial"]
    assert run.run_order([], 3) == []


# -- corpus -----------------------------------------------------------------


def test_missing_corpus_exits_2_with_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "no-corpus"
    assert run.main(["--real", "--corpus", str(missing), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert str(missing) in err
    assert "--corpus" in err
    assert not (tmp_path / "out").exists()


def test_check_corpus_wants_every_tree_conf(tmp_path: Path) -> None:
    source = tmp_path / "nova" / "api-ref" / "source"
    source.mkdir(parents=True)
    (source / "conf.py").write_text(NOVA_CONF)
    assert run.check_corpus(tmp_path, ["nova"]) is None
    problem = run.check_corpus(tmp_path, ["nova", "cinder"])
    assert problem is not None
    assert "cinder" in problem


def test_corpus_provenance_reads_the_readme_table() -> None:
    readme = textwrap.dedent(
        """\
        # Real api-ref trees

        | tree | upstream | commit | what is here |
        |---|---|---|---|
        | nova/ | openstack/nova | 00a0304 (2026-08-21) | `api-ref/` |
        | cinder/ | openstack/cinder | ab09bc3 (2026-08-21) | `api-ref/` |
        """
    )
    assert run.corpus_provenance(readme, "nova") == "openstack/nova 00a0304 (2026-08-21)"
    assert run.corpus_provenance(readme, "cinder") == "openstack/cinder ab09bc3 (2026-08-21)"
    assert run.corpus_provenance(readme, "glance") is None
    assert run.corpus_provenance("no table here", "nova") is None


# -- extensions -------------------------------------------------------------


def test_conf_extensions_reads_the_literal_list() -> None:
    assert run.conf_extensions(NOVA_CONF) == ["openstackdocstheme", "os_api_ref"]


@pytest.mark.parametrize(
    ("conf", "expected"),
    [
        ("extensions = ('a', 'os_api_ref')\n", ["a", "os_api_ref"]),
        ("extensions: list[str] = ['os_api_ref']\n", ["os_api_ref"]),
        ("extensions = ['x']\nextensions = ['os_api_ref', 'y']\n", ["os_api_ref", "y"]),
        ("project = 'p'\nextensions = []\n", []),
        ("def f():\n    extensions = ['z']\nextensions = ['os_api_ref']\n", ["os_api_ref"]),
    ],
)
def test_conf_extensions_forms(conf: str, expected: list[str]) -> None:
    assert run.conf_extensions(conf) == expected


@pytest.mark.parametrize(
    ("conf", "message"),
    [
        ("project = 'p'\n", "no extensions"),
        ("extensions = BASE + ['os_api_ref']\n", "not a literal"),
        ("extensions = [1, 2]\n", "not a list of strings"),
        ("extensions = 'os_api_ref'\n", "not a list of strings"),
        ("extensions = ['os_api_ref']\nextensions += ['b']\n", "modified"),
        ("extensions = ['os_api_ref']\nextensions.append('b')\n", "modified"),
    ],
)
def test_conf_extensions_refuses_what_it_cannot_read(conf: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        run.conf_extensions(conf)


def test_substitute_extension_keeps_the_position() -> None:
    exts = ["openstackdocstheme", "os_api_ref", "sphinx.ext.todo"]
    assert run.substitute_extension(exts, "stub_ext") == [
        "openstackdocstheme",
        "stub_ext",
        "sphinx.ext.todo",
    ]
    assert exts[1] == "os_api_ref"  # not modified in place
    with pytest.raises(ValueError, match="os_api_ref"):
        run.substitute_extension(["openstackdocstheme"], "stub_ext")


def test_real_overrides_per_theme() -> None:
    assert run.real_overrides("os_api_ref_ext", None) == [
        "-D",
        "extensions=os_api_ref_ext",
        "-D",
        "html_theme=alabaster",
    ]
    tree = run.conf_extensions(NOVA_CONF)
    assert run.real_overrides("stub_ext", tree) == [
        "-D",
        "extensions=openstackdocstheme,stub_ext",
    ]
    with pytest.raises(ValueError, match="comma"):
        run.real_overrides("stub_ext", ["os_api_ref", "a,b"])


def test_real_sphinx_cmd_modes(tmp_path: Path) -> None:
    overrides = run.real_overrides("stub_ext", None)
    serial = run.real_sphinx_cmd(tmp_path / "src", tmp_path / "html", tmp_path / "dt", "serial", [])
    j2 = run.real_sphinx_cmd(tmp_path / "src", tmp_path / "html", tmp_path / "dt", "j2", overrides)
    assert serial[:6] == [sys.executable, "-m", "sphinx", "-q", "-E", "-b"]
    assert "-j" not in serial
    assert j2[5:7] == ["-j", "2"]
    assert j2[-2:] == [str(tmp_path / "src"), str(tmp_path / "html")]
    assert j2[-6:-2] == overrides


def test_the_corpus_confs_can_be_read() -> None:
    corpus = run.DEFAULT_CORPUS
    if not corpus.is_dir():
        pytest.skip(f"no corpus at {corpus}")
    for tree in run.REAL_TREES:
        exts = run.conf_extensions((corpus / tree / "api-ref" / "source" / "conf.py").read_text())
        assert "os_api_ref" in exts
        assert run.substitute_extension(exts, "os_api_ref_ext").count("os_api_ref_ext") == 1


# -- summary and report -----------------------------------------------------


def _samples(walls: list[float], cpu: float, rss_mib: int, **extra: Any) -> list[dict[str, Any]]:
    return [
        {
            "run": i,
            "wall": w,
            "cpu": cpu,
            "rss_kb": rss_mib * 1024,
            "warnings": extra.get("warnings", 0),
            "rc": extra.get("rcs", [0] * len(walls))[i],
        }
        for i, w in enumerate(walls)
    ]


def _results() -> dict[str, Any]:
    return {
        "nova": {
            "serial": {
                "os_api_ref": _samples([20.0, 18.0, 19.0], 19.0, 400, warnings=2),
                "os_api_ref_ext": _samples([7.0, 6.0, 6.5], 6.4, 200),
                "stub_ext": _samples([4.0, 4.5, 5.0], 4.4, 100),
            },
            "j2": {
                "os_api_ref": _samples([14.0, 16.0, 15.0], 26.0, 420),
                "os_api_ref_ext": _samples([5.0, 99.0, 5.0], 8.0, 250, rcs=[0, 1, 0]),
                "stub_ext": _samples([3.0, 3.0, 3.0], 5.0, 110),
            },
        },
        "cinder": {
            "serial": {
                "os_api_ref": _samples([10.0], 10.0, 300),
                "os_api_ref_ext": _samples([5.0], 5.0, 150),
                "stub_ext": _samples([2.0], 2.0, 100),
            },
            "j2": {},
        },
    }


def test_summarize_real_medians_and_spread() -> None:
    summary = run.summarize_real(_results())
    med = summary["trees"]["nova"]["medians"]["serial"]
    assert med["os_api_ref"]["wall_s"] == 19.0
    assert med["os_api_ref"]["wall_spread_s"] == (18.0, 20.0)
    assert med["os_api_ref"]["cpu_s"] == 19.0
    assert med["os_api_ref"]["peak_rss_mib"] == 400
    assert med["os_api_ref"]["warnings"] == (2, 2)
    assert med["os_api_ref"]["runs"] == 3
    assert med["os_api_ref_ext"]["wall_s"] == 6.5


def test_summarize_real_keeps_failed_builds_out_of_the_medians() -> None:
    m = run.summarize_real(_results())["trees"]["nova"]["medians"]["j2"]["os_api_ref_ext"]
    assert m["wall_s"] == 5.0
    assert m["wall_spread_s"] == (5.0, 5.0)
    assert m["runs"] == 2
    assert m["failed_runs"] == [1]
    assert m["exit_codes"] == [0, 1]


def test_summarize_real_ratios() -> None:
    r = run.summarize_real(_results())["trees"]["nova"]["ratios"]
    wall = r["serial"]["wall_s"]
    assert wall["ours_vs_os_api_ref"] == pytest.approx(6.5 / 19.0)
    assert wall["floor_vs_os_api_ref"] == pytest.approx(4.5 / 19.0)
    assert wall["floor_position"] == pytest.approx((6.5 - 4.5) / (19.0 - 4.5))
    assert r["serial"]["cpu_s"]["ours_vs_os_api_ref"] == pytest.approx(6.4 / 19.0)
    rss = r["serial"]["peak_rss_mib"]
    assert rss["ours_vs_os_api_ref"] == pytest.approx(0.5)
    assert rss["floor_position"] == pytest.approx(1 / 3)
    assert r["j2"]["wall_s"]["ours_vs_os_api_ref"] == pytest.approx(5.0 / 15.0)


def test_summarize_real_targets() -> None:
    targets = run.summarize_real(_results())["targets"]
    by_name = {t["target"]: (t["value"], t["verdict"]) for t in targets}
    assert by_name == {
        "full build <= 0.40x os-api-ref (nova, serial)": ("0.34x", "PASS"),
        "full build <= 0.40x os-api-ref (cinder, serial)": ("0.50x", "FAIL"),
        "peak RSS <= 0.65x os-api-ref (nova, serial)": ("0.50x", "PASS"),
        "peak RSS <= 0.65x os-api-ref (cinder, serial)": ("0.50x", "PASS"),
    }


def test_summarize_real_without_the_baseline_is_na() -> None:
    results = _results()
    for modes in results.values():
        for impls in modes.values():
            impls.pop("os_api_ref", None)
    summary = run.summarize_real(results)
    wall = summary["trees"]["nova"]["ratios"]["serial"]["wall_s"]
    assert wall == {
        "ours_vs_os_api_ref": None,
        "floor_vs_os_api_ref": None,
        "floor_position": None,
        "ours_vs_os_api_ref_paired": None,
    }
    assert {t["verdict"] for t in summary["targets"]} == {"n/a"}


def test_paired_ratio_compares_builds_of_the_same_run() -> None:
    def sample(run_: int, wall: float, rc: int = 0) -> dict[str, Any]:
        return {"run": run_, "wall": wall, "cpu": wall, "rss_kb": 1024, "warnings": 0, "rc": rc}

    # The machine is twice as slow in runs 1 and 2: each run's ratio is 0.5,
    # while the medians (4.0 against 6.0... of mixed runs) say otherwise.
    base = [sample(0, 4.0), sample(1, 8.0), sample(2, 8.0)]
    ours = [sample(0, 2.0), sample(1, 4.0), sample(2, 4.0)]
    assert run.paired_ratio(ours, base, "wall_s") == 0.5
    # A failed build has no pair; a run without the baseline is skipped.
    ours.append(sample(3, 1.0))
    ours[0] = sample(0, 9.0, rc=1)
    assert run.paired_ratio(ours, base, "wall_s") == 0.5
    assert run.paired_ratio([], base, "wall_s") is None


def test_floor_position_edges() -> None:
    assert run.floor_position(3.0, 5.0, 1.0) == 0.5
    assert run.floor_position(1.0, 1.0, 1.0) is None
    assert run.floor_position(None, 5.0, 1.0) is None
    assert run.floor_position(7.0, 5.0, 1.0) == 1.5


def _meta(summary: dict[str, Any]) -> dict[str, Any]:
    versions = dict.fromkeys(run.VERSIONED_DISTS, "1.0")
    return {
        "machine": {
            "cpu": "Test CPU",
            "cores": 2,
            "cores_usable": 2,
            "memory": "1024 MiB",
            "python": "CPython 3.x",
            "python_executable": "/usr/bin/python3",
            "versions": versions,
        },
        "repo_commit": "abc1234",
        "theme": "alabaster",
        "runs": 3,
        "warmup": 1,
        "loadavg_start": (0.5, 0.25, 0.125),
        "loadavg_end": (1.5, 1.0, 0.75),
        "skipped": {},
        "trees": {
            "nova": {
                "provenance": "openstack/nova 00a0304 (2026-08-21)",
                "cwd": "/out/real/nova/work/IMPL/MODE",
                "pythonpath": "/repo/benchmarks",
                "commands": {"serial": {"os_api_ref": "python -m sphinx -q -E NOVA-SERIAL"}},
            }
        },
    }


def test_render_real_markdown() -> None:
    summary = run.summarize_real(_results())
    text = run.render_real(summary, _meta(summary), markdown=True)
    assert "## Machine" in text
    assert "- Load average at start: 0.50, 0.25, 0.12; at end: 1.50, 1.00, 0.75" in text
    assert "- Runs per implementation and mode: 3 (+1 warm-up)" in text
    lines = text.splitlines()
    assert (
        "## nova: api-ref/source, openstack/nova 00a0304 (2026-08-21) (medians of 3 runs)" in lines
    )
    assert (
        "| os_api_ref | serial | 19.00 s | 18.00-20.00 s | 19.00 s | 400 MiB | 3 | 2 | 0 |"
    ) in lines
    assert (
        "| os_api_ref_ext | -j 2 | 5.00 s | 5.00-5.00 s | 8.00 s | 250 MiB | 2 | 0 | 0,1 |"
    ) in lines
    assert "| wall time | serial | 0.34x | 0.34x | 0.24x | 0.14x |" in text
    assert "| peak RSS | -j 2 |" in text
    assert "- FAILURE os_api_ref_ext (-j 2): non-zero exit in run(s) [1]" in text
    assert "```\nos_api_ref serial: python -m sphinx -q -E NOVA-SERIAL\n```" in text
    # cinder ran no -j 2 build: its rows say so, and its ratios are left out.
    assert "| os_api_ref | -j 2 | not run |" in text
    assert "| full build <= 0.40x os-api-ref (cinder, serial) | 0.50x | FAIL |" in text
    assert "| peak RSS <= 0.65x os-api-ref (nova, serial) | 0.50x | PASS |" in text


def test_render_real_text_is_aligned() -> None:
    summary = run.summarize_real(_results())
    text = run.render_real(summary, _meta(summary), markdown=False)
    assert "|" not in text.split("Commands")[0]
    lines = text.splitlines()
    header = next(i for i, ln in enumerate(lines) if ln.startswith("implementation  mode"))
    # Every cell of the table starts in the header's columns.
    col = lines[header].index("wall min-max")
    assert lines[header + 2][col:].startswith("18.00-20.00 s")
    assert "  os_api_ref serial: python -m sphinx -q -E NOVA-SERIAL" in lines
    assert any(ln.startswith("full build <= 0.40x os-api-ref (nova, serial)") for ln in lines)


# -- measurement ------------------------------------------------------------

FORKING_CHILD = textwrap.dedent(
    """\
    import multiprocessing
    import time

    def work():
        block = bytearray(96 * 1024 * 1024)
        for i in range(0, len(block), 4096):
            block[i] = 1
        while time.process_time() < 0.3:
            pass

    if __name__ == "__main__":
        proc = multiprocessing.get_context("fork").Process(target=work)
        proc.start()
        proc.join()
    """
)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux wait4 semantics")
def test_run_child_counts_the_workers_it_joins(tmp_path: Path) -> None:
    """``sphinx -j 2`` forks and joins its workers: wait4 must see them."""
    child = run.run_child(
        [sys.executable, "-c", FORKING_CHILD], dict(run.os.environ), tmp_path, tmp_path / "log"
    )
    assert child.rc == 0, child.stderr
    assert child.maxrss_kb >= 90 * 1024
    assert child.cpu >= 0.3


def test_real_modes_option() -> None:
    assert run.parse_args(["--real"]).real_modes == ["serial", "j2"]
    assert run.parse_args(["--real", "--real-modes", "serial"]).real_modes == ["serial"]
    with pytest.raises(SystemExit):
        run.parse_args(["--real", "--real-modes", "j4"])
