"""Exact forward evaluation at rational points: one point, batches, activation patterns.

Three routes, which agree exactly where they overlap:

* :func:`evaluate` -- the reference: a plain loop over the nodes in gmpy2 ``mpq``.
* :func:`evaluate_batch` / :func:`evaluate_scaled` -- the scaled-integer engine.
  Every depth level l of the network gets one common denominator ``P_l`` (the
  least one that represents all its values exactly: the lcm of
  ``P_source * den(weight)`` over its edges and of ``den(bias)``), so that a
  level is an integer matrix product plus an integer bias column.  For dyadic
  networks and inputs every ``P_l`` is a power of two: this is the dyadic fast
  path.  The integers are held exactly as float64 "limbs" and multiplied with
  BLAS, under exact bounds computed with Python integers that prove no float
  operation ever rounds (see the notes at the head of the engine below);
  Python integers (numpy object arrays) take over where the limbs would be
  too many.
* :func:`evaluate_float` -- float64 numpy, approximate, for comparison only.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from collections.abc import Iterable
from typing import Any

import numpy as np

from exactnet.exceptions import InvalidArgument
from exactnet.network import Network
from exactnet.numbers import Q, q, relu

__all__ = [
    "evaluate",
    "evaluate_batch",
    "evaluate_scaled",
    "evaluate_float",
    "activation_pattern",
    "ScaledBatch",
]


def _point(net: Network, x: object) -> tuple[Q, ...]:
    d = len(net.inputs)
    if type(x) is Q:  # the common case of a batch of one-input points, kept cheap
        values: tuple[Q, ...] = (x,)
    elif isinstance(x, (list, tuple)):
        values = tuple(v if type(v) is Q else q(v) for v in x)
    elif isinstance(x, np.ndarray):
        values = tuple(q(v) for v in x.tolist())
    else:
        values = (q(x),)
    if len(values) != d:
        raise InvalidArgument(
            f"the network has {d} input{'s' if d != 1 else ''} "
            f"({', '.join(net.inputs)}) but the point has {len(values)} coordinates"
        )
    return values


def _program(
    net: Network,
) -> tuple[tuple[tuple[Q, tuple[tuple[int, Q], ...], bool], ...], dict[str, int]]:
    """The reference loop's instructions (cached): per neuron in topological order,
    its bias, its incoming edges as (position of the source, weight), and whether
    it is a ReLU.  Positions index the list inputs + neurons."""
    prog = net._cache.get("evaluate.program")
    if prog is None:
        index = {n: i for i, n in enumerate(net.inputs)}
        steps = []
        for node in net.neurons:
            preds = tuple((index[s], w) for s, w in net.predecessors(node))
            steps.append((net.bias(node), preds, net.activation(node) == "relu"))
            index[node] = len(index)
        prog = (tuple(steps), index)
        net._cache["evaluate.program"] = prog
    return prog  # type: ignore[no-any-return]


def _forward(net: Network, x: tuple[Q, ...]) -> list[Q]:
    """Values of the inputs and of every neuron (the reference loop)."""
    steps, _ = _program(net)
    value = list(x)
    for b, preds, is_relu in steps:
        s = b
        for i, w in preds:
            s += w * value[i]
        value.append(relu(s) if is_relu else s)
    return value


def evaluate(net: Network, x: object) -> tuple[Q, ...]:
    """Evaluate `net` exactly at one rational point.

    Parameters
    ----------
    net : Network
    x : exact number or sequence of exact numbers
        One coordinate per input (a bare number for one-input networks).
        Floats are refused (see :func:`exactnet.numbers.q`).

    Returns
    -------
    tuple of Q
        One exact value per output.

    Raises
    ------
    InvalidArgument
        If the point has the wrong number of coordinates.

    Examples
    --------
    The tent map g(x) = 2 relu(x) - 4 relu(x - 1/2) at 1/3 and 3/4:

    >>> g = Network.from_layers([[[1], [1]], [[2, -4]]], [[0, "-1/2"], [0]])
    >>> print(*evaluate(g, "1/3"), *evaluate(g, "3/4"))
    2/3 1/2
    """
    value = _forward(net, _point(net, x))
    index = _program(net)[1]
    return tuple(value[index[o]] for o in net.outputs)


def activation_pattern(net: Network, x: object) -> dict[str, bool]:
    """Which ReLU neurons are active (pre-activation > 0) at the point `x`.

    Examples
    --------
    >>> g = Network.from_layers([[[1], [1]], [[2, -4]]], [[0, "-1/2"], [0]])
    >>> activation_pattern(g, "1/3")
    {'h1_1': True, 'h1_2': False}
    """
    steps, _ = _program(net)
    value = list(_point(net, x))
    pattern: dict[str, bool] = {}
    for node, (b, preds, is_relu) in zip(net.neurons, steps):
        s = b
        for i, w in preds:
            s += w * value[i]
        if is_relu:
            pattern[node] = s > 0
            value.append(relu(s))
        else:
            value.append(s)
    return pattern


# -- the scaled-integer engine ---------------------------------------------------
#
# Design, and why (measured on the benchmark machine: 2 cores, numpy 2.4 with
# OpenBLAS; see benchmarks/eval.py and benchmarks/RESULTS.md):
#
# * One level is an integer matrix product.  For (100000 x 32) @ (32 x 32):
#   float64 on BLAS 3.7 ms, int64 (numpy's own loop, BLAS has no integer
#   product) 44 ms, Python integers in object arrays about 3 s.  The values of a
#   deep dyadic network outgrow int64 anyway (about 8 more bits per layer on the
#   benchmark MLP, 86 bits at its output), and the previous int64-then-Python-int
#   route ran that MLP at about 190x float64.
# * So the integers are held in float64 arrays and multiplied on BLAS.  This is
#   exact integer arithmetic, not floating-point approximation: every integer of
#   magnitude <= 2^53 is a double, and a product or sum of such integers whose
#   exact result is again <= 2^53 in magnitude is computed without rounding, in
#   any order of summation, with or without FMA.  Before every float operation
#   that could leave that range, a bound computed with Python integers (never
#   with floats) proves it cannot: the engine tracks, for every array, an exact
#   integer interval [lo, hi] holding all its entries.  FLINT and other exact
#   linear-algebra libraries use the same trick.  It needs the matrix product
#   to be the classical one (sums of the products w_ij x_j, whatever the order
#   or blocking), as in OpenBLAS, MKL, BLIS and numpy's own loops; a
#   Strassen-type product would form other intermediates.
# * Larger integers are split into limbs of k bits, value = sum_t limb_t 2^(k t).
#   k is chosen once per network from the exact integer weights so that one limb
#   (< 2^k) times a weight matrix stays <= 2^52 (about 41 bits on the benchmark
#   MLP, whose integer weights have column sums <= 2^11).  Weights too large for
#   that are themselves split into k-bit digits.  After each level the carries
#   are propagated exactly (floor(limb / 2^k), then limb - 2^k floor(...)), which
#   leaves every limb but the top one in [0, 2^k): the sign of a value, which
#   decides the ReLU, is then the sign of its top limb.  The top limb is split
#   again, from its exact minimum and maximum, when it outgrows k bits.  With
#   per-point denominators the biases become a one-row weight matrix on the
#   per-point scale column, which caps k at 26.  Not kept: int64 limbs, whose
#   products (numpy's integer matmul) alone cost 12x the float64 ones.
# * Where the limb route would need more than _MAX_TERMS limb products in one
#   level (huge weights and values), that level runs on Python integers in numpy
#   object arrays instead: slower but indifferent to size.
# * Points are processed in chunks so that a level's arrays stay in the L2 cache.

_EXACT = 2**53  # every integer of magnitude <= 2^53 is exactly a float64
_PRODUCT = 2**52  # bound on one limb times a weight matrix (room left for sums)
_MAX_K = 50  # limb width cap: a normalised limb plus a product stays <= 2^53
_MAX_TERMS = 64  # limb products per level beyond which the level uses Python ints
_CHUNK_CELLS = 2**16  # points per chunk times the widest level (L2-sized chunks)


class _InternalError(AssertionError):
    """An exactness invariant of the engine failed: a bug in exactnet, not a result."""


@dataclass(frozen=True, slots=True)
class _Block:
    level: int  # source level (0 = inputs, -1 = the per-point scale column)
    rows: np.ndarray | None  # rows of that level used, None = all in order
    weights: Any  # object matrix (sources x targets) of exact integer weights
    digits: tuple[np.ndarray, ...]  # float64 W_j with weights = sum_j W_j 2^(k j)
    sums: tuple[int, ...]  # S_j = max over targets of sum over sources of |W_j|


@dataclass(frozen=True, slots=True)
class _Level:
    nodes: tuple[str, ...]
    scale: int  # P_l
    blocks: tuple[_Block, ...]
    bias: tuple[int, ...]  # integer biases b * P_l (a block from -1 when per point)
    bias_digits: tuple[
        tuple[int, np.ndarray, int, int], ...
    ]  # nonzero (j, row_j, min, max):
    # bias = sum_j row_j 2^(k j) with |row_j| < 2^k (common denominators only)
    relu_mask: np.ndarray | None  # bool per node, None if all relu; all False if none
    any_relu: bool


@dataclass(frozen=True, slots=True)
class _Plan:
    levels: tuple[_Level, ...]
    outputs: tuple[tuple[int, int], ...]  # (level, row) of each output
    input_scale: int
    per_point: bool  # biases multiply a per-point scale column
    k: int  # limb width in bits
    width: int  # widest level, inputs included


def _clog2(n: int) -> int:
    """The least e >= 0 with 2^e >= n (n >= 1)."""
    return (n - 1).bit_length()


def _col_sum(mat: list[list[int]]) -> int:
    return (
        max((sum(abs(r[j]) for r in mat) for j in range(len(mat[0]))), default=0)
        if mat
        else 0
    )


def _limb_width(mats: list[list[list[int]]]) -> int:
    """The limb width k: the largest that every block allows, at most _MAX_K.

    A block of column sum S keeps its weights whole when 2^k S <= 2^52; otherwise
    its weights are split into k-bit digits, which needs r 2^(2k) <= 2^52 for r
    rows.  Each block allows the larger of the two.
    """
    k = _MAX_K
    for mat in mats:
        s = _col_sum(mat)
        if s == 0:
            continue
        whole = 52 - _clog2(s)
        split = (52 - _clog2(len(mat))) // 2
        k = min(k, max(whole, split))
    return max(k, 1)


def _split_weights(
    mat: list[list[int]], k: int
) -> tuple[tuple[np.ndarray, ...], tuple[int, ...]]:
    """Digits W_j (|entries| < 2^k unless the matrix is kept whole) and their S_j."""
    s = _col_sum(mat)
    if s == 0:
        return (), ()
    if s << k <= _PRODUCT:
        digits = [mat]
    else:
        mask = (1 << k) - 1
        digits = []
        rest = mat
        while any(any(r) for r in rest):
            digits.append(
                [[v & mask if v >= 0 else -((-v) & mask) for v in r] for r in rest]
            )
            rest = [[v >> k if v >= 0 else -((-v) >> k) for v in r] for r in rest]
    sums = tuple(_col_sum(d) for d in digits)
    for sj in sums:
        if sj * ((1 << k) - 1) > _PRODUCT:
            raise _InternalError(f"weight digits too large for {k}-bit limbs")
    return tuple(np.array(d, dtype=np.float64) for d in digits), sums


def _plan(net: Network, input_scale: int, per_point: bool = False) -> _Plan:
    cache = net._cache.setdefault("plans", {})
    plan = cache.get((input_scale, per_point))
    if plan is not None:
        return plan  # type: ignore[no-any-return]
    by_level: dict[int, list[str]] = {}
    for n in net.neurons:
        by_level.setdefault(net.depth_of(n), []).append(n)
    where: dict[str, tuple[int, int]] = {n: (0, i) for i, n in enumerate(net.inputs)}
    scales = {0: input_scale}
    widths = [len(net.inputs)]
    raw: list[
        tuple[
            tuple[str, ...],
            int,
            list[tuple[int, Any, list[list[int]]]],
            tuple[int, ...],
            np.ndarray,
        ]
    ] = []
    for l in sorted(by_level):
        nodes = tuple(by_level[l])
        for i, n in enumerate(nodes):
            where[n] = (l, i)
        scale = 1
        for n in nodes:
            scale = math.lcm(scale, int(net.bias(n).denominator))
            for src, w in net.predecessors(n):
                scale = math.lcm(scale, scales[where[src][0]] * int(w.denominator))
        scales[l] = scale
        # integer weights w * P_l / P_src, grouped by source level
        per_src: dict[int, dict[int, dict[int, int]]] = {}
        for j, n in enumerate(nodes):
            for src, w in net.predecessors(n):
                sl, row = where[src]
                wi = w * scale / scales[sl]
                if wi.denominator != 1:  # impossible by the choice of P_l
                    raise _InternalError("a scaled weight is not an integer")
                per_src.setdefault(sl, {}).setdefault(row, {})[j] = int(wi)
        blocks = []
        for sl in sorted(per_src):
            rows = sorted(per_src[sl])
            mat = [[per_src[sl][r].get(j, 0) for j in range(len(nodes))] for r in rows]
            full = rows == list(range(widths[sl]))
            blocks.append((sl, None if full else np.array(rows, dtype=np.intp), mat))
        bias = tuple(int(net.bias(n) * scale) for n in nodes)
        if per_point and any(bias):
            blocks.append((-1, None, [list(bias)]))
        mask = np.array([net.activation(n) == "relu" for n in nodes])
        raw.append((nodes, scale, blocks, bias, mask))
        widths.append(len(nodes))
    k = _limb_width([mat for entry in raw for _, _, mat in entry[2]])
    levels = []
    for nodes, scale, blocks, bias, mask in raw:
        done = []
        for sl, rows, mat in blocks:
            digits, sums = _split_weights(mat, k)
            done.append(
                _Block(
                    sl,
                    rows,
                    np.array(mat, dtype=object).reshape(len(mat), -1),
                    digits,
                    sums,
                )
            )
        bias_digits = []
        if not per_point:
            rest = list(bias)
            mask_k = (1 << k) - 1
            j = 0
            while any(rest):
                row = [v & mask_k if v >= 0 else -((-v) & mask_k) for v in rest]
                if any(row):
                    bias_digits.append(
                        (j, np.array(row, dtype=np.float64), min(row), max(row))
                    )
                rest = [v >> k if v >= 0 else -((-v) >> k) for v in rest]
                j += 1
        levels.append(
            _Level(
                nodes,
                scale,
                tuple(done),
                bias,
                tuple(bias_digits),
                None if mask.all() else mask,
                bool(mask.any()),
            )
        )
    outputs = tuple(where[o] for o in net.outputs)
    plan = _Plan(tuple(levels), outputs, input_scale, per_point, k, max(widths))
    if len(cache) < 16:
        cache[(input_scale, per_point)] = plan
    return plan


class _Limbs:
    """An integer array held exactly as float64 limbs: value = sum_t a[t] 2^(k t).

    Every entry of ``a[t]`` is an integer in [lo[t], hi[t]] (exact Python-int
    bounds, kept with |lo|, |hi| <= 2^53 so that every entry is a double).
    """

    __slots__ = ("a", "lo", "hi")

    def __init__(self, a: list[np.ndarray], lo: list[int], hi: list[int]) -> None:
        self.a = a
        self.lo = lo
        self.hi = hi


def _check(lo: int, hi: int) -> None:
    if lo < -_EXACT or hi > _EXACT:
        raise _InternalError("a float64 limb could leave the exact range")


def _add(
    L: _Limbs,
    t: int,
    arr: np.ndarray,
    lo: int,
    hi: int,
    k: int,
    shape: tuple[int, int],
    fresh: bool,
) -> None:
    """Limb t of L += arr (entries in [lo, hi]), exactly.

    If the sum could leave [-2^53, 2^53], limb t is first carried into limb
    t + 1.  `fresh` says that `arr` belongs to the caller and may become a limb.
    """
    while len(L.a) < t:
        L.a.append(np.zeros(shape))
        L.lo.append(0)
        L.hi.append(0)
    if len(L.a) == t:
        L.a.append(
            arr
            if fresh and arr.shape == shape
            else np.array(np.broadcast_to(arr, shape))
        )
        L.lo.append(lo)
        L.hi.append(hi)
        return
    if L.lo[t] + lo < -_EXACT or L.hi[t] + hi > _EXACT:
        _carry(L, t, k, shape)
    _check(L.lo[t] + lo, L.hi[t] + hi)
    L.a[t] += arr
    L.lo[t] += lo
    L.hi[t] += hi


def _carry(L: _Limbs, t: int, k: int, shape: tuple[int, int]) -> None:
    """Move floor(limb t / 2^k) into limb t + 1, leaving limb t in [0, 2^k).

    Exact: limb t holds integers of magnitude <= 2^53, so scaling by 2^-k,
    floor, scaling back by 2^k and the subtraction (whose result lies in
    [0, 2^k)) all give exactly representable results.
    """
    lo, hi = L.lo[t], L.hi[t]
    if lo >= 0 and hi >> k == 0:
        return
    a = L.a[t]
    c = a * (2.0**-k)
    np.floor(c, out=c)
    a -= c * (2.0**k)
    L.lo[t], L.hi[t] = 0, (1 << k) - 1
    _add(L, t + 1, c, lo >> k, hi >> k, k, shape, True)


def _normalise(L: _Limbs, k: int, shape: tuple[int, int]) -> None:
    """Carry limb after limb, so that every limb below the top lies in [0, 2^k).

    The top limb may be created on the way (a carry can need a new limb), so the
    loop runs up to the top as it is at each step.
    """
    t = 0
    while t < len(L.a) - 1:
        _carry(L, t, k, shape)
        t += 1


def _settle_top(L: _Limbs, k: int, shape: tuple[int, int]) -> None:
    """Bring the top limb below 2^k in magnitude (splitting it, from its exact
    minimum and maximum) and drop all-zero top limbs."""
    top = len(L.a) - 1
    if max(-L.lo[top], L.hi[top]) >> k == 0:
        return
    L.lo[top], L.hi[top] = int(L.a[top].min()), int(L.a[top].max())
    while max(-L.lo[-1], L.hi[-1]) >> k:
        _carry(L, len(L.a) - 1, k, shape)
    while len(L.a) > 1 and L.lo[-1] == 0 == L.hi[-1]:
        L.a.pop()
        L.lo.pop()
        L.hi.pop()
        L.lo[-1], L.hi[-1] = int(L.a[-1].min()), int(L.a[-1].max())


def _split_ints(x: Any, k: int) -> _Limbs:
    """Integers (an int64 array or an object array of Python ints) as k-bit limbs."""
    if x.size == 0:
        return _Limbs([np.zeros(x.shape)], [0], [0])
    lo, hi = int(x.min()), int(x.max())
    if x.dtype == object and -(2**63) <= lo and hi < 2**63:
        x = x.astype(np.int64)
    mask = (1 << k) - 1
    a: list[np.ndarray] = []
    los: list[int] = []
    his: list[int] = []
    while max(-lo, hi) >> k:
        a.append((x & mask).astype(np.float64))  # exact: entries below 2^k <= 2^50
        los.append(0)
        his.append(mask)
        x = x >> k  # floor division, as Python's >> on lo and hi
        lo >>= k
        hi >>= k
    a.append(x.astype(np.float64))
    los.append(lo)
    his.append(hi)
    return _Limbs(a, los, his)


def _join(a: list[np.ndarray], lo: list[int], hi: list[int], k: int) -> Any:
    """The integers sum_t a[t] 2^(k t): int64 if a bound allows, else Python ints."""
    bound = sum(max(-l, h) << (k * t) for t, (l, h) in enumerate(zip(lo, hi)))
    if bound < 2**63:
        r = a[-1].astype(np.int64)  # exact: integers below 2^53
        for t in range(len(a) - 2, -1, -1):
            r = r * (1 << k) + a[t].astype(np.int64)
        return r
    r = a[-1].astype(np.int64).astype(object)
    for t in range(len(a) - 2, -1, -1):
        r = (r << k) + a[t].astype(np.int64).astype(object)
    return r


def _obj_bound(x: Any) -> int:
    if x.size == 0:
        return 0
    return max(-int(x.min()), int(x.max()))


@dataclass(frozen=True, slots=True)
class ScaledBatch:
    """Exact batch results as integers over a common denominator.

    ``values[i, k] / (denominator * point_scale[i])`` is output k at point i,
    exactly.  ``point_scale`` is None when all points share the denominator.

    Attributes
    ----------
    numerators : numpy array, shape (N, outputs)
        int64 or object (Python int) entries.
    denominators : tuple of int
        One per output: the common denominator ``P`` of that output's level.
    point_scale : numpy array or None
        Per-point extra denominators (positive integers), for batches of points
        with different denominators.
    int64_levels, object_levels : int
        How many levels ran on one machine word per value (the fast path;
        nowadays a float64 word holding an integer below 2^53, see the engine
        notes in the source) and how many on Python integers.
    limb_levels : int
        How many levels needed several machine words (limbs) per value.
    limb_bits : int
        The limb width k used for this network (0 when no level ran).
    """

    numerators: Any
    denominators: tuple[int, ...]
    point_scale: Any
    int64_levels: int
    object_levels: int
    limb_levels: int = 0
    limb_bits: int = 0

    def values(self) -> list[tuple[Q, ...]]:
        """The results as tuples of ``Q``, one per point.

        Examples
        --------
        >>> g = Network.from_layers([[[1], [1]], [[2, -4]]], [[0, "-1/2"], [0]])
        >>> [str(v) for (v,) in evaluate_scaled(g, [1, 3], 4).values()]
        ['1/2', '1/2']
        """
        dens = self.denominators
        if not dens:
            return [() for _ in range(len(self.numerators))]
        cols = [self.numerators[:, o].tolist() for o in range(len(dens))]
        if self.numerators.dtype == object:  # entries may be numpy or gmpy2 integers
            cols = [[int(v) for v in c] for c in cols]
        if self.point_scale is None:
            if len(dens) == 1:
                d = dens[0]
                return [(Q(v, d),) for v in cols[0]]
            return [tuple([Q(v, d) for v, d in zip(row, dens)]) for row in zip(*cols)]
        scales = [int(s) for s in self.point_scale.tolist()]
        if len(dens) == 1:
            d = dens[0]
            return [(Q(v, d * s),) for v, s in zip(cols[0], scales)]
        return [
            tuple([Q(v, d * s) for v, d in zip(row, dens)])
            for row, s in zip(zip(*cols), scales)
        ]


def _integers(a: Any, what: str) -> Any:
    """Check that `a` holds integers; return them as int64, or Python ints (objects)."""
    if a.dtype.kind == "f":
        raise InvalidArgument(f"{what} must be integers, not floats")
    if a.dtype.kind not in "iuO":
        raise InvalidArgument(f"{what} must be integers, not {a.dtype}")
    if a.dtype.kind == "O":
        flat = a.ravel().tolist()
        for v in flat:
            if type(v) is not int and not isinstance(v, numbers.Integral):
                inexact = isinstance(v, numbers.Real) and not isinstance(
                    v, numbers.Rational
                )
                kind = "floats" if inexact else type(v).__name__
                raise InvalidArgument(
                    f"{what} must be integers, not {kind} (got {v!r})"
                )
        out = np.empty(len(flat), dtype=object)
        out[:] = [int(v) for v in flat]
        return out.reshape(a.shape)
    if a.dtype == np.int64:
        return a
    if a.dtype.kind == "u" and a.size and int(a.max()) >= 2**63:
        return _integers(a.astype(object), what)
    return a.astype(np.int64)


def evaluate_scaled(
    net: Network, numerators: Any, denominator: int = 1, *, point_scale: Any = None
) -> ScaledBatch:
    """Evaluate at points given as integers over a common denominator: the fast path.

    Point i is ``numerators[i] / (denominator * point_scale[i])``.  Every level
    is an exact integer matrix product.  The integers are held in float64
    arrays, split into limbs of k bits where they are larger, and multiplied
    on BLAS: this is exact integer arithmetic, guarded before every operation
    by bounds computed with Python integers which prove that every integer
    involved, partial sums included, stays within 2^53 (the range where float64
    represents integers exactly and adds and multiplies them without rounding).
    Levels that would need too many limbs run on Python integers instead.  No
    float ever approximates a value here.

    Parameters
    ----------
    net : Network
    numerators : array-like of int, shape (N, d) or (N,) for d = 1
        int64 (or other integer dtype) arrays, or object arrays of Python ints.
    denominator : int, default 1
        Common denominator of the points (> 0).
    point_scale : array-like of int, shape (N,), optional
        Extra positive denominator per point.

    Returns
    -------
    ScaledBatch

    Raises
    ------
    InvalidArgument
        On a non-positive or non-integer denominator or point scale, float
        numerators, or numerators of the wrong shape.

    Examples
    --------
    The tent map at k/8 for k = 0..8 (values 0, 1/4, ..., 1, ..., 0):

    >>> g = Network.from_layers([[[1], [1]], [[2, -4]]], [[0, "-1/2"], [0]])
    >>> r = evaluate_scaled(g, range(9), 8)
    >>> [str(v[0]) for v in r.values()]
    ['0', '1/4', '1/2', '3/4', '1', '3/4', '1/2', '1/4', '0']

    Integers far beyond 2^64 are fine (here the tent map at 3 * 2^97 / 2^100):

    >>> r = evaluate_scaled(g, [3 * 2**97], 2**100)
    >>> print(r.values()[0][0])
    3/4
    """
    if (
        isinstance(denominator, bool)
        or not isinstance(denominator, numbers.Integral)
        or denominator <= 0
    ):
        raise InvalidArgument(f"{denominator=} must be a positive int")
    denominator = int(denominator)
    d = len(net.inputs)
    x = np.asarray(numerators)
    if x.ndim == 1 and d == 1:
        x = x.reshape(-1, 1)
    if x.ndim != 2 or x.shape[1] != d:
        raise InvalidArgument(
            f"numerators must have shape (N, {d}) for a network with {d} inputs, "
            f"got {x.shape}"
        )
    x = _integers(x, "numerators")
    scale_vec = None
    if point_scale is not None:
        scale_vec = np.asarray(point_scale)
        if scale_vec.shape != (x.shape[0],):
            raise InvalidArgument("point_scale must be one positive integer per point")
        scale_vec = _integers(scale_vec, "point_scale")
        if scale_vec.size and int(scale_vec.min()) <= 0:
            raise InvalidArgument("point_scale must be positive")
    plan = _plan(net, denominator, scale_vec is not None)
    n_points = x.shape[0]
    k = plan.k
    routes = [0] * len(plan.levels)  # 1 one word, 2 several limbs, 3 Python ints
    outs: list[list[Any]] = [[] for _ in plan.outputs]
    if n_points:
        xl = _split_ints(x, k)
        sl = _split_ints(scale_vec.reshape(-1, 1), k) if scale_vec is not None else None
        step = max(256, _CHUNK_CELLS // max(plan.width, 1))
        for start in range(0, n_points, step):
            stop = min(n_points, start + step)
            states: dict[int, Any] = {
                0: _Limbs([a[start:stop] for a in xl.a], xl.lo, xl.hi)
            }
            objects: dict[int, Any] = {0: x[start:stop]}
            if sl is not None:
                states[-1] = _Limbs([a[start:stop] for a in sl.a], sl.lo, sl.hi)
                objects[-1] = scale_vec[start:stop].reshape(-1, 1)
            _run(plan, states, objects, routes, stop - start)
            for o, (l, r) in enumerate(plan.outputs):
                if l in states:
                    L = states[l]
                    outs[o].append(_join([a[:, r] for a in L.a], L.lo, L.hi, k))
                else:
                    outs[o].append(objects[l][:, r])
    cols = []
    for chunks in outs:
        if not chunks:
            cols.append(np.zeros(n_points, dtype=np.int64))
        elif all(c.dtype == np.int64 for c in chunks):
            cols.append(np.concatenate(chunks))
        else:
            cols.append(np.concatenate([c.astype(object) for c in chunks]))
    if not cols:
        nums = np.zeros((n_points, 0), dtype=np.int64)
    elif all(c.dtype == np.int64 for c in cols):
        nums = np.stack(cols, axis=1)
    else:
        nums = np.stack([c.astype(object) for c in cols], axis=1)
    dens = tuple(
        (plan.input_scale if l == 0 else plan.levels[l - 1].scale)
        for l, _ in plan.outputs
    )
    if not n_points:
        routes = [1] * len(plan.levels)
    return ScaledBatch(
        nums,
        dens,
        scale_vec,
        routes.count(1),
        routes.count(3),
        routes.count(2),
        k if plan.levels else 0,
    )


def _run(
    plan: _Plan,
    states: dict[int, Any],
    objects: dict[int, Any],
    routes: list[int],
    n: int,
) -> None:
    """Run every level on one chunk of n points; states: limbs, objects: Python ints."""
    k = plan.k
    for l, lvl in enumerate(plan.levels, start=1):
        terms = 0
        for blk in lvl.blocks:
            if blk.level in states:
                limbs = len(states[blk.level].a)
            else:
                limbs = _obj_bound(objects[blk.level]).bit_length() // k + 1
            terms += limbs * len(blk.digits)
        if terms > _MAX_TERMS:
            objects[l] = _level_objects(plan, lvl, states, objects, n)
            routes[l - 1] = 3
        else:
            L = _level_limbs(plan, lvl, states, objects, n)
            states[l] = L
            routes[l - 1] = max(routes[l - 1], 1 if len(L.a) == 1 else 2)


def _level_limbs(
    plan: _Plan, lvl: _Level, states: dict[int, Any], objects: dict[int, Any], n: int
) -> _Limbs:
    """One level on float64 limbs (see the engine notes)."""
    k = plan.k
    shape = (n, len(lvl.nodes))
    acc = _Limbs([], [], [])
    for blk in lvl.blocks:
        src = states.get(blk.level)
        if src is None:
            src = states[blk.level] = _split_ints(objects[blk.level], k)
        for i, a in enumerate(src.a):
            bound = max(-src.lo[i], src.hi[i])
            if bound == 0:
                continue
            if blk.rows is not None:
                a = a[:, blk.rows]
            for j, (w, s) in enumerate(zip(blk.digits, blk.sums)):
                # every partial sum is <= bound S_j <= (2^k - 1) S_j <= 2^52 in size
                _check(-bound * s, bound * s)
                _add(acc, i + j, a @ w, -bound * s, bound * s, k, shape, True)
    if not acc.a:
        acc = _Limbs([np.zeros(shape)], [0], [0])
    for j, row, lo, hi in lvl.bias_digits:
        _add(acc, j, row, lo, hi, k, shape, False)
    _normalise(acc, k, shape)
    # every limb below the top is now in [0, 2^k): the sign is the top limb's
    top = len(acc.a) - 1
    if lvl.any_relu:
        if top == 0 and lvl.relu_mask is None:
            np.maximum(acc.a[0], 0.0, out=acc.a[0])
        else:
            keep = acc.a[top] >= 0
            if lvl.relu_mask is not None:
                keep |= ~lvl.relu_mask
            keep = keep.astype(np.float64)
            for a in acc.a:
                a *= keep
        if lvl.relu_mask is None:
            acc.lo[top] = max(acc.lo[top], 0)
            acc.hi[top] = max(acc.hi[top], 0)
    _settle_top(acc, k, shape)
    return acc


def _level_objects(
    plan: _Plan, lvl: _Level, states: dict[int, Any], objects: dict[int, Any], n: int
) -> Any:
    """One level on Python integers (numpy object arrays)."""
    acc: Any = None
    for blk in lvl.blocks:
        src = objects.get(blk.level)
        if src is None:
            L = states[blk.level]
            src = objects[blk.level] = _join(L.a, L.lo, L.hi, plan.k).astype(object)
        elif src.dtype != object:
            src = objects[blk.level] = src.astype(object)
        if blk.rows is not None:
            src = src[:, blk.rows]
        term = src @ blk.weights
        acc = term if acc is None else acc + term
    if acc is None:
        acc = np.zeros((n, len(lvl.nodes)), dtype=object)
    if any(lvl.bias) and not plan.per_point:
        acc = acc + np.array(lvl.bias, dtype=object)
    if lvl.any_relu:
        if lvl.relu_mask is None:
            acc = np.where(acc > 0, acc, 0)
        else:
            acc = np.where((acc <= 0) & lvl.relu_mask, 0, acc)
    return acc


def evaluate_batch(
    net: Network, points: Iterable[object], *, method: str = "auto"
) -> list[tuple[Q, ...]]:
    """Evaluate `net` exactly at many points.

    Parameters
    ----------
    net : Network
    points : iterable of points
        Each as accepted by :func:`evaluate`.
    method : {"auto", "scaled", "mpq"}
        ``"mpq"`` runs the reference loop point by point; ``"scaled"`` the
        scaled-integer engine (the dyadic fast path when everything is
        dyadic); ``"auto"`` picks ``"scaled"`` for more than a few points.

    Returns
    -------
    list of tuple of Q

    Examples
    --------
    >>> g = Network.from_layers([[[1], [1]], [[2, -4]]], [[0, "-1/2"], [0]])
    >>> [str(v) for (v,) in evaluate_batch(g, ["1/3", "1/4", 1])]
    ['2/3', '1/2', '0']
    >>> [str(v) for (v,) in evaluate_batch(g, ["1/3", "2/7", "1/11"], method="scaled")]
    ['2/3', '4/7', '2/11']
    """
    if method not in ("auto", "scaled", "mpq"):
        raise InvalidArgument(f"{method=} must be 'auto', 'scaled' or 'mpq'")
    if len(net.inputs) == 1:  # bare mpq points skip the general parsing (hot loop)
        pts = [(p,) if type(p) is Q else _point(net, p) for p in points]
    else:
        pts = [_point(net, p) for p in points]
    if method == "mpq" or (method == "auto" and len(pts) < 8):
        return [evaluate(net, p) for p in pts]
    if not pts:
        return []
    dens = {v.denominator for p in pts for v in p}
    den = 1
    for d in dens:
        den = math.lcm(den, int(d))
    if den.bit_length() <= 64:
        mult = {d: den // int(d) for d in dens}
        flat = [int(v.numerator * mult[v.denominator]) for p in pts for v in p]
        return evaluate_scaled(
            net, _object_array(flat).reshape(len(pts), -1), den
        ).values()
    # points with unrelated denominators: one extra denominator per point
    scales = []
    nums = []
    for p in pts:
        s = 1
        for v in p:
            s = math.lcm(s, int(v.denominator))
        scales.append(s)
        nums.append([int(v.numerator * (s // int(v.denominator))) for v in p])
    return evaluate_scaled(
        net, _object_array(nums), 1, point_scale=_object_array(scales)
    ).values()


def _object_array(values: list[Any]) -> Any:
    """Python ints (a list, or a list of equal-length lists) as an int64 array when
    they all fit, else as an object array."""
    try:
        return np.array(values, dtype=np.int64)
    except OverflowError:
        pass
    if values and isinstance(values[0], list):
        out = np.empty((len(values), len(values[0])), dtype=object)
    else:
        out = np.empty(len(values), dtype=object)
    out[...] = values
    return out


def evaluate_float(net: Network, points: Any) -> np.ndarray:
    """Approximate float64 evaluation, for comparison only (never a verdict).

    Parameters
    ----------
    points : array-like of float, shape (N, d) or (N,) for d = 1

    Returns
    -------
    numpy.ndarray of float64, shape (N, outputs)
        Approximate values; whatever shows them marks them with ``≈``.

    Examples
    --------
    >>> g = Network.from_layers([[[1], [1]], [[2, -4]]], [[0, "-1/2"], [0]])
    >>> evaluate_float(g, [0.25, 0.75]).ravel().tolist()
    [0.5, 0.5]
    """
    x = np.asarray(points, dtype=np.float64)
    if x.ndim == 1:
        x = x.reshape(-1, 1)
    levels, outputs = _float_plan(net)
    states = [x]
    for blocks, bias, mask in levels:
        acc = None
        for level, rows, w in blocks:
            src = states[level] if rows is None else states[level][:, rows]
            if acc is None:
                acc = src @ w
            else:
                acc += src @ w
        if acc is None:
            acc = np.zeros((x.shape[0], len(bias)))
        acc += bias
        if mask is True:
            np.maximum(acc, 0.0, out=acc)
        elif mask is not None:
            acc = np.where(mask & (acc < 0), 0.0, acc)
        states.append(acc)
    return np.stack([states[l][:, r] for l, r in outputs], axis=1)


def _float_plan(net: Network) -> tuple[list[Any], tuple[tuple[int, int], ...]]:
    cached = net._cache.get("float_plan")
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    # the float twin of the exact plan, with the real weights (scale 1 everywhere)
    exact = _plan(net, 1)
    scales = [1] + [lvl.scale for lvl in exact.levels]
    levels = []
    for lvl in exact.levels:
        blocks = [
            (
                b.level,
                b.rows,
                np.array(
                    [
                        [float(Q(int(w) * scales[b.level], lvl.scale)) for w in r]
                        for r in b.weights.tolist()
                    ]
                ).reshape(b.weights.shape),
            )
            for b in lvl.blocks
        ]
        bias = np.array([float(Q(b, lvl.scale)) for b in lvl.bias])
        mask: Any = None
        if lvl.any_relu:
            mask = True if lvl.relu_mask is None else lvl.relu_mask
        levels.append((blocks, bias, mask))
    result = (levels, exact.outputs)
    net._cache["float_plan"] = result
    return result
