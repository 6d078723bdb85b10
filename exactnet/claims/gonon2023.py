"""Claims from Gonon et al. (2023): Lipschitz parameterization and uniform quantization, decided exactly.

A. Gonon, N. Brisebarre, R. Gribonval, E. Riccietti, "Approximation speed of
quantized vs. unquantized ReLU neural networks and beyond", IEEE Trans. Inf.
Theory 69(6) (2023), arXiv:2205.11874, Section III.

For concrete one-input networks and a perturbation size delta, the exact sup
over [-D, D] of |R_theta - R_theta'| is computed for the worst perturbation on
the sign grid (exhaustively for small P, by exact hill climbing otherwise) and
for nearest-neighbour rounding to a grid, and compared with the
layer-by-layer bound :func:`~exactnet.constructions.gonon2023.lipschitz_bound`
(the paper's printed constant could not be retrieved; see that module).  The
worst difference network is re-certified with :func:`exactnet.supnorm.certify`.
"""

from __future__ import annotations

from exactnet.catalogue import Claim, annotate, register
from exactnet.certificate import Certificate, Verdict
from exactnet.compose import affine_combination
from exactnet.constructions.gonon2023 import (
    layer_widths,
    lipschitz_bound,
    parameter_bound,
    parameters,
    perturb,
    quantization_step,
    quantize_uniform,
    search_sign_perturbation,
    worst_sign_perturbation,
)
from exactnet.constructions.yarotsky2017 import tent_net
from exactnet.network import Network
from exactnet.numbers import Interval, Q, QLike, approx, q
from exactnet.supnorm import certify

__all__ = [
    "example_nets",
    "guaranteed_quantization",
    "perturbation_check",
    "rounding_check",
]

SOURCE = "Gonon et al. 2023 (IEEE TIT, arXiv:2205.11874), Sec. III"


def example_nets() -> dict[str, Network]:
    """The networks the claims use: Yarotsky's tent map (P = 7) and a 1-3-2-1 network (P = 17).

    Examples
    --------
    >>> {k: len(parameters(v)) for k, v in example_nets().items()}
    {'tent': 7, 'mlp-1-3-2-1': 17}
    """
    mlp = Network.from_layers(
        [
            [["1/3"], ["-5/7"], ["3/5"]],
            [[1, "2/3", -1], ["-3/5", 1, "1/3"]],
            [[1, "-4/3"]],
        ],
        [["1/7", "2/3", "-1/5"], ["1/9", "-1/11"], ["1/13"]],
        inputs=["x"],
        outputs=["y"],
    )
    return {"tent": tent_net(), "mlp-1-3-2-1": mlp}


def _diff(a: Network, b: Network) -> Network:
    return affine_combination([(1, a), (-1, b)])


def perturbation_check(
    name: str, delta: QLike, D: QLike = 1, *, zero: bool = False, search: bool = False
) -> Certificate:
    """sup_[-D,D] |R_theta - R_(theta + s delta)| <= C delta for the worst sign vector s.

    C = lipschitz_bound(widths, ||theta||_inf + delta, D).  The worst s is found
    exhaustively over {-1, 1}^P ({-1, 0, 1}^P with ``zero=True``), or by exact
    hill climbing with ``search=True``; its difference network is certified.

    Examples
    --------
    The worst signs for the tent map move (w1, w2, b1, b2, c1, c2, d) by
    (-, +, -, +, -, -, -) / 16; at x = 1 the hidden values become 7/8 and 5/8 and
    the output (31/16)(7/8) - (65/16)(5/8) - 1/16 = -29/32, against 0 before:

    >>> c = perturbation_check("tent", "1/16")
    >>> print(c.verdict.value, c.value, c.details["finding"])
    holds 29/32 holds, loose
    """
    net = example_nets()[name]
    delta, D = q(delta), q(D)
    domain = Interval(-D, D)
    if search:
        signs, _, _ = search_sign_perturbation(net, delta, domain)
    else:
        signs, _, _ = worst_sign_perturbation(net, delta, domain, zero=zero)
    C = lipschitz_bound(layer_widths(net), parameter_bound(net) + delta, D)
    c = certify(
        _diff(net, perturb(net, [s * delta for s in signs])), "0", domain, C * delta
    )
    return _loose(
        c,
        C * delta,
        f"signs {''.join('+' if s > 0 else '-' if s < 0 else '0' for s in signs)}",
    )


def _loose(c: Certificate, bound: Q, what: str) -> Certificate:
    if c.verdict is not Verdict.HOLDS:
        return c
    return annotate(
        c,
        finding="holds, loose",
        note=f"{what}: exact sup {c.value} vs bound {bound}, ratio ≈ {approx(c.value / bound, 4)}",
    )


