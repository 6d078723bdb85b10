"""Ding et al. (2019), Theorem 3: the function-dependent network reaches error eps.

Claim.  For f in F_{1,1} and eps in (0, 1), the network built from f~
(Proposition 4) by linear interpolation at i/T and cached functions, with
m = ceil(log(1/eps)/2), t = ceil(log m), delta = 1/(8m), T = ceil(8/(eps log(1/eps))),
has |f - f''| <= eps.  The log base is not stated: both log_2 and ln are decided.

Method.  exactnet.constructions.ding2019_cached.cached_net builds the network
(unquantized skeleton: exact rational weights; see its Notes), and the exact
sup error over [0, 1] is computed by PWL extraction (exact for PWL and
polynomial targets, an Arb enclosure of width <= 10^-30 for sin).  Also: the
interpolation slopes are integer multiples of 2^-t (so Proposition 3 can build
them), and the hyper-parameter t = ceil(log m) is 0 when m = 1, outside
Proposition 4's t in Z^+ (a recorded erratum; the construction works with t = 0).
Runtime: a few seconds.

Reference: Y. Ding, J. Liu, J. Xiong, Y. Shi, ICLR 2019, arXiv:1802.03646,
Theorem 3 and Appendix A.5 (after Yarotsky 2017, arXiv:1610.01145).
"""

# %%
# Spot-check by hand: eps = 1/16 with log_2 gives m = 2, t = 1, T = ceil(8/(4/16)) = 32;
# at a grid point the network is f~(i/T): f = |x - 1/3| at 1/32 is 29/96, rounded up
# to the grid 1/64 gives 20/64 = 5/16.
# ------------------------------------------------------------------------------------
from exactnet.certificate import Verdict, exit_code
from exactnet.claims.ding2019_cached import ZIGZAG, thm3_error, thm3_slopes_on_grid, thm3_t_positive
from exactnet.constructions.ding2019_cached import cached_net, hyperparameters
from exactnet.evaluate import evaluate
from exactnet.numbers import q
from exactnet.report import render

P = hyperparameters("1/16")
assert (P.m, P.t, P.T) == (2, 1, 32)
assert evaluate(cached_net("abs(x - 1/3)", "1/16"), "1/32")[0] == q("5/16")

# %%
# Certify the error on five targets, eps down to 1/256, both log readings
# ------------------------------------------------------------------------
certs = []
for f in ("abs(x - 1/3)", "min(abs(x - 1/5), abs(x - 7/10))/2 + x/2", "x^2/2", ZIGZAG, "sin(x)"):
    for eps in ("1/4", "1/16", "1/64", "1/256") if f != "sin(x)" else ("1/16", "1/64"):
        for base in ("2", "e"):
            certs.append(thm3_error(f, eps, base))
for eps in ("1/64", "1/1000"):
    for base in ("2", "e"):
        certs.append(thm3_slopes_on_grid("x^2/2", eps, base))

# %%
# The erratum: t = ceil(log m) = 0 at eps = 1/2 (m = 1) in both readings
# ----------------------------------------------------------------------
for base in ("2", "e"):
    c = thm3_t_positive("1/2", base)
    assert c.verdict is Verdict.VIOLATED and c.value == 0, c
print(render(certs))
raise SystemExit(exit_code(certs))
