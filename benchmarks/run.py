"""Benchmark os_api_ref_ext against os_api_ref and a do-nothing floor.

Usage::

    python benchmarks/run.py [--operations 250 2500] [--runs 5]
                             [--out benchmarks/out] [--quick]

For every tree size the runner generates an api-ref tree (see
``generate_tree.py``) and, for every implementation in ``os_api_ref``,
``os_api_ref_ext`` and ``stub_ext`` (the floor, see ``stub_ext.py``),
alternating the implementations run by run, measures in fresh
``python -m sphinx -q -b html -d DOCTREES SRC OUT`` subprocesses:

a. the full HTML build from empty output and doctree directories;
b. the rebuild after touching one ``.inc`` file;
c. the rebuild after changing one description in ``parameters.yaml``, and
   whether the HTML then shows the new text (os-api-ref does not track the
   YAML file, so it reports "no rebuild / stale");
d. ``os-api-ref-lint SRC`` (console script of os_api_ref_ext) against our
   full build;
e. the peak RSS of the full-build child (``os.wait4`` resource usage).

It prints medians, ratios and PASS/FAIL against the project's targets and
writes ``results.json`` and ``results.md`` into ``--out``.  The targets are
reported, never asserted: the exit status is 0 unless the runner itself
breaks.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import generate_tree

HERE = Path(__file__).resolve().parent
IMPLS = ("os_api_ref", "os_api_ref_ext", "stub_ext")
BASE = "os_api_ref"
OURS = "os_api_ref_ext"
FLOOR = "stub_ext"
LINT_SCRIPT = "os-api-ref-lint"

# Targets (reported, not asserted).
TARGET_FULL_RATIO = 0.5  # ours / os-api-ref full build at N=250
TARGET_SCALE = 1.1  # ours full(N_big)/full(N_small) <= 1.1 * N_big/N_small
TARGET_LINT_RATIO = 0.1  # lint / our full build
TARGET_RSS_RATIO = 1.0  # ours / os-api-ref peak RSS


@dataclass
class Child:
    """Outcome of one child process."""

    wall: float
    maxrss_kb: int
    rc: int
    stderr: str


@dataclass
class ImplSamples:
    """Raw measurements of one implementation on one tree."""

    full: list[float] = field(default_factory=list)
    touch: list[float] = field(default_factory=list)
    yaml_edit: list[float] = field(default_factory=list)
    yaml_fresh: list[bool] = field(default_factory=list)
    rss_kb: list[int] = field(default_factory=list)
    warnings: list[int] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def run_child(cmd: list[str], env: dict[str, str], cwd: Path, logfile: Path) -> Child:
    """Run ``cmd``; return wall time, peak RSS (KiB), exit code, stderr."""
    with open(logfile, "wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(
            cmd,
            env=env,
            cwd=cwd,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    rc = os.waitstatus_to_exitcode(status)
    proc.returncode = rc  # already reaped: keep Popen from waiting again
    text = logfile.read_text(errors="replace")
    return Child(wall, usage.ru_maxrss, rc, text)


def child_env(extension: str | None, extra_path: list[str]) -> dict[str, str]:
    env = dict(os.environ)
    paths = [str(HERE), *extra_path]
    if env.get("PYTHONPATH"):
        paths.append(env["PYTHONPATH"])
    env["PYTHONPATH"] = os.pathsep.join(paths)
    if extension is not None:
        env["BENCH_EXTENSION"] = extension
    env.setdefault("PYTHONHASHSEED", "0")
    return env


def check_impl(name: str, extra_path: list[str], cwd: Path) -> str | None:
    """Return None if extension ``name`` imports in a child, else why not."""
    code = (
        f"import importlib; m = importlib.import_module({name!r}); "
        "assert callable(getattr(m, 'setup', None)), 'no setup()'"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        env=child_env(None, extra_path),
        cwd=cwd,
        capture_output=True,
        text=True,
    )
    if proc.returncode == 0:
        return None
    lines = [ln for ln in proc.stderr.strip().splitlines() if ln.strip()]
    return lines[-1] if lines else f"exit code {proc.returncode}"


def find_lint() -> str | None:
    beside = Path(sys.executable).parent / LINT_SCRIPT
    if beside.exists():
        return str(beside)
    return shutil.which(LINT_SCRIPT)


def sphinx_cmd(src: Path, out: Path, doctrees: Path) -> list[str]:
    # ``python -m sphinx`` is sphinx-build, run by this very interpreter.
    return [
        sys.executable,
        "-m",
        "sphinx",
        "-q",
        "-b",
        "html",
        "-d",
        str(doctrees),
        str(src),
        str(out),
    ]


def count_warnings(text: str) -> int:
    return sum(1 for ln in text.splitlines() if "WARNING" in ln or "ERROR" in ln)


def edit_description(text: str, key: str, marker: str) -> str:
    """Insert ``marker`` as the first line of ``key``'s description."""
    lines = text.split("\n")
    start = lines.index(f"{key}:")
    for i in range(start + 1, len(lines)):
        if lines[i].startswith("  description:"):
            lines.insert(i + 1, f"    {marker} is the edited text.")
            return "\n".join(lines)
        if lines[i] and not lines[i].startswith(" "):
            break
    raise ValueError(f"no description for {key}")


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def machine_info(lint: str | None) -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = f"{int(line.split()[1]) // 1024} MiB"
    except OSError:
        pass
    versions = {}
    for dist in (
        "sphinx",
        "docutils",
        "pygments",
        "alabaster",
        "PyYAML",
        "os-api-ref",
        "os-api-ref-ext",
    ):
        try:
            versions[dist] = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            versions[dist] = "not installed"
    try:
        cores_usable = len(os.sched_getaffinity(0))
    except AttributeError:
        cores_usable = os.cpu_count()
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "cores_usable": cores_usable,
        "memory": mem,
        "platform": platform.platform(),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "python_executable": sys.executable,
        "versions": versions,
        "lint_script": lint,
        "loadavg_at_start": os.getloadavg(),
    }


