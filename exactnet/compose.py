"""Graph algebra on networks: sequential composition, parallel stacking, affine
combinations, identity channels and depth alignment.

Every function returns a new validated :class:`~exactnet.network.Network`.
Hidden neurons of the result are renamed canonically: ``h{depth}_{i}`` with i
counting the neurons of that depth in topological order, so results are
deterministic and never clash.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

import networkx as nx

from exactnet.exceptions import InvalidArgument
from exactnet.network import Network
from exactnet.numbers import ONE, ZERO, Q, QLike, q

__all__ = [
    "sequential",
    "parallel",
    "affine_combination",
    "identity_net",
    "align_depth",
    "affine_net",
]


def _copy_into(g: nx.DiGraph, net: Network, prefix: str, input_map: Mapping[str, str]) -> dict[str, str]:
    """Add `net`'s neurons and edges to `g` (inputs replaced through `input_map`)."""
    name = dict(input_map)
    for n in net.neurons:
        name[n] = prefix + n
        g.add_node(name[n], bias=net.bias(n), act=net.activation(n))
    for u, v, w in net.edges():
        g.add_edge(name[u], name[v], weight=w)
    return name


def _finish(
    g: nx.DiGraph,
    inputs: Sequence[str],
    outputs: Sequence[str],
    metadata: Mapping[str, Any] | None,
    names: Sequence[str] | None = None,
) -> Network:
    """Drop zero-weight edges, rename hidden neurons canonically, validate.

    Output nodes are renamed to `names` where given (and not an input name).
    """
    if names is not None:
        ren = {
            o: n for o, n in zip(outputs, names) if o not in inputs and n not in inputs
        }
        if len(set(ren.values())) == len(ren) and not set(ren.values()) & (set(g) - set(ren)):
            g = nx.relabel_nodes(g, ren, copy=True)
            outputs = [ren.get(o, o) for o in outputs]
    zero = [(u, v) for u, v, w in g.edges(data="weight") if w == 0]
    g.remove_edges_from(zero)
    level: dict[str, int] = {}
    count: dict[int, int] = {}
    mapping: dict[str, str] = {}
    ins = set(inputs)
    outs = set(outputs)
    for n in nx.lexicographical_topological_sort(g):
        level[n] = 0 if n in ins else 1 + max((level[p] for p in g.predecessors(n)), default=0)
        if n in ins or n in outs:
            continue
        count[level[n]] = count.get(level[n], 0) + 1
        mapping[n] = f"h{level[n]}_{count[level[n]]}"
    # a hidden name could collide with an input or output name: give those a suffix
    taken = ins | outs
    for n, new in mapping.items():
        while new in taken:
            new = new + "'"
        mapping[n] = new
        taken.add(new)
    g = nx.relabel_nodes(g, mapping, copy=True)
    return Network.from_graph(g, list(inputs), list(outputs), metadata=metadata)


def sequential(first: Network, second: Network, *, merge: bool = True, metadata: Mapping[str, Any] | None = None) -> Network:
    """The composition ``second ∘ first``: first's outputs feed second's inputs.

    Parameters
    ----------
    first, second : Network
        ``len(first.outputs) == len(second.inputs)``.
    merge : bool, default True
        An identity output of `first` is folded into the next affine map, so
        the depth is ``depth(first) + depth(second) - 1`` (the papers'
        convention).  With ``merge=False``, or when an output of `first` is a
        ReLU, the outputs stay neurons and the depths add.

    Examples
    --------
    The tent map composed with itself is the sawtooth g_2 (depth 3, not 4):

    >>> from exactnet.evaluate import evaluate
    >>> g = Network.from_layers([[[1], [1]], [[2, -4]]], [[0, "-1/2"], [0]])
    >>> g2 = sequential(g, g)
    >>> print(*[evaluate(g2, x)[0] for x in ["0", "1/4", "3/8", "1/2"]])
    0 1 1/2 0
    >>> max(g2.depth_of(o) for o in g2.outputs)
    3
    """
    if len(first.outputs) != len(second.inputs):
        raise InvalidArgument(
            f"cannot compose: first has {len(first.outputs)} outputs, "
            f"second has {len(second.inputs)} inputs"
        )
    g = nx.DiGraph()
    g.add_nodes_from(first.inputs)
    a = _copy_into(g, first, "a.", {i: i for i in first.inputs})
    feed = dict(zip(second.inputs, (a[o] for o in first.outputs)))
    b = _copy_into(g, second, "b.", feed)
    # second's inputs are now first's output nodes; fold identity outputs away
    if merge:
        for o in set(first.outputs) - set(first.inputs):
            if first.activation(o) == "identity":
                _fold(g, a[o])
    missing = [o for o in second.outputs if b[o] not in g]
    if missing:
        raise InvalidArgument(
            f"output {missing[0]!r} of the second network is one of its inputs, fed by an "
            "identity output of the first that was folded away; compose with merge=False"
        )
    return _finish(
        g, first.inputs, [b[o] for o in second.outputs], metadata, second.outputs
    )


