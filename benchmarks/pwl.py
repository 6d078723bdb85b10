"""Benchmark exact PWL extraction against float64, and the sup-error question (issue 4).

Run from the repository root::

    PYTHONPATH=. python benchmarks/pwl.py            # the full run (about 7 minutes)
    PYTHONPATH=. python benchmarks/pwl.py --quick    # a smoke run (about a minute)
    PYTHONPATH=. python benchmarks/pwl.py --json     # the same, as JSON

Part 1, extraction.  Networks (one input, one output):

* ``f_m`` -- Yarotsky's squaring network ``square_net(m)`` on [0, 1], m = 8, 12,
  16, 20 (a DAG with skip connections; 2^m pieces, dyadic breakpoints).
* ``mlp_dyadic`` -- a random 1-64-64-64-1 perceptron with weights and biases
  ``j / 2^8`` (first-layer ``|j| <= 256``, later ``|j| <= 64``, biases
  ``|j| <= 64``, seeded) on [-4, 4].  Its kinks are not dyadic, so the engine
  moves to per-point denominators at the first level.
* ``mlp_j255``, ``mlp_j3`` -- the same integers ``j`` over 255 and over 3.
* ``mlp8_j255`` -- a deeper 1-32x8-1 perceptron (8 hidden layers, the shape of
  benchmarks/eval.py) with weights ``j / 255``: its exact values reach about
  130 bits, beyond int64, so it exercises the limb and Python-int routes.
* ``saw3_s`` -- the tent map with its peak at 1/3, g(x) = 3 relu(x) - (9/2)
  relu(x - 1/3), composed s times (s = 16: 2^16 pieces, breakpoints with
  denominators 2^i 3^k): a non-dyadic network with many pieces.

Routes, timed in the same run (best of ``--repeat``, plans built beforehand
by one untimed call, whose time is shown as "first call"):

* ``float64`` -- the same breakpoint algorithm in float64 numpy, written here
  (level by level, the zero crossings of the ReLU pre-activations inserted
  into one grid, every live array interpolated there): the baseline.
* ``to_pwl_scaled`` -- exact extraction, result as integer numpy arrays.
* ``.to_pwl()`` -- turning that result into a PiecewiseLinear of ``Q``
  (two ``mpq`` per breakpoint); ``to_pwl`` is the sum of the two.
* ``.canonical()`` -- merging collinear pieces on the integer form.
* ``reference`` -- the mpq reference loop (``exactnet.pwl._extract_reference``),
  run once where it has at most ``--ref-max-pieces`` pieces; its result must
  equal the engine's exactly, or the run aborts.

Peak memory is measured with tracemalloc in separate, untimed calls.  For f_m
the canonical breakpoints are also checked against the closed form (k / 2^m,
(k / 2^m)^2), independently of both routes.

Part 2, the sup-error question sup_[0,1] |f_m(x) - x^2| (= 2^(-2m-2)) answered by

* ``exactnet`` -- ``exactnet.supnorm.sup_error`` (whatever public function
  exists at run time),
* ``z3 Optimize`` -- f_m as a real-arithmetic term with ``If`` for every ReLU,
  ``maximize(|N(x) - x^2|)`` subject to 0 <= x <= 1,
* ``sympy maximum`` -- ``sympy.calculus.util.maximum(Abs(N - x**2), x, [0, 1])``
  with N built from ``Max(., 0)``,
* ``sympy pieces`` -- by hand: ``piecewise_fold`` of ``N - x**2``,
  ``as_expr_set_pairs`` on [0, 1], ``solveset`` of the derivative on every
  piece, and the ends of the pieces,

each in its own process with a time limit (``--limit`` seconds); a route stops
at its first timeout, and every value found is compared with 2^(-2m-2).
"""

from __future__ import annotations

import argparse
import datetime
import json
import multiprocessing as mp
import os
import platform
import queue
import sys
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

# Single-threaded BLAS unless the caller says otherwise (set OPENBLAS_NUM_THREADS):
# on this shared 2-core machine, threaded OpenBLAS hand-offs cost milliseconds on
# the small products of the MLP rows, for the float64 and the exact routes alike.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # after the BLAS setting

