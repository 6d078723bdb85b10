"""Yarotsky (2017), Lemma 2 / Fig. 2(b): the sawtooth alternates on its grid, for EVERY s.

Claim.  Let g(x) = 2 relu(x) - 4 relu(x - 1/2) be the tent map and g_s = g ∘ ... ∘ g
(s copies).  Then g_s(k / 2^s) = k mod 2 for every s >= 1 and every integer
0 <= k <= 2^s.  The same for Yarotsky's squaring networks: f_m(k / 2^m) = (k / 2^m)^2
for every m >= 1 and 0 <= k <= 2^m (the interpolation property in the proof of
Proposition 2).

Method.  Induction on a stronger invariant over all x in [0, 1]: g_s(x) = T(2^s x),
T(u) = distance from u to the nearest even integer (and, for f_m, 4^m f_m(x) = P(2^m x),
P the chord of u^2 between consecutive integers).  Each lemma (base, floor arithmetic,
step, corollary) is one z3 query over the scaled variable X = 2^s x, so no 2^s with
symbolic s appears; the step treats g_s(x) as an unknown real constrained only by the
induction hypothesis and applies the tent network's own encoding to it.  The proofs are
cross-checked by exhaustive exact evaluation of the networks for s <= 12 and m <= 10.
A deliberately wrong step (bias -1/3 for -1/2) must not be proved.
Runtime: about a second.

Reference: D. Yarotsky, "Error bounds for approximations with deep ReLU networks",
Neural Networks 94 (2017), arXiv:1610.01145, Lemma 2 and Proposition 2.
"""

# %%
# Spot-check the invariant by hand: g_2(3/8) = T(4 * 3/8) = T(3/2) = 1/2, and
# g_3(k/8) = k mod 2 at k = 0..8
# ---------------------------------------------------------------------------
from exactnet.certificate import Verdict, exit_code
from exactnet.claims.yarotsky2017 import sawtooth_grid_all_s, square_grid_all_m
from exactnet.constructions.yarotsky2017 import sawtooth_net, tent_net
from exactnet.evaluate import evaluate
from exactnet.network import Network
from exactnet.numbers import q
from exactnet.report import render
from exactnet.smt import sawtooth_induction

assert evaluate(sawtooth_net(2), "3/8")[0] == q("1/2")
assert [evaluate(sawtooth_net(3), q(k) / 8)[0] for k in range(9)] == [k % 2 for k in range(9)]

# %%
# Prove both claims for all sizes (z3 induction), with the exhaustive cross-checks
# -------------------------------------------------------------------------------
certs = [sawtooth_grid_all_s(), square_grid_all_m()]
for c in certs:
    print(c.claim)
    print("  invariant: ", c.details["invariant"])
    print("  assumption:", c.details["assumption"])
    for part in ("base", "step", "corollary"):
        for lemma in c.details[part]:
            print(f"  {part:9} {lemma['verdict']:7} {lemma['seconds']:.3f}s  {lemma['claim']}")
    print(f"  cross-checks: {len(c.details['cross_checks'])} exhaustive, all "
          f"{ {x['verdict'] for x in c.details['cross_checks']} }")

# %%
# A false step is not proved: the tent with bias -1/3 sends G = T(X) to something else
# ------------------------------------------------------------------------------------
wrong = Network.from_layers([[[1], [1]], [[2, -4]]], [[0, "-1/3"], [0]], ["relu", "identity"])
bad = sawtooth_induction(tent_net(), wrong, timeout=60)
assert bad.verdict is Verdict.UNKNOWN, bad.verdict
print("\nwrong step:", bad.details["reason"])

# %%
# Report
# ------
print()
print(render(certs))
raise SystemExit(exit_code(certs))
