"""Benchmark exact linear regions in 2-D against float64 region counts (issue 7).

Run from the repository root::

    PYTHONPATH=. python benchmarks/regions.py            # the full run (a few minutes)
    PYTHONPATH=. python benchmarks/regions.py --quick    # a smoke run
    PYTHONPATH=. python benchmarks/regions.py --json     # the same, as JSON

Networks (two inputs, one output):

* ``mlp s=K`` -- random 2-16-16-1 perceptrons with dyadic weights and biases
  ``j / 2^4`` (|j| <= 16, seeded) on [-1, 1]^2;
* ``product r=R`` -- Ding et al.'s product network x'(x, y) =
  2 (f(|x+y|/2) - f(|x|/2) - f(|y|/2)) (three squaring networks, the
  polarization identity; ``exactnet.constructions.ding2019.product_net``) at
  growing depth 3R + 1, on [-1, 1]^2;
* ``sliver 2^-60`` -- relu(x - y) + relu(x - y - 2^-60): three regions, the
  middle one of area about 2^-59 (where float64 counts cannot be trusted).

Routes, in the same run:

* ``exact`` -- ``exactnet.regions.linear_regions`` (exact rational splitting),
  with the tiling checked: the volumes add up to the box's volume exactly;
* ``float split`` -- the same layer-by-layer splitting in float64, written here
  (Sutherland-Hodgman clipping of float polygons; a neuron splits a polygon
  when its pre-activation exceeds +-1e-12 at two vertices; slivers of area
  below 1e-14 dropped; the same memoisation of forms shared by sibling cells);
* ``float grid N`` -- distinct activation patterns (pre-activation > 0) of
  the float64 forward pass at the N x N cell centres (shifted by an irrational
  fraction of a cell so that no point lands on a dyadic kink).

Every count is compared with the exact one.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import time

import numpy as np

from exactnet.constructions.ding2019 import product_net
from exactnet.network import Network
from exactnet.numbers import Q, parse_box
from exactnet.regions import linear_regions, total_volume


def mlp(seed: int, sizes: tuple[int, ...] = (2, 16, 16, 1), bits: int = 4) -> Network:
    rnd = random.Random(seed)
    W, B = [], []
    for a, b in zip(sizes, sizes[1:]):
        W.append([[Q(rnd.randint(-(2**bits), 2**bits), 2**bits) for _ in range(a)] for _ in range(b)])
        B.append([Q(rnd.randint(-(2**bits), 2**bits), 2**bits) for _ in range(b)])
    return Network.from_layers(W, B)


def _plan(net: Network) -> list[tuple[int, float, list[tuple[int, float]], bool]]:
    index = {n: i for i, n in enumerate(net.inputs)}
    steps = []
    for n in net.neurons:
        preds = [(index[u], float(w)) for u, w in net.predecessors(n)]
        index[n] = len(index)
        steps.append((index[n], float(net.bias(n)), preds, net.activation(n) == "relu"))
    return steps


def float_grid(net: Network, n: int) -> int:
    """Distinct float64 activation patterns at n x n cell centres of [-1, 1]^2."""
    shift = (math.sqrt(2) - 1) / 7  # an irrational fraction of a cell
    t = -1 + (np.arange(n) + 0.5 + shift) * (2 / n)
    X, Y = np.meshgrid(t, t)
    values = [X.ravel(), Y.ravel()]
    columns, byte = [], np.zeros(values[0].shape, dtype=np.uint8)
    k = 0
    for _, b, preds, relu in _plan(net):
        z = np.full(values[0].shape, b)
        for i, w in preds:
            z = z + w * values[i]
        if relu:
            byte |= (z > 0).astype(np.uint8) << (k % 8)  # 8 pattern bits per byte column
            k += 1
            if k % 8 == 0:
                columns.append(byte)
                byte = np.zeros(values[0].shape, dtype=np.uint8)
            z = np.maximum(z, 0)
        values.append(z)
    columns.append(byte)
    return len(np.unique(np.stack(columns, axis=1), axis=0))


def float_split(net: Network, tol: float = 1e-12) -> int:
    """The splitting algorithm of exactnet.regions in float64 (polygons as vertex lists)."""
    cells = [([(-1.0, -1.0), (1.0, -1.0), (1.0, 1.0), (-1.0, 1.0)], [((1.0, 0.0), 0.0), ((0.0, 1.0), 0.0)])]
    zero = ((0.0, 0.0), 0.0)
    for _, b, preds, relu in _plan(net):
        nxt = []
        memo: dict = {}  # the same memoisation of shared forms as exactnet.regions
        for poly, forms in cells:
            key = tuple(id(forms[i]) for i, _ in preds)
            h = memo.get(key)
            if h is None:
                cx, cy, c0 = 0.0, 0.0, b
                for i, w in preds:
                    (fx, fy), f0 = forms[i]
                    cx, cy, c0 = cx + w * fx, cy + w * fy, c0 + w * f0
                h = memo[key] = ((cx, cy), c0)
            (cx, cy), c0 = h
            if not relu:
                nxt.append((poly, forms + [h]))
                continue
            vals = [cx * x + cy * y + c0 for x, y in poly]
            if not (max(vals) > tol and min(vals) < -tol):
                nxt.append((poly, forms + [h if max(vals) > tol else zero]))
                continue
            for sign in (1, -1):
                part = _clip(poly, vals, sign)
                if _area(part) > 1e-14:
                    nxt.append((part, forms + [h if sign > 0 else zero]))
        cells = nxt
    return len(cells)


def _clip(poly: list[tuple[float, float]], vals: list[float], sign: int) -> list[tuple[float, float]]:
    out = []
    n = len(poly)
    for k in range(n):
        p, q = poly[k], poly[(k + 1) % n]
        a, b = sign * vals[k], sign * vals[(k + 1) % n]
        if a >= 0:
            out.append(p)
        if (a > 0 > b) or (a < 0 < b):
            t = a / (a - b)
            out.append((p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])))
    return out


def _area(poly: list[tuple[float, float]]) -> float:
    return abs(sum(poly[k][0] * poly[(k + 1) % len(poly)][1] - poly[(k + 1) % len(poly)][0] * poly[k][1]
                   for k in range(len(poly)))) / 2 if len(poly) >= 3 else 0.0


def _best(f, repeat: int):  # type: ignore[no-untyped-def]
    best, out = math.inf, None
    for _ in range(repeat):
        t = time.perf_counter()
        out = f()
        best = min(best, time.perf_counter() - t)
    return out, best


def run(quick: bool) -> list[dict]:
    box = parse_box("-1,1x-1,1")
    nets = [(f"mlp s={s}", mlp(s)) for s in ((1, 2) if quick else (1, 2, 3, 4))]
    nets += [(f"product r={r}", product_net(r)) for r in ((1, 2, 3) if quick else (1, 2, 3, 4, 5, 6))]
    # relu(x - y) + relu(x - y - 2^-60): 3 regions by hand, the middle one a sliver of width 2^-60
    nets.append(("sliver 2^-60", Network.from_layers([[[1, -1], [1, -1]], [[1, 1]]], [[0, Q(-1, 2**60)], [0]])))
    grids = (100, 400) if quick else (100, 400, 1000)
    rows = []
    for name, net in nets:
        regions, t_exact = _best(lambda: linear_regions(net, box), 1 if quick else 2)
        assert total_volume(regions) == box.volume, name
        n_split, t_split = _best(lambda: float_split(net), 1 if quick else 2)
        row = {
            "network": name,
            "relus": sum(1 for n in net.neurons if net.activation(n) == "relu"),
            "exact": len(regions),
            "exact_s": round(t_exact, 4),
            "regions_per_s": round(len(regions) / t_exact),
            "float_split": n_split,
            "float_split_s": round(t_split, 4),
            "exact_over_float_split": round(t_exact / t_split, 2),
            "smallest_area": str(min(r.volume for r in regions)),
        }
        for g in grids:
            cnt, t = _best(lambda: float_grid(net, g), 1)
            row[f"grid{g}"] = cnt
            row[f"grid{g}_s"] = round(t, 3)
        rows.append(row)
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    rows = run(args.quick)
    if args.json:
        print(json.dumps(rows, indent=1))
        return
    grids = [k for k in rows[0] if k.startswith("grid") and not k.endswith("_s")]
    head = ["network", "ReLUs", "exact", "exact s", "regions/s", "float split", "split s", "exact/split",
            "smallest area"] + [f"{g} (s)" for g in grids]
    print(" | ".join(head))
    print(" | ".join("---" for _ in head))
    for r in rows:
        cells = [r["network"], r["relus"], r["exact"], r["exact_s"], r["regions_per_s"], r["float_split"],
                 r["float_split_s"], f"{r['exact_over_float_split']}x", f"≈{float(Q(r['smallest_area'])):.2g}"]
        cells += [f"{r[g]} ({r[g + '_s']})" for g in grids]
        print(" | ".join(str(c) for c in cells))


if __name__ == "__main__":
    main()
