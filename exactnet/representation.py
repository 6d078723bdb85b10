"""Exact ReLU networks for continuous piecewise-linear functions (PWL -> network).

The inverse direction of :func:`exactnet.pwl.to_pwl`: given a continuous
piecewise-linear function f on [x_0, x_n], :func:`to_network` builds a
one-input, one-output ReLU network equal to f at every point of [x_0, x_n],
and :func:`representation_size` gives that network's size in the terms of
:mod:`exactnet.metrics`.
"""

from __future__ import annotations

from typing import Any, Sequence

import networkx as nx

from exactnet.exceptions import InvalidArgument
from exactnet.metrics import Metrics, metrics
from exactnet.network import Network
from exactnet.numbers import ONE, ZERO, Q, q
from exactnet.pwl import PiecewiseLinear

__all__ = ["FORMS", "to_network", "representation_size"]

FORMS = ("shallow", "deep")
"""The network shapes :func:`to_network` builds."""

_REFERENCES = {
    "shallow": "R. Arora, A. Basu, P. Mianjy, A. Mukherjee, 'Understanding deep neural "
    "networks with rectified linear units', ICLR 2018, Theorem 2.2, arXiv:1611.01491",
    "deep": "exactnet (width 2, depth = pieces); compare B. Hanin, 'Universal function "
    "approximation by deep neural nets with bounded width and ReLU activations', "
    "Mathematics 7(10), 992 (2019), arXiv:1708.02691",
}