class Bench:
    """Runs every measurement and keeps the raw samples."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.out: Path = args.out.resolve()
        self.extra_path = [str(Path(p).resolve()) for p in args.pythonpath]
        self.impls: list[str] = []
        self.skipped: dict[str, str] = {}
        self.lint = find_lint()
        self.results: dict[int, dict[str, Any]] = {}
        self.trees: dict[int, dict[str, Any]] = {}

    def prepare(self) -> None:
        self.out.mkdir(parents=True, exist_ok=True)
        for name in self.args.impls:
            why = check_impl(name, self.extra_path, self.out)
            if why is None:
                self.impls.append(name)
            else:
                self.skipped[name] = why
                log(f"skipping {name}: cannot be imported ({why})")
        if self.lint is None:
            log(f"{LINT_SCRIPT} not found: lint reported as n/a")

    def generate(self, n: int) -> Path:
        src = self.out / "trees" / f"n{n}"
        t0 = time.perf_counter()
        info = generate_tree.generate(n, src, self.args.seed)
        info["generate_seconds"] = round(time.perf_counter() - t0, 3)
        self.trees[n] = info
        log(
            f"tree N={n}: {info['operations']} operations, "
            f"{info['parameters']} parameters, {info['samples']} samples "
            f"({info['generate_seconds']} s) in {src}"
        )
        return src

    def one_impl(
        self, n: int, src: Path, impl: str, run: int, samples: ImplSamples, record: bool
    ) -> None:
        work = self.out / "work" / f"n{n}" / impl
        html, doctrees, logs = work / "html", work / "doctrees", work / "logs"
        for d in (html, doctrees):
            shutil.rmtree(d, ignore_errors=True)
        logs.mkdir(parents=True, exist_ok=True)
        env = child_env(impl, self.extra_path)
        cmd = sphinx_cmd(src, html, doctrees)
        tag = f"N={n} run {run} {impl}"

        full = run_child(cmd, env, work, logs / f"run{run}-full.log")
        if full.rc != 0:
            msg = f"{tag}: full build failed (rc={full.rc})"
            log(msg + "\n" + "\n".join(full.stderr.splitlines()[-15:]))
            if record:
                samples.failures.append(msg)
            return
        warns = count_warnings(full.stderr)
        log(
            f"{tag}: full {full.wall:.2f} s, peak RSS "
            f"{full.maxrss_kb / 1024:.0f} MiB, {warns} warnings"
        )

        inc = src / self.trees[n]["inc_files"][len(self.trees[n]["inc_files"]) // 2]
        os.utime(inc, None)
        touch = run_child(cmd, env, work, logs / f"run{run}-touch.log")
        log(f"{tag}: touch .inc rebuild {touch.wall:.2f} s (rc={touch.rc})")

        params = src / "parameters.yaml"
        original = params.read_text()
        marker = f"benchedit{n}x{run}x{impl.replace('_', '')}"
        try:
            params.write_text(edit_description(original, self.trees[n]["edit_key"], marker))
            edit = run_child(cmd, env, work, logs / f"run{run}-yaml.log")
        finally:
            params.write_text(original)
        page = html / "index.html"
        fresh = page.exists() and marker in page.read_text(errors="replace")
        log(
            f"{tag}: yaml edit rebuild {edit.wall:.2f} s (rc={edit.rc}), "
            f"new text {'shown' if fresh else 'NOT shown (stale)'}"
        )
        if not record:
            return
        samples.full.append(full.wall)
        samples.rss_kb.append(full.maxrss_kb)
        samples.warnings.append(warns)
        if touch.rc == 0:
            samples.touch.append(touch.wall)
        else:
            samples.failures.append(f"{tag}: touch rebuild rc={touch.rc}")
        if edit.rc == 0:
            samples.yaml_edit.append(edit.wall)
            samples.yaml_fresh.append(fresh)
        else:
            samples.failures.append(f"{tag}: yaml rebuild rc={edit.rc}")

    def run_lint(self, n: int, src: Path, run: int, lint: dict[str, Any], record: bool) -> None:
        if self.lint is None:
            return
        logs = self.out / "work" / f"n{n}" / "lint"
        logs.mkdir(parents=True, exist_ok=True)
        res = run_child(
            [self.lint, str(src)],
            child_env(None, self.extra_path),
            logs,
            logs / f"run{run}.log",
        )
        lines = res.stderr.splitlines()
        # A non-zero exit may just mean "problems found"; a traceback or a
        # signal means the linter itself broke, and its time means nothing.
        crashed = res.rc < 0 or "Traceback (most recent call last)" in res.stderr
        log(
            f"N={n} run {run} lint: {res.wall:.2f} s (rc={res.rc}, "
            f"{len(lines)} output lines{', CRASHED' if crashed else ''})"
        )
        if crashed:
            lint["crash"] = lines[-1] if lines else f"rc={res.rc}"
        if record:
            if not crashed:
                lint["wall"].append(res.wall)
            lint["rc"].append(res.rc)
            lint["output_lines"].append(len(lines))

    def bench_tree(self, n: int) -> None:
        src = self.generate(n)
        per_impl = {impl: ImplSamples() for impl in self.impls}
        lint: dict[str, Any] = {"wall": [], "rc": [], "output_lines": []}
        total = self.args.warmup + self.args.runs
        for r in range(total):
            record = r >= self.args.warmup
            run = r - self.args.warmup
            # Rotate the order so no implementation always goes first.
            k = r % len(self.impls) if self.impls else 0
            order = self.impls[k:] + self.impls[:k]
            for impl in order:
                self.one_impl(n, src, impl, run, per_impl[impl], record)
            self.run_lint(n, src, run, lint, record)
        self.results[n] = {
            "impls": {k: asdict(v) for k, v in per_impl.items()},
            "lint": lint if self.lint else None,
        }


# -- reporting ------------------------------------------------------------


def fmt_s(v: float | None) -> str:
    return "n/a" if v is None else f"{v:.2f} s"


def fmt_ratio(v: float | None) -> str:
    return "n/a" if v is None else f"{v:.2f}x"


def ratio(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or b == 0:
        return None
    return a / b


def summarize(bench: Bench) -> dict[str, Any]:
    """Medians, ratios and target verdicts from the raw samples."""
    summary: dict[str, Any] = {"trees": {}, "targets": []}
    for n, res in bench.results.items():
        med: dict[str, dict[str, Any]] = {}
        for impl, s in res["impls"].items():
            fresh = s["yaml_fresh"]
            med[impl] = {
                "full_s": median(s["full"]),
                "touch_s": median(s["touch"]),
                "yaml_edit_s": median(s["yaml_edit"]),
                "yaml_fresh": (
                    None
                    if not fresh
                    else "yes"
                    if all(fresh)
                    else "no"
                    if not any(fresh)
                    else "sometimes"
                ),
                "peak_rss_mib": (
                    None if not s["rss_kb"] else statistics.median(s["rss_kb"]) / 1024
                ),
                "runs": len(s["full"]),
                "warnings_max": max(s["warnings"], default=None),
                "failures": s["failures"],
            }
        base, ours, floor = med.get(BASE), med.get(OURS), med.get(FLOOR)
        ratios: dict[str, Any] = {}

        def get(m: dict[str, Any] | None, key: str) -> float | None:
            return None if m is None else m.get(key)

        for key in ("full_s", "touch_s", "peak_rss_mib"):
            ratios[f"{key}_ours_vs_os_api_ref"] = ratio(get(ours, key), get(base, key))
            fb, fo, ff = get(base, key), get(ours, key), get(floor, key)
            if key != "peak_rss_mib" and None not in (fb, fo, ff) and fb != ff:
                ratios[f"{key}_floor_position"] = (fo - ff) / (fb - ff)
            else:
                ratios[f"{key}_floor_position"] = None
            ratios[f"{key}_floor_vs_os_api_ref"] = ratio(get(floor, key), get(base, key))
        if base is not None and base["yaml_fresh"] == "no":
            ratios["yaml_edit"] = "os-api-ref: no rebuild / stale"
        else:
            ratios["yaml_edit"] = fmt_ratio(
                ratio(get(ours, "yaml_edit_s"), get(base, "yaml_edit_s"))
            )
        lint = res["lint"]
        lint_med = median(lint["wall"]) if lint else None
        ratios["lint_vs_ours_full"] = ratio(lint_med, get(ours, "full_s"))
        summary["trees"][n] = {
            "tree": bench.trees.get(n),
            "medians": med,
            "lint_s": lint_med,
            "lint_rc": lint["rc"] if lint else None,
            "lint_crash": lint.get("crash") if lint else None,
            "ratios": ratios,
        }

    sizes = sorted(summary["trees"])
    scale: dict[str, Any] = {}
    if len(sizes) >= 2:
        small, big = (250, 2500) if {250, 2500} <= set(sizes) else (sizes[0], sizes[-1])
        for impl in (BASE, OURS, FLOOR):
            a = summary["trees"][small]["medians"].get(impl, {}).get("full_s")
            b = summary["trees"][big]["medians"].get(impl, {}).get("full_s")
            scale[impl] = ratio(b, a)
        scale["small"], scale["big"] = small, big
    summary["scale"] = scale

    # Targets.
    targets = summary["targets"]

    def verdict(value: float | None, limit: float) -> str:
        if value is None:
            return "n/a"
        return "PASS" if value <= limit else "FAIL"

    ref_n = 250 if 250 in summary["trees"] else (sizes[0] if sizes else None)
    full_r = (
        None if ref_n is None else summary["trees"][ref_n]["ratios"]["full_s_ours_vs_os_api_ref"]
    )
    targets.append(
        {
            "target": f"full build <= {TARGET_FULL_RATIO}x os-api-ref (N={ref_n})",
            "value": fmt_ratio(full_r),
            "verdict": verdict(full_r, TARGET_FULL_RATIO),
        }
    )
    if scale:
        limit = TARGET_SCALE * scale["big"] / scale["small"]
        targets.append(
            {
                "target": f"our full build N={scale['big']} <= {limit:g}x N={scale['small']}",
                "value": fmt_ratio(scale.get(OURS)),
                "verdict": verdict(scale.get(OURS), limit),
            }
        )
    else:
        targets.append(
            {
                "target": "our full build N=2500 <= 11x N=250",
                "value": "n/a (needs two tree sizes)",
                "verdict": "n/a",
            }
        )
    for n in sizes:
        lr = summary["trees"][n]["ratios"]["lint_vs_ours_full"]
        targets.append(
            {
                "target": f"lint <= {TARGET_LINT_RATIO}x our full build (N={n})",
                "value": fmt_ratio(lr),
                "verdict": verdict(lr, TARGET_LINT_RATIO),
            }
        )
    for n in sizes:
        rr = summary["trees"][n]["ratios"]["peak_rss_mib_ours_vs_os_api_ref"]
        targets.append(
            {
                "target": f"peak RSS <= {TARGET_RSS_RATIO}x os-api-ref (N={n})",
                "value": fmt_ratio(rr),
                "verdict": verdict(rr, TARGET_RSS_RATIO),
            }
        )
    return summary


def table(headers: list[str], rows: list[list[str]], markdown: bool) -> str:
    if markdown:
        out = [
            "| " + " | ".join(headers) + " |",
            "|" + "|".join("---" for _ in headers) + "|",
        ]
        out += ["| " + " | ".join(r) + " |" for r in rows]
        return "\n".join(out)
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)
    ]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
    out = [line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(out)


def render(bench: Bench, summary: dict[str, Any], info: dict[str, Any], markdown: bool) -> str:
    h = "## " if markdown else ""
    out: list[str] = []
    out.append(f"{h}Machine")
    out.append("")
    v = info["versions"]
    machine = [
        f"CPU: {info['cpu']} ({info['cores']} cores, "
        f"{info['cores_usable']} usable), memory {info['memory']}",
        f"Python: {info['python']} ({info['python_executable']})",
        f"Sphinx {v['sphinx']}, docutils {v['docutils']}, Pygments "
        f"{v['pygments']}, alabaster {v['alabaster']}, PyYAML {v['PyYAML']}",
        f"os-api-ref {v['os-api-ref']}, os-api-ref-ext {v['os-api-ref-ext']}, "
        f"lint script: {info['lint_script'] or 'not found'}",
        f"Runs per implementation: {bench.args.runs} (+{bench.args.warmup} "
        f"warm-up), seed {bench.args.seed}; load average at start: "
        + ", ".join(f"{x:.2f}" for x in info["loadavg_at_start"]),
    ]
    out += [f"- {m}" for m in machine] if markdown else machine
    for name, why in bench.skipped.items():
        out.append(f"{'- ' if markdown else ''}SKIPPED {name}: cannot be imported ({why})")
    out.append("")
    for n, tree in summary["trees"].items():
        t = tree["tree"] or {}
        out.append(
            f"{h}N={n}: {t.get('operations')} operations, "
            f"{t.get('parameters')} parameters, {t.get('samples')} "
            "samples (medians)"
        )
        out.append("")
        rows = []
        for impl in IMPLS:
            m = tree["medians"].get(impl)
            if m is None:
                why = "skipped" if impl in bench.skipped else "not run (--impls)"
                rows.append([impl, why, "", "", "", "", ""])
                continue
            fresh = m["yaml_fresh"]
            if fresh == "yes":
                yaml_cell = fmt_s(m["yaml_edit_s"])
            elif fresh is None:
                yaml_cell = "n/a"
            elif impl == FLOOR:
                yaml_cell = "not rendered"
            else:
                yaml_cell = f"no rebuild / stale ({fmt_s(m['yaml_edit_s'])})"
            rss = m["peak_rss_mib"]
            rows.append(
                [
                    impl,
                    fmt_s(m["full_s"]),
                    fmt_s(m["touch_s"]),
                    yaml_cell,
                    "n/a" if rss is None else f"{rss:.0f} MiB",
                    str(m["runs"]),
                    "n/a" if m["warnings_max"] is None else str(m["warnings_max"]),
                ]
            )
        if not bench.lint:
            lint_cell = "n/a (not installed)"
        elif tree["lint_s"] is None:
            lint_cell = "n/a (crashed)"
        else:
            lint_cell = fmt_s(tree["lint_s"])
            if any(tree["lint_rc"]):
                lint_cell += f" (exit codes {sorted(set(tree['lint_rc']))})"
        rows.append([LINT_SCRIPT, lint_cell, "", "", "", "", ""])
        out.append(
            table(
                [
                    "implementation",
                    "full build",
                    "touch .inc",
                    "edit parameters.yaml",
                    "peak RSS",
                    "runs",
                    "warnings",
                ],
                rows,
                markdown,
            )
        )
        out.append("")
        r = tree["ratios"]
        rrows = [
            [
                "full build",
                fmt_ratio(r["full_s_ours_vs_os_api_ref"]),
                fmt_ratio(r["full_s_floor_vs_os_api_ref"]),
                fmt_ratio(r["full_s_floor_position"]),
            ],
            [
                "touch .inc rebuild",
                fmt_ratio(r["touch_s_ours_vs_os_api_ref"]),
                fmt_ratio(r["touch_s_floor_vs_os_api_ref"]),
                fmt_ratio(r["touch_s_floor_position"]),
            ],
            ["edit parameters.yaml", r["yaml_edit"], "", ""],
            [
                "peak RSS",
                fmt_ratio(r["peak_rss_mib_ours_vs_os_api_ref"]),
                fmt_ratio(r["peak_rss_mib_floor_vs_os_api_ref"]),
                "",
            ],
            ["lint vs our full build", fmt_ratio(r["lint_vs_ours_full"]), "", ""],
        ]
        out.append(
            table(
                [
                    "metric",
                    "ours / os-api-ref",
                    "floor / os-api-ref",
                    "(ours-floor)/(os-api-ref-floor)",
                ],
                rrows,
                markdown,
            )
        )
        out.append("")
        bullet = "- " if markdown else ""
        notes = []
        if tree["lint_crash"]:
            notes.append(f"{bullet}{LINT_SCRIPT} crashed: {tree['lint_crash']}")
        for impl, m in tree["medians"].items():
            notes += [f"{bullet}FAILURE {impl}: {f}" for f in m["failures"]]
        if notes:
            out += [*notes, ""]
    scale = summary["scale"]
    if scale:
        out.append(f"{h}Scaling: full build N={scale['big']} / N={scale['small']}")
        out.append("")
        out.append(
            table(
                ["implementation", "ratio"],
                [[i, fmt_ratio(scale.get(i))] for i in (BASE, OURS, FLOOR)],
                markdown,
            )
        )
        out.append("")
    out.append(f"{h}Targets (reported, not enforced)")
    out.append("")
    out.append(
        table(
            ["target", "measured", "verdict"],
            [[t["target"], t["value"], t["verdict"]] for t in summary["targets"]],
            markdown,
        )
    )
    return "\n".join(out) + "\n"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Benchmark os_api_ref_ext against os_api_ref.")
    parser.add_argument(
        "--operations",
        type=int,
        nargs="+",
        default=[250, 2500],
        metavar="N",
        help="tree sizes (default: 250 2500)",
    )
    parser.add_argument(
        "--runs",
        type=int,
        default=5,
        help="measured runs per implementation (default: 5)",
    )
    parser.add_argument(
        "--warmup",
        type=int,
        default=0,
        help="unrecorded warm-up runs first (default: 0)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=HERE / "out",
        help="output directory (default: benchmarks/out)",
    )
    parser.add_argument("--seed", type=int, default=0, help="tree generator seed (default: 0)")
    parser.add_argument(
        "--impls",
        nargs="+",
        default=list(IMPLS),
        choices=IMPLS,
        help="implementations to run",
    )
    parser.add_argument(
        "--pythonpath",
        action="append",
        default=[],
        metavar="DIR",
        help="extra directory for the children's PYTHONPATH "
        "(e.g. the repository root when os_api_ref_ext "
        "is not installed); repeatable",
    )
    parser.add_argument("--quick", action="store_true", help="smoke run: N=20, 1 run")
    args = parser.parse_args(argv)
    if args.quick:
        args.operations, args.runs, args.warmup = [20], 1, 0
    if args.runs < 1:
        parser.error("--runs must be >= 1")
    args.operations = sorted(set(args.operations))
    args.impls = [i for i in IMPLS if i in args.impls]
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    bench = Bench(args)
    info = machine_info(bench.lint)
    log(
        f"machine: {info['cpu']}, {info['cores']} cores, {info['python']}, "
        f"Sphinx {info['versions']['sphinx']}"
    )
    bench.prepare()
    if not bench.impls:
        log("no implementation can be imported; nothing to measure")
    for n in args.operations:
        bench.bench_tree(n)
    summary = summarize(bench)
    text = render(bench, summary, info, markdown=False)
    print()
    print(text, end="")
    payload = {
        "machine": info,
        "args": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
        "skipped": bench.skipped,
        "raw": bench.results,
        "summary": summary,
    }
    out = args.out.resolve()
    (out / "results.json").write_text(json.dumps(payload, indent=2, default=str) + "\n")
    (out / "results.md").write_text(
        "# os-api-ref-ext benchmark\n\n" + render(bench, summary, info, markdown=True)
    )
    print(f"\nwrote {out / 'results.json'} and {out / 'results.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
