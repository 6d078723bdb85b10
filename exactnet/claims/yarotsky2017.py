"""Claims from Yarotsky (2017): exact evaluation on finite grids, z3 induction for all sizes,
and the constructions' sizes as closed forms.

D. Yarotsky, "Error bounds for approximations with deep ReLU networks",
Neural Networks 94 (2017), arXiv:1610.01145, Section 3.1.
"""

from __future__ import annotations

from exactnet.catalogue import Claim, annotate, register
from exactnet.certificate import Certificate, Verdict
from exactnet.constructions.yarotsky2017 import sawtooth_net, square_error, square_net, tent_net
from exactnet.exhaustive import check_on_grid
from exactnet.numbers import Interval, Q
from exactnet.supnorm import certify_sup_error
from exactnet.targets import Polynomial

__all__ = [
    "sawtooth_grid",
    "square_grid",
    "square_sup",
    "sawtooth_grid_all_s",
    "square_grid_all_m",
    "sawtooth_sizes",
    "square_sizes",
    "SQUARE_SIZES_NOTE",
]

SOURCE = "Yarotsky 2017 (arXiv:1610.01145), Sec. 3.1"


def sawtooth_grid(s: int) -> Certificate:
    """g_s(k/2^s) = k mod 2 for every 0 <= k <= 2^s (2^s + 1 points).

    The expected value k mod 2 is computed from k alone, not from the network.

    Examples
    --------
    >>> print(sawtooth_grid(4).verdict.value)
    holds
    """
    n = 2**s

    def parity(x: Q) -> Q:
        k = x * n
        assert k.denominator == 1
        return Q(int(k) % 2)

    return check_on_grid(
        sawtooth_net(s),
        range(n + 1),
        n,
        parity,
        claim=f"g_{s}(k/2^{s}) = k mod 2 for all 0 <= k <= 2^{s}",
    )


def square_grid(m: int) -> Certificate:
    """f_m(k/2^m) = (k/2^m)^2 for every 0 <= k <= 2^m: f_m interpolates x^2.

    Examples
    --------
    >>> print(square_grid(3).verdict.value)
    holds
    """
    n = 2**m
    return check_on_grid(
        square_net(m),
        range(n + 1),
        n,
        lambda x: x * x,
        claim=f"f_{m}(k/2^{m}) = (k/2^{m})^2 for all 0 <= k <= 2^{m}",
    )


def square_sup(m: int) -> Certificate:
    """sup_[0,1] |f_m(x) - x^2| <= 2^(-2m-2), decided exactly (the value is the exact sup).

    Examples
    --------
    >>> c = square_sup(2)
    >>> print(c.verdict.value, c.value, c.witness[0])
    holds 1/64 1/8
    """
    x_squared = Polynomial.from_coeffs([0, 0, 1])
    return certify_sup_error(square_net(m), x_squared, Interval(0, 1), square_error(m))


def sawtooth_grid_all_s(*, check_up_to: int = 12, timeout: float = 60) -> Certificate:
    """g_s(k/2^s) = k mod 2 for every s >= 1 and 0 <= k <= 2^s: z3 induction, cross-checked.

    The induction (:func:`exactnet.smt.sawtooth_induction`, base g_1 =
    ``sawtooth_net(1)``, step ``tent_net()``) is cross-checked by exhaustive
    exact evaluation of ``sawtooth_net(s)`` for s = 1..`check_up_to`; every lemma
    is replayed in cvc5 (its answers are in the details).

    Examples
    --------
    >>> c = sawtooth_grid_all_s(check_up_to=3)
    >>> print(c.verdict.value, c.method, len(c.details["cross_checks"]))
    holds z3 induction 3
    """
    from exactnet.smt import sawtooth_induction

    checks = [sawtooth_grid(s) for s in range(1, check_up_to + 1)]
    return sawtooth_induction(sawtooth_net(1), tent_net(), cross_checks=checks, timeout=timeout, cvc5=True)