from _common import best_of, mlp  # benchmarks/ is on sys.path when run as a script
from exactnet.compose import sequential
from exactnet.constructions.yarotsky2017 import square_net
from exactnet.network import Network
from exactnet.numbers import Interval, Q
from exactnet.pwl import ScaledPWL, _extract_reference, to_pwl_scaled

# -- the networks ---------------------------------------------------------------------


def saw3(s: int) -> Network:
    """The tent map with peak at 1/3 composed s times (2^s pieces on [0, 1])."""
    g = Network.from_layers([[[1], [1]], [[3, Q(-9, 2)]]], [[0, Q(-1, 3)], [0]])
    net = g
    for _ in range(s - 1):
        net = sequential(net, g)
    return net


# -- the float64 twin of the extraction --------------------------------------------


def float_plan(net: Network) -> tuple[list[Any], tuple[int, int]]:
    """Levels as (bias, relu mask, pushes [(target level, float matrix)])."""
    by_level: dict[int, list[str]] = {0: list(net.inputs)}
    for n in net.neurons:
        by_level.setdefault(net.depth_of(n), []).append(n)
    where = {n: (l, i) for l, nodes in by_level.items() for i, n in enumerate(nodes)}
    depth = max(by_level)
    mats: dict[tuple[int, int], np.ndarray] = {}
    for l in range(1, depth + 1):
        for j, n in enumerate(by_level[l]):
            for src, w in net.predecessors(n):
                sl, r = where[src]
                mat = mats.setdefault(
                    (sl, l), np.zeros((len(by_level[sl]), len(by_level[l])))
                )
                mat[r, j] = float(w)
    levels = []
    for l in range(depth + 1):
        nodes = by_level[l]
        bias = np.array([float(net.bias(n)) for n in nodes]) if l else None
        relu = np.array([bool(l) and net.activation(n) == "relu" for n in nodes])
        pushes = [(t, m) for (s, t), m in sorted(mats.items()) if s == l]
        levels.append((bias, relu, pushes))
    return levels, where[net.outputs[0]]


def float_extract(
    plan: tuple[list[Any], tuple[int, int]], lo: float, hi: float
) -> tuple[np.ndarray, np.ndarray]:
    """The breakpoint algorithm of exactnet.pwl in float64 (approximate)."""
    levels, (ol, oi) = plan
    x = np.array([lo, hi])
    partial: dict[int, np.ndarray] = {}
    out = None
    values = x.reshape(-1, 1)
    for l, (bias, relu, pushes) in enumerate(levels):
        if l:
            pre = partial.pop(l, None)
            pre = bias + (pre if pre is not None else 0.0)
            if pre.ndim == 1:
                pre = np.broadcast_to(pre, (len(x), len(bias))).copy()
            P = pre[:, relu]
            pos, neg = P > 0, P < 0
            cells, cols = np.nonzero((pos[:-1] & neg[1:]) | (neg[:-1] & pos[1:]))
            if cells.size:
                y0, y1 = P[cells, cols], P[cells + 1, cols]
                lam = y0 / (y0 - y1)
                n = len(x)
                counts = np.bincount(cells, minlength=n)
                if counts.max() > 1:
                    order = np.lexsort((lam, cells))
                    cells, lam = cells[order], lam[order]
                    keep = np.ones(cells.size, dtype=bool)
                    keep[1:] = (cells[1:] != cells[:-1]) | (lam[1:] != lam[:-1])
                    cells, lam = cells[keep], lam[keep]
                    counts = np.bincount(cells, minlength=n)
                before = np.zeros(n, dtype=np.intp)
                np.cumsum(counts[:-1], out=before[1:])
                oldpos = np.arange(n) + before
                first = np.searchsorted(cells, cells)
                newpos = cells + 1 + before[cells] + (np.arange(cells.size) - first)
                total = n + cells.size

                where = (cells, lam, oldpos, newpos, total)
                x = _refine_float(x, where)
                pre = _refine_float(pre, where)
                partial = {k: _refine_float(v, where) for k, v in partial.items()}
                if out is not None:
                    out = _refine_float(out, where)
            values = pre
            values[:, relu] = np.maximum(values[:, relu], 0.0)
        if l == ol:
            out = values[:, oi].copy()
        for target, mat in pushes:
            term = values @ mat
            old = partial.get(target)
            partial[target] = term if old is None else old + term
    assert out is not None
    return x, out


