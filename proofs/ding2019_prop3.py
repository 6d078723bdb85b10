"""Ding et al. (ICLR 2019), Proposition 3: any weight w in [-1, 1] from lambda distinct weights.

Claim.  A connection of weight w is approximated by a sub-network with lambda >= 2
distinct weights that (i) is equivalent to a connection of weight w', |w' - w| < 2^-t;
(ii) has depth O(lambda t^(1/(lambda-1))), (iii) width O(t), (iv) O(lambda t^(1/(lambda-1)+1))
weights; the proof states "no greater than lambda(b - 1) + 1 layers and no greater than
4 t lambda (b - 1) + 8t + 4 weights" (b = t^(1/(lambda-1))), Table 1 width t.

Construction.  exactnet.constructions.ding2019.weight_net: a sign gate (weights +-1/2),
2-unit chains multiplying by the base-b digits of each exponent (eq. (4)-(5)), padded
with identity steps, read with +-1/2.  b = t^(1/(lambda-1)) rounded up (the paper assumes
it is an integer).

Method.  (i) every test weight's network is evaluated exactly at x = +1 and x = -1; the
biases are 0, so the network is positively homogeneous and these two values fix it.
Exact worst case |w' - w| = 2^-(t+1) (loose by 2).  (ii)-(iv) the worst-case network
(the most weights over w' = a 2^-t, 0 < a < 2^t) is counted.  Findings: the counts hold
for the x >= 0 sub-network the proof counts; after the proof's duplication for signed
x they are exceeded for lambda = 4, 5 (erratum); Table 1's width t is not met (2t for
x >= 0: erratum).  The O(.) shapes are shown as evidence (ratios) only.  Runtime:
about 5 s.

Reference: Y. Ding, J. Liu, J. Xiong, Y. Shi, ICLR 2019, arXiv:1802.03646, Prop. 3,
eq. (4)-(5), Table 1.
"""

# %%
# Spot-check by hand: lambda = 3, t = 4: b = 2 (2^2 >= 4), alphabet {-1/2, 1/2, 1/4};
# w = 1/3 -> w' = 5/16 (16/3 = 5.33), 2w' = 5/8 = 2^-1 + 2^-3: chains for e = 1 (x 1/2)
# and e = 3 (x 1/2 x 1/4)
# -------------------------------------------------------------------------------------
from exactnet.certificate import Verdict, exit_code
from exactnet.claims.ding2019 import weight_error, weight_sizes_claim, weight_width_table1
from exactnet.constructions.ding2019 import weight_net
from exactnet.evaluate import evaluate
from exactnet.metrics import metrics
from exactnet.numbers import q
from exactnet.report import render

n = weight_net("1/3", 3, 4)
assert n.metadata["w_realised"] == "5/16" and evaluate(n, "-3")[0] == q("-15/16")
assert metrics(n).distinct_weights == 3

# %%
# (i) for lambda = 2..5, t = 1..10
# ---------------------------------
certs = [weight_error(lam, 10) for lam in range(2, 6)]

# %%
# The proof's explicit counts: the x >= 0 reading holds; the signed reading holds for
# lambda = 2, 3 and fails for lambda = 4, 5 (recorded errata, asserted here)
# ------------------------------------------------------------------------------------
certs += [weight_sizes_claim(lam, 12, signed=False) for lam in range(2, 6)]
certs += [weight_sizes_claim(lam, 12, signed=True) for lam in (2, 3)]
for lam, bound, count in ((4, 28, 32), (5, 32, 40)):
    c = weight_sizes_claim(lam, 12, signed=True)
    assert c.verdict is Verdict.VIOLATED and c.value == bound and c.witness[0] == count, c
    print(f"erratum reproduced: lambda = {lam}, t = 1, signed B_w has {count} > {bound} weights")
c = weight_width_table1(2, 8, signed=False)
assert c.verdict is Verdict.VIOLATED and c.details["sizes"]["width"]["counted"] == "16"
print("erratum reproduced: Table 1 B_w width t = 8, counted 16 (x >= 0)")

# %%
# Evidence for the O(.) shapes: depth / (lambda t^(1/(lambda-1))) and weights / (lambda
# t^(1/(lambda-1)+1)) stay bounded (t = b^(lambda-1) exact powers)
# ---------------------------------------------------------------------------------------
for lam in (2, 3, 4):
    for b in (2, 3, 4):
        t = b ** (lam - 1)
        net = weight_net(1 - q(f"2^{-t}"), lam, t)
        m = metrics(net)
        print(f"lambda={lam} t={t}: depth {m.depth} (/ lambda b = {q(m.depth) / (lam * b)}), "
              f"weights {m.weights} (/ lambda b t = {q(m.weights) / (lam * b * t)}), width {m.width}")
print(render(certs))
raise SystemExit(exit_code(certs))
