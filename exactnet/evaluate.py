"""Exact forward evaluation at rational points: one point, batches, activation patterns.

Three routes, which agree exactly where they overlap:

* :func:`evaluate` -- the reference: a plain loop over the nodes in gmpy2 ``mpq``.
* :func:`evaluate_batch` / :func:`evaluate_scaled` -- the scaled-integer engine.
  Every depth level l of the network gets one common denominator ``P_l`` (the
  least one that represents all its values exactly: the lcm of
  ``P_source * den(weight)`` over its edges and of ``den(bias)``), so that a
  level is an integer matrix product plus an integer bias column.  For dyadic
  networks and inputs every ``P_l`` is a power of two: this is the dyadic fast
  path.  Integers are int64 numpy arrays while an exact bound (computed with
  Python integers before any arithmetic) shows they cannot overflow, and
  Python integers (numpy object arrays) beyond.
* :func:`evaluate_float` -- float64 numpy, approximate, for comparison only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

import numpy as np

from exactnet.exceptions import InvalidArgument
from exactnet.network import Network
from exactnet.numbers import Q, ZERO, q, relu

__all__ = [
    "evaluate",
    "evaluate_batch",
    "evaluate_scaled",
    "evaluate_float",
    "activation_pattern",
    "ScaledBatch",
]

_INT64_LIMIT = 2**62  # |every partial sum| stays below this on the int64 route


def _point(net: Network, x: object) -> tuple[Q, ...]:
    d = len(net.inputs)
    if isinstance(x, (list, tuple)):
        values = tuple(q(v) for v in x)
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


def _forward(net: Network, x: tuple[Q, ...]) -> dict[str, Q]:
    """Pre-activations and values of every node (the reference loop)."""
    value: dict[str, Q] = dict(zip(net.inputs, x))
    for node in net.neurons:
        s = net.bias(node)
        for src, w in net.predecessors(node):
            s += w * value[src]
        value[node] = relu(s) if net.activation(node) == "relu" else s
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
    return tuple(value[o] for o in net.outputs)


def activation_pattern(net: Network, x: object) -> dict[str, bool]:
    """Which ReLU neurons are active (pre-activation > 0) at the point `x`.

    Examples
    --------
    >>> g = Network.from_layers([[[1], [1]], [[2, -4]]], [[0, "-1/2"], [0]])
    >>> activation_pattern(g, "1/3")
    {'h1_1': True, 'h1_2': False}
    """
    point = _point(net, x)
    value: dict[str, Q] = dict(zip(net.inputs, point))
    pattern: dict[str, bool] = {}
    for node in net.neurons:
        s = net.bias(node)
        for src, w in net.predecessors(node):
            s += w * value[src]
        if net.activation(node) == "relu":
            pattern[node] = s > 0
            value[node] = relu(s)
        else:
            value[node] = s
    return pattern


# -- the scaled-integer engine ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Block:
    level: int  # source level (0 = inputs)
    rows: np.ndarray | None  # rows of that level used, None = all in order
    weights: Any  # int64 or object matrix (sources x targets), integer weights


@dataclass(frozen=True, slots=True)
class _Level:
    nodes: tuple[str, ...]
    scale: int  # P_l
    blocks: tuple[_Block, ...]
    bias: tuple[int, ...]  # integer biases b * P_l (times the per-point scale)
    relu_mask: np.ndarray | None  # bool per node, None if all relu; all False if none
    any_relu: bool


@dataclass(frozen=True, slots=True)
class _Plan:
    levels: tuple[_Level, ...]
    outputs: tuple[tuple[int, int], ...]  # (level, row) of each output
    input_scale: int


def _plan(net: Network, input_scale: int) -> _Plan:
    cache = net._cache.setdefault("plans", {})
    plan = cache.get(input_scale)
    if plan is not None:
        return plan  # type: ignore[no-any-return]
    by_level: dict[int, list[str]] = {}
    for n in net.neurons:
        by_level.setdefault(net.depth_of(n), []).append(n)
    where: dict[str, tuple[int, int]] = {n: (0, i) for i, n in enumerate(net.inputs)}
    scales = {0: input_scale}
    levels: list[_Level] = []
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
                assert wi.denominator == 1  # by the choice of P_l
                per_src.setdefault(sl, {}).setdefault(row, {})[j] = int(wi)
        blocks = []
        for sl in sorted(per_src):
            rows = sorted(per_src[sl])
            mat = [[per_src[sl][r].get(j, 0) for j in range(len(nodes))] for r in rows]
            width = len(net.inputs) if sl == 0 else len(levels[sl - 1].nodes) if sl <= len(levels) else 0
            full = rows == list(range(width))
            blocks.append(
                _Block(sl, None if full else np.array(rows, dtype=np.intp), mat)
            )
        bias = tuple(int(net.bias(n) * scale) for n in nodes)
        mask = np.array([net.activation(n) == "relu" for n in nodes])
        levels.append(
            _Level(nodes, scale, tuple(blocks), bias, None if mask.all() else mask, bool(mask.any()))
        )
    outputs = tuple(where[o] for o in net.outputs)
    plan = _Plan(tuple(levels), outputs, input_scale)
    if len(cache) < 16:
        cache[input_scale] = plan
    return plan


def _max_abs(a: Any) -> int:
    if a.size == 0:
        return 0
    if a.dtype == object:
        return int(max(abs(int(a.max())), abs(int(a.min()))))
    return max(abs(int(a.max())), abs(int(a.min())))


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
        How many levels ran on each integer route (the fast path is int64).
    """

    numerators: Any
    denominators: tuple[int, ...]
    point_scale: Any
    int64_levels: int
    object_levels: int

    def values(self) -> list[tuple[Q, ...]]:
        """The results as tuples of ``Q``, one per point."""
        nums = self.numerators.tolist()
        dens = self.denominators
        out: list[tuple[Q, ...]] = []
        if self.point_scale is None:
            for row in nums:
                out.append(tuple(Q(int(v), d) for v, d in zip(row, dens)))
        else:
            for row, s in zip(nums, self.point_scale.tolist()):
                out.append(tuple(Q(int(v), d * int(s)) for v, d in zip(row, dens)))
        return out