def square_grid_all_m(*, check_up_to: int = 10, timeout: float = 60) -> Certificate:
    """f_m(k/2^m) = (k/2^m)^2 for every m >= 1 and 0 <= k <= 2^m: z3 induction, cross-checked.

    :func:`exactnet.smt.square_induction` with base ``square_net(1)`` and step
    ``tent_net()``, cross-checked by exhaustive exact evaluation for
    m = 1..`check_up_to`; the step's assumption f_(m+1) = f_m - g_(m+1)/4^(m+1)
    is checked on [0, 1] by exact PWL extraction for m < `check_up_to`.

    Examples
    --------
    >>> print(square_grid_all_m(check_up_to=3).verdict.value)
    holds
    """
    from exactnet.compose import affine_combination
    from exactnet.smt import square_induction
    from exactnet.supnorm import certify_equal

    checks = [square_grid(m) for m in range(1, check_up_to + 1)]
    # the step's assumption, f_(m+1) = f_m - g_(m+1)/4^(m+1) on [0, 1], by exact PWL extraction
    steps = [
        certify_equal(
            square_net(m + 1),
            affine_combination([(1, square_net(m)), (Q(-1, 4 ** (m + 1)), sawtooth_net(m + 1))]),
            Interval(0, 1),
        )
        for m in range(1, check_up_to)
    ]
    return square_induction(square_net(1), tent_net(), cross_checks=checks, assumption_checks=steps,
                            timeout=timeout, cvc5=True)


def sawtooth_sizes(*, up_to: int = 12) -> Certificate:
    """The sizes of g_s (``sawtooth_net(s)``) as closed forms in s, for every s >= 1.

    Formulas: :func:`exactnet.symbolic.sawtooth_size_formulas` (depth s + 1,
    2s + 1 neurons, 4s weights, s nonzero biases, ...), checked against the
    counts for s = 1..`up_to` and proved for every s by the block induction of
    :func:`exactnet.symbolic.certify_size_formula`.

    Examples
    --------
    >>> c = sawtooth_sizes(up_to=4)
    >>> print(c.verdict.value, "weights" in c.details["for_all"])
    holds True
    """
    from exactnet.symbolic import certify_size_formula, sawtooth_size_formulas

    return certify_size_formula(
        sawtooth_net, sawtooth_size_formulas(), parameter="s", params=range(1, up_to + 1),
        claim="sizes of the sawtooth g_s (Yarotsky 2017, Lemma 2 / Fig. 2(b))",
    )


SQUARE_SIZES_NOTE = (
    "exact counts of f_m (error 2^(-2m-2) = eps, i.e. m + 1 = log_4(1/eps)): depth m + 1 = "
    "log_2(1/eps)/2 affine layers, 2m + 1 = log_2(1/eps) - 1 units (2m ReLUs and the output), "
    "6m - 1 = 3 log_2(1/eps) - 7 nonzero weights (7m - 1 with the m nonzero biases), width 2; "
    "so O(ln(1/eps)) with the constants 1/(2 ln 2) ~ 0.72, 1/ln 2 ~ 1.44 and 3/ln 2 ~ 4.33"
)
"""What exactnet counts for Proposition 2's O(ln(1/eps)) (recorded as the finding's note)."""


def square_sizes(*, up_to: int = 12) -> Certificate:
    """The sizes of f_m (``square_net(m)``) as closed forms in m, for every m >= 1.

    Yarotsky's Proposition 2 states depth, weights and units O(ln(1/eps));
    with eps = 2^(-2m-2) exactnet counts depth m + 1, 6m - 1 weights and
    2m + 1 units exactly (:func:`exactnet.symbolic.square_size_formulas`),
    proved for every m (:func:`exactnet.symbolic.certify_size_formula`), so
    the statement holds with the constants of :data:`SQUARE_SIZES_NOTE`.

    Examples
    --------
    >>> c = square_sizes(up_to=4)
    >>> print(c.verdict.value, c.details["finding"])
    holds holds
    """
    from exactnet.symbolic import certify_size_formula, square_size_formulas

    cert = certify_size_formula(
        square_net, square_size_formulas(), parameter="m", params=range(1, up_to + 1),
        claim="sizes of f_m (Yarotsky 2017, Prop. 2 / Fig. 2(c))",
    )
    if cert.verdict is Verdict.HOLDS:
        cert = annotate(cert, finding="holds", note=SQUARE_SIZES_NOTE)
    return cert