def parallel(*nets: Network, shared_inputs: bool = True, metadata: Mapping[str, Any] | None = None) -> Network:
    """Stack networks side by side; their outputs are concatenated.

    Parameters
    ----------
    *nets : Network
    shared_inputs : bool, default True
        If True all networks read the same inputs (they must have as many);
        else the inputs are concatenated too.

    Examples
    --------
    >>> from exactnet.evaluate import evaluate
    >>> g = Network.from_layers([[[1], [1]], [[2, -4]]], [[0, "-1/2"], [0]])
    >>> h = identity_net(1, 1)
    >>> P = parallel(g, h)
    >>> print(*evaluate(P, "1/4"))
    1/2 1/4
    """
    if not nets:
        raise InvalidArgument("parallel needs at least one network")
    g = nx.DiGraph()
    inputs: list[str] = []
    outputs: list[str] = []
    if shared_inputs:
        d = len(nets[0].inputs)
        for k, n in enumerate(nets):
            if len(n.inputs) != d:
                raise InvalidArgument(
                    f"network {k + 1} has {len(n.inputs)} inputs, network 1 has {d}"
                )
        inputs = list(nets[0].inputs)
        g.add_nodes_from(inputs)
    for k, n in enumerate(nets):
        if shared_inputs:
            imap = dict(zip(n.inputs, inputs))
        else:
            imap = {i: f"x{len(inputs) + j + 1}" for j, i in enumerate(n.inputs)}
            inputs.extend(imap[i] for i in n.inputs)
            g.add_nodes_from(imap.values())
        renamed = _copy_into(g, n, f"p{k}.", imap)
        outputs.extend(renamed[o] for o in n.outputs)
    names = [f"y{j + 1}" for j in range(len(outputs))]
    return _finish(g, inputs, outputs, metadata, names)


def affine_combination(
    terms: Sequence[tuple[QLike, Network]],
    constant: QLike | Sequence[QLike] = 0,
    *,
    metadata: Mapping[str, Any] | None = None,
) -> Network:
    """The network ``x -> sum_i c_i * N_i(x) + constant`` with rational c_i.

    All networks share the inputs and have the same number of outputs; identity
    outputs are merged into one output layer, so the depth is the largest depth
    among the terms.

    Examples
    --------
    >>> from exactnet.evaluate import evaluate
    >>> g = Network.from_layers([[[1], [1]], [[2, -4]]], [[0, "-1/2"], [0]])
    >>> x = identity_net(1, 1)
    >>> f1 = affine_combination([(1, x), ("-1/4", g)])   # Yarotsky's f_1
    >>> print(*[evaluate(f1, t)[0] for t in ["0", "1/2", "1"]])
    0 1/4 1
    """
    if not terms:
        raise InvalidArgument("affine_combination needs at least one term")
    nets = [n for _, n in terms]
    d, m = len(nets[0].inputs), len(nets[0].outputs)
    for k, n in enumerate(nets):
        if len(n.inputs) != d or len(n.outputs) != m:
            raise InvalidArgument(
                f"term {k + 1} has {len(n.inputs)} inputs and {len(n.outputs)} outputs; "
                f"term 1 has {d} and {m}"
            )
    consts = [q(c) for c in constant] if isinstance(constant, (list, tuple)) else [q(constant)] * m
    if len(consts) != m:
        raise InvalidArgument(f"{len(consts)} constants for {m} outputs")
    g = nx.DiGraph()
    inputs = list(nets[0].inputs)
    g.add_nodes_from(inputs)
    outs = [f"y{j + 1}" if f"y{j + 1}" not in inputs else f"out{j + 1}" for j in range(m)]
    for j in range(m):
        g.add_node(outs[j], bias=consts[j], act="identity")
    for k, (c, n) in enumerate(terms):
        cq = q(c)
        names = _copy_into(g, n, f"t{k}.", dict(zip(n.inputs, inputs)))
        for j, o in enumerate(n.outputs):
            node = names[o]
            _add_scaled(g, node, outs[j], cq)
    # fold identity neurons that only feed outputs
    for k, (_, n) in enumerate(terms):
        for o in n.outputs:
            node = f"t{k}." + o
            if node in g and g.nodes[node].get("act") == "identity" and set(g.successors(node)) <= set(outs):
                _fold(g, node)
    return _finish(g, inputs, outs, metadata)


def _add_scaled(g: nx.DiGraph, src: str, dst: str, c: Q) -> None:
    old = g.edges[src, dst]["weight"] if g.has_edge(src, dst) else ZERO
    g.add_edge(src, dst, weight=old + c)


