"""Ding et al. (ICLR 2019), Proposition 1: squaring with the weights 1/2 and -1/2 only.

Claim.  f_s^r, a ReLU sub-network with only the weights 1/2 and -1/2, approximates
x^2 on [0, 1] with (i) f_s^r(0) = 0, (ii) error <= 2^(-2(r+1)), (iii) depth O(r),
(iv) constant width, (v) O(r) weights.

Construction.  exactnet.constructions.ding2019.square_net: the "pre-scale" form of
Appendix A.1 / Figure 2 (an input block of 4 units, r layers of B_m (8 units) beside
B_g (12 units), a chain of 2r halvings, the output).

Method.  (i) exact evaluation; (ii) the exact sup of |f_s^r - x^2| on [0, 1] through
the exact piecewise-linear function (it equals the bound: tight); (iii)-(v) the
counted metrics against the closed forms depth 3r + 2, width 20, weights 306r - 200
(derived by counting Figure 2's blocks; checked for r = 1..12: evidence for the O(.)
shapes, not a proof); the alphabet with biases exempt and with biases counted
(the biases are 0 and -1/2, so both readings hold).  Runtime: a few seconds.

Reference: Y. Ding, J. Liu, J. Xiong, Y. Shi, ICLR 2019, arXiv:1802.03646, Prop. 1,
Appendix A.1, Figure 2.
"""

# %%
# Build and spot-check by hand: f_s^1 is the chord of x^2 on [0, 1/2] and [1/2, 1],
# so f_s^1(1/4) = 1/8 (error 1/8 - 1/16 = 1/16 = 2^-4) and f_s^1(1/2) = 1/4
# ----------------------------------------------------------------------------------
from exactnet.certificate import exit_code
from exactnet.claims.ding2019 import alphabet_claim, square_sizes_claim, square_sup, square_zero
from exactnet.constructions.ding2019 import square_net
from exactnet.evaluate import evaluate
from exactnet.metrics import metrics
from exactnet.numbers import q
from exactnet.report import render

f1 = square_net(1)
assert evaluate(f1, "1/4")[0] == q("1/8") and evaluate(f1, "1/2")[0] == q("1/4")
m = metrics(f1)
# by hand: 4 input units + 20 (B_m, B_g) + 2 chain units + 1 output = 27 neurons;
# weights 4 + 20*4 + 20 + 1 + 1 = 106; depth: input, core, 2 chain, output = 5
assert (m.neurons, m.weights, m.depth, m.width) == (27, 106, 5, 20)

# %%
# Certify (i) and (ii) for r = 1..10: the exact sup must equal 2^(-2(r+1))
# ---------------------------------------------------------------------------
certs = [square_zero(r) for r in range(1, 11)]
sups = [square_sup(r) for r in range(1, 11)]
for r, c in enumerate(sups, start=1):
    assert c.value == q(f"2^{-2 * (r + 1)}") and c.witness[0] == q(f"2^{-(r + 1)}"), (r, c.value)
certs += sups

# %%
# (iii)-(v): exact sizes against the closed forms; the alphabet in both bias readings
# --------------------------------------------------------------------------------------
certs += [square_sizes_claim(r) for r in range(1, 13)]
certs += [alphabet_claim(square_net(r), f"f_s^{r}", with_biases=wb) for r in (1, 5, 9) for wb in (False, True)]
print(render(certs))
raise SystemExit(exit_code(certs))
