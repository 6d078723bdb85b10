"""Ding et al. (2019), Section 6 / Appendix B: the optimal bit-width lambda_opt.

Claim.  M(lambda) = theta_1 lambda log(lambda) log^(1/(lambda-1)+1)(3 n 2^d / eps) has one
and only one local minimum on [2, inf) whenever eps < 1/2 (Appendix B), and the
optimal bit-width log(lambda_opt) lies between one and four for a wide range of
input sizes d (Figure 1b).  Figure 1 is a plot of this formula, not of networks.

Method.  Signs of M_s (which has the sign of dM/dlambda, eq. (26)) at rational
lambda and of its derivative over sub-intervals are decided by Arb ball
arithmetic and exact rational interval arithmetic (exactnet.lambda_opt).  M_s(2) < 0
is decided for all n, d >= 1 (it reduces to log2 12 > exp((1 + 1/ln 2)/2)); eq. (27)
as printed is compared with the derivative derived by hand (a recorded erratum).
Runtime: about a second.

Reference: Y. Ding, J. Liu, J. Xiong, Y. Shi, ICLR 2019, arXiv:1802.03646,
Section 6, Figure 1 and Appendix B.
"""

# %%
# Spot-check by hand: with d = n = 1 and eps = 3/8, theta_2 = log2(16) = 4 and
# M_s(2) = 1 + 1/ln 2 - 2 ln 4 = 2.4427 - 2.7726 < 0.
# ------------------------------------------------------------------------------
from exactnet.certificate import Verdict, exit_code
from exactnet.lambda_opt import (
    bit_width,
    certify_bit_width_range,
    certify_eq27,
    certify_ms2_condition,
    certify_unique_minimum,
    lambda_opt,
    ms,
)
from exactnet.numbers import Q
from exactnet.report import render

assert ms(2, 1, 1, "3/8").hi < 0

# %%
# Certify the unique minimum on concrete (d, n, eps); the table of Figure 1b
# ---------------------------------------------------------------------------
certs = [certify_unique_minimum(d, n, e) for d, n, e in
         ((1, 1, "1/4"), (1, 1, "49/100"), (2, 3, "1/100"), (10, 1, "1/1000"),
          (784, 1, "1/100"), (3072, 2, "1/1000000"), (150528, 1, "1/100"), (10**6, 5, "1/1000000"))]
certs.append(certify_ms2_condition())
datasets = {"MNIST": 784, "CIFAR-10": 3072, "ImageNet 224x224x3": 150528}
for name, d in datasets.items():
    bw = bit_width(d, 1, "1/100")
    print(f"{name:20s} d = {d:7d}: lambda_opt = {lambda_opt(d, 1, '1/100')}, "
          f"log2(lambda*) in [{float(bw.lo):.6f}, {float(bw.hi):.6f}]")
certs.append(certify_bit_width_range([1, 10, 100, 784, 3072, 150528, 10**6], [1, 5], ["1/4", "1/1000000"]))

# %%
# The erratum: eq. (27) is not dM_s/dlambda (it lacks ln(theta_2) and 1/ln 2)
# -----------------------------------------------------------------------------
c = certify_eq27(2, 1, 1, "1/4")
assert c.verdict is Verdict.VIOLATED and c.value.lo > Q(1, 2), c
print(render(certs))
raise SystemExit(exit_code(certs))