def to_network(f: PiecewiseLinear, *, form: str = "shallow") -> Network:
    """A ReLU network equal to the continuous PWL function `f` on its domain.

    Let x_0 < x_1 < ... < x_n be the breakpoints of ``f.canonical()`` (n
    pieces), y_0 = f(x_0), s_i the slope on [x_(i-1), x_i] and
    c_i = s_(i+1) - s_i (i = 1..n-1) the slope changes, all nonzero.  Then on
    [x_0, x_n]

        f(x) = y_0 + s_1 relu(x - x_0) + sum_(i=1..n-1) c_i relu(x - x_i),

    where relu(x - x_0) = x - x_0 because x >= x_0 there.

    ``form="shallow"`` writes this identity as one hidden layer of ReLU
    neurons ``relu(x - x_i)``, one per nonzero term (n of them, or n - 1 when
    s_1 = 0), and an identity output.
    ``form="deep"`` computes the same sum term by term in a network of width
    2 and depth n (see Notes).

    Parameters
    ----------
    f : PiecewiseLinear
        Any continuous PWL function; it need not be canonical (collinear
        pieces are merged first, so the size depends only on the function).
    form : {"shallow", "deep"}
        The network shape, keyword only.

    Returns
    -------
    Network
        One input ``x1``, one output ``y1``, plain layers (see
        :meth:`Network.layers`).  It equals f on [x_0, x_n] only: for
        x < x_0 the shallow network is the constant y_0, for x > x_n it
        continues the last piece, and the deep network may differ from both
        outside the domain.  The metadata records the construction: ``form``,
        ``pieces``, ``domain`` and ``breakpoints`` (as ``"p/q"`` strings),
        ``valid_on`` and ``reference``; the deep form adds ``offset``.

    Raises
    ------
    InvalidArgument
        If `f` is not a :class:`PiecewiseLinear`, or `form` is unknown.
    InexactInputError
        If a breakpoint or value of `f` is a float.

    Examples
    --------
    The tent map 2x on [0, 1/2], 2 - 2x on [1/2, 1]: two pieces, so two
    neurons, 2 relu(x) - 4 relu(x - 1/2):

    >>> tent = PiecewiseLinear.from_points([(0, 0), ("1/2", 1), (1, 0)])
    >>> net = to_network(tent)
    >>> hidden, out = net.layers()
    >>> [str(w) for (w,) in hidden.weights], [str(b) for b in hidden.biases]
    (['1', '1'], ['0', '-1/2'])
    >>> [str(w) for w in out.weights[0]], [str(b) for b in out.biases]
    (['2', '-4'], ['0'])
    >>> from exactnet.evaluate import evaluate
    >>> print(evaluate(net, "1/4")[0], evaluate(net, "1/2")[0], evaluate(net, "7/8")[0])
    1/2 1 1/4
    >>> net.metadata["form"], net.metadata["pieces"], net.metadata["domain"]
    ('shallow', 2, ['0', '1'])

    The deep form of a four-piece zigzag has width 2 and depth 4:

    >>> zig = PiecewiseLinear.from_points([(0, 0), (1, 1), (2, 0), (3, 1), (4, 0)])
    >>> deep = to_network(zig, form="deep")
    >>> [len(layer.biases) for layer in deep.layers()]
    [2, 2, 2, 1]
    >>> [str(evaluate(deep, x)[0]) for x in (0, "1/2", 1, "5/2", 4)]
    ['0', '1/2', '1', '1/2', '0']
    >>> to_network(zig, form="wide")
    Traceback (most recent call last):
    ...
    exactnet.exceptions.InvalidArgument: form='wide' is not one of 'shallow', 'deep'

    Notes
    -----
    Shallow form: the network has depth 2, width n, n + 1 neurons and 2n
    weights (edges), when s_1 != 0.  When f starts flat (s_1 = 0) the term
    s_1 relu(x - x_0) vanishes and is left out: width n - 1, n neurons,
    2n - 2 weights, and a constant f is the network ``y1 = y_0`` (no edge, depth
    1, width 0), as is every f on a one-point domain (n = 0).  This is Arora et
    al. [1]_, Theorem 2.2 (a continuous PWL function R -> R with n pieces is a
    one-hidden-layer ReLU network with at most n neurons), in its one-sided
    form: on all of R the leading linear term needs care, while on
    [x_0, x_n] the single ReLU relu(x - x_0) is that term.

    Deep form (n >= 2; for n <= 1 it is the shallow network, already of width
    at most 2).  Write g_k = s_1 relu(x - x_0) + sum_(i<=k) c_i relu(x - x_i)
    for the partial sums (g_(n-1) = f - y_0) and M = -min_k min_[x_0, x_n] g_k
    >= 0.  Hidden layer k = 1..n-1 holds two ReLU neurons

        R_k = relu(x - x_k) = relu(R_(k-1) - (x_k - x_(k-1)))  (R_0 = x),
        A_(k-1) = g_(k-1) + M = relu(A_(k-2) + c_(k-1) R_(k-1))

    (A_0 = relu(s_1 (x - x_0) + M) in layer 1) and the identity output is
    y = A_(n-2) + c_(n-1) R_(n-1) + y_0 - M.  The first recursion holds on
    all of R because x_k - x_(k-1) > 0; the second because g_k + M >= 0 on
    the domain, so the ReLU acts as the identity there.  The minimum of g_k is
    exact: g_k equals f - y_0 on [x_0, x_(k+1)] and is linear on
    [x_k, x_n], so it is attained at a breakpoint of f or at x_n.  Size: depth
    n, width 2, 2n - 1 neurons, 3n - 2 weights.  When f starts flat
    (s_1 = 0), A_0 is the constant M, folded into the bias of A_1: 2n - 2
    neurons and 3n - 4 weights (and for n = 2 the shallow network, of width
    1).  The same trade of width for depth, carrying the input and a running
    sum through narrow layers, is the theme of Hanin [2]_; the construction
    here is exactnet's own.

    References
    ----------
    .. [1] R. Arora, A. Basu, P. Mianjy, A. Mukherjee, "Understanding deep
       neural networks with rectified linear units", ICLR 2018, Theorem 2.2,
       arXiv:1611.01491.
    .. [2] B. Hanin, "Universal function approximation by deep neural nets
       with bounded width and ReLU activations", Mathematics 7(10), 992
       (2019), arXiv:1708.02691.
    """
    if not isinstance(f, PiecewiseLinear):
        raise InvalidArgument(
            f"to_network needs a PiecewiseLinear, got {type(f).__name__}; "
            "build one with PiecewiseLinear.from_points or exactnet.pwl.to_pwl"
        )
    if form not in FORMS:
        raise InvalidArgument(f"{form=} is not one of 'shallow', 'deep'")
    # through the gate: PiecewiseLinear(...) itself does not convert, and int
    # breakpoints would make its slopes floats (int / int)
    exact = PiecewiseLinear(tuple(q(x) for x in f.xs), tuple(q(y) for y in f.ys))
    g = exact.canonical()
    xs, ys = g.xs, g.ys
    n = g.pieces
    meta: dict[str, Any] = {
        "name": f"to_network ({form}, {n} pieces)",
        "construction": "exactnet.representation.to_network",
        "form": form,
        "pieces": n,
        "domain": [str(xs[0]), str(xs[-1])],
        "breakpoints": [str(x) for x in xs],
        "valid_on": "the domain only",
        "reference": _REFERENCES[form],
    }
    if n == 0:
        net = _layered([[[ZERO]]], [[ys[0]]], ["identity"])
    elif form == "shallow" or n == 1:
        net = _shallow(xs, ys, g.slopes)
    else:
        net, offset = _deep(xs, ys, g.slopes)
        meta["offset"] = str(offset)
    return net.with_metadata(**meta)


def _shallow(xs: tuple[Q, ...], ys: tuple[Q, ...], slopes: tuple[Q, ...]) -> Network:
    """One hidden layer: y = y_0 + s_1 relu(x - x_0) + sum c_i relu(x - x_i)."""
    n = len(slopes)
    terms = [(xs[0], slopes[0])]
    terms += [(xs[i], slopes[i] - slopes[i - 1]) for i in range(1, n)]
    # canonical: every c_i != 0, so only the leading term can vanish (f starts flat)
    terms = [(x, c) for x, c in terms if c != 0]
    if not terms:
        return _layered([[[ZERO]]], [[ys[0]]], ["identity"])
    return _layered(
        [[[ONE]] * len(terms), [[c for _, c in terms]]],
        [[-x for x, _ in terms], [ys[0]]],
        ["relu", "identity"],
    )