def _refine_float(a: np.ndarray, where: tuple[Any, ...]) -> np.ndarray:
    """`a` on the refined grid: old rows moved, new rows interpolated."""
    cells, lam, oldpos, newpos, total = where
    b = np.empty((total,) + a.shape[1:])
    b[oldpos] = a
    a0, a1 = a[cells], a[cells + 1]
    lm = lam[:, None] if a.ndim == 2 else lam
    b[newpos] = a0 + (a1 - a0) * lm
    return b


# -- measuring -------------------------------------------------------------------------


def peak_mib(f: Callable[[], Any]) -> float:
    """Peak traced memory of one call (numpy buffers included), in MiB."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    try:
        result = f()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del result
    return peak / 2**20


def check_square(s: ScaledPWL, m: int) -> None:
    """f_m's canonical breakpoints are k / 2^m with values (k / 2^m)^2 (closed form)."""
    c = s.canonical()
    n = 2**m
    k = np.arange(n + 1, dtype=object)
    assert c.point_den is None and c.pieces == n, "f_m: wrong number of pieces"
    xs, ys = c.xs.astype(object), c.ys.astype(object)
    # x_k = xs / x_den = k / n  and  y_k = ys / y_den = k^2 / n^2
    if not ((xs * n == k * c.x_den).all() and (ys * n * n == k * k * c.y_den).all()):
        raise SystemExit(f"f_{m}: breakpoints differ from the closed form")


def measure(
    name: str, net: Network, interval: Interval, args: argparse.Namespace
) -> dict[str, Any]:
    lo, hi = interval.lo, interval.hi
    t0 = time.perf_counter()
    plan = float_plan(net)
    t_fplan = time.perf_counter() - t0
    t0 = time.perf_counter()
    to_pwl_scaled(net, interval)
    t_first = time.perf_counter() - t0
    t_float, (fx, _fy) = best_of(
        lambda: float_extract(plan, float(lo), float(hi)), args.repeat
    )
    t_exact, s = best_of(lambda: to_pwl_scaled(net, interval), args.repeat)
    t_conv, f = best_of(s.to_pwl, 1 if s.pieces > 100_000 else args.repeat)
    t_canon, c = best_of(s.canonical, args.repeat)
    ref_s = None
    if s.pieces <= args.ref_max_pieces:
        t0 = time.perf_counter()
        ref = _extract_reference(net, [lo], [hi], 0, along_x=True)
        ref_s = time.perf_counter() - t0
        if ref != f:
            raise SystemExit(f"{name}: the engine and the reference loop disagree")
    if name.startswith("f_"):
        check_square(s, int(name[2:]))
    mem_exact = peak_mib(lambda: to_pwl_scaled(net, interval))
    mem_float = peak_mib(lambda: float_extract(plan, float(lo), float(hi)))
    mem_mpq = peak_mib(s.to_pwl) if s.pieces <= 2**17 else None
    bits = max(int(abs(int(v))).bit_length() for v in s.ys.tolist())
    return {
        "network": repr(net),
        "interval": str(interval),
        "pieces": s.pieces,
        "pieces_canonical": c.pieces,
        "pieces_float": len(fx) - 1,
        "route": s.route,
        "denominators": "common" if s.point_den is None else "per point",
        "value_numerator_bits": bits,
        "seconds": {
            "float64": t_float,
            "to_pwl_scaled": t_exact,
            "to_pwl_scaled first call": t_first,
            ".to_pwl()": t_conv,
            "to_pwl": t_exact + t_conv,
            ".canonical()": t_canon,
            "reference": ref_s,
            "float plan": t_fplan,
        },
        "ratio_exact_to_float": t_exact / t_float,
        "ratio_to_pwl_to_float": (t_exact + t_conv) / t_float,
        "pieces_per_second": s.pieces / t_exact,
        "pieces_per_second_to_pwl": s.pieces / (t_exact + t_conv),
        "reference_agrees": ref_s is not None,
        "peak_mib": {
            "to_pwl_scaled": mem_exact,
            "float64": mem_float,
            ".to_pwl()": mem_mpq,
        },
    }


