"""Quantization regimes: approximants of 1-Lipschitz targets at a given weight precision, with exact errors.

The experiment of Ou, Schenkel, Bölcskei, "Three Quantization Regimes for ReLU
Networks" (arXiv:2405.01952, 2024), made concrete: a 1-Lipschitz target f on
[0, 1] is approximated by its piecewise-linear interpolant at the N + 1 points
i/N, written exactly as a one-hidden-layer ReLU network
(:func:`exactnet.representation.to_network`), and every weight and bias is then
rounded to the signed b-bit fixed-point alphabet m / 2^(b-3), |m| <= 2^(b-1) - 1
(:func:`exactnet.quantize.snap`; the interpolant's numbers have magnitude < 4, so
two integer bits and a sign bit suffice).  The sup error over [0, 1] is computed
exactly (:func:`exactnet.supnorm.sup_error`; an enclosure for sin).

Regimes, per number of pieces N (:func:`classify`): with e_N the error of the
unrounded interpolant, a point (N, b) is *under*-quantized when its error exceeds
2 e_N (the precision, not the width, limits it), *proper* at the smallest b that
is not under-quantized, and *over*-quantized above it (further bits can at most
halve the error).  The memory of a network is the count of its nonzero weights
and biases times b; :func:`memory_lower_bound` is the counting bound every
M-bit encoding of the 1-Lipschitz functions obeys.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from exactnet.algebraic import Enclosure
from exactnet.exceptions import InvalidArgument
from exactnet.network import Network
from exactnet.numbers import ONE, Interval, Q, q
from exactnet.pwl import PiecewiseLinear
from exactnet.quantize import Alphabet, round_half_even, snap
from exactnet.reals import enclose
from exactnet.representation import to_network
from exactnet.supnorm import sup_error
from exactnet.targets import Target, as_target

__all__ = [
    "TARGETS",
    "RegimePoint",
    "approximant_net",
    "classify",
    "interpolant",
    "memory_lower_bound",
    "regime_point",
    "regime_table",
    "zigzag",
]

_VALUE_GRID = (
    2**48
)  # the interpolated values of a transcendental target are rounded to 2^-48


def zigzag(depth: int) -> str:
    """The 1-Lipschitz zigzag with 2^depth pieces of slope +-1 on [0, 1], as a formula.

    z_1 = |x - 1/2|, z_(k+1) = |z_k - 2^-(k+1)|: a sawtooth of 2^(depth-1)
    teeth of height 2^-depth (the worst case for a fixed number of pieces).

    Examples
    --------
    >>> zigzag(2)
    'abs(abs(x - 1/2) - 1/4)'
    >>> print(as_target(zigzag(3)).to_pwl(Interval(0, 1)).canonical().pieces)
    8
    """
    if not isinstance(depth, int) or depth < 1:
        raise InvalidArgument(f"depth={depth!r} must be an integer >= 1")
    text = "abs(x - 1/2)"
    for k in range(2, depth + 1):
        text = f"abs({text} - 1/{2**k})"
    return text


TARGETS: dict[str, str] = {
    "abs": "abs(x - 1/3)",
    "sin": "sin(x)",
    "zigzag-32": zigzag(5),
    "zigzag-256": zigzag(8),
}
"""The 1-Lipschitz targets of the experiment: a kink at 1/3 (off every dyadic grid),
sin, and zigzags with 32 and 256 pieces (PWL with many pieces, the sawtooth worst case)."""


def _value(f: Target, x: Q) -> Q:
    if f.is_exact:
        return f(x)
    bounds = enclose(f.expr, x)
    if bounds is None:
        raise InvalidArgument(f"target {f.text!r} cannot be evaluated at x = {x}")
    return Q(round_half_even((bounds[0] + bounds[1]) / 2 * _VALUE_GRID), _VALUE_GRID)


def interpolant(target: Target | str, N: int) -> PiecewiseLinear:
    """The piecewise-linear interpolant of f at x = i/N, i = 0..N (f(i/N) to 2^-48 if f is transcendental).

    Examples
    --------
    >>> p = interpolant("abs(x - 1/3)", 2)
    >>> [str(y) for y in p.ys]
    ['1/3', '1/6', '2/3']
    """
    if not isinstance(N, int) or N < 1:
        raise InvalidArgument(f"N={N!r} must be an integer >= 1")
    f = as_target(target)
    xs = [Q(i, N) for i in range(N + 1)]
    return PiecewiseLinear.from_points([(x, _value(f, x)) for x in xs])


def approximant_net(target: Target | str, N: int, bits: int | None) -> Network:
    """The interpolant at N pieces as a shallow ReLU network, every number rounded to b-bit fixed point.

    ``bits=None`` keeps the exact (unrounded) interpolant.

    Examples
    --------
    The interpolant of |x - 1/3| at i/3 is 1/3 - relu(x) + 2 relu(x - 1/3); with 4 bits
    (grid 1/2) it becomes 1/2 - relu(x) + 2 relu(x - 1/2), so the kink moves to 1/2:

    >>> from exactnet.evaluate import evaluate
    >>> N4 = approximant_net("abs(x - 1/3)", 3, 4)
    >>> print(*[evaluate(N4, t)[0] for t in ("0", "1/3", "1")])
    1/2 1/6 1/2
    """
    net = to_network(interpolant(target, N))
    if bits is None:
        return net
    if not isinstance(bits, int) or bits < 3:
        raise InvalidArgument(
            f"bits={bits!r} must be an integer >= 3 (sign, two integer bits)"
        )
    rounded, _ = snap(net, Alphabet.fixed_point(bits, frac_bits=bits - 3))
    return rounded


@dataclass(frozen=True, slots=True)
class RegimePoint:
    """One approximant: target, pieces N, bits per weight (None: exact), size and exact sup error.

    ``error`` is exact (Q) for piecewise-linear targets and an upper end of a
    rigorous enclosure for transcendental ones (``exact`` says which).
    """

    target: str
    pieces: int
    bits: int | None
    numbers: int
    memory_bits: int | None
    error: Q
    exact: bool
    witness: Q


def regime_point(target: str, N: int, bits: int | None) -> RegimePoint:
    """Build the approximant and compute its sup error over [0, 1].

    `target` is a key of :data:`TARGETS` or a formula.

    Examples
    --------
    The interpolant of |x - 1/3| at 0, 1/2, 1 is the chord from (0, 1/3) to
    (1/2, 1/6) there, 2/9 above the kink; its network has 4 weights and the
    biases 1/3 and -1/2:

    >>> p = regime_point("abs", 2, None)
    >>> print(p.error, p.witness, p.numbers)
    2/9 1/3 6
    """
    text = TARGETS.get(target, target)
    net = approximant_net(text, N, bits)
    r = sup_error(net, text, Interval(0, 1))
    numbers = sum(1 for _, _, w in net.edges() if w != 0) + sum(
        1 for n in net.neurons if net.bias(n) != 0
    )
    if isinstance(r.value, Enclosure):
        error, exact = r.value.hi, False
    else:
        error, exact = q(r.value), True
    witness = (
        r.witness
        if isinstance(r.witness, Q)
        else q(r.witness.hi)
        if hasattr(r.witness, "hi")
        else ONE
    )
    return RegimePoint(
        target,
        N,
        bits,
        numbers,
        None if bits is None else numbers * bits,
        error,
        exact,
        witness,
    )


def regime_table(
    target: str, pieces: Sequence[int], bits: Sequence[int]
) -> list[RegimePoint]:
    """Every (N, b) of the grid, plus the unrounded approximant (b = None) for each N.

    Examples
    --------
    With 3 bits (integers) the network rounds to x, 1/3 off at 0, 1/3 and 1; with 6
    bits (grid 1/8) to 3/8 - 3x/8 + 11/8 relu(x - 1/2), 1/4 off at x = 1/3:

    >>> rows = regime_table("abs", [2], [3, 6])
    >>> [(r.bits, str(r.error)) for r in rows]
    [(None, '2/9'), (3, '1/3'), (6, '1/4')]
    """
    out = []
    for N in pieces:
        out.append(regime_point(target, N, None))
        out.extend(regime_point(target, N, b) for b in bits)
    return out


def classify(points: Sequence[RegimePoint]) -> dict[tuple[int, int], str]:
    """The regime of every quantized point: "under", "proper" or "over" (see the module docstring).

    Examples
    --------
    |x - 1/3| with N = 4 (exact error 1/9): 3 bits give 1/3 and 4 bits 2/3 (the
    bias -1/4 rounds to 0 on the grid 1/2, so the kink moves to 0), both above
    2/9; 5 bits give 5/48:

    >>> rows = regime_table("abs", [4], [3, 4, 5, 8])
    >>> [str(r.error) for r in rows]
    ['1/9', '1/3', '2/3', '5/48', '47/384']
    >>> sorted(classify(rows).items())
    [((4, 3), 'under'), ((4, 4), 'under'), ((4, 5), 'proper'), ((4, 8), 'over')]
    """
    exact = {p.pieces: p.error for p in points if p.bits is None}
    out: dict[tuple[int, int], str] = {}
    for N in sorted({p.pieces for p in points if p.bits is not None}):
        if N not in exact:
            raise InvalidArgument(f"no unrounded point (bits=None) for N = {N}")
        row = sorted(
            (p for p in points if p.pieces == N and p.bits is not None),
            key=lambda p: p.bits or 0,
        )
        proper_seen = False
        for p in row:
            assert p.bits is not None
            if not proper_seen and p.error > 2 * exact[N]:
                out[(N, p.bits)] = "under"
            elif not proper_seen:
                out[(N, p.bits)] = "proper"
                proper_seen = True
            else:
                out[(N, p.bits)] = "over"
    return out


def memory_lower_bound(memory_bits: int) -> Q:
    """1 / (2 (M + 1)): no M-bit encoding of all 1-Lipschitz f: [0, 1] -> R has a smaller worst-case sup error.

    The 2^n functions sum_i s_i h_i (s_i = +-1, h_i the hat of height 1/(2n) on
    [i/n, (i+1)/n]) are 1-Lipschitz and pairwise 1/n apart; M < n bits name fewer
    than 2^n networks, so two of them share an approximant, which is then at
    least 1/(2n) from one of the two; take n = M + 1.  A network architecture
    with P numbers of b bits each is such an encoding with M = P b.

    Examples
    --------
    >>> print(memory_lower_bound(9))
    1/20
    """
    if not isinstance(memory_bits, int) or memory_bits < 0:
        raise InvalidArgument(f"memory_bits={memory_bits!r} must be an integer >= 0")
    return Q(1, 2 * (memory_bits + 1))
