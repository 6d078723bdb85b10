"""The checker's own network reader, Fraction evaluator and piece check.

Part of the independent certificate checker (:mod:`exactnet.checker`): it reads
the network-file object (``shared/spec/network-json.md``, both forms) and exact
numbers itself, evaluates with ``fractions.Fraction`` (and, for many points, with
plain integers over a per-node common denominator), and checks that the network
is affine on every listed piece.  Nothing from exactnet's main computation is
imported.
"""

from __future__ import annotations

import decimal
import heapq
import math
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Mapping, Sequence

__all__ = [
    "FieldError",
    "read_number",
    "Net",
    "read_network",
    "evaluate",
    "PieceCheck",
    "check_pieces",
]

_INT = re.compile(r"[+-]?\d+\Z")
_FRAC = re.compile(r"([+-]?\d+)/(\d+)\Z")
_DEC = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\Z")
_POW = re.compile(r"([+-]?)(\d+)\^([+-]?\d+)\Z")

# a piece on which some neuron switches is split at the switch (N may still be
# affine there, when collinear pieces were merged); at most this many splits
MAX_SPLITS = 100_000


class FieldError(Exception):
    """A field of the certificate cannot be read: ``field`` and ``problem``."""

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}")


def read_number(value: object, field: str) -> Fraction:
    """An exact number of the file formats: an int, or a string "3", "3/8", "-0.375", "2^-5".

    A ``decimal.Decimal`` (what the file reader makes of a JSON number such as
    ``0.375``) is read as the decimal it spells.  Floats, booleans and anything
    else are refused.

    Raises
    ------
    FieldError
        Naming the field and the problem.

    Examples
    --------
    >>> print(read_number("3/8", "w"), read_number("-0.375", "w"), read_number("2^-5", "w"))
    3/8 -3/8 1/32
    >>> read_number(0.5, "weights[0]")
    Traceback (most recent call last):
    ...
    exactnet._checker_net.FieldError: weights[0]: 0.5 is a float, not an exact number; ...
    """
    if isinstance(value, bool):
        raise FieldError(field, f"{value!r} is a boolean, not a number")
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, decimal.Decimal):
        if not value.is_finite():
            raise FieldError(field, f"{value} is not a finite number")
        if abs(value.as_tuple().exponent) > 100_000:  # type: ignore[arg-type]
            raise FieldError(field, f"{value}: exponent too large")
        n, d = value.as_integer_ratio()
        return Fraction(n, d)
    if isinstance(value, float):
        raise FieldError(
            field,
            f"{value!r} is a float, not an exact number; write it as a string such as "
            '"3/8", "-0.375" or "2^-5"',
        )
    if not isinstance(value, str):
        raise FieldError(field, f"{value!r} is not a number (expected a string such as \"3/8\")")
    s = value.strip()
    if _INT.match(s):
        return Fraction(int(s))
    m = _FRAC.match(s)
    if m:
        if int(m.group(2)) == 0:
            raise FieldError(field, f"{value!r} has a zero denominator")
        return Fraction(int(m.group(1)), int(m.group(2)))
    m = _DEC.match(s)
    if m:
        if m.group(2) and abs(int(m.group(2)[1:])) > 100_000:
            raise FieldError(field, f"{value!r}: exponent too large (|e| <= 100000)")
        n, d = decimal.Decimal(s).as_integer_ratio()
        return Fraction(n, d)
    m = _POW.match(s)
    if m:
        base, exp = int(m.group(2)), int(m.group(3))
        if abs(exp) > 100_000:
            raise FieldError(field, f"{value!r}: exponent too large (|e| <= 100000)")
        if base == 0 and exp < 0:
            raise FieldError(field, f"{value!r} divides by zero")
        v = Fraction(base) ** exp
        return -v if m.group(1) == "-" else v
    raise FieldError(
        field,
        f"{value!r} is not an exact number; write an integer (-3), a fraction (3/8), "
        "a decimal (-0.375) or a power (2^-5)",
    )