register(
    Claim(
        id="yarotsky2017/induction/sawtooth-grid",
        statement="g_s(k/2^s) = k mod 2 for every s >= 1 and every integer 0 <= k <= 2^s "
        "(z3 induction on g_s(x) = T(2^s x); exhaustive cross-check s <= 12)",
        source=SOURCE + ", Lemma 2 / Fig. 2(b)",
        check=sawtooth_grid_all_s,
    )
)
register(
    Claim(
        id="yarotsky2017/induction/square-grid",
        statement="f_m(k/2^m) = (k/2^m)^2 for every m >= 1 and every integer 0 <= k <= 2^m "
        "(z3 induction on 4^m f_m(x) = chord of (2^m x)^2; exhaustive cross-check m <= 10)",
        source=SOURCE + ", Prop. 2 (proof)",
        check=square_grid_all_m,
        paper_statement="f_m is the piecewise linear interpolation of f(x) = x^2 with 2^m + 1 uniformly "
        "distributed breakpoints k/2^m (proof of Prop. 2)",
    )
)
register(
    Claim(
        id="yarotsky2017/sizes/sawtooth",
        statement="sawtooth_net(s): depth s + 1, width 2, 2s + 1 neurons, 4s weights, s nonzero biases "
        "(every s >= 1 by induction over the graph difference; width and distinct weights for s <= 12)",
        source=SOURCE + ", Lemma 2 / Fig. 2(b)",
        check=sawtooth_sizes,
    )
)
register(
    Claim(
        id="yarotsky2017/sizes/square",
        statement="square_net(m) = f_m: depth m + 1, width 2, 2m + 1 neurons, 6m - 1 weights, m nonzero "
        "biases (every m >= 1 by induction over the graph difference; width, distinct weights m <= 12)",
        source=SOURCE + ", Prop. 2",
        check=square_sizes,
        paper_statement="x^2 on [0, 1] can be approximated with any error eps > 0 by a ReLU network "
        "having the depth and the number of weights and computation units O(ln(1/eps))",
    )
)

for _s in range(1, 17):
    register(
        Claim(
            id=f"yarotsky2017/sawtooth-grid/s={_s}",
            statement=f"tent map composed {_s} times: g_{_s}(k/2^{_s}) = k mod 2, 0 <= k <= 2^{_s}",
            source=SOURCE + ", Lemma 2 / Fig. 2(b)",
            check=lambda s=_s: sawtooth_grid(s),
            full_only=_s > 12,
        )
    )

for _m in range(1, 15):
    register(
        Claim(
            id=f"yarotsky2017/square-grid/m={_m}",
            statement=f"f_{_m}(x) = x - sum_(s<={_m}) g_s(x)/4^s equals x^2 at x = k/2^{_m}, 0 <= k <= 2^{_m}",
            source=SOURCE + ", Prop. 2 (proof)",
            check=lambda m=_m: square_grid(m),
            full_only=_m > 10,
        )
    )

for _m in range(1, 21):
    register(
        Claim(
            id=f"yarotsky2017/square-sup/m={_m}",
            statement=f"sup over [0,1] of |f_{_m}(x) - x^2| <= 2^(-2*{_m}-2)",
            source=SOURCE + ", Prop. 2",
            check=lambda m=_m: square_sup(m),
            full_only=_m > 12,
        )
    )