def evaluate_scaled(
    net: Network, numerators: Any, denominator: int = 1, *, point_scale: Any = None
) -> ScaledBatch:
    """Evaluate at points given as integers over a common denominator: the fast path.

    Point i is ``numerators[i] / (denominator * point_scale[i])``.  For dyadic
    grids (``denominator = 2**p``) and a dyadic network every level is an
    integer matrix product on int64 numpy arrays, as long as an exact a-priori
    bound shows no overflow; the rest runs on Python integers.

    Parameters
    ----------
    net : Network
    numerators : array-like of int, shape (N, d) or (N,) for d = 1
    denominator : int, default 1
        Common denominator of the points (> 0).
    point_scale : array-like of int, shape (N,), optional
        Extra positive denominator per point.

    Returns
    -------
    ScaledBatch

    Examples
    --------
    The tent map at k/8 for k = 0..8 (values 0, 1/4, ..., 1, ..., 0):

    >>> g = Network.from_layers([[[1], [1]], [[2, -4]]], [[0, "-1/2"], [0]])
    >>> r = evaluate_scaled(g, range(9), 8)
    >>> [str(v[0]) for v in r.values()]
    ['0', '1/4', '1/2', '3/4', '1', '3/4', '1/2', '1/4', '0']
    """
    if not isinstance(denominator, int) or denominator <= 0:
        raise InvalidArgument(f"{denominator=} must be a positive int")
    d = len(net.inputs)
    x = np.asarray(numerators)
    if x.dtype.kind == "f":
        raise InvalidArgument("numerators must be integers, not floats")
    if x.ndim == 1 and d == 1:
        x = x.reshape(-1, 1)
    if x.ndim != 2 or x.shape[1] != d:
        raise InvalidArgument(
            f"numerators must have shape (N, {d}) for a network with {d} inputs, "
            f"got {x.shape}"
        )
    if x.dtype.kind not in "iuO":
        raise InvalidArgument(f"numerators must be integers, not {x.dtype}")
    scale_vec = None
    scale_bound = 1
    if point_scale is not None:
        scale_vec = np.asarray(point_scale)
        if scale_vec.shape != (x.shape[0],) or scale_vec.dtype.kind not in "iuO":
            raise InvalidArgument("point_scale must be one positive integer per point")
        scale_bound = _max_abs(scale_vec) if scale_vec.size else 1
        if scale_vec.size and int(scale_vec.min()) <= 0:
            raise InvalidArgument("point_scale must be positive")
    plan = _plan(net, denominator)
    bound_in = _max_abs(x)
    x = _fit(x, bound_in)
    if scale_vec is not None:
        scale_vec = _fit(scale_vec, scale_bound)
    states: list[Any] = [x]
    bounds = [bound_in]
    n64 = nobj = 0
    for lvl in plan.levels:
        bound = 0
        row_bound = [abs(b) * scale_bound for b in lvl.bias]
        for blk in lvl.blocks:
            sb = bounds[blk.level]
            for r in blk.weights:
                for j, w in enumerate(r):
                    if w:
                        row_bound[j] += abs(w) * sb
        bound = max(row_bound, default=0)
        use64 = bound < _INT64_LIMIT
        acc: Any = None
        for blk in lvl.blocks:
            src = states[blk.level]
            if blk.rows is not None:
                src = src[:, blk.rows]
            if use64 and src.dtype != object:
                term = _matmul(src, np.array(blk.weights, dtype=np.int64))
            elif use64:
                # a huge source reached only through zero weights: exact on Python
                # integers, and the bounded result fits int64
                term = _matmul(src, np.array(blk.weights, dtype=object)).astype(np.int64)
            else:
                if src.dtype != object:
                    src = src.astype(object)
                term = _matmul(src, np.array(blk.weights, dtype=object))
            acc = term if acc is None else acc + term
        dtype = np.int64 if use64 else object
        bias = np.array(lvl.bias, dtype=dtype)
        if acc is None:
            acc = np.zeros((x.shape[0], len(lvl.nodes)), dtype=dtype)
        if any(lvl.bias):
            if scale_vec is None:
                acc = acc + bias
            else:
                acc = acc + scale_vec.astype(dtype)[:, None] * bias
        if lvl.any_relu:
            if lvl.relu_mask is None:
                acc = np.maximum(acc, 0) if use64 else np.where(acc > 0, acc, 0)
            else:
                acc = np.where((acc <= 0) & lvl.relu_mask, 0, acc)
        if use64:
            n64 += 1
        else:
            nobj += 1
            acc = acc.astype(object)
        states.append(acc)
        bounds.append(bound)
    cols = [states[l][:, r] for l, r in plan.outputs]
    nums = np.stack(cols, axis=1) if cols else np.zeros((x.shape[0], 0), dtype=np.int64)
    dens = tuple((plan.input_scale if l == 0 else plan.levels[l - 1].scale) for l, _ in plan.outputs)
    return ScaledBatch(nums, dens, scale_vec, n64, nobj)