# -- the sup-error routes (each runs in a child process) --------------------------


def _rational(v: Any) -> str:
    return f"{int(v.numerator)}/{int(v.denominator)}"


def route_exactnet(m: int) -> str:
    from exactnet import supnorm

    net = square_net(m)
    if hasattr(supnorm, "sup_error"):
        r = supnorm.sup_error(net, "x^2", Interval(0, 1))
        value = r.value if hasattr(r, "value") else r[0]
    else:
        value = supnorm.certify_sup_error(net, "x^2", Interval(0, 1)).value
    return str(value)


def route_z3(m: int) -> str:
    import z3

    net = square_net(m)
    x = z3.Real("x")
    vals: dict[str, Any] = {net.inputs[0]: x}
    for n in net.neurons:
        s = z3.RealVal(_rational(net.bias(n)))
        for src, w in net.predecessors(n):
            s = s + z3.RealVal(_rational(w)) * vals[src]
        vals[n] = z3.If(s > 0, s, z3.RealVal(0)) if net.activation(n) == "relu" else s
    e = vals[net.outputs[0]] - x * x
    opt = z3.Optimize()
    opt.add(x >= 0, x <= 1)
    h = opt.maximize(z3.If(e > 0, e, -e))
    if opt.check() != z3.sat:
        return f"no answer ({opt.reason_unknown()})"
    v = opt.upper(h)
    return str(v.as_fraction()) if z3.is_rational_value(v) else str(v)


def _sympy_net(m: int) -> tuple[Any, Any]:
    import sympy as sp

    net = square_net(m)
    x = sp.Symbol("x", real=True)
    vals: dict[str, Any] = {net.inputs[0]: x}
    for n in net.neurons:
        b = net.bias(n)
        s = sp.Rational(int(b.numerator), int(b.denominator))
        for src, w in net.predecessors(n):
            s = s + sp.Rational(int(w.numerator), int(w.denominator)) * vals[src]
        vals[n] = sp.Max(s, 0) if net.activation(n) == "relu" else s
    return vals[net.outputs[0]], x


def route_sympy_maximum(m: int) -> str:
    import sympy as sp

    N, x = _sympy_net(m)
    return str(sp.calculus.util.maximum(sp.Abs(N - x**2), x, sp.Interval(0, 1)))


def route_sympy_pieces(m: int) -> str:
    import sympy as sp

    N, x = _sympy_net(m)
    e = sp.piecewise_fold((N - x**2).rewrite(sp.Piecewise))
    unit = sp.Interval(0, 1)
    pairs = e.as_expr_set_pairs(unit) if isinstance(e, sp.Piecewise) else [(e, unit)]
    best = sp.Integer(-1)
    for expr, where in pairs:
        crit = sp.solveset(sp.diff(expr, x), x, where)
        cands = set(crit) if isinstance(crit, sp.FiniteSet) else set()
        for part in where.args if isinstance(where, sp.Union) else (where,):
            if isinstance(part, sp.Interval):
                cands |= {part.start, part.end}
            elif isinstance(part, sp.FiniteSet):
                cands |= set(part)
        for c in cands:
            best = max(best, abs(expr.subs(x, c)))
    return str(best)


ROUTES = {
    "exactnet": route_exactnet,
    "z3 Optimize": route_z3,
    "sympy maximum": route_sympy_maximum,
    "sympy pieces": route_sympy_pieces,
}


def _child(route: str, m: int, results: Any) -> None:
    t0 = time.perf_counter()
    try:
        value = ROUTES[route](m)
    except Exception as exc:  # noqa: BLE001 -- reported, not raised: a route may fail
        value = f"error: {type(exc).__name__}: {exc}"[:200]
    results.put((value, time.perf_counter() - t0))


