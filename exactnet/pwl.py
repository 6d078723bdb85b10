"""Exact 1-D continuous piecewise-linear functions, and extraction from networks.

A :class:`PiecewiseLinear` is given by sorted breakpoints x_0 < ... < x_n and
its exact values there; it is linear in between.  :func:`to_pwl` extracts the
exact function computed by a one-input, one-output network on an interval;
:func:`to_pwl_scaled` returns the same as integer numpy arrays
(:class:`ScaledPWL`), for millions of pieces.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import compress, pairwise
from operator import attrgetter
from typing import Any, Callable, Sequence

import numpy as np

from exactnet.evaluate import evaluate
from exactnet.exceptions import InvalidArgument
from exactnet.network import Network
from exactnet.numbers import ONE, ZERO, Interval, Q, QLike, q

__all__ = ["PiecewiseLinear", "ScaledPWL", "to_pwl", "to_pwl_scaled", "to_pwl_segment"]


@dataclass(frozen=True, slots=True)
class PiecewiseLinear:
    """A continuous piecewise-linear function on [xs[0], xs[-1]].

    Attributes
    ----------
    xs : tuple of Q
        Strictly increasing breakpoints (the ends of the interval included).
    ys : tuple of Q
        Exact values at the breakpoints.

    Examples
    --------
    >>> f = PiecewiseLinear.from_points([(0, 0), ("1/2", 1), (1, 0)])
    >>> print(f("1/4"), f("3/4"), f.pieces)
    1/2 1/2 2
    >>> [str(s) for s in f.slopes]
    ['2', '-2']
    """

    xs: tuple[Q, ...]
    ys: tuple[Q, ...]

    def __post_init__(self) -> None:
        # the gate: every number is Q (ints and "p/q" converted, floats refused); the
        # type scan is one pass in C, so the 2^20-piece paths pay milliseconds
        for name in ("xs", "ys"):
            values = getattr(self, name)
            if type(values) is not tuple or set(map(type, values)) - {Q}:
                object.__setattr__(self, name, tuple(q(v) for v in values))
        if len(self.xs) != len(self.ys) or not self.xs:
            raise InvalidArgument("a PWL function needs as many values as breakpoints (>= 1)")
        for a, b in zip(self.xs, self.xs[1:]):
            if not a < b:
                raise InvalidArgument(f"breakpoints must increase strictly ({a} then {b})")

    @classmethod
    def from_points(cls, points: Sequence[tuple[QLike, QLike]]) -> "PiecewiseLinear":
        """From (x, y) pairs (sorted by x here)."""
        pts = sorted((q(x), q(y)) for x, y in points)
        return cls(tuple(x for x, _ in pts), tuple(y for _, y in pts))

    @property
    def domain(self) -> Interval:
        return Interval(self.xs[0], self.xs[-1])

    @property
    def pieces(self) -> int:
        """Number of linear pieces (breakpoints - 1)."""
        return len(self.xs) - 1

    @property
    def slopes(self) -> tuple[Q, ...]:
        return tuple(
            (y1 - y0) / (x1 - x0)
            for x0, x1, y0, y1 in zip(self.xs, self.xs[1:], self.ys, self.ys[1:])
        )

    def __call__(self, x: QLike) -> Q:
        v = q(x)
        xs = self.xs
        if not xs[0] <= v <= xs[-1]:
            raise InvalidArgument(f"{v} is outside the domain {self.domain}")
        lo, hi = 0, len(xs) - 1
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if xs[mid] <= v:
                lo = mid
            else:
                hi = mid
        if v == xs[lo]:
            return self.ys[lo]
        if v == xs[hi]:
            return self.ys[hi]
        x0, x1, y0, y1 = xs[lo], xs[hi], self.ys[lo], self.ys[hi]
        return y0 + (y1 - y0) * (v - x0) / (x1 - x0)

    def canonical(self) -> "PiecewiseLinear":
        """Merge collinear neighbouring pieces (keep only true breakpoints).

        Examples
        --------
        >>> f = PiecewiseLinear.from_points([(0, 0), (1, 1), (2, 2), (3, 0)])
        >>> f.canonical().pieces
        2
        """
        if len(self.xs) > 32:
            # large inputs: one vectorised determinant test on the integer form
            keep = _kept(*_integer_form(self.xs, self.ys)[:3])
            if keep.all():
                return self
            return PiecewiseLinear(
                tuple(compress(self.xs, keep)), tuple(compress(self.ys, keep))
            )
        xs, ys = self.xs, self.ys
        keep_x, keep_y = [xs[0]], [ys[0]]
        for i in range(1, len(xs) - 1):
            # drop x_i when the slope does not change there
            s_in = (ys[i] - keep_y[-1]) * (xs[i + 1] - xs[i])
            s_out = (ys[i + 1] - ys[i]) * (xs[i] - keep_x[-1])
            if s_in != s_out:
                keep_x.append(xs[i])
                keep_y.append(ys[i])
        if len(xs) > 1:
            keep_x.append(xs[-1])
            keep_y.append(ys[-1])
        return PiecewiseLinear(tuple(keep_x), tuple(keep_y))

    # -- algebra ---------------------------------------------------------------------

    def _on_union(self, other: "PiecewiseLinear") -> tuple[list[Q], list[Q], list[Q]]:
        if self.xs[0] != other.xs[0] or self.xs[-1] != other.xs[-1]:
            raise InvalidArgument(
                f"domains differ: {self.domain} and {other.domain}; restrict first"
            )
        xs = sorted(set(self.xs) | set(other.xs))
        return xs, _resample(self, xs), _resample(other, xs)

    def _combine(self, other: "PiecewiseLinear", op: Callable[[Q, Q], Q]) -> "PiecewiseLinear":
        xs, a, b = self._on_union(other)
        return PiecewiseLinear(tuple(xs), tuple(op(u, v) for u, v in zip(a, b)))

    def __add__(self, other: "PiecewiseLinear") -> "PiecewiseLinear":
        return self._combine(other, lambda u, v: u + v)

    def __sub__(self, other: "PiecewiseLinear") -> "PiecewiseLinear":
        return self._combine(other, lambda u, v: u - v)

    def scale(self, c: QLike, shift: QLike = 0) -> "PiecewiseLinear":
        """x -> c f(x) + shift."""
        cq, sq = q(c), q(shift)
        return PiecewiseLinear(self.xs, tuple(cq * y + sq for y in self.ys))

    def __neg__(self) -> "PiecewiseLinear":
        return self.scale(-1)

    def relu(self) -> "PiecewiseLinear":
        """max(f, 0), with the exact zero crossings inserted."""
        return _max0(self.xs, self.ys)

    def maximum(self, other: "PiecewiseLinear") -> "PiecewiseLinear":
        """max(f, g) = g + relu(f - g).

        Examples
        --------
        >>> f = PiecewiseLinear.from_points([(0, 0), (1, 1)])
        >>> g = PiecewiseLinear.from_points([(0, "1/2"), (1, "1/2")])
        >>> [str(v) for v in f.maximum(g).canonical().xs]
        ['0', '1/2', '1']
        """
        return (other + (self - other).relu()).canonical()

    def minimum(self, other: "PiecewiseLinear") -> "PiecewiseLinear":
        """min(f, g) = f - relu(f - g)."""
        return (self - (self - other).relu()).canonical()

    def restrict(self, interval: Interval) -> "PiecewiseLinear":
        """The restriction to a sub-interval."""
        if not (self.xs[0] <= interval.lo and interval.hi <= self.xs[-1]):
            raise InvalidArgument(f"{interval} is not inside the domain {self.domain}")
        inner = [x for x in self.xs if interval.lo < x < interval.hi]
        xs = [interval.lo, *inner] + ([interval.hi] if interval.hi != interval.lo else [])
        return PiecewiseLinear(tuple(xs), tuple(self(x) for x in xs))

    def compose(self, inner: "PiecewiseLinear") -> "PiecewiseLinear":
        """x -> self(inner(x)); inner's range must lie in self's domain.

        Examples
        --------
        >>> tent = PiecewiseLinear.from_points([(0, 0), ("1/2", 1), (1, 0)])
        >>> tent.compose(tent).canonical().pieces
        4
        """
        xs: list[Q] = []
        for i, (x0, x1) in enumerate(zip(inner.xs, inner.xs[1:])):
            y0, y1 = inner.ys[i], inner.ys[i + 1]
            xs.append(x0)
            lo, hi = (y0, y1) if y0 <= y1 else (y1, y0)
            # breakpoints of self crossed by this piece of inner
            cuts = [b for b in self.xs if lo < b < hi]
            for b in cuts:
                xs.append(x0 + (b - y0) * (x1 - x0) / (y1 - y0))
        xs.append(inner.xs[-1])
        xs = sorted(set(xs))
        return PiecewiseLinear(tuple(xs), tuple(self(inner(x)) for x in xs))

    def equals(self, other: "PiecewiseLinear") -> bool:
        """True if both are the same function on the same domain."""
        try:
            xs, a, b = self._on_union(other)
        except InvalidArgument:
            return False
        return a == b


def _resample(f: PiecewiseLinear, xs: Sequence[Q]) -> list[Q]:
    """f at sorted points xs that contain f's breakpoints (one linear pass)."""
    out: list[Q] = []
    j = 0
    fx, fy = f.xs, f.ys
    for x in xs:
        while j + 1 < len(fx) and fx[j + 1] <= x:
            j += 1
        if fx[j] == x:
            out.append(fy[j])
        else:
            x0, x1, y0, y1 = fx[j], fx[j + 1], fy[j], fy[j + 1]
            out.append(y0 + (y1 - y0) * (x - x0) / (x1 - x0))
    return out


