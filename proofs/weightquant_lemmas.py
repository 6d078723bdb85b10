"""Seed 003 appendix, Lemmas 1-4 and Algorithms 1-2: identity, square, product, reciprocal.

Claim (as printed).  n-bit quantized ReLU networks "exactly approximate" the identity
(Lemma 1: two layers, width 1), the square (Lemma 2: two layers, width O(x)), the
product (Lemma 3) and uniformly approximate 1/x (Lemma 4, Algorithm 2); Algorithm 1
computes S(x) = x^2 with shifts and adds.

Decided.
* Lemma 1: false on R (q relu(q x) is 0 on a half-line; the proof changes q with the
  sign of x).  Holds under the repair relu(x) - relu(-x) (width 2, weights +-1) and,
  with width 1, on each half-line.
* Lemma 2: ill-posed (a width O(x) depends on the input); the printed formula feeds
  only constants 2i - 1 into the units, so with a fixed K it is the constant K^2.
  Holds under the repair "integers 0..K, indicators [x >= i] = relu(x-i+1) - relu(x-i)".
* Algorithm 1: false as printed (line 13 adds the already shifted x): S(2) = 2, S(3) = 5.
  Holds when line 13 adds the input shifted by p.
* Lemma 3: false on R x R (x1 x2 is not piecewise linear); with Algorithm 1's squares
  (the proof's n = 1 case) M(1, 1) = 0; holds on integer grids with exact squares.
* Algorithm 2 / Lemma 4: the printed loop omits the factor 1 + (1-x)^2, so D_m tends to
  1/(x (1 + (1-x)^2)) (8/5 instead of 2 at x = 1/2); Lemma 4's own product holds with
  the exact error (1-x)^(2^(m+1))/x.

Method.  Exact PWL equality (supnorm.certify_equal), exhaustive exact evaluation on
integer grids (exhaustive.check_on_grid) and exact sups against rational targets
(supnorm.certify).  Runtime: about a second.

Reference: anonymous, "On the Expressive Power of Weight Quantization in Deep Neural
Networks", ICLR 2025 submission 8793 (OpenReview PtCebqZFtC), appendix B-E.
"""

# %%
# Spot-check by hand: Algorithm 1 on 3 = 11b adds 3 << 0 and then (3 >> 1) << 1 = 2
# ----------------------------------------------------------------------------------
from exactnet.certificate import Verdict, exit_code
from exactnet.claims.weightquant import (
    algorithm1_check,
    algorithm2_check,
    lemma1_printed,
    lemma1_repaired,
    lemma2_printed,
    lemma2_repaired,
    lemma3_check,
    lemma3_reals,
)
from exactnet.constructions.weightquant import (
    algorithm1,
    algorithm2,
    reciprocal_sup_error,
)
from exactnet.numbers import Q
from exactnet.report import render

assert algorithm1(3) == 5 and algorithm2("1/2", 1) == Q(51, 32)

# %%
# The statements as printed: each must fail with its exact counterexample
# -------------------------------------------------------------------------
errata = {
    "Lemma 1, q = 1": lemma1_printed(1),
    "Lemma 1, q = -1": lemma1_printed(-1),
    "Lemma 2, K = 16": lemma2_printed(16),
    "Algorithm 1": algorithm1_check(32),
    "Lemma 3 with Algorithm 1": lemma3_check(4, with_algorithm1=True),
    "Lemma 3 on the reals": lemma3_reals(2),
    "Algorithm 2, m = 4": algorithm2_check(4, "1/10"),
}
for name, c in errata.items():
    assert c.verdict is Verdict.VIOLATED, name
    print(
        f"{name:28s} violated at {', '.join(str(w) for w in c.witness)} (deviation {c.value})"
    )
assert errata["Algorithm 1"].witness == (Q(2),)

# %%
# The repairs hold
# ----------------
certs = [lemma1_repaired(w) for w in ("width-2", "q=1,x>=0", "q=-1,x<=0")]
certs += [lemma2_repaired(K, symmetric=True) for K in (4, 16, 64)]
certs += [algorithm1_check(256, repaired=True), lemma3_check(6)]
for m in (2, 3, 4):
    value, _ = reciprocal_sup_error("1/2", "3/2", m)
    c = algorithm2_check(m, value, repaired=True)
    assert c.value == value, (m, c.value, value)  # the exact sup equals the closed form
    certs.append(c)
print(render(certs))
raise SystemExit(exit_code(certs))