def run_limited(route: str, m: int, limit: float) -> tuple[str | None, float]:
    """(value, seconds) of one route in a child process; value None on timeout."""
    ctx = mp.get_context("spawn")
    results = ctx.Queue()
    proc = ctx.Process(target=_child, args=(route, m, results))
    proc.start()
    try:
        value, seconds = results.get(timeout=limit + 5)  # + the child's imports
    except queue.Empty:
        value, seconds = None, limit
    if proc.is_alive():
        proc.terminate()
    proc.join()
    if value is not None and seconds > limit:
        value = None
    return value, seconds


def sup_question(args: argparse.Namespace) -> dict[str, Any]:
    ms = [1, 2, 3, 4] if args.quick else [1, 2, 3, 4, 6, 8, 10, 11, 12, 16, 20]
    table: dict[str, list[dict[str, Any]]] = {}
    for route in ROUTES:
        rows = []
        for m in ms:
            exact = f"1/{2 ** (2 * m + 2)}"
            value, seconds = run_limited(route, m, args.limit)
            rows.append(
                {
                    "m": m,
                    "value": value,
                    "seconds": seconds,
                    "equals_exact": value == exact,
                    "timeout": value is None,
                }
            )
            if value is None:
                break
        table[route] = rows
    return {"limit_seconds": args.limit, "routes": table}


# -- the run -----------------------------------------------------------------------


def run(args: argparse.Namespace) -> dict[str, Any]:
    ms = [8, 12] if args.quick else [8, 12, 16, 20]
    cases: dict[str, tuple[Network, Interval]] = {
        f"f_{m}": (square_net(m), Interval(0, 1)) for m in ms
    }
    four = Interval(-4, 4)
    cases["mlp_dyadic"] = (mlp(args.seed, 2**8, 64, 3), four)
    cases["mlp_j255"] = (mlp(args.seed, 255, 64, 3), four)
    cases["mlp_j3"] = (mlp(args.seed, 3, 64, 3), four)
    cases["mlp8_j255"] = (mlp(args.seed, 255, width=32, hidden=8), four)
    s = 10 if args.quick else 16
    cases[f"saw3_{s}"] = (saw3(s), Interval(0, 1))
    report: dict[str, Any] = {
        "seed": args.seed,
        "repeat": args.repeat,
        "quick": args.quick,
        "machine": {
            "python": platform.python_version(),
            "numpy": np.__version__,
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "processor": platform.processor() or platform.machine(),
            "load_average": os.getloadavg(),
            "blas_threads": os.environ.get("OPENBLAS_NUM_THREADS", "default"),
        },
        "date": datetime.date.today().isoformat(),
        "extraction": {},
    }
    for name, (net, interval) in cases.items():
        report["extraction"][name] = measure(name, net, interval, args)
    if not args.no_sup:
        report["sup_question"] = sup_question(args)
    ex = report["extraction"]
    top = f"f_{ms[-1]}"
    ratio = ex[top]["ratio_exact_to_float"]
    general = [k for k in ex if k.endswith(("j255", "j3")) or k.startswith("saw3")]
    worst = min(ex[k]["pieces_per_second"] for k in general)
    report["targets"] = {
        f"exact extraction of {top} (to_pwl_scaled) within 2x float64": {
            "value": ratio,
            "met": ratio <= 2,
        },
        "at least 30,000 pieces/s with non-dyadic weights (to_pwl_scaled; worst of "
        + ", ".join(general)
        + ")": {
            "value": worst,
            "met": worst >= 30_000,
        },
    }
    return report


