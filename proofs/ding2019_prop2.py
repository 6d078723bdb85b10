"""Ding et al. (ICLR 2019), Proposition 2: the product x' from three squarings, eq. (2).

Claim.  With the weights 1/2 and -1/2 only, x'(x, y) = 2 (f_s^r(|x+y|/2) - f_s^r(|x|/2)
- f_s^r(|y|/2)) satisfies on [-1, 1]^2: (i) x'(x, y) = 0 if x = 0 or y = 0;
(ii) |x'(x, y) - xy| <= 6 * 2^(-2(r+1)); (iii)-(v) depth O(r), constant width, O(r)
weights; Table 1: B_x' has width 60 and depth 3r + 1.

Method.  (i) the network restricted to each axis is extracted as an exact PWL
function: all its values are 0.  (ii) eq. (2) is affine on the triangles cut by the
lines x = ih, y = jh, x + y = kh (h = 2^(1-r)); the error's extremes lie on edges,
where they are exact rationals (vertices, or the critical point of a diagonal edge);
affinity is spot-checked at every centroid and the maximiser is re-evaluated exactly.
Finding: the exact sup is 4 * 2^(-2(r+1)) = 2^(-2r) (at x = y = 2^-r and its mirror
images), so the constant 6 is loose; 4 is exact (by hand: e(u) = f_s^r(u) - u^2 lies
in [0, 2^(-2(r+1))], so x' - xy = 2(e(|x+y|/2) - e(|x|/2) - e(|y|/2)) >= -4 E).
(iii)-(v): counted sizes (width 60 and depth 3r + 1 exactly as Table 1 states).
Runtime: a few seconds.

Reference: Y. Ding, J. Liu, J. Xiong, Y. Shi, ICLR 2019, arXiv:1802.03646, Prop. 2,
eq. (2)-(3), Table 1.
"""

# %%
# Build and spot-check: at x = y = 1/2 (r = 1) all three arguments 1/4, 1/4, 1/2 ...
# |x|/2 = 1/4 is the midpoint of [0, 1/2] where f_s^1 = 1/8 (error 1/16), |x+y|/2 = 1/2
# is a node (f_s^1 = 1/4): x' = 2 (1/4 - 1/8 - 1/8) = 0, xy = 1/4: error -1/4 = -4/16
# -------------------------------------------------------------------------------------
from exactnet.certificate import exit_code
from exactnet.claims.ding2019 import alphabet_claim, product_axes, product_sizes_claim, product_sup
from exactnet.constructions.ding2019 import product_net
from exactnet.evaluate import evaluate
from exactnet.numbers import q
from exactnet.report import render

p1 = product_net(1)
assert evaluate(p1, ["1/2", "1/2"])[0] == 0
assert evaluate(p1, ["1", "-1"])[0] == -1  # all arguments are nodes: exact

# %%
# (i) zero on the axes, r = 1..6; (ii) the exact sup, r = 1..5
# ------------------------------------------------------------
certs = [product_axes(r) for r in range(1, 7)]
sups = [product_sup(r) for r in range(1, 6)]
for r, c in enumerate(sups, start=1):
    assert c.value == q(f"2^{-2 * r}"), (r, c.value)  # 4 * 2^(-2(r+1))
    assert c.details["finding"] == "holds, loose"
certs += sups

# %%
# (iii)-(v) and Table 1; the alphabet in both bias readings
# ---------------------------------------------------------
certs += [product_sizes_claim(r) for r in range(1, 9)]
certs += [alphabet_claim(product_net(r), f"x'_{r}", with_biases=wb) for r in (1, 4) for wb in (False, True)]
print(render(certs))
raise SystemExit(exit_code(certs))