def _fold(g: nx.DiGraph, node: str) -> None:
    """Remove an identity neuron, wiring its inputs straight to its successors."""
    preds = [(u, g.edges[u, node]["weight"]) for u in g.predecessors(node)]
    bias = g.nodes[node]["bias"]
    for v in list(g.successors(node)):
        w = g.edges[node, v]["weight"]
        g.nodes[v]["bias"] = g.nodes[v]["bias"] + w * bias
        for u, wu in preds:
            _add_scaled(g, u, v, w * wu)
    g.remove_node(node)


def identity_net(d: int, depth: int, *, nonnegative: bool = False) -> Network:
    """A network of the given depth that computes the identity on R^d.

    Each hidden layer carries x = relu(x) - relu(-x) (two ReLUs per channel),
    or x = relu(x) (one ReLU) when ``nonnegative=True``, which is exact only
    where x >= 0 is known.  Depth 1 is the identity layer with no ReLU.

    Examples
    --------
    >>> from exactnet.evaluate import evaluate
    >>> I = identity_net(1, 3)
    >>> print(evaluate(I, "-5/7")[0], len(I.neurons))
    -5/7 5
    >>> len(identity_net(1, 3, nonnegative=True).neurons)
    3
    """
    if d < 1 or depth < 1:
        raise InvalidArgument(f"identity_net needs d >= 1 and depth >= 1, got {d=}, {depth=}")
    inputs = [f"x{i + 1}" for i in range(d)] if d > 1 else ["x"]
    if depth == 1:
        W = [[ONE if i == j else ZERO for j in range(d)] for i in range(d)]
        return Network.from_layers([W], [[ZERO] * d], ["identity"], inputs=inputs)
    weights: list[list[list[Q]]] = []
    biases: list[list[Q]] = []
    if nonnegative:
        eye = [[ONE if i == j else ZERO for j in range(d)] for i in range(d)]
        weights = [eye] * depth
        biases = [[ZERO] * d] * depth
    else:
        first = []
        for i in range(d):
            first.append([ONE if j == i else ZERO for j in range(d)])
            first.append([-ONE if j == i else ZERO for j in range(d)])
        mid = []
        for i in range(2 * d):
            mid.append([ONE if j == i else ZERO for j in range(2 * d)])
        last = [[(ONE if j == 2 * i else -ONE if j == 2 * i + 1 else ZERO) for j in range(2 * d)] for i in range(d)]
        weights = [first] + [mid] * (depth - 2) + [last]
        biases = [[ZERO] * (2 * d)] * (depth - 1) + [[ZERO] * d]
    acts = ["relu"] * (depth - 1) + ["identity"]
    net = Network.from_layers(weights, biases, acts, inputs=inputs)
    zero_pruned = nx.DiGraph(net.graph)
    return _finish(zero_pruned, net.inputs, net.outputs, {"construction": "identity", "d": d, "depth": depth, "nonnegative": nonnegative})


def affine_net(weights: Sequence[Sequence[QLike]], bias: Sequence[QLike], *, inputs: Sequence[str] | None = None) -> Network:
    """The affine map x -> W x + b as a depth-1 network (no ReLU).

    Examples
    --------
    >>> from exactnet.evaluate import evaluate
    >>> A = affine_net([[1, "1/2"]], ["-1/4"])
    >>> print(evaluate(A, [1, 1])[0])
    5/4
    """
    return Network.from_layers([weights], [bias], ["identity"], inputs=inputs)


def align_depth(net: Network, depth: int, *, nonnegative: bool = False) -> Network:
    """Extend `net` to the given depth with identity channels after its outputs.

    The outputs must be identity nodes (or ``nonnegative=True``, where outputs
    are known to be >= 0 and one ReLU per channel suffices).

    Examples
    --------
    >>> from exactnet.evaluate import evaluate
    >>> g = Network.from_layers([[[1], [1]], [[2, -4]]], [[0, "-1/2"], [0]])
    >>> g4 = align_depth(g, 4, nonnegative=True)
    >>> max(g4.depth_of(o) for o in g4.outputs), str(evaluate(g4, "1/3")[0])
    (4, '2/3')
    """
    current = max(net.depth_of(o) for o in net.outputs)
    if depth < current:
        raise InvalidArgument(f"network depth {current} exceeds the requested {depth=}")
    if depth == current:
        return net
    # sequential folds an identity output into the next layer (one layer fewer) but
    # keeps a ReLU output as a layer of its own, so the extension is one layer
    # shorter when some output at the largest depth is a ReLU
    ins = set(net.inputs)
    base = max(
        net.depth_of(o) - (o not in ins and net.activation(o) == "identity")
        for o in net.outputs
    )
    ident = identity_net(len(net.outputs), depth - base, nonnegative=nonnegative)
    return sequential(net, ident, metadata=dict(net.metadata))
