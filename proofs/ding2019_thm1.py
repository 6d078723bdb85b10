"""Ding et al. (ICLR 2019), Theorems 1 and 2: the function-independent structure, on concrete f.

Claim.  For f in F_{d,n} the network f' of Appendix A.2 (partition of unity h, local
Taylor polynomials with rounded coefficients beta, products through x', weights through
B_w) satisfies |f'(x) - f(x)| <= 3 * 2^d (d/N)^n (eq. (21)) when r = log(6N^n(d+n-1))/2 - 1
and t = log(n N^n / d^n); Theorem 1 uses lambda distinct weights (Prop. 3's B_w),
Theorem 2 the linear grid {-1, 1/lambda, ..., (lambda-1)/lambda} (App. A.3).

Construction.  exactnet.constructions.ding2019.theorem1_net for f = x^2/2 (d = 1) and
f = x1 x2 / 2 (d = 2); readings in its Notes (eq. (14)'s sum, biases exempt, layered with
delays).

Method.  Exact sup errors: d = 1 through the exact PWL function, d = 2 over the network's
exact linear regions (quadratic error maximised per polygon).  Findings decided here:
r is never an integer (6 N^n (d+n-1) is a multiple of 3): both roundings are checked and
both hold; eq. (18) as printed (0 < |n|) breaks eq. (21) (erratum); with biases counted
the lambda-value budget is exceeded by the construction's constants (erratum for that
reading); Theorem 2's network keeps Props. 1-2's weight -1/2, off the linear grid
(erratum).  Sizes are printed as evidence for the O(.) statements.  Runtime: ~30 s.

Reference: Y. Ding, J. Liu, J. Xiong, Y. Shi, ICLR 2019, arXiv:1802.03646, Theorems 1-2,
Appendix A.2-A.3, eq. (10)-(21), Figure 3, Table 1.
"""

# %%
# Build and spot-check by hand: d = n = 1, N = 8, f = x^2/2: at x = 1/2 only
# psi_4 = h(3*8*(1/2) - 12) = h(0) = 1 is nonzero, beta_4 = f(4/8) = 1/8
# ------------------------------------------------------------------------------
from exactnet.certificate import Verdict, exit_code
from exactnet.claims.ding2019 import theorem1_alphabet, theorem1_error, theorem1_r_integral, theorem2_grid
from exactnet.constructions.ding2019 import theorem1_net
from exactnet.evaluate import evaluate
from exactnet.metrics import metrics
from exactnet.numbers import q
from exactnet.report import render

net = theorem1_net({(2,): "1/2"}, d=1, n=1, N=8, lam=2)
assert evaluate(net, "1/2")[0] == q("1/8") and net.metadata["eps"] == "3/4"

# %%
# eq. (21) on concrete instances, r and t in both roundings (Theorem 1) and on the
# linear grid (Theorem 2): every exact sup must be <= 3 * 2^d (d/N)^n
# ---------------------------------------------------------------------------------
certs = [theorem1_error(1, 1, N) for N in (8, 16, 32)]
certs += [theorem1_error(1, 2, 4, rounding=rd) for rd in ("ceil", "floor")]
certs += [theorem1_error(2, 1, 4, rounding="floor")]
certs += [theorem1_error(1, n, N, lam=lam, quantization="linear") for lam in (2, 4) for n, N in ((1, 8), (2, 4))]
certs += [theorem1_alphabet(1, 1, 8, lam, with_biases=False) for lam in (2, 3, 4)]
for c in certs:
    print(f"{c.claim}: exact {c.value}")

# %%
# The recorded errata reproduce (asserted, not counted as holds)
# ---------------------------------------------------------------
c = theorem1_r_integral(4, 4, 64)
assert c.verdict is Verdict.VIOLATED and c.value == 6  # d = n = N = 1: log4(6) - 1
c = theorem1_error(1, 2, 4, eq18_literal=True)
assert c.verdict is Verdict.VIOLATED and c.value == q("61/121")
c = theorem1_alphabet(1, 1, 8, 3, with_biases=True)
assert c.verdict is Verdict.VIOLATED
c = theorem2_grid(1, 8, 4)
assert c.verdict is Verdict.VIOLATED and c.witness[0] == q("-1/2")
print("errata reproduced: r never integral; eq. (18) literal 61/121 > 3/8; biases-counted; -1/2 off the linear grid")

# %%
# Evidence for the O(.) sizes: depth and weights of the built networks against eps
# ---------------------------------------------------------------------------------
for N in (8, 16, 32):
    for lam in (2, 3):
        m = metrics(theorem1_net({(2,): "1/2"}, d=1, n=1, N=N, lam=lam))
        print(f"d=1 n=1 N={N} lambda={lam}: eps = {q(6) / N}, depth {m.depth}, weights {m.weights}, "
              f"bits {m.memory_bits}")
print(render(certs))
raise SystemExit(exit_code(certs))
