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

``--real [nova cinder]`` benchmarks the real api-ref trees of
``../shared/corpus`` instead (``--corpus DIR`` elsewhere; exit status 2 when
it is missing): each tree is copied and committed to git under
``--out``/``real/<tree>/src``, then its ``api-ref/source`` is built with
every implementation, selected with ``-D extensions=...`` (see
``--real-theme``), serial and with ``-j 2``, measuring wall time, CPU time
and peak RSS.  It writes ``real-results.json`` and ``real-results.md``.  The
generated trees run too only when ``--operations`` is given.
See ``benchmarks/README.rst``.
"""

from __future__ import annotations

import argparse
import ast
import importlib.metadata
import json
import os
import platform
import shlex
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
    """Outcome of one child process.

    ``maxrss_kb`` and ``cpu`` come from ``os.wait4``.  On Linux its resource
    usage is the child's own *plus* that of every descendant the child
    waited for (the kernel fills it in with ``RUSAGE_BOTH``): for a
    ``sphinx-build -j N`` child, whose forked workers are joined, ``cpu``
    includes the workers' CPU time and ``maxrss_kb`` is the largest peak RSS
    of the main process and of any one worker (not their sum).
    """

    wall: float
    maxrss_kb: int
    rc: int
    stderr: str
    cpu: float = 0.0


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
    return Child(wall, usage.ru_maxrss, rc, text, usage.ru_utime + usage.ru_stime)


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


def check_impls(
    names: list[str], extra_path: list[str], cwd: Path
) -> tuple[list[str], dict[str, str]]:
    """Split ``names`` into the importable ones and {name: why not}."""
    impls: list[str] = []
    skipped: dict[str, str] = {}
    for name in names:
        why = check_impl(name, extra_path, cwd)
        if why is None:
            impls.append(name)
        else:
            skipped[name] = why
            log(f"skipping {name}: cannot be imported ({why})")
    return impls, skipped


def run_order(items: list[str], r: int) -> list[str]:
    """``items`` rotated by ``r``, so that no item always goes first."""
    k = r % len(items) if items else 0
    return items[k:] + items[:k]


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


#: The distributions whose versions the machine block reports.
VERSIONED_DISTS = (
    "sphinx",
    "docutils",
    "pygments",
    "alabaster",
    "openstackdocstheme",
    "PyYAML",
    "os-api-ref",
    "os-api-ref-ext",
)


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
    for dist in VERSIONED_DISTS:
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
        self.impls, self.skipped = check_impls(self.args.impls, self.extra_path, self.out)
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
            for impl in run_order(self.impls, r):
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


def floor_position(ours: float | None, base: float | None, floor: float | None) -> float | None:
    """(ours - floor) / (base - floor): 0 at the floor, 1 at os-api-ref."""
    if ours is None or base is None or floor is None or base == floor:
        return None
    return (ours - floor) / (base - floor)


def verdict(value: float | None, limit: float) -> str:
    """PASS or FAIL against a target (``value <= limit``); n/a without a value."""
    if value is None:
        return "n/a"
    return "PASS" if value <= limit else "FAIL"


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
            ratios[f"{key}_floor_position"] = (
                None
                if key == "peak_rss_mib"
                else floor_position(get(ours, key), get(base, key), get(floor, key))
            )
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


def machine_lines(info: dict[str, Any]) -> list[str]:
    """CPU, memory, Python and the Sphinx stack of ``machine_info()``."""
    v = info["versions"]
    return [
        f"CPU: {info['cpu']} ({info['cores']} cores, "
        f"{info['cores_usable']} usable), memory {info['memory']}",
        f"Python: {info['python']} ({info['python_executable']})",
        f"Sphinx {v['sphinx']}, docutils {v['docutils']}, Pygments "
        f"{v['pygments']}, alabaster {v['alabaster']}, PyYAML {v['PyYAML']}",
    ]


def render_targets(summary: dict[str, Any], h: str, markdown: bool) -> list[str]:
    """The targets table that ends both reports."""
    return [
        f"{h}Targets (reported, not enforced)",
        "",
        table(
            ["target", "measured", "verdict"],
            [[t["target"], t["value"], t["verdict"]] for t in summary["targets"]],
            markdown,
        ),
    ]


def render(bench: Bench, summary: dict[str, Any], info: dict[str, Any], markdown: bool) -> str:
    h = "## " if markdown else ""
    out: list[str] = []
    out.append(f"{h}Machine")
    out.append("")
    v = info["versions"]
    machine = [
        *machine_lines(info),
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
    out += render_targets(summary, h, markdown)
    return "\n".join(out) + "\n"


# -- real trees (--real) ----------------------------------------------------

REPO = HERE.parent
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"
REAL_TREES = ("nova", "cinder")
REAL_THEMES = ("alabaster", "tree")
# Build modes: the serial build and two parallel workers.
REAL_MODES = ("serial", "j2")
MODE_LABELS = {"serial": "serial", "j2": "-j 2"}
MODE_ARGS = {"serial": [], "j2": ["-j", "2"]}
# Targets on the real trees (reported, not asserted; serial builds).
TARGET_REAL_FULL_RATIO = 0.40  # ours / os-api-ref full build wall time
TARGET_REAL_RSS_RATIO = 0.65  # ours / os-api-ref peak RSS
# The copies are committed with a fixed identity and date, so that whatever
# asks git (openstackdocstheme's "last updated") sees the same history for
# every implementation and every invocation.
GIT_CONFIG = [
    "-c",
    "user.name=os-api-ref-ext benchmark",
    "-c",
    "user.email=bench@example.invalid",
    "-c",
    "commit.gpgsign=false",
    "-c",
    "init.defaultBranch=main",
]
GIT_DATE = "2000-01-01T00:00:00+00:00"


def conf_extensions(conf_text: str) -> list[str]:
    """The ``extensions`` list that a ``conf.py`` assigns, read without running it.

    The last module-level ``extensions = [...]`` wins; it must be a literal
    list (or tuple) of strings.  A later ``extensions += ...`` or
    ``extensions.append(...)`` cannot be read statically: ValueError.
    """
    found: list[str] | None = None
    for node in ast.parse(conf_text).body:
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        elif (
            isinstance(node, ast.AugAssign)
            and isinstance(node.target, ast.Name)
            and node.target.id == "extensions"
        ) or (
            isinstance(node, ast.Expr)
            and isinstance(node.value, ast.Call)
            and isinstance(node.value.func, ast.Attribute)
            and isinstance(node.value.func.value, ast.Name)
            and node.value.func.value.id == "extensions"
        ):
            raise ValueError(f"line {node.lineno}: extensions is modified after it is assigned")
        else:
            continue
        if not any(isinstance(t, ast.Name) and t.id == "extensions" for t in targets):
            continue
        try:
            names = ast.literal_eval(value)
        except ValueError as exc:
            raise ValueError(f"line {node.lineno}: extensions is not a literal list") from exc
        if not isinstance(names, list | tuple) or not all(isinstance(n, str) for n in names):
            raise ValueError(f"line {node.lineno}: extensions is not a list of strings")
        found = list(names)
    if found is None:
        raise ValueError("conf.py assigns no extensions list")
    return found


def substitute_extension(extensions: list[str], impl: str, replaced: str = BASE) -> list[str]:
    """``extensions`` with ``replaced`` swapped for ``impl`` (same position)."""
    if replaced not in extensions:
        raise ValueError(f"{replaced} is not among the extensions {extensions}")
    return [impl if name == replaced else name for name in extensions]


def real_overrides(impl: str, tree_extensions: list[str] | None) -> list[str]:
    """The ``-D`` options that select ``impl`` without editing ``conf.py``.

    ``tree_extensions`` None: the alabaster set-up (``impl`` alone, so
    openstackdocstheme is not loaded, and ``html_theme=alabaster``).
    Otherwise the tree's own list with ``os_api_ref`` replaced, and its own
    theme.  Sphinx splits an ``extensions`` override on commas.
    """
    if tree_extensions is None:
        return ["-D", f"extensions={impl}", "-D", "html_theme=alabaster"]
    names = substitute_extension(tree_extensions, impl)
    if any("," in name for name in names):
        raise ValueError(f"an extension name contains a comma: {names}")
    return ["-D", "extensions=" + ",".join(names)]


def real_sphinx_cmd(
    src: Path, out: Path, doctrees: Path, mode: str, overrides: list[str]
) -> list[str]:
    return [
        sys.executable,
        "-m",
        "sphinx",
        "-q",
        "-E",
        *MODE_ARGS[mode],
        "-b",
        "html",
        "-d",
        str(doctrees),
        *overrides,
        str(src),
        str(out),
    ]


def corpus_provenance(readme: str, tree: str) -> str | None:
    """``upstream commit (date)`` from the corpus README's table, if listed."""
    for line in readme.splitlines():
        if not line.lstrip().startswith("|"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and cells[0].rstrip("/") == tree:
            return f"{cells[1]} {cells[2]}"
    return None


def check_corpus(corpus: Path, trees: list[str]) -> str | None:
    """None if every tree's ``api-ref/source/conf.py`` exists, else why not."""
    if not corpus.is_dir():
        return (
            f"corpus directory {corpus} not found: --real builds the api-ref "
            "trees kept in ../shared/corpus (beside the repository); pass "
            "--corpus DIR to use another copy"
        )
    for tree in trees:
        conf = corpus / tree / "api-ref" / "source" / "conf.py"
        if not conf.is_file():
            return f"{conf} not found: {corpus} does not hold the {tree} api-ref tree"
    return None


def repo_commit() -> str | None:
    """This checkout's ``HEAD`` (short), ``+dirty`` with local changes."""
    try:
        head = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return head + ("+dirty" if dirty else "")


def spread(values: list[float]) -> tuple[float, float] | None:
    return (min(values), max(values)) if values else None


REAL_METRICS = ("wall_s", "cpu_s", "peak_rss_mib")
#: Where each metric is in a raw sample.
REAL_SAMPLE_FIELDS = {"wall_s": "wall", "cpu_s": "cpu", "peak_rss_mib": "rss_kb"}


def paired_ratio(ours: list[dict[str, Any]], base: list[dict[str, Any]], key: str) -> float | None:
    """Median over runs of ours / os-api-ref within the same run.

    The two builds of one run follow each other, so a machine that is
    slower for a while slows both; the ratio of the medians mixes runs.
    """
    field_name = REAL_SAMPLE_FIELDS[key]
    by_run = {s["run"]: s[field_name] for s in base if s["rc"] == 0 and s[field_name]}
    values = [s[field_name] / by_run[s["run"]] for s in ours if s["rc"] == 0 and s["run"] in by_run]
    return statistics.median(values) if values else None


REAL_METRIC_LABELS = {"wall_s": "wall time", "cpu_s": "CPU time", "peak_rss_mib": "peak RSS"}


def summarize_real(
    results: dict[str, dict[str, dict[str, list[dict[str, Any]]]]],
) -> dict[str, Any]:
    """Medians, spreads, ratios and targets from ``{tree: {mode: {impl: samples}}}``.

    A sample is ``{"run", "wall", "cpu", "rss_kb", "warnings", "rc"}``; those
    with a non-zero exit code count as failures and stay out of the medians.
    """
    summary: dict[str, Any] = {"trees": {}, "targets": []}
    for tree, modes in results.items():
        medians: dict[str, dict[str, Any]] = {}
        ratios: dict[str, dict[str, Any]] = {}
        for mode, impls in modes.items():
            med: dict[str, Any] = {}
            for impl, samples in impls.items():
                ok = [s for s in samples if s["rc"] == 0]
                walls = [s["wall"] for s in ok]
                rss = [s["rss_kb"] for s in ok]
                warns = [s["warnings"] for s in ok]
                med[impl] = {
                    "wall_s": median(walls),
                    "wall_spread_s": spread(walls),
                    "cpu_s": median([s["cpu"] for s in ok]),
                    "peak_rss_mib": None if not rss else statistics.median(rss) / 1024,
                    "runs": len(ok),
                    "failed_runs": [s["run"] for s in samples if s["rc"] != 0],
                    "exit_codes": sorted({s["rc"] for s in samples}),
                    "warnings": None if not warns else (min(warns), max(warns)),
                }
            medians[mode] = med
            base, ours, floor = med.get(BASE), med.get(OURS), med.get(FLOOR)

            def get(m: dict[str, Any] | None, key: str) -> float | None:
                return None if m is None else m[key]

            ratios[mode] = {
                key: {
                    "ours_vs_os_api_ref": ratio(get(ours, key), get(base, key)),
                    "floor_vs_os_api_ref": ratio(get(floor, key), get(base, key)),
                    "floor_position": floor_position(
                        get(ours, key), get(base, key), get(floor, key)
                    ),
                    "ours_vs_os_api_ref_paired": paired_ratio(
                        impls.get(OURS, []), impls.get(BASE, []), key
                    ),
                }
                for key in REAL_METRICS
            }
        summary["trees"][tree] = {"medians": medians, "ratios": ratios}

    for key, limit, what in (
        ("wall_s", TARGET_REAL_FULL_RATIO, "full build"),
        ("peak_rss_mib", TARGET_REAL_RSS_RATIO, "peak RSS"),
    ):
        for tree, t in summary["trees"].items():
            value = t["ratios"].get("serial", {}).get(key, {}).get("ours_vs_os_api_ref")
            summary["targets"].append(
                {
                    "target": f"{what} <= {limit:.2f}x os-api-ref ({tree}, serial)",
                    "value": fmt_ratio(value),
                    "verdict": verdict(value, limit),
                }
            )
    return summary


def fmt_spread(v: tuple[float, float] | list[float] | None) -> str:
    return "n/a" if not v else f"{v[0]:.2f}-{v[1]:.2f} s"


def fmt_warnings(v: tuple[int, int] | list[int] | None) -> str:
    if not v:
        return "n/a"
    return str(v[0]) if v[0] == v[1] else f"{v[0]}-{v[1]}"


def render_real(summary: dict[str, Any], meta: dict[str, Any], markdown: bool) -> str:
    """The real-tree report; ``meta`` holds the machine, set-up and trees."""
    h = "## " if markdown else ""
    bullet = "- " if markdown else ""
    info = meta["machine"]
    v = info["versions"]
    theme = meta["theme"]
    load_start = ", ".join(f"{x:.2f}" for x in meta["loadavg_start"])
    load_end = ", ".join(f"{x:.2f}" for x in meta["loadavg_end"])
    out: list[str] = [f"{h}Machine", ""]
    lines = [
        *machine_lines(info),
        f"os-api-ref {v['os-api-ref']}, os-api-ref-ext {v['os-api-ref-ext']}"
        f" (checkout {meta.get('repo_commit') or 'unknown'}), "
        f"openstackdocstheme {v.get('openstackdocstheme', 'not installed')}",
        f"Runs per implementation and mode: {meta['runs']} (+{meta['warmup']} warm-up), "
        "implementations and modes alternating run by run",
        f"Load average at start: {load_start}; at end: {load_end}",
        "Theme: "
        + (
            "alabaster, openstackdocstheme not loaded (-D extensions=IMPL -D html_theme=alabaster)"
            if theme == "alabaster"
            else "the tree's own (conf.py's extensions with os_api_ref replaced by IMPL)"
        ),
        "Peak RSS: largest ru_maxrss of the sphinx process and of any -j 2 "
        "worker (os.wait4 rusage); CPU: user+sys of the build and its workers",
    ]
    out += [f"{bullet}{line}" for line in lines]
    for name, why in meta.get("skipped", {}).items():
        out.append(f"{bullet}SKIPPED {name}: cannot be imported ({why})")
    out.append("")
    for tree, t in summary["trees"].items():
        tmeta = meta["trees"].get(tree, {})
        prov = tmeta.get("provenance")
        out.append(
            f"{h}{tree}: api-ref/source"
            + (f", {prov}" if prov else "")
            + f" (medians of {meta['runs']} run{'s' if meta['runs'] != 1 else ''})"
        )
        out.append("")
        rows = []
        for mode in REAL_MODES:
            for impl in IMPLS:
                m = t["medians"].get(mode, {}).get(impl)
                if m is None:
                    why = "skipped" if impl in meta.get("skipped", {}) else "not run"
                    rows.append([impl, MODE_LABELS[mode], why, "", "", "", "", "", ""])
                    continue
                rss = m["peak_rss_mib"]
                rows.append(
                    [
                        impl,
                        MODE_LABELS[mode],
                        fmt_s(m["wall_s"]),
                        fmt_spread(m["wall_spread_s"]),
                        fmt_s(m["cpu_s"]),
                        "n/a" if rss is None else f"{rss:.0f} MiB",
                        str(m["runs"]),
                        fmt_warnings(m["warnings"]),
                        ",".join(str(rc) for rc in m["exit_codes"]) or "n/a",
                    ]
                )
        out.append(
            table(
                [
                    "implementation",
                    "mode",
                    "wall",
                    "wall min-max",
                    "CPU",
                    "peak RSS",
                    "runs",
                    "warnings",
                    "exit",
                ],
                rows,
                markdown,
            )
        )
        out.append("")
        rrows = []
        for mode in REAL_MODES:
            for key in REAL_METRICS:
                r = t["ratios"].get(mode, {}).get(key)
                if r is None:
                    continue
                rrows.append(
                    [
                        REAL_METRIC_LABELS[key],
                        MODE_LABELS[mode],
                        fmt_ratio(r["ours_vs_os_api_ref"]),
                        fmt_ratio(r.get("ours_vs_os_api_ref_paired")),
                        fmt_ratio(r["floor_vs_os_api_ref"]),
                        fmt_ratio(r["floor_position"]),
                    ]
                )
        out.append(
            table(
                [
                    "metric",
                    "mode",
                    "ours / os-api-ref",
                    "same-run ratio",
                    "floor / os-api-ref",
                    "(ours-floor)/(os-api-ref-floor)",
                ],
                rrows,
                markdown,
            )
        )
        out.append("")
        notes = []
        for mode, med in t["medians"].items():
            for impl, m in med.items():
                if m["failed_runs"]:
                    notes.append(
                        f"{bullet}FAILURE {impl} ({MODE_LABELS[mode]}): non-zero exit in "
                        f"run(s) {m['failed_runs']} (see the logs)"
                    )
        if notes:
            out += [*notes, ""]
        commands = tmeta.get("commands", {})
        if commands:
            out.append(
                f"Commands ({tree}; run in {tmeta.get('cwd', '?')} with "
                f"PYTHONPATH={tmeta.get('pythonpath', '?')}, PYTHONHASHSEED=0):"
            )
            out.append("")
            cmd_lines = [
                f"{impl} {MODE_LABELS[mode]}: {cmd}"
                for mode, per_impl in commands.items()
                for impl, cmd in per_impl.items()
            ]
            if markdown:
                out += ["```", *cmd_lines, "```"]
            else:
                out += [f"  {line}" for line in cmd_lines]
            out.append("")
    out += render_targets(summary, h, markdown)
    return "\n".join(out) + "\n"


class RealBench:
    """Builds the real api-ref trees with every implementation."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.out: Path = args.out.resolve() / "real"
        self.corpus: Path = args.corpus.resolve()
        self.extra_path = [str(Path(p).resolve()) for p in args.pythonpath]
        self.impls: list[str] = []
        self.skipped: dict[str, str] = {}
        self.trees: dict[str, dict[str, Any]] = {}
        self.results: dict[str, dict[str, dict[str, list[dict[str, Any]]]]] = {}

    def prepare(self) -> None:
        self.out.mkdir(parents=True, exist_ok=True)
        self.impls, self.skipped = check_impls(self.args.impls, self.extra_path, self.out)

    def copy_tree(self, tree: str) -> Path:
        """Copy ``corpus/<tree>`` to ``<out>/real/<tree>/src``; commit it."""
        dest = self.out / tree / "src"
        shutil.rmtree(dest, ignore_errors=True)
        shutil.copytree(self.corpus / tree, dest, symlinks=True)
        env = {**os.environ, "GIT_AUTHOR_DATE": GIT_DATE, "GIT_COMMITTER_DATE": GIT_DATE}
        try:
            for cmd in (
                ["git", *GIT_CONFIG, "init", "-q"],
                ["git", *GIT_CONFIG, "add", "-A"],
                ["git", *GIT_CONFIG, "commit", "-q", "--no-verify", "-m", f"{tree} api-ref"],
            ):
                subprocess.run(cmd, cwd=dest, env=env, check=True, capture_output=True)
        except (OSError, subprocess.CalledProcessError) as exc:
            detail = getattr(exc, "stderr", b"") or b""
            log(f"{tree}: git init/commit failed ({exc}; {detail.decode(errors='replace')})")
        return dest / "api-ref" / "source"

    def build(
        self,
        tree: str,
        src: Path,
        impl: str,
        mode: str,
        run: int | None,
        overrides: list[str],
        samples: list[dict[str, Any]],
    ) -> None:
        """One build; appended to ``samples`` unless ``run`` is None (warm-up)."""
        label = "warmup" if run is None else f"run{run}"
        work = self.out / tree / "work" / impl / mode
        html, doctrees, logs = work / "html", work / "doctrees", self.out / tree / "logs"
        for d in (html, doctrees):
            shutil.rmtree(d, ignore_errors=True)
        logs.mkdir(parents=True, exist_ok=True)
        cmd = real_sphinx_cmd(src, html, doctrees, mode, overrides)
        self.trees[tree]["commands"].setdefault(mode, {})[impl] = shlex.join(cmd)
        # Run from the root of the copy, as the projects do (``sphinx-build
        # ... api-ref/source ...``): openstackdocstheme asks git in the
        # working directory.
        child = run_child(
            cmd,
            child_env(None, self.extra_path),
            src.parents[1],
            logs / f"{label}-{impl}-{mode}.log",
        )
        warns = count_warnings(child.stderr)
        tag = f"{tree} {label} {impl} {MODE_LABELS[mode]}"
        log(
            f"{tag}: {child.wall:.2f} s wall, {child.cpu:.2f} s CPU, peak RSS "
            f"{child.maxrss_kb / 1024:.0f} MiB, {warns} warnings, rc={child.rc}"
        )
        if child.rc != 0:
            log("\n".join(child.stderr.splitlines()[-15:]))
        if run is not None:
            samples.append(
                {
                    "run": run,
                    "wall": child.wall,
                    "cpu": child.cpu,
                    "rss_kb": child.maxrss_kb,
                    "warnings": warns,
                    "rc": child.rc,
                }
            )

    def bench_tree(self, tree: str) -> None:
        readme = self.corpus / "README.md"
        provenance = (
            corpus_provenance(readme.read_text(errors="replace"), tree)
            if readme.is_file()
            else None
        )
        src = self.copy_tree(tree)
        tree_extensions = None
        if self.args.real_theme == "tree":
            tree_extensions = conf_extensions((src / "conf.py").read_text())
        self.trees[tree] = {
            "provenance": provenance,
            "src": str(src),
            "extensions": tree_extensions,
            "cwd": str(src.parents[1]),
            "pythonpath": os.pathsep.join([str(HERE), *self.extra_path]),
            "commands": {},
        }
        log(f"{tree}: copied {self.corpus / tree} to {src.parents[1]}")
        overrides = {impl: real_overrides(impl, tree_extensions) for impl in self.impls}
        samples: dict[str, dict[str, list[dict[str, Any]]]] = {
            mode: {impl: [] for impl in self.impls} for mode in self.args.real_modes
        }
        total = self.args.warmup + self.args.runs
        for r in range(total):
            run = r - self.args.warmup if r >= self.args.warmup else None
            # Rotate both orders, so that no mode and no implementation
            # always goes first; the serial builds of the implementations
            # follow each other, and so do the -j 2 builds.
            for mode in run_order(list(self.args.real_modes), r):
                for impl in run_order(self.impls, r):
                    self.build(tree, src, impl, mode, run, overrides[impl], samples[mode][impl])
        self.results[tree] = samples


def main_real(args: argparse.Namespace) -> int:
    """Run the real-tree benchmark; write ``real-results.{json,md}``."""
    corpus = args.corpus.resolve()
    problem = check_corpus(corpus, args.real)
    if problem is None and args.real_theme == "tree":
        for tree in args.real:
            conf = corpus / tree / "api-ref" / "source" / "conf.py"
            try:
                substitute_extension(conf_extensions(conf.read_text()), OURS)
            except (ValueError, SyntaxError) as exc:
                problem = f"--real-theme tree: cannot read the extensions of {conf}: {exc}"
                break
    if problem is not None:
        print(f"run.py: {problem}", file=sys.stderr)
        return 2
    bench = RealBench(args)
    info = machine_info(find_lint())
    log(
        f"machine: {info['cpu']}, {info['cores']} cores, {info['python']}, "
        f"Sphinx {info['versions']['sphinx']}; real trees {', '.join(args.real)} "
        f"from {corpus}, theme {args.real_theme}"
    )
    bench.prepare()
    if not bench.impls:
        log("no implementation can be imported; nothing to measure")
    for tree in args.real:
        bench.bench_tree(tree)
    summary = summarize_real(bench.results)
    meta = {
        "machine": info,
        "repo_commit": repo_commit(),
        "corpus": str(corpus),
        "theme": args.real_theme,
        "runs": args.runs,
        "warmup": args.warmup,
        "loadavg_start": info["loadavg_at_start"],
        "loadavg_end": os.getloadavg(),
        "skipped": bench.skipped,
        "trees": bench.trees,
    }
    print()
    print(render_real(summary, meta, markdown=False), end="")
    payload = {
        "meta": meta,
        "args": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
        "raw": bench.results,
        "summary": summary,
    }
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    (out / "real-results.json").write_text(json.dumps(payload, indent=2, default=str) + "\n")
    (out / "real-results.md").write_text(
        "# os-api-ref-ext benchmark: real api-ref trees\n\n"
        + render_real(summary, meta, markdown=True)
    )
    print(f"\nwrote {out / 'real-results.json'} and {out / 'real-results.md'}")
    return 0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Benchmark os_api_ref_ext against os_api_ref.")
    parser.add_argument(
        "--operations",
        type=int,
        nargs="+",
        default=None,
        metavar="N",
        help="generated tree sizes (default: 250 2500; none with --real unless given)",
    )
    parser.add_argument(
        "--real",
        nargs="*",
        choices=REAL_TREES,
        default=None,
        metavar="TREE",
        help="benchmark the real api-ref trees of the corpus instead "
        f"({' '.join(REAL_TREES)}; default: both); the generated trees run "
        "too only if --operations is given",
    )
    parser.add_argument(
        "--real-theme",
        choices=REAL_THEMES,
        default="alabaster",
        help="with --real: 'alabaster' loads the implementation alone with "
        "html_theme=alabaster; 'tree' keeps conf.py's extensions and theme "
        "(openstackdocstheme), swapping os_api_ref for the implementation "
        "(default: alabaster)",
    )
    parser.add_argument(
        "--real-modes",
        nargs="+",
        choices=REAL_MODES,
        default=list(REAL_MODES),
        metavar="MODE",
        help="with --real: build modes, 'serial' and/or 'j2' (default: both)",
    )
    parser.add_argument(
        "--corpus",
        type=Path,
        default=DEFAULT_CORPUS,
        metavar="DIR",
        help="with --real: the directory holding nova/ and cinder/ (default: ../shared/corpus)",
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
    parser.add_argument(
        "--quick",
        action="store_true",
        help="smoke run: 1 run, no warm-up; generated trees: N=20",
    )
    args = parser.parse_args(argv)
    if args.real is not None:
        args.real = [t for t in REAL_TREES if t in args.real] or list(REAL_TREES)
    if args.operations is None:
        args.operations = [] if args.real is not None else [250, 2500]
    if args.quick:
        args.runs, args.warmup = 1, 0
        if args.operations:
            args.operations = [20]
    if args.runs < 1:
        parser.error("--runs must be >= 1")
    if args.warmup < 0:
        parser.error("--warmup must be >= 0")
    args.operations = sorted(set(args.operations))
    args.impls = [i for i in IMPLS if i in args.impls]
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.real is not None:
        # Check the corpus before spending time on generated trees.
        problem = check_corpus(args.corpus.resolve(), args.real)
        if problem is not None:
            print(f"run.py: {problem}", file=sys.stderr)
            return 2
    if args.operations:
        main_generated(args)
    if args.real is not None:
        return main_real(args)
    return 0


def main_generated(args: argparse.Namespace) -> None:
    """Run the generated-tree benchmark; write ``results.{json,md}``."""
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


if __name__ == "__main__":
    sys.exit(main())
