"""Ding et al. (2019), Proposition 4: the transformed function f~ of the function-dependent structure.

Claim.  For f in F_{1,1}, t, T in Z^+, there is f~ with (i) f~ continuous and
1-Lipschitz, (ii) f~(i/T) = ceil(T f(i/T) / 2^-t) 2^-t / T, (iii)
|f~(x) - f(x)| < 2^-t / T (strict).

Method.  For piecewise-linear f, f~ is the exact solution of the paper's ODE
(eqs. (22)-(24)), followed piece by piece (exactnet.constructions.ding2019_cached.transform);
it does not assume (ii).  (i) is the largest |slope|, (ii) exact evaluation at
the T + 1 grid points against the formula computed from f alone, (iii) the exact
sup of |f~ - f| (PWL route) compared strictly.  For f = x^2/2 the closed form of
f~ (min/max of the slope-1 chase and f^+) gives (ii) and an exact sup for (iii).
Runtime: about a second.

Reference: Y. Ding, J. Liu, J. Xiong, Y. Shi, ICLR 2019, arXiv:1802.03646,
Proposition 4 and Appendix A.4.
"""

# %%
# Spot-check by hand: f = |x - 1/3|, t = 1, T = 2, grid 1/4.  f(0) = 1/3 rounds up to
# 1/2; on (0, 1/2] f^+ = f + (1/4 - 1/6) = f + 1/12, so f~ chases down with slope -1
# parallel to f until 1/3, then meets f^+ (rising) at 3/8 where both are 1/8.
# ------------------------------------------------------------------------------------
from exactnet.certificate import exit_code
from exactnet.claims.ding2019_cached import (
    PWL_TARGETS,
    prop4_error,
    prop4_error_quadratic,
    prop4_grid,
    prop4_lipschitz,
)
from exactnet.constructions.ding2019_cached import transform
from exactnet.numbers import Interval, q
from exactnet.report import render
from exactnet.targets import parse_target

g = transform(parse_target("abs(x - 1/3)").to_pwl(Interval(0, 1)), 1, 2)
assert [str(x) for x in g.xs] == ["0", "3/8", "1"]
assert (g(0), g(q("3/8")), g(1)) == (q("1/2"), q("1/8"), q("3/4"))

# %%
# Certify (i), (ii), (iii) on three PWL targets and four (t, T), and x^2/2
# -------------------------------------------------------------------------
certs = []
for f in PWL_TARGETS:
    for t, T in ((1, 2), (2, 5), (3, 8), (1, 13), (4, 21)):
        certs += [prop4_lipschitz(f, t, T), prop4_grid(f, t, T), prop4_error(f, t, T)]
for t, T in ((1, 4), (2, 7), (3, 16), (5, 40)):
    certs.append(prop4_error_quadratic(t, T))
# the exact sup of |f~ - f| is below 2^-t/T in every case (strict), e.g. 1/6 < 1/4 above
assert prop4_error("abs(x - 1/3)", 1, 2).value == q("1/6")
print(render(certs))
raise SystemExit(exit_code(certs))