def _max0(xs: Sequence[Q], ys: Sequence[Q]) -> PiecewiseLinear:
    ox: list[Q] = [xs[0]]
    oy: list[Q] = [ys[0] if ys[0] > 0 else ZERO]
    for i in range(1, len(xs)):
        y0, y1 = ys[i - 1], ys[i]
        if (y0 < 0 < y1) or (y1 < 0 < y0):
            ox.append(xs[i - 1] + (xs[i] - xs[i - 1]) * y0 / (y0 - y1))
            oy.append(ZERO)
        ox.append(xs[i])
        oy.append(y1 if y1 > 0 else ZERO)
    return PiecewiseLinear(tuple(ox), tuple(oy))


def to_pwl(net: Network, interval: Interval, *, output: int = 0) -> PiecewiseLinear:
    """The exact piecewise-linear function of a one-input network on an interval.

    Every node is tracked on one shared sorted grid of points on which all nodes
    computed so far are linear between neighbours.  Level by level, the
    pre-activations of the new nodes are formed on the grid (they are linear
    between grid points, as sums of such); the exact zero crossings of the ReLU
    pre-activations are inserted into the grid (every stored node is linear
    there, so its value at a new point is the exact interpolation), and the
    ReLU is applied.  The result keeps every grid point; use
    :meth:`PiecewiseLinear.canonical` to merge collinear pieces.

    The work runs on the scaled-integer engine of :func:`to_pwl_scaled`; this
    function turns its result into ``Q`` values.

    Parameters
    ----------
    net : Network
        One input (any DAG, skip connections included).
    interval : Interval
    output : int
        Which output.

    Returns
    -------
    PiecewiseLinear

    Raises
    ------
    InvalidArgument
        If the network does not have exactly one input, or `output` is not one
        of its outputs.

    Examples
    --------
    >>> from exactnet.constructions.yarotsky2017 import square_net
    >>> f = to_pwl(square_net(2), Interval(0, 1))
    >>> [str(x) for x in f.canonical().xs], [str(y) for y in f.canonical().ys]
    (['0', '1/4', '1/2', '3/4', '1'], ['0', '1/16', '1/4', '9/16', '1'])
    """
    return to_pwl_scaled(net, interval, output=output).to_pwl()


