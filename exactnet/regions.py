"""Exact linear regions of a ReLU network on a box: pattern, rational H-polytope, vertices, affine map.

A network N with d inputs is affine on every set of inputs where each ReLU
neuron keeps one sign; :func:`linear_regions` lists those sets inside a box,
each as a :class:`Region`: an H-polytope ``A x <= b`` with exact rational
entries, its vertices, the activation pattern and the affine map
``N(x) = W x + c``.  The regions are the full-dimensional cells
``{x in box : pattern(x) = sigma}``; neighbouring cells with equal affine maps
are *not* merged, so a region is a distinct activation pattern restricted to
the box (two regions may carry the same affine map).

Method: layer-by-layer hyperplane splitting in exact arithmetic.  The neurons
are visited in topological order; on a cell, a neuron's pre-activation is an
affine function h of the input (the earlier neurons' patterns are fixed there),
and the cell is split by ``h = 0`` when h takes both signs at its vertices.
Every cell carries its vertices and, for each vertex, the set of constraints
tight at it, so a split needs no linear programming:

* h is affine, so it takes both signs on the polytope iff it does at two
  vertices; then both halves are full-dimensional (an open half-space meets the
  interior), and a cell whose vertices all satisfy ``h >= 0`` is not split, so
  empty and lower-dimensional pieces never arise;
* the new vertices are the crossings of h = 0 with the edges [u, w], h(u) > 0 >
  h(w); u and w span an edge iff the normals of the constraints tight at both
  have rank d - 1 (the smallest face containing u and w is then 1-dimensional),
  exactly the combinatorial adjacency test of double description methods.

Why not LP-based splitting or pycddlib: every split here is a sign test and a
few exact rational divisions on vertices that are known anyway (the output
needs them), whereas an exact LP per neuron and cell, or a vertex enumeration
from scratch per cell (``cdd.gmp``), redoes that work at much higher cost and
adds a dependency.  The vertex count of a cell stays small in 2-D and 3-D
(polygons, polyhedra), which is where this module is meant to run; it works
in any dimension, but the number of vertices of a box is 2^d.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product
from math import factorial, gcd, lcm
from typing import Sequence

from exactnet.exceptions import InvalidArgument
from exactnet.network import Network
from exactnet.numbers import ONE, ZERO, Box, Q, QLike, parse_box, q  # noqa: F401  (parse_box: doctests)

__all__ = ["Region", "linear_regions", "locate", "total_volume"]

Point = tuple[Q, ...]
Affine = tuple[tuple[Q, ...], Q]  # (coefficients, constant): a . x + c


@dataclass(frozen=True, slots=True)
class Region:
    """One linear region of a network on a box.

    Attributes
    ----------
    A, b : tuple
        The irredundant H-representation ``A x <= b`` (one row per facet; each
        row a primitive integer vector, b its exact bound).
    vertices : tuple of points
        The vertices, exact; in 2-D in counter-clockwise order, otherwise sorted.
    pattern : tuple of (str, bool)
        Each ReLU neuron (topological order) and whether it is active
        (pre-activation > 0) in the interior of the region.
    weights, offsets : tuple
        The affine map: output k is ``weights[k] . x + offsets[k]``.

    Examples
    --------
    relu(x - y) on [0, 1]^2 has two regions, split by the diagonal:

    >>> net = Network.from_layers([[[1, -1]], [[1]]], [[0], [0]])
    >>> lo, hi = linear_regions(net, parse_box("0,1x0,1"))
    >>> print(lo.pattern, [[str(c) for c in v] for v in lo.vertices], lo.volume)
    (('h1_1', False),) [['0', '0'], ['1', '1'], ['0', '1']] 1/2
    >>> print(hi.pattern, [str(w) for w in hi.weights[0]], *hi("1", "1/2"))
    (('h1_1', True),) ['1', '-1'] 1/2
    """

    A: tuple[tuple[Q, ...], ...]
    b: tuple[Q, ...]
    vertices: tuple[Point, ...]
    pattern: tuple[tuple[str, bool], ...]
    weights: tuple[tuple[Q, ...], ...]
    offsets: tuple[Q, ...]

    @property
    def dim(self) -> int:
        return len(self.vertices[0])

    @property
    def volume(self) -> Q:
        """The exact d-dimensional volume."""
        return _volume(self.vertices, self.A, self.b)

    @property
    def interior_point(self) -> Point:
        """The average of the vertices: rational and strictly inside."""
        n = len(self.vertices)
        return tuple(sum((v[j] for v in self.vertices), ZERO) / n for j in range(self.dim))

    def contains(self, *x: QLike) -> bool:
        """True if the point satisfies every inequality (boundary included)."""
        p = _as_point(x, self.dim)
        return all(_dot(a, p) <= bi for a, bi in zip(self.A, self.b))

    def __call__(self, *x: QLike) -> tuple[Q, ...]:
        """The affine map at a point (the network's value there if the point is in the region)."""
        p = _as_point(x, self.dim)
        return tuple(_dot(w, p) + c for w, c in zip(self.weights, self.offsets))


def _as_point(x: Sequence[QLike], d: int) -> Point:
    if len(x) == 1 and isinstance(x[0], (tuple, list)):
        x = tuple(x[0])
    if len(x) != d:
        raise InvalidArgument(f"a point needs {d} coordinates, got {len(x)}")
    return tuple(q(v) for v in x)


def _dot(a: Sequence[Q], x: Sequence[Q]) -> Q:
    s = ZERO
    for u, v in zip(a, x):
        s += u * v
    return s


def _rank(rows: list[tuple[Q, ...]]) -> int:
    """Exact rank by Gaussian elimination."""
    m = [list(r) for r in rows]
    rank, ncols = 0, len(m[0]) if m else 0
    for col in range(ncols):
        piv = next((i for i in range(rank, len(m)) if m[i][col] != 0), None)
        if piv is None:
            continue
        m[rank], m[piv] = m[piv], m[rank]
        p = m[rank]
        for i in range(rank + 1, len(m)):
            f = m[i][col]
            if f:
                f = f / p[col]
                m[i] = [x - f * y for x, y in zip(m[i], p)]
        rank += 1
    return rank


def _affine_rank(points: list[Point]) -> int:
    if len(points) <= 1:
        return 0
    p0 = points[0]
    return _rank([tuple(a - b for a, b in zip(p, p0)) for p in points[1:]])


def _det(m: list[list[Q]]) -> Q:
    m = [list(r) for r in m]
    n, det = len(m), ONE
    for col in range(n):
        piv = next((i for i in range(col, n) if m[i][col] != 0), None)
        if piv is None:
            return ZERO
        if piv != col:
            m[col], m[piv] = m[piv], m[col]
            det = -det
        p = m[col]
        det *= p[col]
        for i in range(col + 1, n):
            f = m[i][col]
            if f:
                f = f / p[col]
                m[i] = [x - f * y for x, y in zip(m[i], p)]
    return det


def _primitive(a: Sequence[Q], b: Q) -> tuple[tuple[Q, ...], Q]:
    """Scale a x <= b by a positive rational so that a is a primitive integer vector."""
    den = lcm(*(int(v.denominator) for v in a))
    ints = [int(v * den) for v in a]
    g = 0
    for v in ints:
        g = gcd(g, v)
    s = Q(den, g)
    return tuple(Q(v // g) for v in ints), b * s


# -- the splitting ----------------------------------------------------------------------


@dataclass(slots=True)
class _Cell:
    verts: list[Point]
    tight: list[frozenset[int]]  # constraint ids tight at each vertex
    cons: list[int]  # constraint ids of this cell
    values: list[Affine]  # an affine form per node (inputs first)
    pattern: list[bool]


def _adjacent(common: frozenset[int], rows: list[tuple[tuple[Q, ...], Q]], d: int) -> bool:
    if d == 1:
        return True
    if len(common) < d - 1:
        return False
    if d == 2:
        return True  # one shared constraint, nonzero normal: rank 1
    return _rank([rows[i][0] for i in common]) == d - 1


def _split(
    cell: _Cell, h: Affine, rows: list[tuple[tuple[Q, ...], Q]], d: int
) -> tuple[_Cell, _Cell] | bool:
    """Split by h = 0; or True/False if h >= 0 / h <= 0 on the whole cell (True only if h > 0 somewhere)."""
    hc, h0 = h
    vals = [_dot(hc, v) + h0 for v in cell.verts]
    has_pos = any(v > 0 for v in vals)
    has_neg = any(v < 0 for v in vals)
    if not (has_pos and has_neg):
        return has_pos
    # constraint ids: -h <= 0 for the active side, h <= 0 for the inactive side
    kp, kn = len(rows), len(rows) + 1
    rows.append((tuple(-c for c in hc), h0))
    rows.append((hc, -h0))
    pos = [i for i, v in enumerate(vals) if v > 0]
    neg = [i for i, v in enumerate(vals) if v < 0]
    new_v: list[Point] = []
    new_t: list[frozenset[int]] = []
    for i in pos:
        for j in neg:
            common = cell.tight[i] & cell.tight[j]
            if not _adjacent(common, rows, d):
                continue
            # the crossing u + t (w - u) with t = h(u) / (h(u) - h(w)), exact
            u, w = cell.verts[i], cell.verts[j]
            t = vals[i] / (vals[i] - vals[j])
            new_v.append(tuple(a + t * (c - a) for a, c in zip(u, w)))
            new_t.append(common)
    zero = [i for i, v in enumerate(vals) if v == 0]
    out = []
    for side, k in ((pos, kp), (neg, kn)):
        verts = [cell.verts[i] for i in side] + [cell.verts[i] for i in zero] + new_v
        tight = (
            [cell.tight[i] for i in side]
            + [cell.tight[i] | {k} for i in zero]
            + [t | {k} for t in new_t]
        )
        out.append(_Cell(verts, tight, cell.cons + [k], list(cell.values), list(cell.pattern)))
    return out[0], out[1]


def _box_cell(box: Box, n_inputs: int) -> tuple[_Cell, list[tuple[tuple[Q, ...], Q]]]:
    d = box.dim
    rows: list[tuple[tuple[Q, ...], Q]] = []
    for j, s in enumerate(box.sides):
        e = tuple(ONE if i == j else ZERO for i in range(d))
        rows.append((tuple(-c for c in e), -s.lo))  # -x_j <= -lo
        rows.append((e, s.hi))  # x_j <= hi
    verts, tight = [], []
    for corner in product((0, 1), repeat=d):
        verts.append(tuple(s.hi if c else s.lo for s, c in zip(box.sides, corner)))
        tight.append(frozenset(2 * j + c for j, c in enumerate(corner)))
    values = [(tuple(ONE if i == j else ZERO for i in range(d)), ZERO) for j in range(n_inputs)]
    return _Cell(verts, tight, list(range(2 * d)), values, []), rows


def linear_regions(net: Network, box: Box) -> tuple[Region, ...]:
    """The linear regions of `net` on `box`, exactly.

    Parameters
    ----------
    net : Network
        d inputs (d = box.dim), any number of outputs, any DAG of ReLU and
        identity neurons.
    box : Box
        A full-dimensional box (every side has lo < hi).

    Returns
    -------
    tuple of Region
        The full-dimensional cells of constant activation pattern, sorted by
        pattern.  They tile the box: the interiors are disjoint and the volumes
        add up to ``box.volume`` exactly (see :func:`total_volume`).

    Raises
    ------
    InvalidArgument
        If the box's dimension differs from the number of inputs, or a side is
        a single point.

    Examples
    --------
    |x| + |y| with two neurons per coordinate on [-1, 1]^2: four quadrants.

    >>> net = Network.from_layers(
    ...     [[[1, 0], [-1, 0], [0, 1], [0, -1]], [[1, 1, 1, 1]]], [[0, 0, 0, 0], [0]])
    >>> rs = linear_regions(net, parse_box("-1,1x-1,1"))
    >>> print(len(rs), total_volume(rs))
    4 4
    >>> sorted(str(r((1, 1))[0]) + "@" + ",".join(str(c) for c in r.weights[0]) for r in rs)
    ['-2@-1,-1', '0@-1,1', '0@1,-1', '2@1,1']
    """
    d = box.dim
    if len(net.inputs) != d:
        raise InvalidArgument(
            f"box {box} has dimension {d}, but the network has {len(net.inputs)} inputs"
        )
    for j, s in enumerate(box.sides):
        if s.lo >= s.hi:
            raise InvalidArgument(f"side {j + 1} of box {box} is a single point (regions need lo < hi)")
    index = {n: i for i, n in enumerate(net.inputs)}
    relus: list[str] = []
    cell, rows = _box_cell(box, d)
    cells = [cell]
    zero: Affine = ((ZERO,) * d, ZERO)  # one object, so that memoised forms stay shared
    for node in net.neurons:
        preds = [(index[u], w) for u, w in net.predecessors(node)]
        bias = net.bias(node)
        index[node] = len(index)
        is_relu = net.activation(node) == "relu"
        if is_relu:
            relus.append(node)
        nxt: list[_Cell] = []
        # cells that inherited the same affine forms (the same objects) share h
        memo: dict[tuple[int, ...], Affine] = {}
        for c in cells:
            key = tuple(id(c.values[i]) for i, _ in preds)
            h = memo.get(key)  # type: ignore[assignment]
            if h is None:
                coef = [ZERO] * d
                const = bias
                for i, w in preds:
                    vc, v0 = c.values[i]
                    const += w * v0
                    for j in range(d):
                        coef[j] += w * vc[j]
                h = (tuple(coef), const)
                memo[key] = h
            if not is_relu:
                c.values.append(h)
                nxt.append(c)
                continue
            if all(v == 0 for v in h[0]):
                s: tuple[_Cell, _Cell] | bool = h[1] > 0
            else:
                s = _split(c, h, rows, d)
            if isinstance(s, bool):
                c.values.append(h if s else zero)
                c.pattern.append(s)
                nxt.append(c)
                continue
            act, ina = s
            act.values.append(h)
            act.pattern.append(True)
            ina.values.append(zero)
            ina.pattern.append(False)
            nxt.extend((act, ina))
        cells = nxt
    out = [_finish(c, rows, relus, [index[o] for o in net.outputs], d) for c in cells]
    out.sort(key=lambda r: tuple(p for _, p in r.pattern))
    return tuple(out)


def _finish(
    c: _Cell, rows: list[tuple[tuple[Q, ...], Q]], relus: list[str], outs: list[int], d: int
) -> Region:
    facets: dict[tuple[tuple[Q, ...], Q], None] = {}
    for k in c.cons:
        on = [v for v, t in zip(c.verts, c.tight) if k in t]
        if len(on) >= d and _affine_rank(on) == d - 1:
            facets[_primitive(*rows[k])] = None
    A = tuple(a for a, _ in facets)
    b = tuple(bb for _, bb in facets)
    verts = _ccw(c.verts) if d == 2 else tuple(sorted(c.verts))
    return Region(
        A,
        b,
        verts,
        tuple(zip(relus, c.pattern)),
        tuple(c.values[i][0] for i in outs),
        tuple(c.values[i][1] for i in outs),
    )


def _ccw(verts: list[Point]) -> tuple[Point, ...]:
    """Counter-clockwise order around the centroid, starting at the smallest vertex (exact)."""
    n = len(verts)
    cx = sum((v[0] for v in verts), ZERO) / n
    cy = sum((v[1] for v in verts), ZERO) / n

    def half(v: Point) -> int:
        dx, dy = v[0] - cx, v[1] - cy
        return 0 if (dy > 0 or (dy == 0 and dx > 0)) else 1

    from functools import cmp_to_key

    def cmp(u: Point, w: Point) -> int:
        hu, hw = half(u), half(w)
        if hu != hw:
            return hu - hw
        cross = (u[0] - cx) * (w[1] - cy) - (u[1] - cy) * (w[0] - cx)
        return -1 if cross > 0 else (1 if cross < 0 else 0)

    ordered = sorted(verts, key=cmp_to_key(cmp))
    start = ordered.index(min(ordered))
    return tuple(ordered[start:] + ordered[:start])


# -- volumes ---------------------------------------------------------------------------


def _volume(verts: tuple[Point, ...], A: Sequence[Sequence[Q]], b: Sequence[Q]) -> Q:
    d = len(verts[0])
    if d == 1:
        return max(v[0] for v in verts) - min(v[0] for v in verts)
    if d == 2:
        # shoelace on the counter-clockwise polygon
        s = ZERO
        n = len(verts)
        for i in range(n):
            (x0, y0), (x1, y1) = verts[i], verts[(i + 1) % n]
            s += x0 * y1 - x1 * y0
        return abs(s) / 2
    # cone decomposition: a simplex for every chain v0 < facet < ridge < ... (v0 the
    # smallest vertex of each face, the faces the tight sets of the facet inequalities)
    tight = [frozenset(k for k, (a, bb) in enumerate(zip(A, b)) if _dot(a, v) == bb) for v in verts]
    total = ZERO
    for simplex in _simplices(list(range(len(verts))), d, tight, verts):
        p0 = verts[simplex[0]]
        total += abs(_det([[verts[i][j] - p0[j] for j in range(d)] for i in simplex[1:]]))
    return total / factorial(d)


def _simplices(
    face: list[int], k: int, tight: list[frozenset[int]], verts: tuple[Point, ...]
) -> list[list[int]]:
    if k == 0:
        return [[face[0]]]
    v0 = face[0]
    seen: set[frozenset[int]] = set()
    out = []
    ids = set().union(*(tight[i] for i in face))
    for con in sorted(ids):
        sub = frozenset(i for i in face if con in tight[i])
        if v0 in sub or sub in seen or len(sub) < k:
            continue
        if _affine_rank([verts[i] for i in sub]) != k - 1:
            continue
        seen.add(sub)
        for s in _simplices(sorted(sub), k - 1, tight, verts):
            out.append([v0] + s)
    return out


def total_volume(regions: Sequence[Region]) -> Q:
    """The sum of the regions' exact volumes (equal to the box's volume: they tile it).

    Examples
    --------
    >>> net = Network.from_layers([[[1, -1]], [[1]]], [[0], [0]])
    >>> print(total_volume(linear_regions(net, parse_box("0,2x0,1"))))
    2
    """
    return sum((r.volume for r in regions), ZERO)


def locate(regions: Sequence[Region], *x: QLike) -> Region:
    """The first region (in the given order) that contains the point.

    Raises
    ------
    InvalidArgument
        If no region contains it (the point is outside the box).

    Examples
    --------
    >>> net = Network.from_layers([[[1, -1]], [[1]]], [[0], [0]])
    >>> r = locate(linear_regions(net, parse_box("0,1x0,1")), "3/4", "1/4")
    >>> print(r.pattern, *r("3/4", "1/4"))
    (('h1_1', True),) 1/2
    """
    for r in regions:
        if r.contains(*x):
            return r
    raise InvalidArgument(f"the point {tuple(str(q(v)) for v in x)} lies in no region (outside the box?)")
