"""Ou, Schenkel, Bölcskei (2024): under-, proper- and over-quantization, measured with exact errors.

Claim (the paper's abstract; its theorem statements could not be retrieved from the text
stores available here, so no constant of the paper is checked).  As a function of the
weight precision b, the minimax error of approximating 1-Lipschitz functions on [0, 1]
by ReLU networks shows three regimes: under-quantization (the precision limits the
error), proper quantization (memory-optimal), over-quantization (more bits do not help).

Experiment.  For |x - 1/3|, sin x, and zigzags with 32 and 256 pieces of slope +-1 (the
sawtooth worst case), the interpolant at N + 1 uniform points is written exactly as a
one-hidden-layer ReLU network and rounded to b-bit fixed point (exactnet.regimes).  The
exact sup error over [0, 1] is tabulated against b at fixed N (and so at a fixed number
of weights) and against the total memory (nonzero weights and biases x b).  Each point is
classified (regimes.classify: under if its error exceeds twice the unrounded error e_N,
proper at the smallest b that is not, over above).  Beside them: the interpolation bound
1/(2N) for 1-Lipschitz targets and the counting lower bound 1/(2(M+1)) of any M-bit
encoding (both derived in exactnet.regimes, not taken from the paper).  Each proper point
is re-certified: sup |N - f| <= 2 e_N.  Runtime: about ten seconds.  The figure is written
to the path given as the first argument (default: a temporary directory).

Reference: W. Ou, P. Schenkel, H. Bölcskei, "Three Quantization Regimes for ReLU
Networks", arXiv:2405.01952 (2024), abstract and Section 1.
"""

# %%
# Spot-check by hand: |x - 1/3| with N = 2 has the exact interpolation error 2/9
# (the chord from (0, 1/3) to (1/2, 1/6) at x = 1/3)
# ------------------------------------------------------------------------------
import sys
import tempfile
from pathlib import Path

from exactnet.certificate import exit_code
from exactnet.numbers import Interval, Q, approx
from exactnet.plot import regimes_figure, save_figure
from exactnet.regimes import (
    TARGETS,
    approximant_net,
    classify,
    memory_lower_bound,
    regime_point,
    regime_table,
)
from exactnet.report import render
from exactnet.supnorm import certify

assert regime_point("abs", 2, None).error == Q(2, 9)

# %%
# The table: exact sup errors for every (target, N, b)
# ----------------------------------------------------
PIECES = [4, 8, 16, 32, 64, 128]
BITS = [3, 4, 5, 6, 8, 10, 12, 14, 16, 20, 24, 28]
tables = {t: regime_table(t, PIECES, BITS) for t in TARGETS}
regimes = {t: classify(rows) for t, rows in tables.items()}
print(
    "exact sup error over [0, 1] (≈, 3 digits; * marks the proper point, u under, o over)"
)
for t, rows in tables.items():
    print(f"\n{t}: {TARGETS[t]}")
    print("   N  e_N(unrounded)  " + "  ".join(f"b={b:<6d}" for b in BITS))
    for N in PIECES:
        e = next(r.error for r in rows if r.pieces == N and r.bits is None)
        cells = []
        for b in BITS:
            r = next(r for r in rows if r.pieces == N and r.bits == b)
            mark = {"under": "u", "proper": "*", "over": "o"}[regimes[t][(N, b)]]
            cells.append(f"{approx(r.error, 3):>7s}{mark}")
        print(f"{N:4d}  {approx(e, 3):>14s}  " + " ".join(cells))

# %%
# Regimes: the proper precision grows with N (the shallow representation's slope
# changes need about log2 N more bits for a smooth target than for a kink)
# -----------------------------------------------------------------------------------
print("\nproper bits per weight b*(N):")
for t in TARGETS:
    print(
        f"  {t:11s}",
        {
            N: next(b for b in BITS if regimes[t].get((N, b)) == "proper")
            for N in PIECES
        },
    )

# %%
# Certify each proper point: sup |N - f| <= 2 e_N, exactly (an enclosure for sin)
# ---------------------------------------------------------------------------------
certs = []
for t, rows in tables.items():
    for N in PIECES:
        b = next(b for b in BITS if regimes[t][(N, b)] == "proper")
        e = next(r.error for r in rows if r.pieces == N and r.bits is None)
        certs.append(
            certify(
                approximant_net(TARGETS[t], N, b), TARGETS[t], Interval(0, 1), 2 * e
            )
        )

# %%
# The figure: error against bits at fixed N, and against total memory
# --------------------------------------------------------------------
points = [r for rows in tables.values() for r in rows]
marks = {(t,) + key: v for t, reg in regimes.items() for key, v in reg.items()}
ms = sorted({r.memory_bits for r in points if r.memory_bits})
fig = regimes_figure(
    points,
    marks,
    bound=[(m, memory_lower_bound(m)) for m in ms],
    title="Quantization regimes (exactnet.regimes): exact sup errors of b-bit interpolant networks",
)
out = (
    Path(sys.argv[1])
    if len(sys.argv) > 1
    else Path(tempfile.mkdtemp()) / "ou2024_regimes.png"
)
save_figure(fig, out)
print(f"\nfigure written to {out}")
print(render(certs))
raise SystemExit(exit_code(certs))