def to_pwl_segment(
    net: Network, a: Sequence[QLike], b: Sequence[QLike], *, output: int = 0
) -> PiecewiseLinear:
    """The exact PWL function t -> N(a + t (b - a)) for t in [0, 1].

    Works for any number of inputs, one included (then t runs over [0, 1],
    not over [a, b]; see :func:`to_pwl` for the function of x itself).

    Examples
    --------
    >>> N = Network.from_layers([[[1, 1]]], [[-1]], ["relu"])   # relu(x1 + x2 - 1)
    >>> f = to_pwl_segment(N, [0, 0], [1, 1])
    >>> [str(x) for x in f.canonical().xs]
    ['0', '1/2', '1']
    """
    pa, pb = [q(v) for v in a], [q(v) for v in b]
    if len(pa) != len(net.inputs) or len(pb) != len(net.inputs):
        raise InvalidArgument(
            f"the segment ends need {len(net.inputs)} coordinates "
            "(the network's inputs)"
        )
    _check_output(net, output)
    # x_k(t) q0 = a_k q0 + t (b_k - a_k) q0 with integer coefficients
    q0 = 1
    for v in (*pa, *pb):
        q0 = math.lcm(q0, int(v.denominator))
    c0 = [int(v * q0) for v in pa]
    c1 = [int((w - v) * q0) for v, w in zip(pa, pb)]
    scaled = _extract_scaled(net, ZERO, ONE, c0, c1, q0, output)
    if scaled is None:
        return _extract_reference(net, pa, pb, output, along_x=False)
    return scaled.to_pwl()


def to_pwl_scaled(net: Network, interval: Interval, *, output: int = 0) -> ScaledPWL:
    """Exact extraction as integer arrays: :func:`to_pwl` without building ``Q`` values.

    The same function as :func:`to_pwl`, with the same breakpoints, returned as
    a :class:`ScaledPWL`: numpy arrays of integer numerators over common (or
    per-point) denominators.  Use it where millions of pieces are expected
    (a sup-norm scan, a canonical form, counting pieces): creating one ``Q``
    per breakpoint costs more than the extraction itself.

    How it works: grid points and node values are integers over denominators
    that are known in advance (one scale per depth level, as in
    :func:`exactnet.evaluate.evaluate_scaled`, times the points' own
    denominators).  A zero crossing is inserted as an integer combination of
    its cell's two end points, in homogeneous coordinates, so no division is
    ever made except exact ones.  Arrays are numpy int64 while exact bounds
    show that no operation can overflow, Python integers (numpy object arrays)
    beyond; the matrix products run exactly on float64 BLAS, split into limbs
    where the integers are large.  Dyadic grids keep one common denominator, a
    power of two times the interval's; the first crossing that is not on such
    a grid switches to per-point denominators.  Networks whose level scales
    are huge (over ``2^1024``, from many unrelated weight denominators) run
    the ``Q`` reference loop instead (``route == "mpq"``).

    Parameters
    ----------
    net : Network
        One input.
    interval : Interval
    output : int
        Which output.

    Returns
    -------
    ScaledPWL

    Raises
    ------
    InvalidArgument
        If the network does not have exactly one input, or `output` is not one
        of its outputs.

    Examples
    --------
    >>> from exactnet.constructions.yarotsky2017 import square_net
    >>> s = to_pwl_scaled(square_net(2), Interval(0, 1))
    >>> s.xs.tolist(), s.x_den, s.ys.tolist(), s.y_den, s.route
    ([0, 1, 2, 3, 4], 4, [0, 4, 16, 36, 64], 64, 'int64')
    >>> [str(v) for v in s.to_pwl().ys]
    ['0', '1/16', '1/4', '9/16', '1']
    """
    if len(net.inputs) != 1:
        raise InvalidArgument(
            f"to_pwl needs a one-input network (this one has {len(net.inputs)}); "
            "use to_pwl_segment for a segment in several dimensions"
        )
    _check_output(net, output)
    scaled = _extract_scaled(net, interval.lo, interval.hi, [0], [1], 1, output)
    if scaled is None:
        ref = _extract_reference(
            net, [interval.lo], [interval.hi], output, along_x=True
        )
        return ScaledPWL.from_pwl(ref)
    return scaled


def _check_output(net: Network, output: int) -> None:
    if not 0 <= output < len(net.outputs):
        raise InvalidArgument(
            f"{output=} is not an output of a {len(net.outputs)}-output network"
        )


# -- the scaled-integer extraction engine ------------------------------------------
#
# Representation.  A grid point is t_i = X_i / (S D_i) with integers X_i and D_i > 0
# (S = 1; the interval's own denominator is part of D).  With a common denominator
# D_i = D for all i (a Python int); otherwise D is an array ("per-point").  Every
# array of node values of depth level l holds integers A_i with value A_i / (Q_l D_i),
# where Q_l is the level's scale: Q_0 makes the inputs integral, Q_l = lcm(den(b),
# Q_src den(w)) over the level's biases and edges.  Then b Q_l and w Q_l / Q_src are
# integers, and by induction over the levels *every* node value at *every* point
# X / D (D any positive multiple of the point's denominator) times Q_l D is an
# integer: the same argument as evaluate_scaled's.  The partial sums pushed into
# later levels are integer combinations too.
#
# Crossings.  On a grid cell [t_c, t_c+1] every array is linear, and linear in the
# homogeneous vector u = (X, D) as well: A(u) = Q D f(X / D) is a linear form on
# the cone spanned by u_c and u_c+1.  A ReLU pre-activation with values V_c, V_c+1
# of opposite signs vanishes at u = |V_c+1| u_c + |V_c| u_c+1 (check: the form at
# u is |V_c+1| V_c + |V_c| V_c+1 = 0), and every array there is the same integer
# combination of its values at the ends: no division at all.  The coefficient pair
# is divided by its gcd (then equal crossings have equal pairs), and the point by
# gcd(X, D), which divides every array there by the integrality above.  On a
# common dyadic grid the new point is put on the grid D 2^delta instead, when its
# denominator allows: the whole grid is scaled by 2^delta (exact shifts).
#
# Integer sizes.  Every int64 operation is preceded by a bound computed with
# Python integers (from the arrays' exact minima and maxima, or derived from
# bounds known before) which shows that no result or partial sum exceeds
# 2^63 - 1; otherwise that operation runs on Python integers in numpy object
# arrays.  The matrix products, the one O(N w^2) step, run on float64 BLAS, which
# is exact integer arithmetic as long as every entry, product and partial sum is
# an integer of size <= 2^53, in any order of summation (the argument of
# exactnet.evaluate's engine notes): directly when |values| colsum(|W|) <= 2^53,
# else on k-bit limbs of the values, v = sum_t limb_t 2^(k t), with
# (2^k - 1) colsum(|W|) <= 2^53, recombined exactly in int64 or Python ints.
# Measured on the benchmark MLPs (benchmarks/pwl.py), the limbs made the levels
# with 60-130-bit values about 4x faster than Python-int products.

