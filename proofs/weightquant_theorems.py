"""Seed 003 appendix, Theorems 4 and 5: 1-bit lower bound and the quantization error bound.

Claim (as printed).  Theorem 4: for f(x) = exp(c x1^2 / (c x1^2 + 1)) on |x1| <= 1/2
(0 elsewhere), c < 0, every ReLU network with 1-bit weights has sup |f - f_1bit| >= delta;
the proof uses f_1bit(0) = 0 and f_1bit({-1,0,1}^N) in {-1,0,1}.  Theorem 5: if
max |Q_n(theta) - theta| <= delta = O(eps / (L N_w^L n^L D)) then the sup error is <= eps,
from the explicit bound ||f_theta - f_theta_hat|| <= Delta(x, N_w, L, n) R(theta, theta_hat).

Decided.
* Theorem 4, proof step: false with 1-bit biases (relu(x + 1) has f(0) = 1), and the
  values need not lie in {-1,0,1} even without biases (relu(x) + relu(x) = 2 at x = 1).
  The theorem's conclusion itself holds, but trivially: f jumps at |x1| = 1/2 from
  exp(c/(c + 4)) to 0, so every continuous g has sup |f - g| >= exp(c/(c+4))/2
  (for c = -1: exp(-1/3)/2 >= (1 - 1/3)/2 = 1/3, since e^t >= 1 + t), quantized or not.
  For c <= -4 f is not defined: c x1^2 + 1 = 0 at x1 = 1/sqrt(-c) <= 1/2 (ill-posed).
* Theorem 5: its explicit inequality holds on concrete networks, loosely (exact worst
  sign perturbation against Delta(D, N_w, L, n) R); the statement "there exists eps > 0
  and delta = O(...)" is ill-posed as a quantitative claim (constants hidden; any eps
  larger than the network's range makes it trivially true).

Method.  Exact evaluation (exhaustive.check_on_grid), exhaustive search over all 2^9 sign
perturbations with exact PWL differences, then supnorm.certify of the worst difference
network.  Runtime: about two seconds.

Reference: anonymous, "On the Expressive Power of Weight Quantization in Deep Neural
Networks", ICLR 2025 submission 8793 (OpenReview PtCebqZFtC), appendix G-H.
"""

# %%
# Spot-check by hand: c = -4 makes the denominator of f vanish at x1 = 1/2
# -------------------------------------------------------------------------
from exactnet.certificate import Verdict, exit_code
from exactnet.claims.weightquant import theorem4_jump, theorem4_step, theorem5_check
from exactnet.constructions.weightquant import theorem5_delta, width1_net
from exactnet.evaluate import evaluate
from exactnet.network import Network
from exactnet.numbers import Q
from exactnet.report import render

c_param, x1 = Q(-4), Q(1, 2)
assert c_param * x1**2 + 1 == 0
twice = Network.from_layers(
    [[[1], [1]], [[1, 1]]], [[0, 0], [0]]
)  # relu(x) + relu(x), weights 1, no biases
assert evaluate(twice, 1)[0] == 2  # a value outside {-1, 0, 1} at x = 1

# %%
# Theorem 4's proof step fails on a 1-bit network
# ------------------------------------------------
c4 = theorem4_step()
assert c4.verdict is Verdict.VIOLATED and c4.witness == (Q(0),) and c4.value == 1
print(
    f"Theorem 4 proof step: relu(0 + 1) = {evaluate(width1_net(1, 1, 1), 0)[0]}, not 0"
)

# %%
# Theorem 5's explicit inequality on concrete networks (exact worst sign perturbation)
# ------------------------------------------------------------------------------------
certs = [theorem5_check(n) for n in (3, 4, 5)]
for n, c in zip((3, 4, 5), certs[:3]):
    bound = theorem5_delta(1, 2, 3, n) * Q(1, 8)
    print(
        f"n = {n}: exact worst sup {c.value} <= Delta R = {bound} (ratio {float(c.value / bound):.3g})"
    )
# %%
# Theorem 4's conclusion: certified f(1/2) = exp(-1/3) >= 2/3 (the jump gives delta = 1/3)
# ------------------------------------------------------------------------------------------
certs.append(theorem4_jump())
print(render(certs))
raise SystemExit(exit_code(certs))
