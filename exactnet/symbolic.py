"""The sympy bridge: networks and PWL functions as sympy expressions; closed-form sizes.

This is the only module that imports sympy.  It offers

* :func:`to_sympy` / :func:`from_sympy`: a one-input network's exact function on
  an interval as a sympy ``Piecewise`` with Rational breakpoints, and back
  (only continuous piecewise-linear expressions with rational numbers are
  accepted; anything else is refused with :class:`InvalidArgument`);
* :func:`network_expression`: a small network as a formula, ``relu`` written
  ``Max(0, .)``;
* closed forms of construction sizes (:func:`sawtooth_size_formulas`,
  :func:`square_size_formulas`) and :func:`certify_size_formula`, which checks
  a size formula against counted metrics for a range of parameters and, for
  the additive counts and the depth, for *every* parameter by an induction
  whose step sympy verifies.

User text is never given to sympy: formulas are built in code from symbols.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import networkx as nx
import sympy

from exactnet.certificate import Certificate, Verdict
from exactnet.counts import certify_sizes
from exactnet.exceptions import InvalidArgument
from exactnet.metrics import metrics
from exactnet.network import Network
from exactnet.numbers import Interval, Q, library_versions, q
from exactnet.pwl import PiecewiseLinear, to_pwl

__all__ = [
    "INDUCTIVE_METRICS",
    "certify_size_formula",
    "from_sympy",
    "network_expression",
    "sawtooth_size_formulas",
    "square_size_formulas",
    "to_sympy",
]

INDUCTIVE_METRICS = (
    "neurons",
    "hidden_neurons",
    "relu_neurons",
    "edges",
    "weights",
    "biases_nonzero",
    "weights_with_biases",
    "depth",
    "hidden_layers",
)
"""Metrics whose change from one parameter to the next is read off the graph
difference alone (sums over nodes and edges, and the longest path); for these
:func:`certify_size_formula` proves a formula for every parameter."""


def _rational(v: Q) -> sympy.Rational:
    return sympy.Rational(int(v.numerator), int(v.denominator))


def _to_q(v: Any, what: str) -> Q:
    v = sympy.nsimplify(v) if isinstance(v, sympy.Float) else v
    if not isinstance(v, sympy.Rational):
        raise InvalidArgument(f"{what} is {v}, not a rational number")
    return q(f"{v.p}/{v.q}")


# -- networks and PWL functions as expressions ---------------------------------------------


def to_sympy(
    f: PiecewiseLinear | Network, interval: Interval | None = None, *, var: sympy.Symbol | str | None = None
) -> sympy.Piecewise:
    """The exact function as a sympy ``Piecewise`` of linear pieces with Rational breakpoints.

    Parameters
    ----------
    f : PiecewiseLinear or Network
        A network needs one input, one output and an `interval`; its function
        is extracted exactly with :func:`exactnet.pwl.to_pwl`.
    interval : Interval, optional
        Required for a network; for a PWL function, restricts it.
    var : sympy.Symbol or str, optional
        The variable or its name (default ``Symbol("x")``).

    Returns
    -------
    sympy.Piecewise
        One pair ``(a_i*x + c_i, (x >= b_i) & (x <= b_(i+1)))`` per piece of the
        canonical form (collinear pieces merged), in increasing order; outside
        the interval no condition holds (sympy gives ``nan``).

    Examples
    --------
    The tent map of Yarotsky (2017), eq. (3):

    >>> from exactnet.constructions.yarotsky2017 import tent_net
    >>> to_sympy(tent_net(), Interval(0, 1))
    Piecewise((2*x, (x >= 0) & (x <= 1/2)), (2 - 2*x, (x >= 1/2) & (x <= 1)))
    """
    x = sympy.Symbol(var) if isinstance(var, str) else var if var is not None else sympy.Symbol("x")
    if isinstance(f, Network):
        if interval is None:
            raise InvalidArgument("to_sympy of a network needs an interval, e.g. Interval(0, 1)")
        pwl = to_pwl(f, interval).canonical()
    elif isinstance(f, PiecewiseLinear):
        pwl = (f.restrict(interval) if interval is not None else f).canonical()
    else:
        raise InvalidArgument(f"to_sympy takes a Network or a PiecewiseLinear, not {type(f).__name__}")
    if pwl.pieces == 0:
        a = _rational(pwl.xs[0])
        return sympy.Piecewise((_rational(pwl.ys[0]), sympy.Eq(x, a)))
    pairs = []
    for i, s in enumerate(pwl.slopes):
        lo, hi = pwl.xs[i], pwl.xs[i + 1]
        c = pwl.ys[i] - s * lo
        pairs.append((_rational(s) * x + _rational(c), (x >= _rational(lo)) & (x <= _rational(hi))))
    return sympy.Piecewise(*pairs)


def _linear(expr: sympy.Expr, x: sympy.Symbol, what: str) -> tuple[Q, Q]:
    """(a, c) with expr = a x + c exactly, or InvalidArgument."""
    try:
        poly = sympy.Poly(sympy.expand(expr), x)
    except sympy.PolynomialError:
        raise InvalidArgument(f"{what} {expr} is not linear in {x}") from None
    if poly.degree() > 1:
        raise InvalidArgument(f"{what} {expr} is not linear in {x} (degree {poly.degree()})")
    coeffs = poly.all_coeffs()
    a, c = (coeffs if len(coeffs) == 2 else [sympy.Integer(0), coeffs[0]])
    return _to_q(a, f"a coefficient of {what} {expr}"), _to_q(c, f"a coefficient of {what} {expr}")


def from_sympy(
    expr: Any, interval: Interval | None = None, *, var: sympy.Symbol | None = None
) -> PiecewiseLinear:
    """A continuous piecewise-linear sympy expression back to a :class:`PiecewiseLinear`.

    Accepted: a ``Piecewise`` whose pieces are linear in the variable with
    rational coefficients and whose conditions are Boolean combinations of
    linear (in)equalities with rational roots; ``Max``, ``Min`` and ``Abs`` of
    such expressions (rewritten as ``Piecewise``); a linear expression (with an
    interval).  The result is checked to be continuous and defined on the
    whole interval.

    Parameters
    ----------
    expr : sympy expression
    interval : Interval, optional
        The domain; by default the span of the conditions' breakpoints.
    var : sympy.Symbol, optional
        The variable; by default the expression's only free symbol.

    Raises
    ------
    InvalidArgument
        Anything else: a nonlinear piece, an irrational number, a jump, a
        point of the interval where no condition holds, several variables.

    Examples
    --------
    >>> x = sympy.Symbol("x")
    >>> f = from_sympy(sympy.Piecewise((x, x <= 1), (2 - x, x <= 2)), Interval(0, 2))
    >>> [str(v) for v in f.xs], [str(v) for v in f.ys]
    (['0', '1', '2'], ['0', '1', '0'])
    >>> from_sympy(x**2, Interval(0, 1))
    Traceback (most recent call last):
    ...
    exactnet.exceptions.InvalidArgument: the piece x**2 is not linear in x (degree 2)
    """
    if not isinstance(expr, sympy.Basic):
        raise InvalidArgument(f"from_sympy takes a sympy expression, not {type(expr).__name__}")
    free = sorted(expr.free_symbols, key=str)
    if var is None:
        if len(free) > 1:
            raise InvalidArgument(f"{expr} has several variables {free}; one is allowed")
        var = free[0] if free else sympy.Symbol("x")
    elif set(free) - {var}:
        raise InvalidArgument(f"{expr} has variables other than {var}: {free}")
    x = var
    if expr.has(sympy.Max, sympy.Min, sympy.Abs, sympy.Heaviside):
        expr = sympy.piecewise_fold(expr.rewrite(sympy.Piecewise))
    if isinstance(expr, sympy.Piecewise):
        pieces = [(e, c) for e, c in expr.args]
    elif isinstance(expr, sympy.Expr) and not expr.has(sympy.Piecewise):
        pieces = [(expr, sympy.true)]
    else:
        raise InvalidArgument(f"{expr} is not a piecewise-linear expression")
    lines = [_linear(e, x, "the piece") for e, _ in pieces]
    roots: set[Q] = set()
    for _, cond in pieces:
        if not isinstance(cond, sympy.logic.boolalg.Boolean):
            raise InvalidArgument(f"the condition {cond} is not a Boolean formula")
        for rel in cond.atoms(sympy.core.relational.Relational):
            a, c = _linear(rel.lhs - rel.rhs, x, "the condition side")
            if a != 0:
                roots.add(-c / a)
    if interval is None:
        if not roots:
            raise InvalidArgument(f"{expr} has no breakpoints to infer a domain from; give an interval")
        interval = Interval(min(roots), max(roots))
    lo, hi = interval.lo, interval.hi
    points = sorted({lo, hi} | {r for r in roots if lo < r < hi})

    def piece_at(p: Q) -> int:
        for i, (_, cond) in enumerate(pieces):
            truth = cond.subs(x, _rational(p)) if cond is not sympy.true else sympy.true
            if truth is sympy.true:
                return i
            if truth is not sympy.false:
                raise InvalidArgument(f"the condition {cond} does not decide at {x} = {p}")
        raise InvalidArgument(f"no piece of {expr} is defined at {x} = {p}")

    def value(i: int, p: Q) -> Q:
        a, c = lines[i]
        return a * p + c

    ys = [value(piece_at(p), p) for p in points]
    for k, (a, b) in enumerate(pairwise(points)):
        # the conditions are constant on the open interval (a, b): no root inside
        i = piece_at((a + b) / 2)
        for end, y in ((a, ys[k]), (b, ys[k + 1])):
            if value(i, end) != y:
                raise InvalidArgument(
                    f"{expr} jumps at {x} = {end} (limit {value(i, end)}, value {y}): not continuous"
                )
    return PiecewiseLinear(tuple(points), tuple(ys)).canonical()


def network_expression(
    net: Network, *, symbols: Sequence[sympy.Symbol] | None = None, max_neurons: int = 64
) -> tuple[sympy.Expr, ...]:
    """The network's outputs as formulas, ``relu(t)`` written ``Max(0, t)``.

    Parameters
    ----------
    net : Network
    symbols : sequence of sympy.Symbol, optional
        One per input; by default ``Symbol(name)`` for each input name.
    max_neurons : int
        Refuse larger networks (the formula of a deep network grows
        exponentially when written out).

    Examples
    --------
    >>> from exactnet.constructions.yarotsky2017 import tent_net
    >>> network_expression(tent_net())
    (2*Max(0, x) - 4*Max(0, x - 1/2),)
    """
    if len(net.neurons) > max_neurons:
        raise InvalidArgument(
            f"the network has {len(net.neurons)} neurons, more than {max_neurons=}; "
            "use to_sympy(net, interval) for its Piecewise form"
        )
    xs = list(symbols) if symbols is not None else [sympy.Symbol(n) for n in net.inputs]
    if len(xs) != len(net.inputs):
        raise InvalidArgument(f"{len(xs)} symbols for a network with {len(net.inputs)} inputs")
    val: dict[str, sympy.Expr] = dict(zip(net.inputs, xs))
    for n in net.neurons:
        acc = _rational(net.bias(n)) + sympy.Add(*[_rational(w) * val[s] for s, w in net.predecessors(n)])
        val[n] = sympy.Max(0, acc) if net.activation(n) == "relu" else acc
    return tuple(val[o] for o in net.outputs)


# -- closed forms of construction sizes -----------------------------------------------------


def sawtooth_size_formulas(s: sympy.Symbol | None = None) -> dict[str, sympy.Expr]:
    """Sizes of ``sawtooth_net(s)`` (Yarotsky 2017, Lemma 2) as functions of s >= 1.

    Derivation from ``exactnet.constructions.yarotsky2017``: the tent map is
    the network x -> (a, b) = (relu(x), relu(x - 1/2)) -> 2a - 4b (2 hidden
    ReLUs, weights 1, 1, 2, -4; one nonzero bias -1/2).  ``sawtooth_net(s)``
    composes s tents with ``sequential``, which folds each identity output
    2a - 4b into the next tent's two units: between consecutive levels there
    are 2 x 2 edges with weights 2, 2, -4, -4 (1 x 2 and 1 x (-4)), and the
    biases stay 0 and -1/2.  Hence s hidden levels of 2 ReLUs plus the output:

    * depth (affine layers) = s + 1, hidden_layers = s, width = 2;
    * neurons = 2s + 1, hidden_neurons = relu_neurons = 2s;
    * weights = edges = 2 (from x) + 4(s - 1) (between levels) + 2 (into y) = 4s;
    * biases_nonzero = s (the -1/2 of each level), weights_with_biases = 5s;
    * distinct_weights = 3 ({1, 2, -4}), with biases 4 ({1, 2, -4, -1/2}).

    Examples
    --------
    >>> f = sawtooth_size_formulas()
    >>> f["weights"], f["depth"]
    (4*s, s + 1)
    """
    s = s if s is not None else sympy.Symbol("s", integer=True, positive=True)
    return {
        "depth": s + 1,
        "hidden_layers": s,
        "width": sympy.Integer(2),
        "neurons": 2 * s + 1,
        "hidden_neurons": 2 * s,
        "relu_neurons": 2 * s,
        "edges": 4 * s,
        "weights": 4 * s,
        "biases_nonzero": s,
        "weights_with_biases": 5 * s,
        "distinct_weights": sympy.Integer(3),
        "distinct_weights_with_biases": sympy.Integer(4),
    }


def square_size_formulas(m: sympy.Symbol | None = None) -> dict[str, sympy.Expr]:
    """Sizes of ``square_net(m)`` (Yarotsky 2017, Prop. 2, f_m) as functions of m >= 1.

    Derivation from ``exactnet.constructions.yarotsky2017.square_net``: nodes
    x, the identity output y and two ReLUs a_s, b_s per level s = 1..m (biases
    0 and -1/2).  Edges: x -> y (weight 1); x -> a_1, x -> b_1 (1, 1); for
    s >= 2 the four edges a_(s-1), b_(s-1) -> a_s, b_s (2, -4); and a_s -> y,
    b_s -> y with -2/4^s and 4/4^s.  Hence

    * depth = m + 1 (x, m levels, y), hidden_layers = m, width = 2;
    * neurons = 2m + 1, hidden_neurons = relu_neurons = 2m;
    * weights = edges = 1 + 2 + 4(m - 1) + 2m = 6m - 1;
    * biases_nonzero = m, weights_with_biases = 7m - 1;
    * distinct_weights: {1} and the m values -2/4^s = -1/2^(2s-1), the m - 1
      values 4/4^s = 1/4^(s-1) for s >= 2 (s = 1 gives 1 again), and {2, -4}
      once a second level exists: 2 for m = 1, 2m + 2 for m >= 2; with the
      bias -1/2 (= -2/4^1, already counted) the same.

    Examples
    --------
    >>> f = square_size_formulas()
    >>> f["weights"], f["distinct_weights"]
    (6*m - 1, Piecewise((2, Eq(m, 1)), (2*m + 2, True)))
    """
    m = m if m is not None else sympy.Symbol("m", integer=True, positive=True)
    distinct = sympy.Piecewise((2, sympy.Eq(m, 1)), (2 * m + 2, True))
    return {
        "depth": m + 1,
        "hidden_layers": m,
        "width": sympy.Integer(2),
        "neurons": 2 * m + 1,
        "hidden_neurons": 2 * m,
        "relu_neurons": 2 * m,
        "edges": 6 * m - 1,
        "weights": 6 * m - 1,
        "biases_nonzero": m,
        "weights_with_biases": 7 * m - 1,
        "distinct_weights": distinct,
        "distinct_weights_with_biases": distinct,
    }


# -- size formulas checked, and proved for every parameter -----------------------------------


@dataclass(frozen=True)
class _Step:
    """What one application of the builder adds: the graph difference of two builds."""

    signature: nx.DiGraph  # the affected nodes, labelled (see _graph_step)
    summary: tuple[Any, ...]  # what was removed, and the depth of the unaffected part
    delta: dict[str, int]  # each inductive metric's change


def _graph_step(prev: Network, nxt: Network) -> _Step:
    """The change from `prev` to `nxt`, nodes matched by name, counted from the difference only.

    A node of `nxt` is *affected* when it is new, when its bias, activation,
    output status or incoming edges differ from `prev`, or when one of its
    ancestors is affected; every other node keeps its whole ancestor graph and
    so its depth.  The affected part, with each node's depth relative to
    depth(prev) computed from its unaffected predecessors, is the block.
    """
    if tuple(prev.inputs) != tuple(nxt.inputs):
        raise InvalidArgument(f"the inputs differ ({prev.inputs} then {nxt.inputs})")
    pe = {(u, v): w for u, v, w in prev.edges()}
    ne = {(u, v): w for u, v, w in nxt.edges()}
    pouts, nouts = set(prev.outputs), set(nxt.outputs)
    pnodes, nnodes = set(prev.nodes), set(nxt.nodes)
    inputs = set(prev.inputs)

    def attrs(net: Network, outs: set[str], n: str) -> tuple[Any, ...]:
        if n in inputs:
            return ("input",)
        return (net.activation(n), net.bias(n) != 0, n in outs)

    def in_edges(e: dict[tuple[str, str], Q], n: str) -> dict[str, Q]:
        return {u: w for (u, v), w in e.items() if v == n}

    changed = {
        n for n in nnodes
        if n not in pnodes
        or attrs(prev, pouts, n) != attrs(nxt, nouts, n)
        or in_edges(pe, n) != in_edges(ne, n)
    }
    affected = set(changed)
    for n in list(changed):
        affected |= nx.descendants(nxt.graph, n)
    removed = pnodes - nnodes
    D = max((prev.depth_of(n) for n in prev.nodes), default=0)
    rel: dict[str, int] = {}
    g = nx.DiGraph()
    for n in nx.topological_sort(nxt.graph.subgraph(affected)):
        preds = in_edges(ne, n)
        outside = [u for u in preds if u not in affected]
        base = max((prev.depth_of(u) - D + 1 for u in outside), default=None)
        inside = [rel[u] + 1 for u in preds if u in affected]
        rel[n] = max([v for v in [base, *inside] if v is not None], default=-D)
        new_in = [(u, w) for u, w in preds.items() if u not in affected and pe.get((u, n)) != w]
        g.add_node(
            n,
            label=(
                n in pnodes, attrs(nxt, nouts, n), attrs(prev, pouts, n) if n in pnodes else None, base,
                sum(1 for _, w in new_in if w != 0), sum(1 for _, w in new_in if w == 0),
            ),
        )
        for u in preds:
            if u in affected:
                g.add_edge(u, n, nonzero=ne[(u, n)] != 0, new=pe.get((u, n)) != ne[(u, n)])
    unaffected_depth = max((prev.depth_of(n) - D for n in nnodes - affected), default=None)
    gone_edges = [(k, w) for k, w in pe.items() if ne.get(k) != w]
    summary = (
        tuple(sorted((attrs(prev, pouts, n) for n in removed), key=repr)),
        tuple(sorted((attrs(prev, pouts, n) for n in (affected & pnodes)), key=repr)),
        sum(1 for _, w in gone_edges if w != 0),
        len(gone_edges),
        unaffected_depth,
    )

    def count(nodes: Iterable[str], net: Network, outs: set[str]) -> dict[str, int]:
        ns = [n for n in nodes if n not in inputs]
        return {
            "neurons": len(ns),
            "hidden_neurons": sum(1 for n in ns if n not in outs),
            "relu_neurons": sum(1 for n in ns if net.activation(n) == "relu"),
            "biases_nonzero": sum(1 for n in ns if net.bias(n) != 0),
        }

    plus = count(changed, nxt, nouts)
    minus = count(removed | (changed & pnodes), prev, pouts)
    added_edges = [(k, w) for k, w in ne.items() if pe.get(k) != w]
    delta = {k: plus[k] - minus[k] for k in plus}
    delta["edges"] = len(added_edges) - len(gone_edges)
    delta["weights"] = sum(1 for _, w in added_edges if w != 0) - summary[2]
    delta["weights_with_biases"] = delta["weights"] + delta["biases_nonzero"]
    delta["depth"] = max([v for v in [unaffected_depth, *rel.values()] if v is not None], default=0)
    delta["hidden_layers"] = delta["depth"]
    return _Step(g, summary, delta)


def _same_block(a: _Step, b: _Step) -> bool:
    return a.summary == b.summary and nx.is_isomorphic(
        a.signature, b.signature,
        node_match=lambda u, v: u["label"] == v["label"],
        edge_match=lambda u, v: u == v,
    )


def certify_size_formula(
    builder: Callable[[int], Network],
    formulas: Mapping[str, sympy.Expr],
    *,
    parameter: sympy.Symbol | str,
    params: range,
    claim: str,
    search: int = 64,
) -> Certificate:
    """Check size formulas against counted metrics, and prove the additive ones for all parameters.

    (a) For every p in `params`, ``builder(p)`` is counted
    (:func:`exactnet.counts.certify_sizes`) and compared with each formula at
    p.  The first p where a formula and a count differ gives VIOLATED, with
    witness ``(p, counted)`` and value the formula's value.

    (b) For each metric in :data:`INDUCTIVE_METRICS`, the formula is proved for
    every p >= p0 = ``params.start`` by induction: for consecutive p in the
    range the graph difference of ``builder(p)`` and ``builder(p + 1)``
    (nodes matched by name) is computed and its contribution to each metric
    counted from the difference alone; the blocks must be the same (an
    isomorphism of the labelled difference, which fixes every contribution);
    sympy then verifies ``formula(p + 1) - formula(p) == contribution`` as an
    identity in p, and (a) gives ``formula(p0) == count(p0)``.  The step rests
    on one assumption, recorded in the details: *the builder adds this same
    block for every p >= p0* (checked here for the p in the range; the
    builder's loop is the reason it holds beyond).  When the identity fails,
    the counts implied by the block are compared with the formula at the next
    `search` parameters; a disagreement is confirmed by building and counting
    (VIOLATED), else UNKNOWN.  Other metrics (width, distinct weights) are
    checked on the range only, as the certificate's claim says.

    Parameters
    ----------
    builder : callable int -> Network
    formulas : mapping
        Metric name (a field of :class:`~exactnet.metrics.Metrics`) to a sympy
        expression in `parameter` (built in code; never parsed from text).
    parameter : sympy.Symbol or str
        The parameter, or its name (then the formulas' free symbol of that
        name, so callers need not import sympy).
    params : range
        Consecutive parameters (step 1), at least two for the induction.
    claim : str
        What the formulas state, e.g. "Yarotsky 2017 f_m sizes".
    search : int
        How far past the range to look for a counterexample when a step fails.

    Returns
    -------
    Certificate
        Method ``"counted metrics + symbolic induction (sympy)"``.

    Examples
    --------
    >>> import sympy
    >>> from exactnet.constructions.yarotsky2017 import square_net
    >>> m = sympy.Symbol("m")
    >>> c = certify_size_formula(square_net, {"weights": 6*m - 1, "depth": m + 1},
    ...                          parameter=m, params=range(1, 5), claim="f_m sizes")
    >>> print(c.verdict.value, c.details["for_all"])
    holds ('weights', 'depth')
    >>> c = certify_size_formula(square_net, {"weights": 6*m}, parameter=m, params=range(1, 5),
    ...                          claim="f_m has 6m weights?")
    >>> print(c.verdict.value, c.witness)
    violated (mpq(1,1), mpq(5,1))
    """
    if not isinstance(params, range) or params.step != 1 or len(params) == 0:
        raise InvalidArgument(f"params must be a non-empty range of consecutive integers, got {params!r}")
    if isinstance(parameter, str):
        named = {v for f in formulas.values() if isinstance(f, sympy.Basic) for v in f.free_symbols
                 if str(v) == parameter}
        if len(named) > 1:
            raise InvalidArgument(f"several symbols are named {parameter!r}: {sorted(map(repr, named))}")
        parameter = named.pop() if named else sympy.Symbol(parameter)
    for name, expr in formulas.items():
        if not isinstance(expr, sympy.Basic):
            raise InvalidArgument(f"the formula for {name!r} must be a sympy expression, not {type(expr).__name__}")
        if expr.free_symbols - {parameter}:
            raise InvalidArgument(f"the formula for {name!r} has symbols other than {parameter}: {expr.free_symbols}")
    p0, p1 = params.start, params.stop - 1
    method = "counted metrics + symbolic induction (sympy)"

    def stated(p: int) -> dict[str, Q]:
        return {k: _to_q(sympy.simplify(f.subs(parameter, p)), f"the formula for {k} at {parameter} = {p}")
                for k, f in formulas.items()}

    rows = []
    nets = {}
    for p in params:
        nets[p] = builder(p)
        cert = certify_sizes(nets[p], stated(p), claim=claim, parameters={str(parameter): p})
        rows.append({"parameter": p, "sizes": cert.details["sizes"]})
        if cert.verdict is Verdict.VIOLATED:
            broken = cert.details["violated"]
            details = {"parameter": p, "violated": broken, "checked": rows, "versions": library_versions()}
            return Certificate(
                f"{claim}: formulas = counted metrics for {parameter} = {p0}..{p1}",
                Verdict.VIOLATED, cert.value, (q(p), cert.witness[0]), method, details,  # type: ignore[index]
            )
    inductive = [k for k in formulas if k in INDUCTIVE_METRICS]
    others = [k for k in formulas if k not in INDUCTIVE_METRICS]
    details: dict[str, Any] = {"checked": rows, "versions": library_versions()}
    proved: list[str] = []
    problems: list[str] = []
    if inductive and len(params) >= 2:
        steps = [_graph_step(nets[p], nets[p + 1]) for p in range(p0, p1)]
        first = steps[0]
        differ = [p0 + i for i, st in enumerate(steps) if not _same_block(first, st)]
        details["block"] = {
            "contribution": {k: first.delta[k] for k in inductive},
            "new_or_changed_nodes": first.signature.number_of_nodes(),
            "checked_steps": f"{p0}->{p0 + 1} .. {p1 - 1}->{p1}",
        }
        details["assumption"] = (
            f"for every {parameter} >= {p0}, builder({parameter} + 1) is builder({parameter}) changed by the "
            f"same block (the graph difference with nodes matched by name, up to isomorphism), as checked for "
            f"{parameter} = {p0}..{p1 - 1}"
        )
        if differ:
            problems.append(f"the block added at {parameter} = {differ[0]} differs from the one at {p0}")
        else:
            for k in inductive:
                c = first.delta[k]
                gap = sympy.simplify(formulas[k].subs(parameter, parameter + 1) - formulas[k] - c)
                if gap == 0:
                    proved.append(k)
                    continue
                # under the block assumption count(p) = count(p0) + c (p - p0): find where the formula leaves it
                start_count = q(metrics(nets[p0]).as_dict()[k])
                for p in range(p1 + 1, p1 + 1 + search):
                    want = stated(p)[k] if k in formulas else None
                    if want != start_count + c * (p - p0):
                        counted = q(metrics(builder(p)).as_dict()[k])
                        if counted != want:
                            details.update(parameter=p, violated=(k,), step_gap=str(gap))
                            return Certificate(
                                f"{claim}: {k} = {formulas[k]} for every {parameter} >= {p0}",
                                Verdict.VIOLATED, want, (q(p), counted), method, details,
                            )
                        problems.append(f"{k}: the count at {parameter} = {p} is {counted}, not the block's prediction")
                        break
                else:
                    problems.append(f"{k}: formula({parameter} + 1) - formula({parameter}) - {c} = {gap} != 0")
    elif inductive:
        problems.append("one parameter only: no step to check")
    details["for_all"] = tuple(proved)
    details["range_only"] = tuple(others)
    text = f"{claim}: " + "; ".join(
        part for part in (
            f"{', '.join(proved)} for every {parameter} >= {p0} (induction)" if proved else "",
            f"{', '.join([k for k in inductive if k not in proved] + others)} for {parameter} = {p0}..{p1}"
            if len(proved) < len(formulas) else "",
        ) if part
    )
    if problems:
        details["reason"] = "; ".join(problems)
        return Certificate(
            f"{claim}: {', '.join(inductive)} for every {parameter} >= {p0}", Verdict.UNKNOWN, None, None,
            method, details,
        )
    return Certificate(text, Verdict.HOLDS, None, None, method, details)