_INT64 = 2**63 - 1
_F64 = 2**53
_MAX_SCALE_BITS = 1024  # larger level scales: the Q reference loop is the better route
_MAX_LIMB = 50  # limb width cap
_MAX_LIMBS = 16  # more limbs than this: the Python-int product


class _InternalError(AssertionError):
    """An exactness invariant of the engine failed: a bug in exactnet, not a result."""


@dataclass(frozen=True, slots=True)
class ScaledPWL:
    """An exact PWL function as integer arrays (the result of :func:`to_pwl_scaled`).

    Breakpoint i is ``xs[i] / (x_den * d_i)`` and the value there is
    ``ys[i] / (y_den * d_i)``, with ``d_i = point_den[i]``, or ``d_i = 1`` when
    ``point_den`` is None (common denominators).  The breakpoints increase
    strictly.  Nothing here is approximate.

    Attributes
    ----------
    xs, ys : numpy.ndarray, shape (N,)
        Numerators: int64, or Python ints (dtype object) when they do not fit.
    x_den, y_den : int
        Common positive denominators.
    point_den : numpy.ndarray or None
        Positive per-point denominators (int64 or object), or None.
    route : str
        How the arrays were computed: ``"int64"`` (machine integers all the
        way), ``"object"`` (Python integers somewhere) or ``"mpq"`` (the
        reference loop, for networks with huge level scales, or converted from
        a :class:`PiecewiseLinear`).

    Examples
    --------
    >>> import numpy as np
    >>> s = ScaledPWL(np.array([0, 1, 2]), np.array([0, 3, 0]), 2, 6)
    >>> s.pieces, [str(y) for y in s.to_pwl().ys]
    (2, ['0', '1/2', '0'])
    """

    xs: Any
    ys: Any
    x_den: int
    y_den: int
    point_den: Any = None
    route: str = "int64"

    @property
    def pieces(self) -> int:
        """Number of linear pieces (breakpoints - 1)."""
        return len(self.xs) - 1

    def to_pwl(self) -> PiecewiseLinear:
        """The same function with ``Q`` breakpoints and values.

        Examples
        --------
        >>> import numpy as np
        >>> s = ScaledPWL(np.array([1, 8]), np.array([1, 1]), 3, 1, np.array([1, 5]))
        >>> [str(x) for x in s.to_pwl().xs], [str(y) for y in s.to_pwl().ys]
        (['1/3', '8/15'], ['1', '1/5'])
        """
        xs = self.xs.tolist()
        ys = self.ys.tolist()
        if self.point_den is None:
            dx, dy = self.x_den, self.y_den
            qx = [Q(int(v), dx) for v in xs]
            qy = [Q(int(v), dy) for v in ys]
        else:
            ds = [int(d) for d in self.point_den.tolist()]
            qx = [Q(int(v), self.x_den * d) for v, d in zip(xs, ds)]
            qy = [Q(int(v), self.y_den * d) for v, d in zip(ys, ds)]
        return PiecewiseLinear(tuple(qx), tuple(qy))

    def canonical(self) -> ScaledPWL:
        """Drop the breakpoints where the slope does not change (vectorised).

        The same breakpoints as :meth:`PiecewiseLinear.canonical`: an interior
        point is dropped exactly when it lies on the line through its two
        neighbours, tested as a vanishing integer determinant.

        Examples
        --------
        >>> import numpy as np
        >>> s = ScaledPWL(np.array([0, 1, 2, 3]), np.array([0, 1, 2, 0]), 1, 1)
        >>> s.canonical().xs.tolist()
        [0, 2, 3]
        """
        keep = _kept(self.xs, self.ys, self.point_den)
        if keep.all():
            return self
        pd = None if self.point_den is None else self.point_den[keep]
        return ScaledPWL(
            self.xs[keep], self.ys[keep], self.x_den, self.y_den, pd, self.route
        )

    @classmethod
    def from_pwl(cls, f: PiecewiseLinear) -> ScaledPWL:
        """The integer form of a :class:`PiecewiseLinear`.

        Dyadic breakpoints and values get common denominators (the largest of
        theirs); otherwise every point gets its own, the lcm of the
        denominators of its breakpoint and value.

        Examples
        --------
        >>> f = PiecewiseLinear.from_points([(0, 0), ("1/3", "1/2"), (1, 0)])
        >>> s = ScaledPWL.from_pwl(f)
        >>> s.xs.tolist(), s.ys.tolist(), s.point_den.tolist()
        ([0, 2, 1], [0, 3, 0], [1, 6, 1])
        """
        X, Y, D, x_den, y_den = _integer_form(f.xs, f.ys)
        return cls(X, Y, x_den, y_den, D, "mpq")


def _column(values: Sequence[Q], part: Callable[[Q], Any]) -> Any:
    """Numerators (or denominators) of Q values: int64, or Python ints if too large."""
    try:
        return np.fromiter(map(part, values), dtype=np.int64, count=len(values))
    except OverflowError:
        return _objects([int(part(v)) for v in values])


