"""Exact 1-D continuous piecewise-linear functions, and extraction from networks.

A :class:`PiecewiseLinear` is given by sorted breakpoints x_0 < ... < x_n and
its exact values there; it is linear in between.  :func:`to_pwl` extracts the
exact function computed by a one-input, one-output network on an interval.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

from exactnet.evaluate import evaluate
from exactnet.exceptions import InvalidArgument
from exactnet.network import Network
from exactnet.numbers import ZERO, Interval, Q, QLike, q

__all__ = ["PiecewiseLinear", "to_pwl", "to_pwl_segment"]


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
        xs, ys = list(self.xs), list(self.ys)
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

    Parameters
    ----------
    net : Network
        One input (any DAG, skip connections included).
    interval : Interval
    output : int
        Which output.

    Examples
    --------
    >>> from exactnet.constructions.yarotsky2017 import square_net
    >>> f = to_pwl(square_net(2), Interval(0, 1))
    >>> [str(x) for x in f.canonical().xs], [str(y) for y in f.canonical().ys]
    (['0', '1/4', '1/2', '3/4', '1'], ['0', '1/16', '1/4', '9/16', '1'])
    """
    if len(net.inputs) != 1:
        raise InvalidArgument(
            f"to_pwl needs a one-input network (this one has {len(net.inputs)}); "
            "use to_pwl_segment for a segment in several dimensions"
        )
    return _extract(net, [interval.lo], [interval.hi], output)


def to_pwl_segment(net: Network, a: Sequence[QLike], b: Sequence[QLike], *, output: int = 0) -> PiecewiseLinear:
    """The exact PWL function t -> N(a + t (b - a)) for t in [0, 1].

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
            f"the segment ends need {len(net.inputs)} coordinates (the network's inputs)"
        )
    return _extract(net, pa, pb, output)


def _extract(net: Network, a: list[Q], b: list[Q], output: int) -> PiecewiseLinear:
    if not 0 <= output < len(net.outputs):
        raise InvalidArgument(f"{output=} is not an output of a {len(net.outputs)}-output network")
    one_d = len(a) == 1
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