@dataclass(frozen=True, slots=True)
class Net:
    """A one-input, one-output network as the checker reads it.

    Node 0 is the input; nodes 1..n are the neurons in topological order.
    ``preds[j]`` lists (source index, weight) for node j.  The integer plan:
    with x = p/q, node j's value is ``V_j / (q * scale[j])`` for an integer V_j,
    where ``Z_j = ibias[j] * q + sum(c * V_k for k, c in icoef[j])`` is the
    pre-activation numerator and ``V_j = Z_j`` (identity) or ``max(Z_j, 0)`` (relu).
    """

    names: tuple[str, ...]
    relu: tuple[bool, ...]
    bias: tuple[Fraction, ...]
    preds: tuple[tuple[tuple[int, Fraction], ...], ...]
    output: int
    scale: tuple[int, ...]
    ibias: tuple[int, ...]
    icoef: tuple[tuple[tuple[int, int], ...], ...]
    form: str

    @property
    def neurons(self) -> int:
        """The number of neurons (non-input nodes)."""
        return len(self.names) - 1

    @property
    def relus(self) -> int:
        """The number of ReLU neurons."""
        return sum(self.relu)

    @property
    def edges(self) -> int:
        """The number of edges."""
        return sum(len(p) for p in self.preds)


def _obj(value: object, field: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise FieldError(field, f"must be an object, got {type(value).__name__}")
    return value


def _names(value: object, field: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise FieldError(field, "must be a list of non-empty strings")
    if len(set(value)) != len(value):
        raise FieldError(field, "lists a name twice")
    return value


def read_network(d: object, field: str = "network") -> Net:
    """Read a network-file object (layered or graph form) with one input and one output.

    Raises
    ------
    FieldError
        Naming the field: an unknown format or version, a bad number, a shape that
        does not fit, an unknown or duplicate node, a cycle, not one input and one output.

    Examples
    --------
    >>> net = read_network({"format": "exactnet.network", "version": 1, "layers": [
    ...     {"weights": [["1"], ["1"]], "biases": ["0", "-1/2"], "activation": "relu"},
    ...     {"weights": [["2", "-4"]], "biases": ["0"], "activation": "identity"}]})
    >>> net.neurons, net.relus, net.form
    (3, 2, 'layered')
    """
    top = _obj(d, field)
    if top.get("format") != "exactnet.network":
        raise FieldError(f"{field}.format", f"is {top.get('format')!r}; expected 'exactnet.network'")
    version = top.get("version")
    if isinstance(version, bool) or version != 1:
        raise FieldError(f"{field}.version", f"unknown version {version!r}; this checker reads version 1")
    if ("layers" in top) == ("nodes" in top or "edges" in top):
        raise FieldError(field, "needs either 'layers' (layered form) or 'nodes' and 'edges' (graph form)")
    if "layers" in top:
        inputs, nodes, edges, outputs = _layered(top, field)
        form = "layered"
    else:
        inputs, nodes, edges, outputs = _graph(top, field)
        form = "graph"
    if len(inputs) != 1:
        raise FieldError(f"{field}.inputs", f"the network has {len(inputs)} inputs; sup-error-1d needs one")
    if len(outputs) != 1:
        raise FieldError(f"{field}.outputs", f"the network has {len(outputs)} outputs; sup-error-1d needs one")
    return _compile(inputs[0], nodes, edges, outputs[0], field, form)


_Node = tuple[str, bool, Fraction]  # id, relu?, bias
_Edge = tuple[str, str, Fraction]


def _act(value: object, field: str) -> bool:
    if value not in ("relu", "identity"):
        raise FieldError(field, f"is {value!r}; expected 'relu' or 'identity'")
    return value == "relu"


def _layered(top: Mapping[str, Any], field: str) -> tuple[list[str], list[_Node], list[_Edge], list[str]]:
    layers = top["layers"]
    if not isinstance(layers, list) or not layers:
        raise FieldError(f"{field}.layers", "must be a non-empty list")
    nodes: list[_Node] = []
    edges: list[_Edge] = []
    prev: list[str] | None = None
    for i, layer in enumerate(layers):
        f = f"{field}.layers[{i}]"
        layer = _obj(layer, f)
        w = layer.get("weights")
        if not isinstance(w, list) or not w or not all(isinstance(r, list) for r in w):
            raise FieldError(f"{f}.weights", "must be a non-empty matrix (a list of rows)")
        cols = {len(r) for r in w}
        if len(cols) != 1:
            raise FieldError(f"{f}.weights", f"rows have different lengths {sorted(cols)}")
        ncol = cols.pop()
        if prev is None:
            names = top.get("inputs")
            if names is None:
                prev = ["x"] if ncol == 1 else [f"x{k + 1}" for k in range(ncol)]
            else:
                prev = _names(names, f"{field}.inputs")
            inputs = list(prev)
        if ncol != len(prev):
            raise FieldError(f"{f}.weights", f"has {ncol} columns but the layer before has {len(prev)} neurons")
        b = layer.get("biases")
        if not isinstance(b, list) or len(b) != len(w):
            raise FieldError(f"{f}.biases", f"must be a list of {len(w)} numbers (one per row)")
        relu = _act(layer.get("activation"), f"{f}.activation")
        ids = [f"layers[{i}][{r}]" for r in range(len(w))]
        for r, row in enumerate(w):
            nodes.append((ids[r], relu, read_number(b[r], f"{f}.biases[{r}]")))
            for c, v in enumerate(row):
                edges.append((prev[c], ids[r], read_number(v, f"{f}.weights[{r}][{c}]")))
        prev = ids
    assert prev is not None
    if "outputs" in top:
        outs = _names(top["outputs"], f"{field}.outputs")
        if len(outs) != len(prev):
            raise FieldError(f"{field}.outputs", f"names {len(outs)} outputs but the last layer has {len(prev)} neurons")
    return inputs, nodes, edges, prev


def _graph(top: Mapping[str, Any], field: str) -> tuple[list[str], list[_Node], list[_Edge], list[str]]:
    for key in ("inputs", "nodes", "edges", "outputs"):
        if key not in top:
            raise FieldError(f"{field}.{key}", "is missing (the graph form needs inputs, nodes, edges and outputs)")
    inputs = _names(top["inputs"], f"{field}.inputs")
    outputs = top["outputs"]
    if not isinstance(outputs, list) or not all(isinstance(o, str) for o in outputs):
        raise FieldError(f"{field}.outputs", "must be a list of node ids")
    if not isinstance(top["nodes"], list):
        raise FieldError(f"{field}.nodes", "must be a list")
    if not isinstance(top["edges"], list):
        raise FieldError(f"{field}.edges", "must be a list")
    seen = set(inputs)
    nodes: list[_Node] = []
    for i, node in enumerate(top["nodes"]):
        f = f"{field}.nodes[{i}]"
        node = _obj(node, f)
        nid = node.get("id")
        if not isinstance(nid, str) or not nid:
            raise FieldError(f"{f}.id", "must be a non-empty string")
        if nid in seen:
            raise FieldError(f"{f}.id", f"duplicate node id {nid!r}")
        seen.add(nid)
        if "bias" not in node:
            raise FieldError(f"{f}.bias", "is missing")
        nodes.append((nid, _act(node.get("activation"), f"{f}.activation"), read_number(node["bias"], f"{f}.bias")))
    edges: list[_Edge] = []
    pairs: set[tuple[str, str]] = set()
    for i, edge in enumerate(top["edges"]):
        f = f"{field}.edges[{i}]"
        edge = _obj(edge, f)
        u, v = edge.get("from"), edge.get("to")
        for key, end in (("from", u), ("to", v)):
            if not isinstance(end, str) or end not in seen:
                raise FieldError(f"{f}.{key}", f"{end!r} is not a node")
        assert isinstance(u, str) and isinstance(v, str)
        if v in inputs:
            raise FieldError(f"{f}.to", f"input {v!r} cannot have an incoming edge")
        if (u, v) in pairs:
            raise FieldError(f, f"duplicate edge {u} -> {v}")
        pairs.add((u, v))
        if "weight" not in edge:
            raise FieldError(f"{f}.weight", "is missing")
        edges.append((u, v, read_number(edge["weight"], f"{f}.weight")))
    for j, o in enumerate(outputs):
        if o not in seen:
            raise FieldError(f"{field}.outputs[{j}]", f"{o!r} is not a node")
    return inputs, nodes, edges, outputs


def _compile(inp: str, nodes: list[_Node], edges: list[_Edge], out: str, field: str, form: str) -> Net:
    info = {nid: (relu, bias) for nid, relu, bias in nodes}
    incoming: dict[str, list[tuple[str, Fraction]]] = {nid: [] for nid, _, _ in nodes}
    children: dict[str, list[str]] = {inp: [], **{nid: [] for nid, _, _ in nodes}}
    indeg = {nid: 0 for nid, _, _ in nodes}
    for u, v, w in edges:
        if u not in children:  # an edge from another (unused) input
            raise FieldError(f"{field}.edges", f"edge {u} -> {v} leaves a node that is neither the input nor a neuron")
        incoming[v].append((u, w))
        children[u].append(v)
        indeg[v] += 1
    # Kahn's algorithm, ties broken by the order in the file: deterministic
    position = {nid: k for k, (nid, _, _) in enumerate(nodes)}
    for c in children[inp]:
        indeg[c] -= 1
    heap = [(position[n], n) for n, k in indeg.items() if k == 0]
    heapq.heapify(heap)
    order: list[str] = []
    while heap:
        _, n = heapq.heappop(heap)
        order.append(n)
        for c in children[n]:
            indeg[c] -= 1
            if indeg[c] == 0:
                heapq.heappush(heap, (position[c], c))
    if len(order) != len(nodes):
        stuck = sorted((n for n in indeg if indeg[n] > 0), key=position.__getitem__)
        raise FieldError(f"{field}.edges", f"the graph has a cycle through {', '.join(stuck[:5])}")
    index = {inp: 0, **{n: k + 1 for k, n in enumerate(order)}}
    names = (inp, *order)
    relu = (False, *(info[n][0] for n in order))
    bias = (Fraction(0), *(info[n][1] for n in order))
    preds = ((), *(tuple((index[u], w) for u, w in incoming[n]) for n in order))
    scale = [1]
    ibias = [0]
    icoef: list[tuple[tuple[int, int], ...]] = [()]
    for j in range(1, len(names)):
        s = bias[j].denominator
        for k, w in preds[j]:
            s = math.lcm(s, w.denominator * scale[k])
        scale.append(s)
        ibias.append(int(bias[j] * s))
        icoef.append(tuple((k, int(w * s / scale[k])) for k, w in preds[j] if w))
    return Net(names, relu, bias, preds, index[out], tuple(scale), tuple(ibias), tuple(icoef), form)


def evaluate(net: Net, x: Fraction) -> Fraction:
    """N(x) with Fraction arithmetic, straight from the definition.

    Each neuron computes act(bias + sum of weight * source) in topological
    order, with relu(z) = z if z > 0 else 0.

    Examples
    --------
    >>> net = read_network({"format": "exactnet.network", "version": 1, "layers": [
    ...     {"weights": [["1"], ["1"]], "biases": ["0", "-1/2"], "activation": "relu"},
    ...     {"weights": [["2", "-4"]], "biases": ["0"], "activation": "identity"}]})
    >>> print(evaluate(net, Fraction(1, 4)), evaluate(net, Fraction(3, 4)))
    1/2 1/2
    """
    values = [x]
    for j in range(1, len(net.names)):
        z = net.bias[j]
        for k, w in net.preds[j]:
            z += w * values[k]
        values.append((z if z > 0 else Fraction(0)) if net.relu[j] else z)
    return values[net.output]


def _signs(net: Net, x: Fraction) -> tuple[Fraction, int, int]:
    """N(x), and bit masks of the ReLU neurons with pre-activation > 0 and < 0.

    Bit j - 1 stands for node j (topological order).  Integer arithmetic: with
    x = p/q, node j's value times q * scale[j] is an integer.
    """
    p, q = x.numerator, x.denominator
    vals = [p]
    pos = neg = 0
    relu, ibias, icoef = net.relu, net.ibias, net.icoef
    for j in range(1, len(relu)):
        z = ibias[j] * q
        for k, c in icoef[j]:
            z += c * vals[k]
        if relu[j]:
            if z > 0:
                pos |= 1 << (j - 1)
            elif z < 0:
                neg |= 1 << (j - 1)
                z = 0
        vals.append(z)
    o = net.output
    return Fraction(vals[o], q * net.scale[o]), pos, neg


def _preactivation(net: Net, x: Fraction, node: int) -> Fraction:
    values = [x]
    for j in range(1, node + 1):
        z = net.bias[j]
        for k, w in net.preds[j]:
            z += w * values[k]
        if j == node:
            return z
        values.append((z if z > 0 else Fraction(0)) if net.relu[j] else z)
    raise AssertionError("node index out of range")  # pragma: no cover


@dataclass(frozen=True, slots=True)
class PieceCheck:
    """The outcome of :func:`check_pieces`: problems found, and the number of split pieces."""

    problems: tuple[str, ...]
    splits: int


def check_pieces(net: Net, xs: Sequence[Fraction], ys: Sequence[Fraction], lo: Fraction, hi: Fraction) -> PieceCheck:
    """Check that (xs, ys) lists N exactly on [lo, hi] and that N is affine between breakpoints.

    Checks: xs strictly increasing from lo to hi, ys[i] == N(xs[i]) exactly, and N
    affine on every piece [a, b].  For the last, let P be the activation pattern
    read off the pre-activation signs at both ends (a neuron is active if it is
    > 0 at an end, inactive if < 0 at an end).  If no neuron is > 0 at one end and
    < 0 at the other, the network with the gates of P fixed is affine, agrees with
    N at a and at b (a neuron at 0 passes 0 either way), so each of its
    pre-activations is affine with the same weak sign at both ends, hence on all of
    [a, b]: the pattern P holds on the whole piece and N is affine there.
    Otherwise the first such neuron in topological order has an affine
    pre-activation on [a, b] (its ancestors keep their pattern); the piece is split
    at its exact zero t, both halves are checked the same way, and N(t) must lie on
    the chord from (a, N(a)) to (b, N(b)) (collinear pieces merged in the
    certificate).

    Examples
    --------
    >>> F = Fraction
    >>> net = read_network({"format": "exactnet.network", "version": 1, "layers": [
    ...     {"weights": [["1"], ["1"]], "biases": ["0", "-1/2"], "activation": "relu"},
    ...     {"weights": [["2", "-4"]], "biases": ["0"], "activation": "identity"}]})
    >>> check_pieces(net, [F(0), F(1, 2), F(1)], [F(0), F(1), F(0)], F(0), F(1)).problems
    ()
    >>> check_pieces(net, [F(0), F(1)], [F(0), F(0)], F(0), F(1)).problems
    ('piece 0 [0, 1]: N is not affine: at x = 1/2, where neuron layers[0][1] switches, N = 1 but the chord gives 0',)
    """
    problems: list[str] = []
    n = len(xs)
    if n != len(ys):
        return PieceCheck((f"pieces.xs has {n} entries but pieces.ys has {len(ys)}",), 0)
    if n == 0:
        return PieceCheck(("pieces.xs is empty",), 0)
    if xs[0] != lo:
        problems.append(f"pieces.xs[0] = {xs[0]} but the domain starts at {lo}")
    if xs[-1] != hi:
        problems.append(f"pieces.xs[{n - 1}] = {xs[-1]} but the domain ends at {hi}")
    for i in range(n - 1):
        if not xs[i] < xs[i + 1]:
            problems.append(f"pieces.xs is not strictly increasing at index {i + 1}: {xs[i]} then {xs[i + 1]}")
            break
    if problems:
        return PieceCheck(tuple(problems), 0)
    evals = [_signs(net, x) for x in xs]
    for i, (y, (v, _, _)) in enumerate(zip(ys, evals)):
        if y != v:
            problems.append(f"pieces.ys[{i}] = {y} but N({xs[i]}) = {v}")
            if len(problems) >= 5:
                problems.append("(further breakpoints not reported)")
                return PieceCheck(tuple(problems), 0)
    if problems:
        return PieceCheck(tuple(problems), 0)
    splits = [0]
    for i in range(n - 1):
        (_, pa, na), (_, pb, nb) = evals[i], evals[i + 1]
        if (pa & nb) | (na & pb):
            why = _split(net, i, xs[i], xs[i + 1], ys[i], ys[i + 1], evals[i], evals[i + 1], splits)
            if why:
                problems.append(why)
                if len(problems) >= 5:
                    problems.append("(further pieces not reported)")
                    break
    return PieceCheck(tuple(problems), splits[0])


def _split(
    net: Net,
    i: int,
    a: Fraction,
    b: Fraction,
    ya: Fraction,
    yb: Fraction,
    ea: tuple[Fraction, int, int],
    eb: tuple[Fraction, int, int],
    splits: list[int],
) -> str | None:
    """Show N affine on [a, b] by splitting where neurons switch; a problem, or None."""
    stack = [(a, b, ea, eb)]
    points: list[tuple[Fraction, Fraction]] = []
    while stack:
        l, u, el, eu = stack.pop()
        conflict = (el[1] & eu[2]) | (el[2] & eu[1])
        if not conflict:
            continue
        if splits[0] >= MAX_SPLITS:
            return (
                f"piece {i} [{a}, {b}]: could not show N affine within {MAX_SPLITS} splits "
                "where neurons switch"
            )
        splits[0] += 1
        node = (conflict & -conflict).bit_length()  # the first such neuron, topologically
        zl, zu = _preactivation(net, l, node), _preactivation(net, u, node)
        # its pre-activation is affine on [l, u] (its ancestors keep their pattern)
        t = l + (u - l) * zl / (zl - zu)
        et = _signs(net, t)
        points.append((t, et[0]))
        stack.append((l, t, el, et))
        stack.append((t, u, et, eu))
    for t, yt in sorted(points):
        chord = ya + (yb - ya) * (t - a) / (b - a)
        if yt != chord:
            who = net.names[_switching(net, a, b, t)]
            return (
                f"piece {i} [{a}, {b}]: N is not affine: at x = {t}, where neuron {who} "
                f"switches, N = {yt} but the chord gives {chord}"
            )
    return None


def _switching(net: Net, a: Fraction, b: Fraction, t: Fraction) -> int:
    """A ReLU neuron whose pre-activation is 0 at t (for messages)."""
    for j in range(1, len(net.names)):
        if net.relu[j] and _preactivation(net, t, j) == 0:
            return j
    return 0  # pragma: no cover
