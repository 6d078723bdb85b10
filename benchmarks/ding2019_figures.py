"""Ding et al. (2019): sizes of built networks against eps and lambda, beside the paper's bounds.

Builds the function-dependent network of Theorem 3 (exactnet.constructions.ding2019_cached)
for f = |x - 1/3| and a zigzag, eps = 2^-2 .. 2^-K, both log readings; computes the exact
sup error, weights and depth of each; and plots weights * eps (Theorem 3/4: O(1/eps)) and the
exact error / eps.  Against lambda: Proposition 3's weight sub-network (the other engineer's
exactnet.constructions.ding2019.weight_net) at t = 16 for lambda = 2..8, beside the paper's
bounds lambda (t^(1/(lambda-1)) - 1) + 1 (depth) and 4 t lambda (t^(1/(lambda-1)) - 1) + 8t + 4
(weights).  Also Figure 1b: log2(lambda*) against d (a formula, not networks).

Also the quantized networks of Theorems 3 (Prop. 3 sub-networks, lambda = 2) and 4 (linear
weights, lambda = 4) for |x - 1/3| (quantized_cached_net), and the function-independent structure
of Theorems 1/2 (exactnet.constructions.ding2019.theorem1_net, f = x^2/2, d = 1, n = 1 and 2,
N = 2, 4, ...; eps is eq. (21)'s 3 * 2^d (d/N)^n), each with its exact sup error.

Usage: python benchmarks/ding2019_figures.py [K] [out-dir]   (K = 12 by default)
"""

import sys
from pathlib import Path

from exactnet.constructions.ding2019_cached import cached_net, quantized_cached_net
from exactnet.lambda_opt import bit_width
from exactnet.metrics import metrics
from exactnet.numbers import Interval, Q
from exactnet.plot import save_figure, series_figure
from exactnet.supnorm import certify

K = int(sys.argv[1]) if len(sys.argv) > 1 else 12
OUT = Path(sys.argv[2]) if len(sys.argv) > 2 else Path("benchmarks")
ZIG = "x"
for k in range(1, 10):
    ZIG = f"abs({ZIG} - 1/{2**k})"

rows = []
series_w, series_e, series_d = [], [], []
for name, f in (("|x-1/3|", "abs(x - 1/3)"), ("zigzag9", ZIG)):
    for base in ("2", "e"):
        xs, ws, es, ds = [], [], [], []
        for k in range(2, K + 1):
            eps = Q(1, 2**k)
            net = cached_net(f, eps, base=base)
            c = certify(net, f, Interval(0, 1), eps)
            assert c.verdict.value == "holds", c
            m = metrics(net)
            rows.append((name, base, str(eps), net.metadata["T"], net.metadata["m"], net.metadata["t"],
                         m.depth, m.weights, m.weights_with_biases, m.distinct_weights, str(c.value)))
            xs.append(Q(2**k)); ws.append(m.weights * eps); es.append(c.value / eps); ds.append(m.depth)
        series_w.append((f"{name}, log {base}", xs, ws))
        series_e.append((f"{name}, log {base}", xs, es))
        series_d.append((f"{name}, log {base}", xs, ds))

qrows = []
q_w, q_d = [], []
for quant, lam in (("nonlinear", 2), ("linear", 4)):
    xs, ws, ds = [], [], []
    for k in range(2, min(K, 10) + 1):
        eps = Q(1, 2**k)
        net = quantized_cached_net("abs(x - 1/3)", eps, lam, quantization=quant)
        c = certify(net, "abs(x - 1/3)", Interval(0, 1), eps)
        assert c.verdict.value == "holds", c
        m = metrics(net)
        qrows.append((quant, lam, str(eps), m.depth, m.weights, m.distinct_weights,
                      m.distinct_weights_with_biases, str(c.value)))
        xs.append(Q(2**k)); ws.append(m.weights * eps); ds.append(m.depth)
    q_w.append((f"Thm {3 if quant == 'nonlinear' else 4}, lambda = {lam}", xs, ws))
    q_d.append((f"Thm {3 if quant == 'nonlinear' else 4}, lambda = {lam}", xs, ds))

irows = []
i_w, i_d = [], []
try:
    from exactnet.constructions.ding2019 import theorem1_net

    for quant, lam in (("nonlinear", 2), ("linear", 4)):
        for n, Ns in ((1, (2, 4, 8, 16, 32)), (2, (2, 4))):
            xs, ws, ds = [], [], []
            for N in Ns:
                net = theorem1_net({(2,): "1/2"}, d=1, n=n, N=N, lam=lam, quantization=quant)
                eps = Q(net.metadata["eps"])
                c = certify(net, "x^2/2", Interval(0, 1), eps)
                assert c.verdict.value == "holds", c
                m = metrics(net)
                irows.append((quant, lam, n, N, str(eps), m.depth, m.weights, str(c.value)))
                xs.append(1 / eps); ws.append(Q(m.weights) * eps); ds.append(m.depth)
            i_w.append((f"Thm {1 if quant == 'nonlinear' else 2}, n = {n}, lambda = {lam}", xs, ws))
            i_d.append((f"Thm {1 if quant == 'nonlinear' else 2}, n = {n}, lambda = {lam}", xs, ds))
