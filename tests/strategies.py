"""Hypothesis strategies over exact inputs, and an independent Fraction evaluator.

- :func:`fractions` / :func:`rationals`: exact rationals (``Fraction`` / ``Q``) from
  ``st.fractions``;
- :func:`dyadics`: ``k / 2^p`` built from integers, never from floats;
- :func:`layered_networks`: small random MLPs through ``Network.from_layers``;
- :func:`dag_networks`: small random DAGs with skip connections through
  ``Network.from_graph``;
- :func:`networks`: either of the two;
- :func:`points`: one exact point per input;
- :func:`json_metadata`: JSON values without floats (see ``test_io_json``);
- :func:`intervals`, :func:`points_in`: exact intervals and points in them;
- :func:`pwl_functions`: random continuous PWL functions (sorted distinct rational
  breakpoints, rational values, collinear runs on purpose).

:func:`fraction_eval` evaluates a network with ``fractions.Fraction`` arithmetic,
written here from the definition (act(bias + sum weight * source)), so tests have a
second route that shares no code with ``exactnet.evaluate``.  Likewise
:func:`pwl_reference` evaluates a PWL function from its breakpoint data by a linear
scan in Fraction arithmetic, sharing no code with ``PiecewiseLinear.__call__``.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Sequence

import hypothesis.strategies as st
import networkx as nx

from exactnet.network import Network
from exactnet.numbers import Interval, Q
from exactnet.pwl import PiecewiseLinear

__all__ = [
    "fractions",
    "rationals",
    "dyadics",
    "weights",
    "layered_networks",
    "dag_networks",
    "networks",
    "points",
    "json_metadata",
    "to_q",
    "to_fraction",
    "fraction_eval",
    "intervals",
    "points_in",
    "pwl_functions",
    "pwl_reference",
]


def to_q(f: Fraction) -> Q:
    """A Fraction as ``Q`` (through numerator and denominator, never a float)."""
    return Q(f.numerator, f.denominator)


def to_fraction(v: Any) -> Fraction:
    """A ``Q`` (or int) as a Fraction."""
    return Fraction(int(v.numerator), int(v.denominator))


def fractions(bound: int = 4, max_denominator: int = 12) -> st.SearchStrategy[Fraction]:
    """Exact rationals in [-bound, bound] with small denominators."""
    return st.fractions(min_value=-bound, max_value=bound, max_denominator=max_denominator)


def rationals(bound: int = 4, max_denominator: int = 12) -> st.SearchStrategy[Q]:
    """As :func:`fractions`, as ``Q``."""
    return fractions(bound, max_denominator).map(to_q)


@st.composite
def dyadics(draw: Any, max_bits: int = 6, bound: int = 4) -> Q:
    """k / 2^p with 0 <= p <= max_bits and |k / 2^p| <= bound."""
    p = draw(st.integers(0, max_bits))
    k = draw(st.integers(-bound * 2**p, bound * 2**p))
    return Q(k, 2**p)


def weights() -> st.SearchStrategy[Q]:
    """Weights and biases: dyadics (the fast path) or general rationals."""
    return st.one_of(dyadics(max_bits=3, bound=3), rationals(bound=3, max_denominator=6))


ACTS = ("relu", "identity")


@st.composite
def layered_networks(
    draw: Any,
    *,
    inputs: int | None = None,
    outputs: int | None = None,
    max_depth: int = 3,
    max_width: int = 3,
    last: str | None = None,
    nonzero: bool = False,
) -> Network:
    """A random plain MLP.

    Hidden layers are mostly ReLU (sometimes identity); the last layer is `last`
    if given, else identity or ReLU.  ``nonzero=True`` draws nonzero weights only,
    so no edge is dropped by compose and every path has its full length.
    """
    d = inputs if inputs is not None else draw(st.integers(1, 3))
    m = outputs if outputs is not None else draw(st.integers(1, 2))
    L = draw(st.integers(1, max_depth))
    widths = [draw(st.integers(1, max_width)) for _ in range(L - 1)] + [m]
    w = weights().filter(lambda v: v != 0) if nonzero else weights()
    Ws, bs, acts = [], [], []
    prev = d
    for l, rows in enumerate(widths):
        Ws.append([[draw(w) for _ in range(prev)] for _ in range(rows)])
        bs.append([draw(weights()) for _ in range(rows)])
        if l < L - 1:
            acts.append(draw(st.sampled_from(["relu", "relu", "identity"])))
        else:
            acts.append(last if last is not None else draw(st.sampled_from(ACTS)))
        prev = rows
    return Network.from_layers(Ws, bs, acts)


@st.composite
def dag_networks(
    draw: Any,
    *,
    inputs: int | None = None,
    outputs: int | None = None,
    max_neurons: int = 5,
) -> Network:
    """A random DAG: each neuron reads 1-3 of the inputs and earlier neurons, so skip
    connections are common; outputs are distinct neurons."""
    d = inputs if inputs is not None else draw(st.integers(1, 3))
    m = outputs if outputs is not None else draw(st.integers(1, 2))
    n = draw(st.integers(max(m, 1), max(max_neurons, m)))
    G = nx.DiGraph()
    ins = [f"x{i + 1}" for i in range(d)]
    G.add_nodes_from(ins)
    names: list[str] = []
    for i in range(n):
        name = f"n{i}"
        avail = ins + names
        preds = draw(
            st.lists(st.sampled_from(avail), min_size=1, max_size=min(3, len(avail)), unique=True)
        )
        G.add_node(name, bias=draw(weights()), act=draw(st.sampled_from(ACTS)))
        for p in preds:
            G.add_edge(p, name, weight=draw(weights()))
        names.append(name)
    outs = draw(st.lists(st.sampled_from(names), min_size=m, max_size=m, unique=True))
    return Network.from_graph(G, ins, outs)


def networks(*, inputs: int | None = None, outputs: int | None = None) -> st.SearchStrategy[Network]:
    """A layered network or a DAG."""
    return st.one_of(
        layered_networks(inputs=inputs, outputs=outputs),
        dag_networks(inputs=inputs, outputs=outputs),
    )


def points(d: int) -> st.SearchStrategy[tuple[Q, ...]]:
    """One exact point in [-4, 4]^d (dyadic or general rational coordinates)."""
    coord = st.one_of(dyadics(max_bits=5), rationals(max_denominator=10))
    return st.tuples(*[coord] * d)


_json_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**6), 10**6), st.text(max_size=6)
)

json_metadata = st.dictionaries(
    st.text(min_size=1, max_size=5),
    st.recursive(
        _json_scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=3), inner, max_size=3)
        ),
        max_leaves=6,
    ),
    max_size=3,
)
"""Free metadata: JSON values without floats."""


def fraction_eval(net: Network, x: Sequence[Any]) -> tuple[Fraction, ...]:
    """Evaluate `net` at `x` with Fraction arithmetic, straight from the definition.

    Uses the graph (networkx topological order, edge and node attributes) and no
    exactnet evaluation code.
    """
    g = net.graph
    value: dict[str, Fraction] = {
        name: to_fraction(v) if not isinstance(v, Fraction) else v
        for name, v in zip(net.inputs, x)
    }
    for node in nx.topological_sort(g):
        if node in value:
            continue
        s = to_fraction(g.nodes[node]["bias"])
        for src in g.predecessors(node):
            s += to_fraction(g.edges[src, node]["weight"]) * value[src]
        value[node] = max(s, Fraction(0)) if g.nodes[node]["act"] == "relu" else s
    return tuple(value[o] for o in net.outputs)


@st.composite
def intervals(draw: Any, *, bound: int = 3, degenerate: bool = False) -> Interval:
    """An interval [lo, hi] with rational ends in [-bound, 2 bound]; lo < hi unless
    ``degenerate=True`` allows lo == hi."""
    lo = draw(fractions(bound, 12))
    width = draw(
        st.fractions(
            min_value=0 if degenerate else Fraction(1, 12),
            max_value=bound,
            max_denominator=12,
        )
    )
    return Interval(to_q(lo), to_q(lo + width))


def _between(
    draw: Any, lo: Fraction, hi: Fraction, max_denominator: int = 16
) -> Fraction:
    """A rational lo + t (hi - lo) with t in [0, 1] of small denominator."""
    d = draw(st.integers(1, max_denominator))
    k = draw(st.integers(0, d))
    return lo + (hi - lo) * Fraction(k, d)


@st.composite
def points_in(draw: Any, interval: Interval, extra: Sequence[Q] = ()) -> Q:
    """A point of `interval`: an end, one of `extra` (those inside), or in between."""
    lo, hi = to_fraction(interval.lo), to_fraction(interval.hi)
    special = [v for v in extra if interval.lo <= v <= interval.hi]
    choice = draw(st.integers(0, 3))
    if choice == 0:
        return draw(st.sampled_from([interval.lo, interval.hi]))
    if choice == 1 and special:
        return draw(st.sampled_from(special))
    return to_q(_between(draw, lo, hi, 24))


@st.composite
def pwl_functions(
    draw: Any,
    *,
    domain: Interval | None = None,
    max_pieces: int = 6,
    values_in: Interval | None = None,
    special_values: Sequence[Q] = (),
) -> PiecewiseLinear:
    """A random continuous PWL function.

    The domain is `domain` (else a random non-degenerate interval); the interior
    breakpoints are distinct rationals strictly inside it (0 .. max_pieces - 1 of
    them).  A value is a random rational, or continues the previous slope (so
    collinear neighbours occur and :meth:`PiecewiseLinear.canonical` has work to
    do).  With `values_in`, every value lies in that interval (use it to build
    the inner function of a composition) and is sometimes one of
    `special_values` inside it (e.g. the outer function's breakpoints).  A
    degenerate `domain` gives a one-point function.
    """
    dom = domain if domain is not None else draw(intervals())
    lo, hi = to_fraction(dom.lo), to_fraction(dom.hi)
    if lo == hi:
        xs = [lo]
    else:
        inner = draw(
            st.lists(
                st.builds(Fraction, st.integers(1, 23), st.just(24)).map(
                    lambda t: lo + (hi - lo) * t
                )
                | st.integers(1, 11).map(lambda k: lo + (hi - lo) * Fraction(k, 12)),
                max_size=max_pieces - 1,
                unique=True,
            )
        )
        xs = [lo, *sorted(inner), hi]
    if values_in is not None:
        vlo, vhi = to_fraction(values_in.lo), to_fraction(values_in.hi)
        special = [to_fraction(v) for v in special_values if v in values_in]
    ys: list[Fraction] = []
    for i, x in enumerate(xs):
        y: Fraction | None = None
        if i >= 2 and draw(st.integers(0, 3)) == 0:
            # continue the previous piece: x_(i-1) is then not a true breakpoint
            y = ys[-1] + (ys[-1] - ys[-2]) * (x - xs[i - 1]) / (xs[i - 1] - xs[i - 2])
            if values_in is not None and not vlo <= y <= vhi:
                y = None
        if y is None:
            if values_in is None:
                y = draw(fractions(4, 12))
            elif special and draw(st.booleans()):
                y = draw(st.sampled_from(special))
            else:
                y = _between(draw, vlo, vhi)
        ys.append(y)
    return PiecewiseLinear(tuple(map(to_q, xs)), tuple(map(to_q, ys)))


def pwl_reference(f: PiecewiseLinear, x: Any) -> Fraction:
    """f(x) from f's breakpoint data, by a linear scan in Fraction arithmetic.

    Written from the definition (linear interpolation between the neighbouring
    breakpoints), sharing no code with ``PiecewiseLinear.__call__``.
    """
    v = x if isinstance(x, Fraction) else to_fraction(x)
    xs = [to_fraction(a) for a in f.xs]
    ys = [to_fraction(b) for b in f.ys]
    for i, a in enumerate(xs):
        if v == a:
            return ys[i]
    for i in range(len(xs) - 1):
        if xs[i] < v < xs[i + 1]:
            return ys[i] + (ys[i + 1] - ys[i]) * (v - xs[i]) / (xs[i + 1] - xs[i])
    raise ValueError(f"{v} is outside [{xs[0]}, {xs[-1]}]")
