"""Gonon et al. (2023): the Lipschitz-parameterization bound against exact sups, and quantization with a guarantee.

Claim.  For networks with layer widths N_0..N_L and parameters bounded by r, on inputs
bounded by D, sup_x |R_theta(x) - R_theta'(x)| <= C ||theta - theta'||_inf (Gonon et al.
2023, Sec. III; the paper's printed constant could not be retrieved, so C is the exact
layer-wise bound of exactnet.constructions.gonon2023.lipschitz_bound, proved there).
Consequently, rounding every parameter to a grid of step s <= 2 eps / C gives a network
within eps.

Decided.  For the tent map (P = 7, every perturbation on {-d, +d}^7 and {-d, 0, +d}^7) and
a 1-3-2-1 network (P = 17, exact hill climbing over sign flips), the exact worst sup is
certified against C delta; rounding to grids 1/4 .. 1/256 is certified against C times
the largest change; quantization with a guaranteed eps = 1/10, 1/1000, 1/100000 is
certified.  Every bound holds; the tables show how loose (ratio exact / bound).

Method.  Exact PWL differences for the search, then supnorm.certify on the difference
network (affine_combination) for the reported worst case.  Runtime: about five seconds.

Reference: A. Gonon, N. Brisebarre, R. Gribonval, E. Riccietti, "Approximation speed of
quantized vs. unquantized ReLU neural networks and beyond", IEEE Trans. Inf. Theory
(2023), arXiv:2205.11874, Section III.
"""

# %%
# Spot-check by hand: one affine layer a x + b on [-1, 1]; moving both by 1/8 changes
# it by |x + 1|/8 <= 1/4, and the bound is (D + 1) delta = 1/4: tight here
# -------------------------------------------------------------------------------------
from exactnet.certificate import exit_code
from exactnet.claims.gonon2023 import (
    guaranteed_quantization,
    perturbation_check,
    rounding_check,
)
from exactnet.constructions.gonon2023 import lipschitz_bound, worst_sign_perturbation
from exactnet.network import Network
from exactnet.numbers import Interval, Q
from exactnet.report import render

affine = Network.from_layers([[[3]]], [[5]], ["identity"])
_, v, _ = worst_sign_perturbation(affine, "1/8", Interval(-1, 1))
assert v == Q(1, 4) == lipschitz_bound([1, 1], 3, 1) * Q(1, 8)

# %%
# Worst perturbations on the sign grid against the bound
# ------------------------------------------------------
certs = [
    perturbation_check("tent", "1/16"),
    perturbation_check("tent", "1/16", zero=True),
    perturbation_check("tent", "1/256"),
    perturbation_check("mlp-1-3-2-1", "1/16", search=True),
]
# %%
# Nearest-neighbour rounding, and quantization with a guaranteed error
# ---------------------------------------------------------------------
certs += [rounding_check("mlp-1-3-2-1", s) for s in ("1/4", "1/16", "1/64", "1/256")]
certs += [
    guaranteed_quantization("mlp-1-3-2-1", e) for e in ("1/10", "1/1000", "1/100000")
]
for c in certs:
    print(c.details["finding_note"][:160])
print(render(certs))
raise SystemExit(exit_code(certs))
