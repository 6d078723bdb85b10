"""Yarotsky (2017), Proposition 2: sup_[0,1] |f_m(x) - x^2| = 2^(-2m-2).

Claim.  The squaring network f_m(x) = x - sum_{s=1..m} g_s(x)/4^s satisfies
sup over [0, 1] of |f_m(x) - x^2| = 2^(-2m-2), attained at x = 2^(-m-1) (the middle
of the first grid cell).

Method.  The exact piecewise-linear function of f_m is extracted (2^m pieces); on each
piece the error s x + c - x^2 is a quadratic whose maximum is at the piece ends or at
x = s/2, all rational, so the sup is an exact rational.  The maximiser is re-confirmed
by exact evaluation of the network.  m = 1..12.  Runtime: about a second.

Reference: D. Yarotsky, "Error bounds for approximations with deep ReLU networks",
Neural Networks 94 (2017), arXiv:1610.01145, Proposition 2.
"""

# %%
# Spot-check by hand: on [0, 1/2] f_1 is the chord y = x/2, so the error x/2 - x^2
# peaks at x = 1/4 with value 1/8 - 1/16 = 1/16 = 2^(-4)
# ---------------------------------------------------------------------------------
from exactnet.certificate import exit_code
from exactnet.claims.yarotsky2017 import square_sup
from exactnet.numbers import q
from exactnet.report import render

c1 = square_sup(1)
assert c1.value == q("1/16") and c1.witness == (q("1/4"),)

# %%
# Certify m = 1..12: the exact sup must equal the stated 2^(-2m-2), not just bound it
# ------------------------------------------------------------------------------------
certs = [square_sup(m) for m in range(1, 13)]
for m, c in enumerate(certs, start=1):
    assert c.value == q(f"2^{-2 * m - 2}"), (m, c.value)
print(render(certs))
raise SystemExit(exit_code(certs))