except ImportError as exc:
    print("Theorem 1 builder not available:", exc)

print("| f | log | eps | T | m | t | depth | weights | weights+biases | distinct weights | exact sup error |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
for r in rows:
    print("| " + " | ".join(str(v) for v in r) + " |")

print("\nQuantized Theorem 3/4, f = |x - 1/3|, log 2")
print("| quantization | lambda | eps | depth | weights | distinct weights | with biases | exact sup error |")
print("|---|---|---|---|---|---|---|---|")
for r in qrows:
    print("| " + " | ".join(str(v) for v in r) + " |")
print("\nTheorems 1/2 (function-independent), f = x^2/2, d = 1")
print("| quantization | lambda | n | N | eps (eq. 21) | depth | weights | exact sup error |")
print("|---|---|---|---|---|---|---|---|")
for r in irows:
    print("| " + " | ".join(str(v) for v in r) + " |")

panels = [
    {"title": "Theorem 3 skeleton: weights x eps (bound: O(1/eps), i.e. bounded)", "xlabel": "1/eps",
     "ylabel": "weights * eps", "logx": True, "series": series_w},
    {"title": "exact sup error / eps (must be <= 1)", "xlabel": "1/eps", "ylabel": "error / eps",
     "logx": True, "series": series_e + [("bound", [Q(4), Q(2**K)], [1, 1], "dashed")]},
    {"title": "depth (the skeleton: 3; Table 2's blocks add O(log T) scaling layers)", "xlabel": "1/eps",
     "ylabel": "depth", "logx": True, "series": series_d},
]

panels.append({"title": "quantized Thm 3/4: weights x eps (paper: O(1/eps) + lower order)", "xlabel": "1/eps",
               "ylabel": "weights * eps", "logx": True, "series": q_w})
panels.append({"title": "quantized Thm 3/4: depth (paper: O(log 1/eps))", "xlabel": "1/eps", "ylabel": "depth",
               "logx": True, "series": q_d})
if i_w:
    panels.append({"title": "Thm 1/2 (d = 1): weights x eps^(d/n) ... shown as weights x eps", "xlabel": "1/eps",
                   "ylabel": "weights * eps", "logx": True, "logy": True, "series": i_w})
    panels.append({"title": "Thm 1/2 (d = 1): depth (paper: O(lambda log^(1/(lambda-1))(1/eps) + log(1/eps)))",
                   "xlabel": "1/eps", "ylabel": "depth", "logx": True, "series": i_d})

try:
    from exactnet.constructions.ding2019 import weight_bounds, weight_sizes

    t = 16
    lams = list(range(2, 9))
    got_d, got_w, bd, bw = [], [], [], []
    for lam in lams:
        s = weight_sizes(Q(12345, 2**16), lam, t)
        b = weight_bounds(lam, t)
        got_d.append(s["depth"]); got_w.append(s["weights"])
        bd.append(b["depth"]); bw.append(b["weights"])
    print("\nProposition 3 at t = 16, w = 12345/2^16: lambda, depth, bound, weights, bound")
    for row in zip(lams, got_d, bd, got_w, bw):
        print(row)
    panels.append({"title": "Prop. 3 weight sub-network vs lambda (t = 16)", "xlabel": "lambda", "ylabel": "count",
                   "logy": True, "series": [("depth (built)", lams, got_d), ("depth bound", lams, bd, "dashed"),
                                            ("weights (built)", lams, got_w), ("weights bound", lams, bw, "dashed")]})
except ImportError as exc:  # the other engineer's builder is not there
    print("Prop. 3 weight sub-network not available:", exc)

ds = [1, 10, 100, 784, 3072, 10**4, 150528, 10**6]
bws = {e: [bit_width(d, 1, e).lo for d in ds] for e in ("1/4", "1/1000000")}
print("\nFigure 1b: d, log2(lambda*) at eps = 1/4, 10^-6 (n = 1)")
for i, d in enumerate(ds):
    print(d, float(bws["1/4"][i]), float(bws["1/1000000"][i]))
panels.append({"title": "Figure 1b: optimal bit-width log2(lambda*) (formula (6), n = 1)", "xlabel": "d",
               "ylabel": "log2(lambda*)", "logx": True,
               "series": [(f"eps = {e}", ds, v) for e, v in bws.items()]})
out = save_figure(series_figure(panels, title="Ding et al. 2019: built networks (exact) beside the paper's bounds"),
                  OUT / "ding2019_figures.png")
print("wrote", out)