def _fit(a: Any, bound: int) -> Any:
    """int64 when every entry fits, else a Python-int object array."""
    if bound < _INT64_LIMIT:
        return a.astype(np.int64) if a.dtype != np.int64 else a
    return a.astype(object) if a.dtype != object else a


def _matmul(a: Any, w: Any) -> Any:
    # narrow inner dimensions: a few scaled column sums beat numpy's integer matmul
    if w.shape[0] <= 4 and a.dtype != object:
        out = a[:, 0:1] * w[0]
        for k in range(1, w.shape[0]):
            out = out + a[:, k : k + 1] * w[k]
        return out
    return a @ w


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
    """
    pts = [_point(net, p) for p in points]
    if method not in ("auto", "scaled", "mpq"):
        raise InvalidArgument(f"{method=} must be 'auto', 'scaled' or 'mpq'")
    if method == "mpq" or (method == "auto" and len(pts) < 8):
        return [evaluate(net, p) for p in pts]
    if not pts:
        return []
    den = 1
    for p in pts:
        for v in p:
            den = math.lcm(den, int(v.denominator))
    if den.bit_length() <= 64:
        nums = [[int(v * den) for v in p] for p in pts]
        return evaluate_scaled(net, np.array(nums, dtype=object), den).values()
    # points with unrelated denominators: one extra denominator per point
    scales = []
    nums = []
    for p in pts:
        s = 1
        for v in p:
            s = math.lcm(s, int(v.denominator))
        scales.append(s)
        nums.append([int(v * s) for v in p])
    return evaluate_scaled(
        net, np.array(nums, dtype=object), 1, point_scale=np.array(scales, dtype=object)
    ).values()


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
    plan = _float_plan(net)
    states = [x]
    for blocks, bias, mask in plan[0]:
        acc = None
        for level, rows, w in blocks:
            src = states[level] if rows is None else states[level][:, rows]
            term = src @ w
            acc = term if acc is None else acc + term
        if acc is None:
            acc = np.zeros((x.shape[0], len(bias)))
        acc = acc + bias
        if mask is not None:
            acc = np.where(mask & (acc < 0), 0.0, acc)
        states.append(acc)
    return np.stack([states[l][:, r] for l, r in plan[1]], axis=1)


def _float_plan(net: Network) -> tuple[list[Any], tuple[tuple[int, int], ...]]:
    cached = net._cache.get("float_plan")
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    # the float twin of the exact plan, with the real weights (scale 1 everywhere)
    exact = _plan(net, 1)
    scales = [1] + [lvl.scale for lvl in exact.levels]
    levels = []
    for l, lvl in enumerate(exact.levels, start=1):
        blocks = [
            (
                b.level,
                b.rows,
                np.array(
                    [[float(Q(w * scales[b.level], lvl.scale)) for w in r] for r in b.weights]
                ),
            )
            for b in lvl.blocks
        ]
        bias = np.array([float(Q(b, lvl.scale)) for b in lvl.bias])
        mask = None
        if lvl.any_relu:
            mask = np.ones(len(lvl.nodes), bool) if lvl.relu_mask is None else lvl.relu_mask
        levels.append((blocks, bias, mask))
    result = (levels, exact.outputs)
    net._cache["float_plan"] = result
    return result