def _integer_form(xs: Sequence[Q], ys: Sequence[Q]) -> tuple[Any, Any, Any, int, int]:
    """(X, Y, D, x_den, y_den) with x_i = X_i / (x_den D_i), y_i = Y_i / (y_den D_i).

    Dyadic values get common denominators (D None); others one per point,
    D_i = lcm(den x_i, den y_i)."""
    xn, xd = _column(xs, _NUMERATOR), _column(xs, _DENOMINATOR)
    yn, yd = _column(ys, _NUMERATOR), _column(ys, _DENOMINATOR)
    ints = xd.dtype != object and yd.dtype != object
    if ints and not ((xd & (xd - 1)).any() or (yd & (yd - 1)).any()):
        # powers of two: the largest is the common denominator
        lx, ly = int(xd.max()), int(yd.max())
        X = _scale_rows(xn, lx // xd) if lx > 1 else xn
        Y = _scale_rows(yn, ly // yd) if ly > 1 else yn
        return X, Y, None, lx, ly
    if ints and _bound(xd) * _bound(yd) <= _INT64:
        d = np.lcm(xd, yd)  # <= den x den y: no overflow
    else:
        d = _objects([math.lcm(u, v) for u, v in zip(xd.tolist(), yd.tolist())])
    return (
        _scale_rows(xn, _exact_div(d, xd)),
        _scale_rows(yn, _exact_div(d, yd)),
        d,
        1,
        1,
    )


_NUMERATOR = attrgetter("numerator")
_DENOMINATOR = attrgetter("denominator")


def _kept(xs: Any, ys: Any, dens: Any) -> Any:
    """Boolean mask: the ends, and the interior points where the slope changes."""
    n = len(xs)
    keep = np.ones(n, dtype=bool)
    if n <= 2:
        return keep
    if dens is None:
        # collinear iff dX_l dY_r == dX_r dY_l (the common denominators cancel)
        dx = _sub(xs[1:], xs[:-1])
        dy = _sub(ys[1:], ys[:-1])
        if _bound(dx) * _bound(dy) * 2 > _INT64:
            dx, dy = _as_object(dx), _as_object(dy)
        det = dx[:-1] * dy[1:] - dx[1:] * dy[:-1]
    else:
        # homogeneous points (X, Y, D): collinear iff the 3 x 3 determinant vanishes
        X, Y, D = xs, ys, dens
        if 6 * _bound(X) * _bound(Y) * _bound(D) > _INT64:
            X, Y, D = _as_object(X), _as_object(Y), _as_object(D)
        a, b, c = slice(None, -2), slice(1, -1), slice(2, None)
        det = (
            X[a] * (Y[b] * D[c] - Y[c] * D[b])
            - Y[a] * (X[b] * D[c] - X[c] * D[b])
            + D[a] * (X[b] * Y[c] - X[c] * Y[b])
        )
    keep[1:-1] = det != 0
    return keep


# -- integer arrays: int64 under a bound, Python ints beyond -----------------------


def _bound(a: Any) -> int:
    """The exact largest |entry| (0 for an empty array)."""
    if a.size == 0:
        return 0
    return max(-int(a.min()), int(a.max()))


def _ints(values: list[int]) -> Any:
    """Python ints as an int64 array when they all fit, else as an object array."""
    if values and (max(values) > _INT64 or min(values) < -_INT64):
        return _objects(values)
    return np.array(values, dtype=np.int64)


def _objects(values: list[int]) -> Any:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _as_object(a: Any) -> Any:
    return a if a.dtype == object else a.astype(object)


def _sub(a: Any, b: Any) -> Any:
    if a.dtype != object and b.dtype != object and _bound(a) + _bound(b) <= _INT64:
        return a - b
    return _as_object(a) - _as_object(b)


def _add(a: Any, b: Any) -> Any:
    if a.dtype != object and b.dtype != object and _bound(a) + _bound(b) <= _INT64:
        return a + b
    return _as_object(a) + _as_object(b)


def _scale_rows(a: Any, c: Any) -> Any:
    """a * c row by row (c: one integer per row, or a Python int)."""
    if isinstance(c, int):
        if c == 1:
            return a
        if a.dtype != object and _bound(a) * abs(c) <= _INT64:
            return a * c
        return _as_object(a) * c
    cc = c[:, None] if a.ndim == 2 else c
    if a.dtype != object and c.dtype != object and _bound(a) * _bound(c) <= _INT64:
        return a * cc
    return _as_object(a) * (_as_object(cc))


def _combine(ca: Any, a: Any, cb: Any, b: Any) -> Any:
    """ca * a + cb * b row by row (ca, cb: one integer per row)."""
    return _add(_scale_rows(a, ca), _scale_rows(b, cb))


def _exact_div(a: Any, g: Any) -> Any:
    """a / g row by row, where g divides every entry of its row (by the theory)."""
    gg = g[:, None] if a.ndim == 2 else g
    if a.dtype == object or g.dtype == object:
        return _as_object(a) // _as_object(gg)
    return a // gg


def _shift_rows(a: Any, up: Any, down: Any) -> Any:
    """a * 2^up / 2^down row by row; 2^down divides the rows (by the theory)."""
    if down is not None:
        dd = down[:, None] if a.ndim == 2 else down
        a = a >> dd if a.dtype != object else _as_object(a) >> _as_object(dd)
    if up is not None:
        uu = up[:, None] if a.ndim == 2 else up
        top = int(up.max())
        if a.dtype != object and _bound(a) << top <= _INT64:
            a = a * np.left_shift(1, uu)  # |a| 2^up <= 2^63 - 1: exact
        else:
            a = _as_object(a) << _as_object(uu)
    return a


def _ctz(v: Any) -> Any:
    """Trailing zero bits of nonzero integers (int64 or object arrays)."""
    if v.dtype == object:
        return _ints([(x & -x).bit_length() - 1 for x in v.tolist()])
    return np.bitwise_count((v & -v) - 1).astype(np.int64)


# -- the plan: levels, scales, integer weights -----------------------------------


@dataclass(frozen=True, slots=True)
class _Push:
    """Level l's values times an integer matrix, added into a later level."""

    target: int
    weights: Any  # object matrix (width of l x width of target) of Python ints
    as_float: Any  # the same as float64 when every |w| <= 2^53, else None
    as_int: Any  # the same as int64 when every |w| <= 2^63 - 1, else None
    colsum: int  # max over columns of sum |w|


@dataclass(frozen=True, slots=True)
class _XLevel:
    width: int
    bias: tuple[int, ...]  # b Q_l
    relu: Any  # int array of the ReLU columns
    all_relu: bool
    pushes: tuple[_Push, ...]


@dataclass(frozen=True, slots=True)
class _XPlan:
    scales: tuple[int, ...]  # Q_l; level 0 holds the inputs
    levels: tuple[_XLevel, ...]
    where: dict[str, tuple[int, int]]  # node -> (level, column)


def _scaled_plan(net: Network, q0: int) -> _XPlan | None:
    """The levels of `net` with integer weights for input scale q0 (cached), or
    None when a level scale exceeds 2^_MAX_SCALE_BITS."""
    cache = net._cache.setdefault("pwl.plans", {})
    key = (q0, _MAX_SCALE_BITS)
    if key in cache:
        return cache[key]  # type: ignore[no-any-return]
    by_level: dict[int, list[str]] = {0: list(net.inputs)}
    for n in net.neurons:
        by_level.setdefault(net.depth_of(n), []).append(n)
    depth = max(by_level)
    where: dict[str, tuple[int, int]] = {}
    for l in range(depth + 1):
        for i, n in enumerate(by_level.get(l, ())):
            where[n] = (l, i)
    scales = [q0]
    for l in range(1, depth + 1):
        s = 1
        for n in by_level.get(l, ()):
            s = math.lcm(s, int(net.bias(n).denominator))
            for src, w in net.predecessors(n):
                s = math.lcm(s, scales[where[src][0]] * int(w.denominator))
        if s.bit_length() > _MAX_SCALE_BITS:
            if len(cache) < 8:
                cache[key] = None
            return None
        scales.append(s)
    widths = [len(by_level.get(l, ())) for l in range(depth + 1)]
    mats: dict[tuple[int, int], list[list[int]]] = {}
    for l in range(1, depth + 1):
        for j, n in enumerate(by_level.get(l, ())):
            for src, w in net.predecessors(n):
                sl, r = where[src]
                wi = w * scales[l] / scales[sl]
                if wi.denominator != 1:  # impossible by the choice of Q_l
                    raise _InternalError("a scaled weight is not an integer")
                if wi:
                    mat = mats.setdefault(
                        (sl, l), [[0] * widths[l] for _ in range(widths[sl])]
                    )
                    mat[r][j] = int(wi)
    levels = []
    for l in range(depth + 1):
        pushes = []
        for (sl, target), mat in sorted(mats.items()):
            if sl != l:
                continue
            obj = np.empty((len(mat), len(mat[0])), dtype=object)
            obj[...] = mat
            big = max(abs(v) for row in mat for v in row)
            colsum = max(sum(abs(row[j]) for row in mat) for j in range(len(mat[0])))
            pushes.append(
                _Push(
                    target,
                    obj,
                    np.array(mat, dtype=np.float64) if big <= _F64 else None,
                    np.array(mat, dtype=np.int64) if big <= _INT64 else None,
                    colsum,
                )
            )
        nodes = by_level.get(l, ())
        relu = [i for i, n in enumerate(nodes) if l and net.activation(n) == "relu"]
        levels.append(
            _XLevel(
                len(nodes),
                tuple(int(net.bias(n) * scales[l]) for n in nodes) if l else (),
                np.array(relu, dtype=np.intp),
                bool(nodes) and len(relu) == len(nodes),
                tuple(pushes),
            )
        )
    plan = _XPlan(tuple(scales), tuple(levels), where)
    if len(cache) < 8:
        cache[key] = plan
    return plan


def _matmul(v: Any, push: _Push, vb: int) -> Any:
    """v @ weights, exactly, for |v| <= vb: float64 BLAS on the integers themselves
    when they are small, else on k-bit limbs of them (see the notes), Python ints
    as the last resort."""
    bound = vb * push.colsum
    if push.as_float is None or bound == 0:
        return _as_object(v) @ push.weights
    if bound <= _F64:
        # exact: every entry, product and partial sum is an integer of size <= 2^53
        return (v.astype(np.float64) @ push.as_float).astype(np.int64)
    # v = sum_t limb_t 2^(k t), low limbs in [0, 2^k), the top one signed; with
    # (2^k - 1) colsum <= 2^53 every limb product is exact in float64
    k = min(_MAX_LIMB, _F64.bit_length() - 1 - push.colsum.bit_length())
    limbs = -(-(vb.bit_length() + 1) // k) if k > 0 else 0
    if k < 16 or limbs > _MAX_LIMBS:
        return _as_object(v) @ push.weights
    mask = (1 << k) - 1
    parts: list[Any] = []  # limb @ weights as int64, low first
    total = 0  # bound on the recombined result
    rest = v
    for t in range(limbs):
        # |rest| <= ceil(vb / 2^(k t)) (floor shifts of values of size <= vb)
        rb = -(-vb >> (k * t))
        if rest.dtype == object and rb <= _INT64:
            rest = rest.astype(np.int64)
        if t == limbs - 1:
            limb, lb = rest, rb
        else:
            limb, lb = rest & mask, mask  # & and >> floor alike in numpy and Python
            rest = rest >> k
        if lb * push.colsum > _F64:
            raise _InternalError("a limb product could leave the exact float64 range")
        parts.append((limb.astype(np.float64) @ push.as_float).astype(np.int64))
        total += (lb * push.colsum) << (k * t)
    result = parts[-1]
    if total <= _INT64:
        # every partial sum of this Horner scheme is bounded by total / 2^(k t)
        for product in reversed(parts[:-1]):
            result = result * (1 << k) + product
        return result
    result = result.astype(object)
    for product in reversed(parts[:-1]):
        result = (result << k) + product.astype(object)
    return result


# -- the engine ----------------------------------------------------------------------


class _Grid:
    """The working grid of one extraction: points X / D, D common (int) or per point."""

    __slots__ = ("D", "X", "object_levels")

    def __init__(self, X: Any, D: int) -> None:
        self.X = X
        self.D: Any = D
        self.object_levels = 0

    def times_bias(self, bias: tuple[int, ...], n: int) -> Any | None:
        """The bias columns b Q_l D of a level (None if all zero)."""
        if not any(bias):
            return None
        if isinstance(self.D, int):
            return _ints([b * self.D for b in bias])
        row = _ints(list(bias))
        D = self.D[:, None]
        if (
            D.dtype != object
            and row.dtype != object
            and _bound(self.D) * _bound(row) <= _INT64
        ):
            return D * row
        return _as_object(D) * _as_object(row)

    def refine(self, P: Any, arrays: list[Any]) -> list[Any]:
        """Insert the zero crossings of P's columns; return `arrays` on the new grid."""
        pos, neg = P > 0, P < 0
        cross = (pos[:-1] & neg[1:]) | (neg[:-1] & pos[1:])
        cells, cols = np.nonzero(cross)
        if cells.size == 0:
            return arrays
        beta = abs(P[cells, cols])  # the crossing is alpha u_c + beta u_c+1
        alpha = abs(P[cells + 1, cols])
        cells, alpha, beta = _order(cells, alpha, beta)
        if isinstance(self.D, int):
            done = self._insert_common(cells, alpha, beta, arrays)
            if done is not None:
                return done
            # a crossing off the dyadic refinements of the grid: per-point from now on
            D = self.D
            self.D = (
                np.full(len(self.X), D, dtype=np.int64)
                if D <= _INT64
                else (_objects([D] * len(self.X)))
            )
        return self._insert_per_point(cells, alpha, beta, arrays)

    def _insert_common(
        self, cells: Any, alpha: Any, beta: Any, arrays: list[Any]
    ) -> list[Any] | None:
        """Insert on the grid D 2^delta, or None if a crossing is not on such a grid."""
        X = self.X
        unit = alpha is None
        if unit:  # alpha = beta = 1: the midpoints
            s = np.full(len(cells), 2, dtype=np.int64)
            xnew = _add(X[cells], X[cells + 1])
        else:
            s = _add(alpha, beta)
            xnew = _combine(alpha, X[cells], beta, X[cells + 1])
        # the point is xnew / (s D); s = o 2^a with o odd
        a = _ctz(s)
        o = s >> a if s.dtype != object else _as_object(s) >> _as_object(a)
        odd = bool((o != 1).any())
        if odd:
            if bool((xnew % o != 0).any()):
                return None
            xnew = _exact_div(xnew, o)
        nz = xnew != 0
        need = a[nz] - _ctz(xnew[nz]) if nz.any() else a[:0]
        delta = max(0, int(need.max())) if need.size else 0
        up = np.maximum(delta - a, 0)
        down = np.maximum(a - delta, 0)
        up_ = up if up.any() else None
        down_ = down if down.any() else None
        out = []
        total = len(X) + len(cells)
        oldpos, newpos = _positions(cells, len(X))
        for A in [X, *arrays]:
            if A is X:
                new = xnew
            else:
                new = (
                    _add(A[cells], A[cells + 1])
                    if unit
                    else _combine(alpha, A[cells], beta, A[cells + 1])
                )
                if odd:
                    new = _exact_div(new, o)
            new = _shift_rows(new, up_, down_)
            old = _scale_rows(A, 1 << delta)
            out.append(_merge(old, new, oldpos, newpos, total))
        self.X = out[0]
        self.D = self.D << delta
        return out[1:]

    def _insert_per_point(
        self, cells: Any, alpha: Any, beta: Any, arrays: list[Any]
    ) -> list[Any]:
        X, D = self.X, self.D
        if alpha is None:
            alpha = beta = np.ones(len(cells), dtype=np.int64)
        xnew = _combine(alpha, X[cells], beta, X[cells + 1])
        dnew = _combine(alpha, D[cells], beta, D[cells + 1])
        g = (
            np.gcd(xnew, dnew)
            if xnew.dtype != object and dnew.dtype != object
            else (np.gcd(_as_object(xnew), _as_object(dnew)))
        )
        divide = bool((g != 1).any())
        total = len(X) + len(cells)
        oldpos, newpos = _positions(cells, len(X))
        out = []
        for A in arrays:
            new = _combine(alpha, A[cells], beta, A[cells + 1])
            if divide:
                new = _exact_div(new, g)
            out.append(_merge(A, new, oldpos, newpos, total))
        if divide:
            xnew, dnew = _exact_div(xnew, g), _exact_div(dnew, g)
        self.X = _merge(X, xnew, oldpos, newpos, total)
        self.D = _merge(D, dnew, oldpos, newpos, total)
        return out


def _order(cells: Any, alpha: Any, beta: Any) -> tuple[Any, Any, Any]:
    """Crossings sorted along the grid, duplicates dropped; (alpha, beta) reduced by
    their gcd (alpha None when every pair is (1, 1))."""
    if alpha.dtype != object and bool((alpha == beta).all()):
        # the same |value| at both ends: the midpoint of the cell in (X, D)
        if len(cells) > 1 and bool((cells[1:] == cells[:-1]).any()):
            keep = np.ones(len(cells), dtype=bool)
            keep[1:] = cells[1:] != cells[:-1]  # equal pairs: the same point
            cells = cells[keep]
        return cells, None, None
    g = np.gcd(alpha, beta)
    if bool((g != 1).any()):
        alpha, beta = _exact_div(alpha, g), _exact_div(beta, g)
    counts = np.bincount(cells)
    if counts.max() <= 1:
        return cells, alpha, beta
    # several crossings in one cell: sort them by beta / alpha, the position
    # along the cell (t is increasing in beta / alpha), and drop equal ones,
    # which have equal reduced pairs
    multi = np.flatnonzero(counts[cells] > 1)
    keys = sorted(
        (c, Q(int(b), int(a)), int(i))
        for c, a, b, i in zip(
            cells[multi].tolist(),
            alpha[multi].tolist(),
            beta[multi].tolist(),
            multi.tolist(),
        )
    )
    chosen = [keys[0][2]] + [
        k[2] for prev, k in pairwise(keys) if (k[0], k[1]) != (prev[0], prev[1])
    ]
    single = np.flatnonzero(counts[cells] == 1)
    idx = np.concatenate([single, np.array(chosen, dtype=np.intp)])
    idx = idx[np.argsort(cells[idx], kind="stable")]
    return cells[idx], alpha[idx], beta[idx]


def _positions(cells: Any, n: int) -> tuple[Any, Any]:
    """Where the n old points and the new ones (sorted by cell) go in the new grid."""
    counts = np.bincount(cells, minlength=n)
    before = np.zeros(n, dtype=np.intp)
    np.cumsum(counts[:-1], out=before[1:])
    oldpos = np.arange(n) + before
    first = np.searchsorted(cells, cells)  # index of the first crossing of the cell
    newpos = cells + 1 + before[cells] + (np.arange(len(cells)) - first)
    return oldpos, newpos


def _merge(old: Any, new: Any, oldpos: Any, newpos: Any, total: int) -> Any:
    dtype = object if old.dtype == object or new.dtype == object else np.int64
    out = np.empty((total,) + old.shape[1:], dtype=dtype)
    out[oldpos] = old
    out[newpos] = new
    return out


def _relu(pre: Any, lvl: _XLevel) -> Any:
    if lvl.all_relu:
        if pre.dtype == object:
            return np.where(pre > 0, pre, 0)
        return np.maximum(pre, 0)
    if lvl.relu.size:
        pre = pre.copy()
        cols = pre[:, lvl.relu]
        pre[:, lvl.relu] = np.where(cols > 0, cols, 0)
    return pre


def _extract_scaled(
    net: Network,
    t0: Q,
    t1: Q,
    c0: list[int],
    c1: list[int],
    q0: int,
    output: int,
) -> ScaledPWL | None:
    """The engine: input k is (c0[k] + c1[k] t) / q0 for t in [t0, t1]; None when
    the level scales are too large for it (the caller falls back to the reference)."""
    plan = _scaled_plan(net, q0)
    if plan is None:
        return None
    D = math.lcm(int(t0.denominator), int(t1.denominator))
    ends = [int(t0 * D)] if t0 == t1 else [int(t0 * D), int(t1 * D)]
    grid = _Grid(_ints(ends), D)
    ol, oi = plan.where[net.outputs[output]]
    n = len(ends)
    # the inputs at the points: (c0 D + c1 X) / (q0 D)
    cols = [_add(_scale_rows(grid.X, b), _ints([a * D] * n)) for a, b in zip(c0, c1)]
    values: Any = (
        np.stack(cols, axis=1)
        if all(c.dtype != object for c in cols)
        else (np.stack([_as_object(c) for c in cols], axis=1))
    )
    partial: dict[int, Any] = {}
    out: Any = None
    for l, lvl in enumerate(plan.levels):
        if l:
            n = len(grid.X)
            pre = partial.pop(l, None)
            if pre is None:
                pre = np.zeros((n, lvl.width), dtype=np.int64)
            bias = grid.times_bias(lvl.bias, n)
            if bias is not None:
                pre = _add(pre, bias)
            if lvl.relu.size and n > 1:
                P = pre if lvl.all_relu else pre[:, lvl.relu]
                keys = sorted(partial)
                live = [pre, *(partial[k] for k in keys)] + (
                    [out] if out is not None else []
                )
                live = grid.refine(P, live)
                pre = live[0]
                for k, arr in zip(keys, live[1:]):
                    partial[k] = arr
                if out is not None:
                    out = live[-1]
            values = _relu(pre, lvl)
        vb = _bound(values)
        if values.dtype == object:
            if vb <= _INT64:
                values = values.astype(np.int64)
            else:
                grid.object_levels += 1
        if l == ol:
            out = values[:, oi].copy()
        for push in lvl.pushes:
            term = _matmul(values, push, vb)
            old = partial.get(push.target)
            partial[push.target] = term if old is None else _add(old, term)
    xs = grid.X
    if isinstance(grid.D, int):
        dens = None
        x_den, y_den = grid.D, plan.scales[ol] * grid.D
    else:
        dens = grid.D
        x_den, y_den = 1, plan.scales[ol]
    obj = any(a is not None and a.dtype == object for a in (xs, out, dens))
    route = "object" if obj or grid.object_levels else "int64"
    return ScaledPWL(xs, out, x_den, y_den, dens, route)


def _extract_reference(
    net: Network, a: list[Q], b: list[Q], output: int, *, along_x: bool
) -> PiecewiseLinear:
    """The reference extraction in ``Q`` arithmetic (lists of mpq), kept to check
    the engine against and for networks the engine declines.  ``along_x``: the
    grid is x itself on [a[0], b[0]] (one input), else t in [0, 1]."""
    if not 0 <= output < len(net.outputs):
        raise InvalidArgument(
            f"{output=} is not an output of a {len(net.outputs)}-output network"
        )
    one_d = along_x
    t0, t1 = (a[0], b[0]) if one_d else (ZERO, Q(1))
    if t0 == t1:
        return PiecewiseLinear((t0,), (evaluate(net, a if not one_d else a[0])[output],))
    grid: list[Q] = [t0, t1]
    values: dict[str, list[Q]] = {}
    for i, name in enumerate(net.inputs):
        if one_d:
            values[name] = [t0, t1]
        else:
            values[name] = [a[i], b[i]]
    by_level: dict[int, list[str]] = {}
    for n in net.neurons:
        by_level.setdefault(net.depth_of(n), []).append(n)
    for level in sorted(by_level):
        nodes = by_level[level]
        pre: dict[str, list[Q]] = {}
        for n in nodes:
            acc = [net.bias(n)] * len(grid)
            for src, w in net.predecessors(n):
                v = values[src]
                acc = [s + w * u for s, u in zip(acc, v)]
            pre[n] = acc
        # exact zero crossings of the ReLU pre-activations, strictly inside grid cells
        cuts: dict[int, set[Q]] = {}
        for n in nodes:
            if net.activation(n) != "relu":
                continue
            p = pre[n]
            for i in range(len(grid) - 1):
                y0, y1 = p[i], p[i + 1]
                if (y0 < 0 < y1) or (y1 < 0 < y0):
                    t = grid[i] + (grid[i + 1] - grid[i]) * y0 / (y0 - y1)
                    cuts.setdefault(i, set()).add(t)
        if cuts:
            new_grid: list[Q] = []
            where: list[tuple[int, Q | None]] = []  # (cell, point) for interpolation
            for i, x in enumerate(grid):
                new_grid.append(x)
                where.append((i, None))
                for t in sorted(cuts.get(i, ())):
                    new_grid.append(t)
                    where.append((i, t))

            def refine(vals: list[Q]) -> list[Q]:
                out = []
                for i, t in where:
                    if t is None:
                        out.append(vals[i])
                    else:
                        x0, x1 = grid[i], grid[i + 1]
                        out.append(vals[i] + (vals[i + 1] - vals[i]) * (t - x0) / (x1 - x0))
                return out

            values = {k: refine(v) for k, v in values.items()}
            pre = {k: refine(v) for k, v in pre.items()}
            grid = new_grid
        for n in nodes:
            if net.activation(n) == "relu":
                values[n] = [y if y > 0 else ZERO for y in pre[n]]
            else:
                values[n] = pre[n]
    out = values[net.outputs[output]]
    return PiecewiseLinear(tuple(grid), tuple(out))