def rounding_check(name: str, step: QLike, D: QLike = 1) -> Certificate:
    """sup_[-D,D] |R_theta - R_Q(theta)| <= C max|theta - Q(theta)| for rounding to the grid step * Z.

    Examples
    --------
    >>> c = rounding_check("mlp-1-3-2-1", "1/4")
    >>> print(c.verdict.value, c.value, c.witness[0])
    holds 68111/360360 1/3
    """
    net = example_nets()[name]
    step, D = q(step), q(D)
    rounded = quantize_uniform(net, step)
    moved = max(abs(a - b) for a, b in zip(parameters(net), parameters(rounded)))
    C = lipschitz_bound(layer_widths(net), parameter_bound(net) + step / 2, D)
    c = certify(_diff(net, rounded), "0", Interval(-D, D), C * moved)
    return _loose(c, C * moved, f"grid {step}, largest parameter change {moved}")


def guaranteed_quantization(name: str, eps: QLike, D: QLike = 1) -> Certificate:
    """Uniform quantization with a guaranteed sup error: choose the grid from C, round, certify <= eps.

    The grid 2^-k is the coarsest with C step / 2 <= eps, where C =
    lipschitz_bound(widths, ||theta||_inf + 1/2, D) (rounding to a grid of
    step <= 1 moves each parameter by <= 1/2); the rounded network is then
    certified exactly.  The note gives the tightness (exact error / eps).

    Examples
    --------
    For the 1-3-2-1 network ||theta||_inf = 4/3, r = 11/6, C = 388/3
    (M_1 = 11/3, e_1 = 2; M_2 = 22, e_2 = 23; e_3 = 2 (22 + 23 r) + 1); then
    C s / 2 <= 1/100 needs s <= 3/19400, so the grid is 2^-13:

    >>> c = guaranteed_quantization("mlp-1-3-2-1", "1/100")
    >>> print(c.verdict.value, c.details["grid"])
    holds 1/8192
    """
    net = example_nets()[name]
    eps, D = q(eps), q(D)
    C = lipschitz_bound(layer_widths(net), parameter_bound(net) + Q(1, 2), D)
    step = quantization_step(eps, C)
    rounded = quantize_uniform(net, step)
    c = certify(_diff(net, rounded), "0", Interval(-D, D), eps)
    details = dict(c.details)
    details["grid"] = str(step)
    c = Certificate(c.claim, c.verdict, c.value, c.witness, c.method, details)
    if c.verdict is Verdict.HOLDS:
        c = annotate(
            c,
            finding="holds",
            note=f"grid {step} from C = {C}; exact error {c.value} ≈ {approx(c.value / eps, 4)} eps",
        )
    return c


for _name, _zero in (("tent", False), ("tent", True)):
    register(
        Claim(
            id=f"gonon2023/lipschitz/{_name}/grid={'-0+' if _zero else '-+'}/delta=1/16",
            statement=f"sup_[-1,1] |R_theta - R_theta'| <= C(widths, r, D) * 1/16 for every theta' = theta + s/16, "
            f"s in {{-1,{' 0,' if _zero else ''} 1}}^7, theta = Yarotsky's tent map (exhaustive)",
            source=SOURCE
            + " (Lipschitz parameterization; layer-wise bound, see constructions.gonon2023)",
            check=lambda z=_zero: perturbation_check("tent", "1/16", zero=z),
        )
    )
register(
    Claim(
        id="gonon2023/lipschitz/mlp-1-3-2-1/search/delta=1/16",
        statement="sup_[-1,1] |R_theta - R_theta'| <= C * 1/16 for the locally worst sign perturbation of a 1-3-2-1 "
        "network (P = 17, exact hill climbing)",
        source=SOURCE + " (Lipschitz parameterization)",
        check=lambda: perturbation_check("mlp-1-3-2-1", "1/16", search=True),
    )
)
for _step in ("1/4", "1/16", "1/64", "1/256"):
    register(
        Claim(
            id=f"gonon2023/rounding/mlp-1-3-2-1/step={_step}",
            statement=f"rounding every parameter of the 1-3-2-1 network to the grid {_step} Z changes it by at most "
            f"C * max|theta - Q(theta)| on [-1, 1]",
            source=SOURCE + " (nearest-neighbour uniform quantization)",
            check=lambda s=_step: rounding_check("mlp-1-3-2-1", s),
        )
    )
for _name in ("mlp-1-3-2-1",):
    for _eps in ("1/10", "1/1000", "1/100000"):
        register(
            Claim(
                id=f"gonon2023/quantize-guaranteed/{_name}/eps={_eps}",
                statement=f"the {_name} network rounded to the grid chosen from the Lipschitz bound is within {_eps} "
                "of the original on [-1, 1]",
                source=SOURCE + " (uniform quantization with a guaranteed error)",
                check=lambda n=_name, e=_eps: guaranteed_quantization(n, e),
            )
        )
