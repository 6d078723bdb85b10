"""Benchmark exact evaluation against float64 numpy (issue 3).

Run from the repository root::

    PYTHONPATH=. python benchmarks/eval.py            # 100,000 points, seed 0
    PYTHONPATH=. python benchmarks/eval.py --json     # the same, as JSON

Three networks, all evaluated at the same N dyadic points ``k / 2^16`` with
``k`` drawn uniformly from ``0..2^16`` (seeded):

* ``sawtooth16`` -- ``exactnet.constructions.yarotsky2017.sawtooth_net(16)``,
  depth 17, width 2, weights 2 and -4, biases 0 and -1/2.
* ``mlp_dyadic`` -- a random 1-32-...-32-1 perceptron with 8 hidden ReLU layers
  (9 affine layers).  Every weight and bias is ``j / 2^8``: first-layer weights
  have ``|j| <= 256`` (``|w| <= 1``), later weights ``|j| <= 64``
  (``|w| <= 1/4``, so 32 inputs keep the activations of order one instead of
  growing or dying out layer after layer), biases ``|j| <= 64``.  The exact
  values carry about 8 more bits per layer: the outputs have about 90 bits.
* ``mlp_j255`` -- the same integers ``j`` over 255 instead of 2^8: a
  non-dyadic network, so the "general" (non-dyadic) handling is exercised.

Routes timed in one run, each against the float64 baseline of the same
network on the same points:

* ``float64 numpy`` -- written here, idiomatically: ``x = np.maximum(x @ W.T + b, 0)``
  per hidden layer (best of 3).  The baseline everything is divided by.
* ``evaluate_scaled`` -- exactnet's scaled-integer engine from integer
  numerators over ``2^16`` (best of 3); the dyadic fast path on the dyadic
  networks.  ``.values()`` (turning the numerators into ``mpq``) is timed apart.
* ``evaluate_batch scaled`` -- ``evaluate_batch(net, points, method="scaled")``
  with the points given as ``mpq``: conversions in and out included (best of 3).
* ``evaluate_batch mpq`` -- the reference loop, one point at a time.  When the
  whole batch would take more than ``--mpq-budget`` seconds it runs on a
  subsample and the full time is extrapolated linearly (marked ``extrapolated``).

Every exact route is checked against every other: the scaled routes on all
points, the reference loop on its (sub)sample.  Any disagreement aborts.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import sys
import time
from typing import Any

import numpy as np

from _common import best_of, mlp  # benchmarks/ is on sys.path when run as a script
from exactnet.constructions.yarotsky2017 import sawtooth_net
from exactnet.evaluate import evaluate_batch, evaluate_float, evaluate_scaled
from exactnet.network import Network
from exactnet.numbers import Q

GRID_BITS = 16
WIDTH = 32
HIDDEN = 8


def float_layers(net: Network) -> list[tuple[np.ndarray, np.ndarray, bool]]:
    """The layers as float64 matrices (exact for dyadic weights, rounded otherwise)."""
    layers = net.layers()
    assert layers is not None
    return [
        (
            np.array([[float(w) for w in row] for row in layer.weights]),
            np.array([float(b) for b in layer.biases]),
            layer.activation == "relu",
        )
        for layer in layers
    ]


def float_baseline(
    layers: list[tuple[np.ndarray, np.ndarray, bool]], x: np.ndarray
) -> np.ndarray:
    """Idiomatic float64 numpy: one matrix product, bias and ReLU per layer."""
    for W, b, relu in layers:
        x = x @ W.T + b
        if relu:
            x = np.maximum(x, 0)
    return x


def measure(
    name: str,
    net: Network,
    nums: np.ndarray,
    den: int,
    scale: np.ndarray | None,
    points: list[Q],
    x: np.ndarray,
    *,
    args: argparse.Namespace,
) -> dict[str, Any]:
    """Time every route on one network and check that the exact ones agree."""
    n = len(points)
    layers = float_layers(net)
    t_float, yf = best_of(lambda: float_baseline(layers, x), args.repeat)
    t_ef, _ = best_of(lambda: evaluate_float(net, x), args.repeat)
    t_scaled, batch = best_of(
        lambda: evaluate_scaled(net, nums, den, point_scale=scale), args.repeat
    )
    t_values, exact = best_of(batch.values, args.repeat)
    t_general, general = best_of(
        lambda: evaluate_batch(net, points, method="scaled"), args.repeat
    )
    if general != exact:
        raise SystemExit(f"{name}: evaluate_batch(scaled) and evaluate_scaled disagree")
    # the reference loop: time a sample, then as many points as the budget allows
    probe = min(n, 200)
    t0 = time.perf_counter()
    ref = evaluate_batch(net, points[:probe], method="mpq")
    per_point = (time.perf_counter() - t0) / probe
    m = n
    if per_point * n > args.mpq_budget:
        m = max(probe, int(args.mpq_budget / per_point))
    if m > probe:
        t0 = time.perf_counter()
        ref = evaluate_batch(net, points[:m], method="mpq")
        t_ref_sample = time.perf_counter() - t0
    else:
        t_ref_sample = per_point * probe
    t_ref = t_ref_sample * n / m
    if ref != exact[:m]:
        raise SystemExit(f"{name}: the reference loop and the scaled engine disagree")
    # how far float64 is from the exact values: information only, never a verdict
    err = max(
        (abs(float(v[0]) - yf[i, 0]) for i, v in enumerate(exact[:2000])),
        default=0.0,
    )
    out_bits = max((int(abs(v[0].numerator)).bit_length() for v in exact), default=0)
    scaled_note = "per-point denominators" if scale is not None else "integers / 2^16"
    ref_note = "reference loop"
    if m < n:
        ref_note += f", extrapolated from {m} points"
    routes = {
        "float64 numpy": (t_float, "baseline"),
        "evaluate_float": (t_ef, "approximate"),
        "evaluate_scaled": (t_scaled, scaled_note),
        "  .values() -> mpq": (t_values, "conversion only"),
        "evaluate_batch scaled": (t_general, "mpq points in, mpq out"),
        "evaluate_batch mpq": (t_ref, ref_note),
    }
    return {
        "network": repr(net),
        "depth": max(net.depth_of(o) for o in net.outputs),
        "output_numerator_bits": out_bits,
        "levels_one_word": batch.int64_levels,
        "levels_multi_limb": batch.limb_levels,
        "levels_python_int": batch.object_levels,
        "limb_bits": batch.limb_bits,
        "reference_points": m,
        "agree": True,
        "float64_vs_exact_max_abs_diff_approx": err,
        "routes": {
            k: {"seconds": t, "ratio_to_float64": t / t_float, "note": note}
            for k, (t, note) in routes.items()
        },
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    rng = np.random.default_rng(args.seed)
    n = args.points
    den = 2**GRID_BITS
    ks = rng.integers(0, den + 1, size=n, dtype=np.int64)
    xf = (ks.astype(np.float64) / den).reshape(-1, 1)  # exact: k / 2^16 is a double
    pts = [Q(int(k), den) for k in ks.tolist()]
    # unrelated denominators: k / q with q odd in [2^15, 2^16), 0 <= k <= q
    qs = rng.integers(2**15, 2**16, size=n, dtype=np.int64) | 1
    kq = rng.integers(0, qs + 1, dtype=np.int64)
    pts_q = [Q(int(k), int(d)) for k, d in zip(kq.tolist(), qs.tolist())]
    xf_q = np.array([float(p) for p in pts_q]).reshape(-1, 1)  # rounded: baseline only
    j255 = mlp(args.seed, 255, WIDTH, HIDDEN)
    cases = {
        "sawtooth16": (sawtooth_net(16), ks, den, None, pts, xf),
        "mlp_dyadic": (mlp(args.seed, 2**8, WIDTH, HIDDEN), ks, den, None, pts, xf),
        "mlp_j255": (j255, ks, den, None, pts, xf),
        "mlp_j255_k/q": (j255, kq, 1, qs, pts_q, xf_q),
    }
    report: dict[str, Any] = {
        "points": n,
        "seed": args.seed,
        "repeat": args.repeat,
        "machine": {
            "python": platform.python_version(),
            "numpy": np.__version__,
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "processor": platform.processor() or platform.machine(),
        },
        "date": datetime.date.today().isoformat(),
        "networks": {},
    }
    for name, case in cases.items():
        report["networks"][name] = measure(name, *case, args=args)
    nets = report["networks"]
    fast = max(
        nets[k]["routes"]["evaluate_scaled"]["ratio_to_float64"]
        for k in ("sawtooth16", "mlp_dyadic")
    )
    general = max(
        r["routes"]["evaluate_batch scaled"]["ratio_to_float64"] for r in nets.values()
    )
    ref = max(
        r["routes"]["evaluate_batch mpq"]["ratio_to_float64"] for r in nets.values()
    )
    report["targets"] = {
        "dyadic fast path (evaluate_scaled, dyadic networks) <= 3x float64": {
            "worst": fast,
            "met": fast <= 3,
        },
        "general path (evaluate_batch scaled, mpq in and out) <= 300x float64": {
            "worst": general,
            "met": general <= 300,
        },
        "reference loop (evaluate_batch mpq), if it is what is meant, <= 300x": {
            "worst": ref,
            "met": ref <= 300,
        },
    }
    return report


def table(report: dict[str, Any]) -> str:
    head = "points: {points}  seed: {seed}  best of {repeat}  date: {date}"
    machine = (
        "machine: {cpus} cpus, {processor}, {platform}, python {python}, numpy {numpy}"
    )
    lines = [head.format(**report), machine.format(**report["machine"]), ""]
    for name, r in report["networks"].items():
        lines.append(
            f"{name}: {r['network']}, depth {r['depth']}, output numerators up to "
            f"{r['output_numerator_bits']} bits; levels on one word / several "
            f"{r['limb_bits']}-bit limbs / Python ints: {r['levels_one_word']} / "
            f"{r['levels_multi_limb']} / {r['levels_python_int']}; exact routes agree "
            f"(reference on {r['reference_points']} points)"
        )
        lines.append(f"  {'route':<24}{'seconds':>10}{'x float64':>12}  note")
        for route, v in r["routes"].items():
            t, ratio = v["seconds"], v["ratio_to_float64"]
            lines.append(f"  {route:<24}{t:>10.4f}{ratio:>12.2f}  {v['note']}")
        lines.append("")
    for target, v in report["targets"].items():
        verdict = "met" if v["met"] else "NOT met"
        lines.append(f"target {target}: worst {v['worst']:.2f}x -> {verdict}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument(
        "--points", type=int, default=100_000, help="number of points (default 100000)"
    )
    p.add_argument(
        "--seed", type=int, default=0, help="seed of the points and the random MLP"
    )
    p.add_argument(
        "--repeat", type=int, default=3, help="best of this many runs (default 3)"
    )
    p.add_argument(
        "--mpq-budget",
        type=float,
        default=60.0,
        help="seconds allowed for the reference loop before extrapolating (default 60)",
    )
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = p.parse_args(argv)
    report = run(args)
    print(json.dumps(report, indent=2) if args.json else table(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
