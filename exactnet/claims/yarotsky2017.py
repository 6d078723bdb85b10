"""Claims from Yarotsky (2017) decided by exact evaluation on finite grids.

D. Yarotsky, "Error bounds for approximations with deep ReLU networks",
Neural Networks 94 (2017), arXiv:1610.01145, Section 3.1.
"""

from __future__ import annotations

from exactnet.catalogue import Claim, register
from exactnet.certificate import Certificate
from exactnet.constructions.yarotsky2017 import sawtooth_net, square_error, square_net
from exactnet.exhaustive import check_on_grid
from exactnet.numbers import Interval, Q
from exactnet.supnorm import certify_sup_error
from exactnet.targets import Polynomial

__all__ = ["sawtooth_grid", "square_grid", "square_sup"]

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
