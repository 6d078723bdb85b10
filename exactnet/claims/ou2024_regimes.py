"""Claims of the quantization-regimes experiment (Ou, Schenkel, Bölcskei 2024, part 3 of issue 9).

W. Ou, P. Schenkel, H. Bölcskei, "Three Quantization Regimes for ReLU Networks",
arXiv:2405.01952 (2024).  The paper's theorem statements could not be retrieved, so
these claims decide the experiment's own statements (exactnet.regimes): the
interpolation bound 1/(2N) for the unrounded approximants of 1-Lipschitz targets,
and, at the proper precision b*(N), an error within twice the unrounded one.
"""

from __future__ import annotations

from exactnet.catalogue import Claim, annotate, register
from exactnet.certificate import Certificate, Verdict
from exactnet.numbers import Interval, Q, approx
from exactnet.regimes import TARGETS, approximant_net, classify, regime_table
from exactnet.supnorm import certify

__all__ = ["interpolation_bound", "proper_point"]

SOURCE = "Ou, Schenkel, Bölcskei 2024 (arXiv:2405.01952), quantization regimes; bounds derived in exactnet.regimes"
BITS = (3, 4, 5, 6, 8, 10, 12, 14, 16, 20, 24, 28)


def interpolation_bound(target: str, N: int) -> Certificate:
    """sup_[0,1] |I_N f - f| <= 1/(2N) for the exact (unrounded) interpolant network of a 1-Lipschitz f.

    Examples
    --------
    >>> c = interpolation_bound("abs", 4)
    >>> print(c.verdict.value, c.value)
    holds 1/9
    """
    c = certify(
        approximant_net(TARGETS[target], N, None),
        TARGETS[target],
        Interval(0, 1),
        Q(1, 2 * N),
    )
    if c.verdict is Verdict.HOLDS and isinstance(c.value, Q):
        c = annotate(
            c,
            finding="holds, loose" if c.value < Q(1, 2 * N) else "holds",
            note=f"exact error {c.value} ≈ {approx(c.value * 2 * N, 3)} of 1/(2N)",
        )
    return c


def proper_point(target: str, N: int) -> Certificate:
    """At the proper precision b*(N) (the fewest bits not under-quantized) the error is <= 2 e_N, certified.

    Examples
    --------
    >>> c = proper_point("abs", 4)
    >>> print(c.verdict.value, c.details["bits"])
    holds 5
    """
    rows = regime_table(target, [N], BITS)
    reg = classify(rows)
    b = next(b for b in BITS if reg[(N, b)] == "proper")
    e = next(r.error for r in rows if r.bits is None)
    c = certify(
        approximant_net(TARGETS[target], N, b), TARGETS[target], Interval(0, 1), 2 * e
    )
    details = dict(c.details)
    details["bits"] = b
    return Certificate(c.claim, c.verdict, c.value, c.witness, c.method, details)


for _t in ("abs", "sin", "zigzag-32"):
    for _N in (16, 64):
        register(
            Claim(
                id=f"ou2024-regimes/interpolation-bound/{_t}/N={_N}",
                statement=f"the interpolant of {TARGETS[_t]} at i/{_N} (a ReLU network) is within 1/(2*{_N}) on [0, 1]",
                source=SOURCE,
                check=lambda t=_t, N=_N: interpolation_bound(t, N),
            )
        )
        register(
            Claim(
                id=f"ou2024-regimes/proper/{_t}/N={_N}",
                statement=f"rounded to the proper precision b*({_N}), the interpolant network of {TARGETS[_t]} is "
                "within twice the unrounded error on [0, 1]",
                source=SOURCE,
                check=lambda t=_t, N=_N: proper_point(t, N),
            )
        )
