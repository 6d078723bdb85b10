"""Yarotsky (2017), Lemma 2 / Fig. 2(b): the sawtooth g_s alternates on the grid k/2^s.

Claim.  Let g(x) = 2 relu(x) - 4 relu(x - 1/2) be the tent map and g_s its s-fold
composition.  Then g_s(k / 2^s) = k mod 2 for every integer 0 <= k <= 2^s.

Method.  The network g_s is built by sequential composition of s tent-map networks
(depth s + 1, width 2) and evaluated exactly at all 2^s + 1 grid points; the expected
value k mod 2 is computed from k alone.  s = 1..12.  Runtime: well under a second.

Reference: D. Yarotsky, "Error bounds for approximations with deep ReLU networks",
Neural Networks 94 (2017), arXiv:1610.01145.
"""

# %%
# Build and spot-check by hand: g_2 at 0, 1/4, 1/2, 3/4, 1 must be 0, 1, 0, 1, 0
# ----------------------------------------------------------------------------------
from exactnet.certificate import exit_code
from exactnet.claims.yarotsky2017 import sawtooth_grid
from exactnet.constructions.yarotsky2017 import sawtooth_net
from exactnet.evaluate import evaluate
from exactnet.report import render

g2 = sawtooth_net(2)
assert [evaluate(g2, x)[0] for x in ["0", "1/4", "1/2", "3/4", "1"]] == [0, 1, 0, 1, 0]

# %%
# Certify every s = 1..12 on its whole grid and report
# ------------------------------------------------------
certs = [sawtooth_grid(s) for s in range(1, 13)]
print(render(certs))
raise SystemExit(exit_code(certs))
