"""Yarotsky (2017), proof of Proposition 2: f_m interpolates x^2 on the grid k/2^m.

Claim.  f_m(x) = x - sum_{s=1..m} g_s(x) / 2^(2s) equals x^2 at x = k / 2^m for
every integer 0 <= k <= 2^m.

Method.  The network f_m (a chain of tent units with skip connections into one
output, depth m + 1) is evaluated exactly at all 2^m + 1 grid points and compared
with (k/2^m)^2 computed in exact arithmetic.  m = 1..10.  Runtime: under a second.

Reference: D. Yarotsky, "Error bounds for approximations with deep ReLU networks",
Neural Networks 94 (2017), arXiv:1610.01145, Proposition 2.
"""

# %%
# Build and spot-check by hand: f_1 interpolates x^2 at 0, 1/2, 1, so f_1(1/2) = 1/4,
# and on [0, 1/2] it is the chord from (0, 0) to (1/2, 1/4), of slope 1/2: f_1(1/4) = 1/8
# -----------------------------------------------------------------------------------
from exactnet.certificate import exit_code
from exactnet.claims.yarotsky2017 import square_grid
from exactnet.constructions.yarotsky2017 import square_net
from exactnet.evaluate import evaluate
from exactnet.numbers import q
from exactnet.report import render

f1 = square_net(1)
assert evaluate(f1, "1/2")[0] == q("1/4")
assert evaluate(f1, "1/4")[0] == q("1/8")

# %%
# Certify every m = 1..10 on its whole grid and report
# ------------------------------------------------------
certs = [square_grid(m) for m in range(1, 11)]
print(render(certs))
raise SystemExit(exit_code(certs))