def _deep(
    xs: tuple[Q, ...], ys: tuple[Q, ...], slopes: tuple[Q, ...]
) -> tuple[Network, Q]:
    """Width 2, depth n (n >= 2 pieces): see the Notes of :func:`to_network`."""
    n = len(slopes)
    x0, y0, xn = xs[0], ys[0], xs[-1]
    # change[k] = c_k, the slope change at x_k
    change = [ZERO] + [slopes[k] - slopes[k - 1] for k in range(1, n)]
    # min over the domain of g_k (k = 0..n-2): the prefix minimum of f - y_0 over
    # x_0..x_k, and the end x_n of the last, linear piece of g_k (slope s_(k+1))
    lowest = ZERO
    prefix = ZERO
    for k in range(n - 1):
        prefix = min(prefix, ys[k] - y0)
        lowest = min(lowest, prefix, ys[k] - y0 + slopes[k] * (xn - xs[k]))
    offset = -lowest
    # A_0 = s_1 relu(x - x_0) + M; when s_1 = 0 it is the constant M, folded into the
    # bias of A_1 instead of being a neuron of its own
    lead = slopes[0] != 0
    W: list[list[list[Q]]] = [[[ONE]] + ([[slopes[0]]] if lead else [])]
    B: list[list[Q]] = [[-xs[1]] + ([-slopes[0] * x0 + offset] if lead else [])]
    for k in range(2, n):
        # [R_(k-1), A_(k-2)] -> [R_k = relu(R_(k-1) - (x_k - x_(k-1))),
        #                        A_(k-1) = relu(A_(k-2) + c_(k-1) R_(k-1))]
        if k == 2 and not lead:
            W.append([[ONE], [change[1]]])
            B.append([-(xs[2] - xs[1]), offset])
        else:
            W.append([[ONE, ZERO], [change[k - 1], ONE]])
            B.append([-(xs[k] - xs[k - 1]), ZERO])
    if n == 2 and not lead:
        W.append([[change[1]]])
        B.append([y0])
    else:
        W.append([[change[n - 1], ONE]])
        B.append([y0 - offset])
    acts = ["relu"] * (n - 1) + ["identity"]
    return _layered(W, B, acts), offset


def _layered(
    weights: Sequence[Sequence[Sequence[Q]]],
    biases: Sequence[Sequence[Q]],
    activations: Sequence[str],
) -> Network:
    """As ``Network.from_layers`` (same node names), without the zero-weight edges.

    A zero weight is no connection; leaving it out keeps the edge and weight
    counts of :mod:`exactnet.metrics` equal to the closed forms.
    """
    G = nx.DiGraph()
    G.add_node("x1")
    prev = ["x1"]
    last = len(weights)
    for l, (W, b, act) in enumerate(zip(weights, biases, activations), start=1):
        names = ["y1"] if l == last else [f"h{l}_{i + 1}" for i in range(len(W))]
        for name, row, bias in zip(names, W, b):
            G.add_node(name, bias=bias, act=act)
            for src, w in zip(prev, row):
                if w != 0:
                    G.add_edge(src, name, weight=w)
        prev = names
    return Network.from_graph(G, ["x1"], ["y1"])


def representation_size(f: PiecewiseLinear, *, form: str = "shallow") -> Metrics:
    """The size metrics of ``to_network(f, form=form)``.

    A shorthand for ``metrics(to_network(f, form=form))``; see
    :func:`exactnet.metrics.metrics` for the definitions and
    :func:`to_network` (Notes) for the closed forms in the number n of
    canonical pieces: depth 2, width n, n + 1 neurons for the shallow form
    (Arora et al., Theorem 2.2: width n suffices for n pieces; width n - 1
    when f starts flat); depth n, width 2, 2n - 1 neurons for the deep form
    (n >= 2).

    Parameters
    ----------
    f : PiecewiseLinear
    form : {"shallow", "deep"}

    Returns
    -------
    Metrics

    Raises
    ------
    InvalidArgument
        As :func:`to_network`.

    Examples
    --------
    >>> saw = PiecewiseLinear.from_points([(0, 0), (1, 1), (2, 0), (3, 1), (4, 0)])
    >>> m = representation_size(saw)
    >>> m.depth, m.width, m.neurons, m.weights
    (2, 4, 5, 8)
    >>> m = representation_size(saw, form="deep")
    >>> m.depth, m.width, m.neurons, m.weights
    (4, 2, 7, 10)
    """
    return metrics(to_network(f, form=form))