def table(report: dict[str, Any]) -> str:
    m = report["machine"]
    quick = "  (quick)" if report["quick"] else ""
    load = " ".join(f"{v:.2f}" for v in m["load_average"])
    lines = [
        (
            f"date: {report['date']}  seed: {report['seed']}  "
            f"best of {report['repeat']}{quick}"
        ),
        (
            f"machine: {m['cpus']} cpus, {m['processor']}, {m['platform']}, python "
            f"{m['python']}, numpy {m['numpy']}, OPENBLAS_NUM_THREADS="
            f"{m['blas_threads']}, load average at start {load}"
        ),
        "",
        "extraction, seconds (ratio: / float64; pieces/s: of to_pwl_scaled)",
        (
            f"  {'network':<11}{'pieces':>8}{'float64':>9}{'exact':>9}{'ratio':>7}"
            f"{'pieces/s':>10}{'to_pwl':>9}{'ratio':>7}{'canon.':>8}{'ref.':>8}"
            f"{'1st call':>9}"
        ),
    ]
    for name, r in report["extraction"].items():
        sec = r["seconds"]
        ref = f"{sec['reference']:.3f}" if sec["reference"] is not None else "-"
        lines.append(
            f"  {name:<11}{r['pieces']:>8}{sec['float64']:>9.4f}"
            f"{sec['to_pwl_scaled']:>9.4f}{r['ratio_exact_to_float']:>7.2f}"
            f"{r['pieces_per_second']:>10.0f}{sec['to_pwl']:>9.4f}"
            f"{r['ratio_to_pwl_to_float']:>7.2f}{sec['.canonical()']:>8.4f}{ref:>8}"
            f"{sec['to_pwl_scaled first call']:>9.4f}"
        )
    lines += [
        "",
        "extraction, peak memory (MiB, tracemalloc) and representation",
        (
            f"  {'network':<11}{'exact':>8}{'float64':>9}{'.to_pwl()':>10}"
            f"{'canonical':>10}  route"
        ),
    ]
    for name, r in report["extraction"].items():
        mem = r["peak_mib"]
        mpq = f"{mem['.to_pwl()']:.1f}" if mem[".to_pwl()"] is not None else "-"
        lines.append(
            f"  {name:<11}{mem['to_pwl_scaled']:>8.1f}{mem['float64']:>9.1f}{mpq:>10}"
            f"{r['pieces_canonical']:>10}  {r['route']}, {r['denominators']} "
            f"denominators, values up to {r['value_numerator_bits']} bits"
        )
    lines += [
        "",
        (
            "  every exact result equals the reference loop where 'ref.' is shown; "
            "f_m's canonical form equals the closed form"
        ),
    ]
    sq = report.get("sup_question")
    if sq:
        limit = sq["limit_seconds"]
        lines += ["", f"sup_[0,1] |f_m(x) - x^2|, limit {limit:.0f} s per m and route:"]
        for route, rows in sq["routes"].items():
            cells = []
            for row in rows:
                if row["timeout"]:
                    cells.append(f"m={row['m']} timeout")
                elif row["equals_exact"]:
                    cells.append(f"m={row['m']} {row['seconds']:.2f}s")
                else:
                    cells.append(f"m={row['m']} {row['value']} (NOT 2^-(2m+2))")
            lines.append(f"  {route:<14} " + ", ".join(cells))
        lines.append("  (a time without remark: the value found equals 2^-(2m+2))")
    lines.append("")
    for target, v in report["targets"].items():
        verdict = "met" if v["met"] else "NOT met"
        lines.append(f"target {target}: {v['value']:.2f} -> {verdict}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    p.add_argument("--quick", action="store_true", help="small sizes: a smoke run")
    p.add_argument("--seed", type=int, default=0, help="seed of the random MLPs")
    p.add_argument(
        "--repeat", type=int, default=3, help="best of this many (default 3)"
    )
    p.add_argument(
        "--ref-max-pieces",
        type=int,
        default=70_000,
        help="run the mpq reference loop up to this many pieces (default 70000)",
    )
    p.add_argument(
        "--limit", type=float, default=None, help="seconds per sup-error route and m"
    )
    p.add_argument("--no-sup", action="store_true", help="skip the sup-error question")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = p.parse_args(argv)
    if args.limit is None:
        args.limit = 10.0 if args.quick else 60.0
    report = run(args)
    print(json.dumps(report, indent=2) if args.json else table(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
