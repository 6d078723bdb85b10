"""Network: an immutable, validated ReLU network over a networkx DiGraph.

Every non-input node computes ``act(bias + sum(weight * source))`` with
``act`` either ``"relu"`` or ``"identity"``.  Weights live on edges, bias and
activation on nodes; inputs and outputs are ordered.  Any DAG is allowed
(skip connections included).  All numbers are exact (``Q``).
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from typing import Any, Hashable, Iterable, Mapping, Sequence

import networkx as nx

from exactnet.exceptions import ExactnetError, InvalidNetworkError
from exactnet.numbers import Q, ZERO, q

__all__ = ["ACTIVATIONS", "Network", "Layer"]

ACTIVATIONS = ("relu", "identity")
"""The activations exactnet models."""


@dataclass(frozen=True, slots=True)
class Layer:
    """One affine layer of a plain multilayer perceptron: ``act(W x + b)``."""

    weights: tuple[tuple[Q, ...], ...]
    biases: tuple[Q, ...]
    activation: str


def _exact(value: object, where: str, problems: list[str]) -> Q | None:
    if value is None:
        problems.append(f"{where} is missing")
        return None
    try:
        return q(value)
    except ExactnetError as exc:
        problems.append(f"{where} is not exact: {exc}")
        return None


class Network:
    """An immutable, validated ReLU network (a networkx DiGraph inside).

    Build one with :meth:`from_layers` or :meth:`from_graph`; both validate and
    report *every* problem at once in an :class:`InvalidNetworkError`.

    Attributes
    ----------
    inputs, outputs : tuple of str
        Ordered input and output node ids.
    metadata : Mapping
        A free JSON-like mapping (construction name, parameters, paper).

    Examples
    --------
    The tent map g(x) = 2 relu(x) - 4 relu(x - 1/2):

    >>> g = Network.from_layers([[[1], [1]], [[2, -4]]], [[0, "-1/2"], [0]])
    >>> g.inputs, g.outputs, len(g.neurons)
    (('x1',), ('y1',), 3)
    >>> print(g.bias("h1_2"), g.weight("h1_2", "y1"))
    -1/2 -4
    """

    __slots__ = ("_graph", "inputs", "outputs", "metadata", "_cache")

    _graph: nx.DiGraph
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    metadata: Mapping[str, Any]
    _cache: dict[str, Any]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("build a Network with Network.from_layers or Network.from_graph")

    # -- factories -------------------------------------------------------------

    @classmethod
    def from_graph(
        cls,
        graph: nx.DiGraph,
        inputs: Sequence[Hashable],
        outputs: Sequence[Hashable],
        *,
        metadata: Mapping[str, Any] | None = None,
    ) -> "Network":
        """Validate a DiGraph and freeze it into a Network.

        Parameters
        ----------
        graph : networkx.DiGraph
            Edge attribute ``weight``; node attributes ``bias`` and ``act``
            (``"relu"`` or ``"identity"``) on every non-input node.  Node ids are
            turned into strings.
        inputs, outputs : sequence of node ids
            In order.
        metadata : mapping, optional
            JSON-serialisable information kept with the network.

        Raises
        ------
        InvalidNetworkError
            Listing every problem: a cycle, an unknown node, a missing or inexact
            weight or bias, an unknown activation, an input with an incoming edge.

        Examples
        --------
        >>> G = nx.DiGraph()
        >>> G.add_node("h", bias=0, act="relu"); G.add_node("y", bias=0, act="identity")
        >>> G.add_edge("x", "h", weight=1); G.add_edge("h", "y", weight=2)
        >>> G.add_edge("x", "y", weight="-1/2")   # a skip connection
        >>> N = Network.from_graph(G, ["x"], ["y"])
        >>> N.depth_of("y")
        2
        >>> Network.from_graph(G, ["x"], ["z"])
        Traceback (most recent call last):
        ...
        exactnet.exceptions.InvalidNetworkError: output 'z' is not a node
        """
        problems: list[str] = []
        names: dict[Hashable, str] = {}
        for n in graph.nodes:
            s = str(n)
            if s in names.values():
                problems.append(f"two nodes are both named {s!r}")
            names[n] = s
        ins = [str(n) for n in inputs]
        outs = [str(n) for n in outputs]
        node_ids = set(names.values())
        g = nx.DiGraph()
        g.add_nodes_from(node_ids)
        seen_in: set[str] = set()
        for name in ins:
            if name in seen_in:
                problems.append(f"input {name!r} is listed twice")
            seen_in.add(name)
            if name not in node_ids:
                problems.append(f"input {name!r} is not a node")
        for name in outs:
            if name not in node_ids:
                problems.append(f"output {name!r} is not a node")
        if len(set(outs)) != len(outs):
            problems.append("an output is listed twice")
        for u, v, data in graph.edges(data=True):
            su, sv = names[u], names[v]
            w = _exact(data.get("weight"), f"weight of edge {su}->{sv}", problems)
            if w is not None:
                g.add_edge(su, sv, weight=w)
            else:
                g.add_edge(su, sv, weight=ZERO)
        for n, data in graph.nodes(data=True):
            s = names[n]
            if s in seen_in:
                if graph.in_degree(n):
                    problems.append(f"input {s!r} has an incoming edge")
                if data.get("bias") is not None:
                    problems.append(f"input {s!r} has a bias")
                continue
            act = data.get("act", data.get("activation"))
            if act not in ACTIVATIONS:
                if act is None:
                    problems.append(f"activation of node {s!r} is missing")
                else:
                    problems.append(
                        f"activation of node {s!r} is {act!r}; known: relu, identity"
                    )
                act = "identity"
            b = _exact(data.get("bias"), f"bias of node {s!r}", problems)
            g.nodes[s]["bias"] = b if b is not None else ZERO
            g.nodes[s]["act"] = act
        cycle = cycle_problem(g)
        if cycle:
            problems.append(cycle)
        if problems:
            raise InvalidNetworkError(problems)
        return cls._make(g, tuple(ins), tuple(outs), metadata)

    @classmethod
    def from_layers(
        cls,
        weights: Sequence[Sequence[Sequence[object]]],
        biases: Sequence[Sequence[object]],
        activations: Sequence[str] | None = None,
        *,
        inputs: Sequence[str] | None = None,
        outputs: Sequence[str] | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> "Network":
        """Build a plain multilayer perceptron from weight matrices.

        Parameters
        ----------
        weights : list of matrices
            ``weights[l][i][j]`` is the weight from neuron j of layer l-1 (the
            inputs for l = 0) to neuron i of layer l.
        biases : list of vectors
            One per layer.
        activations : list of str, optional
            One per layer; default relu for hidden layers and identity for the last.
        inputs, outputs : list of str, optional
            Names; default ``x1..xd`` and ``y1..ym``.  Hidden neuron i (1-based) of
            layer l is called ``h{l}_{i}``.

        Raises
        ------
        InvalidNetworkError
            On every shape mismatch and inexact number, all reported at once.

        Examples
        --------
        >>> N = Network.from_layers([[[1, -1]]], [["1/2"]], ["relu"], inputs=["a", "b"])
        >>> N.inputs, N.outputs
        (('a', 'b'), ('y1',))
        >>> Network.from_layers([[[1, 2]], [[1], [1]]], [[0], [0]])
        Traceback (most recent call last):
        ...
        exactnet.exceptions.InvalidNetworkError: layer 2 has 2 rows but 1 biases
        """
        problems: list[str] = []
        L = len(weights)
        if L == 0:
            raise InvalidNetworkError("a network needs at least one layer")
        if len(biases) != L:
            problems.append(f"{L} weight matrices but {len(biases)} bias vectors")
        acts = list(activations) if activations is not None else ["relu"] * (L - 1) + ["identity"]
        if len(acts) != L:
            problems.append(f"{L} weight matrices but {len(acts)} activations")
        d = len(weights[0][0]) if weights[0] and len(weights[0][0]) else 0
        if d == 0:
            problems.append("layer 1 has no columns (no inputs)")
        in_names = list(inputs) if inputs is not None else [f"x{i + 1}" for i in range(d)]
        if len(in_names) != d:
            problems.append(f"{len(in_names)} input names for {d} inputs")
        m = len(weights[-1])
        out_names = list(outputs) if outputs is not None else [f"y{i + 1}" for i in range(m)]
        if len(out_names) != m:
            problems.append(f"{len(out_names)} output names for {m} outputs")
        if problems:
            raise InvalidNetworkError(problems)
        g = nx.DiGraph()
        g.add_nodes_from(in_names)
        prev = in_names
        for l, W in enumerate(weights, start=1):
            rows = len(W)
            b = biases[l - 1]
            if len(b) != rows:
                problems.append(f"layer {l} has {rows} rows but {len(b)} biases")
            names = out_names if l == L else [f"h{l}_{i + 1}" for i in range(rows)]
            act = acts[l - 1]
            if act not in ACTIVATIONS:
                problems.append(f"activation of layer {l} is {act!r}; known: relu, identity")
            for i, row in enumerate(W):
                if len(row) != len(prev):
                    problems.append(
                        f"layer {l} row {i + 1} has {len(row)} entries, "
                        f"expected {len(prev)} (the width of the layer before)"
                    )
                    continue
                if i >= len(b):
                    continue  # already reported as a shape mismatch
                bias = _exact(b[i], f"bias {i + 1} of layer {l}", problems)
                g.add_node(names[i], bias=bias if bias is not None else ZERO, act=act)
                for j, w in enumerate(row):
                    wq = _exact(w, f"weight [{i + 1}][{j + 1}] of layer {l}", problems)
                    g.add_edge(prev[j], names[i], weight=wq if wq is not None else ZERO)
            prev = names
        if not problems and g.number_of_nodes() != len(in_names) + sum(map(len, weights)):
            problems.append("a name is used twice among inputs, hidden neurons and outputs")
        if problems:
            raise InvalidNetworkError(problems)
        return cls._make(g, tuple(in_names), tuple(out_names), metadata)

    @classmethod
    def _make(
        cls,
        g: nx.DiGraph,
        inputs: tuple[str, ...],
        outputs: tuple[str, ...],
        metadata: Mapping[str, Any] | None,
    ) -> "Network":
        self = object.__new__(cls)
        meta = copy.deepcopy(dict(metadata or {}))
        try:
            json.dumps(meta)
        except (TypeError, ValueError) as exc:
            raise InvalidNetworkError(f"metadata is not JSON-serialisable: {exc}") from None
        object.__setattr__(self, "_graph", nx.freeze(g))
        object.__setattr__(self, "inputs", inputs)
        object.__setattr__(self, "outputs", outputs)
        object.__setattr__(self, "metadata", _FrozenDict(meta))
        object.__setattr__(self, "_cache", {})
        return self

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Network is immutable; build a new one")

    def with_metadata(self, **items: Any) -> "Network":
        """A copy with `items` merged into the metadata.

        Examples
        --------
        >>> N = Network.from_layers([[[1]]], [[0]]).with_metadata(name="id")
        >>> N.metadata["name"]
        'id'
        """
        meta = dict(self.metadata)
        meta.update(items)
        return Network._make(nx.DiGraph(self._graph), self.inputs, self.outputs, meta)

    # -- read access -------------------------------------------------------------

    @property
    def graph(self) -> nx.DiGraph:
        """A frozen view of the graph (mutating it raises)."""
        return self._graph

    @property
    def nodes(self) -> tuple[str, ...]:
        """All node ids in a deterministic topological order."""
        return self._topo()[0]

    @property
    def neurons(self) -> tuple[str, ...]:
        """The non-input nodes, in topological order."""
        ins = set(self.inputs)
        return tuple(n for n in self.nodes if n not in ins)

    def bias(self, node: str) -> Q:
        """The bias of a non-input node."""
        return self._graph.nodes[node]["bias"]  # type: ignore[no-any-return]

    def activation(self, node: str) -> str:
        """``"relu"`` or ``"identity"``."""
        return self._graph.nodes[node]["act"]  # type: ignore[no-any-return]

    def weight(self, src: str, dst: str) -> Q:
        """The weight of edge src -> dst."""
        return self._graph.edges[src, dst]["weight"]  # type: ignore[no-any-return]

    def predecessors(self, node: str) -> tuple[tuple[str, Q], ...]:
        """The incoming edges of `node` as (source, weight), sorted by source."""
        preds = self._cache.get("preds")
        if preds is None:
            g = self._graph
            preds = {
                n: tuple(sorted((u, g.edges[u, n]["weight"]) for u in g.predecessors(n)))
                for n in g.nodes
            }
            self._cache["preds"] = preds
        return preds[node]  # type: ignore[no-any-return]

    def depth_of(self, node: str) -> int:
        """Affine layers on the longest path from an input to `node` (0 for inputs)."""
        return self._topo()[1][node]  # type: ignore[no-any-return]

    def edges(self) -> tuple[tuple[str, str, Q], ...]:
        """All edges (source, target, weight), sorted."""
        return tuple(sorted((u, v, w) for u, v, w in self._graph.edges(data="weight")))

    def _topo(self) -> tuple[tuple[str, ...], dict[str, int]]:
        t = self._cache.get("topo")
        if t is None:
            g = self._graph
            order = tuple(nx.lexicographical_topological_sort(g))
            level: dict[str, int] = {}
            for n in order:
                ps = list(g.predecessors(n))
                if n in self.inputs:
                    level[n] = 0
                else:
                    level[n] = 1 + max((level[p] for p in ps), default=0)
            t = (order, level)
            self._cache["topo"] = t
        return t  # type: ignore[no-any-return]

    def layers(self) -> tuple[Layer, ...] | None:
        """The layers if the network is a plain MLP, else None.

        A plain MLP: nodes at depth l take inputs only from depth l - 1, and the
        outputs are exactly the nodes of the last depth.  Hidden neurons are
        ordered by name with numbers compared as numbers (``h1_2`` before
        ``h1_10``), outputs as in :attr:`outputs`.

        Examples
        --------
        >>> N = Network.from_layers([[[1], [1]], [[2, -4]]], [[0, "-1/2"], [0]])
        >>> [len(layer.weights) for layer in N.layers()]
        [2, 1]
        """
        cached = self._cache.get("layers", False)
        if cached is not False:
            return cached  # type: ignore[no-any-return]
        result = self._compute_layers()
        self._cache["layers"] = result
        return result

    def _compute_layers(self) -> tuple[Layer, ...] | None:
        levels: dict[int, list[str]] = {}
        for n in self.nodes:
            levels.setdefault(self.depth_of(n), []).append(n)
        depth = max(levels)
        if depth == 0 or sorted(levels.get(0, [])) != sorted(self.inputs):
            return None
        if sorted(levels[depth]) != sorted(self.outputs) or len(self.outputs) != len(levels[depth]):
            return None
        prev = list(self.inputs)
        result = []
        for l in range(1, depth + 1):
            # natural order (h1_2 before h1_10), the order from_layers names neurons in,
            # so that writing and reading the layered form gives back the same network
            names = list(self.outputs) if l == depth else sorted(levels[l], key=_natural_key)
            acts = {self.activation(n) for n in names}
            if len(acts) != 1:
                return None
            W = []
            for n in names:
                row = dict(self.predecessors(n))
                if any(self.depth_of(p) != l - 1 for p in row):
                    return None
                W.append(tuple(row.get(p, ZERO) for p in prev))
            result.append(
                Layer(tuple(W), tuple(self.bias(n) for n in names), acts.pop())
            )
            prev = names
        return tuple(result)

    # -- value semantics ---------------------------------------------------------

    def _key(self) -> tuple[Any, ...]:
        k = self._cache.get("key")
        if k is None:
            g = self._graph
            nodes = tuple(
                sorted((n, g.nodes[n].get("bias"), g.nodes[n].get("act")) for n in g.nodes)
            )
            k = (self.inputs, self.outputs, nodes, self.edges())
            self._cache["key"] = k
        return k  # type: ignore[no-any-return]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Network):
            return NotImplemented
        return self._key() == other._key() and dict(self.metadata) == dict(other.metadata)

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        name = self.metadata.get("name")
        label = f" {name!r}" if name else ""
        return (
            f"<Network{label}: {len(self.inputs)} inputs, {len(self.outputs)} outputs, "
            f"{len(self.neurons)} neurons, {self._graph.number_of_edges()} edges>"
        )

    def __reduce__(self) -> Any:
        raise TypeError("Networks are not pickled; use exactnet.io.json.dump")


def cycle_problem(g: nx.DiGraph) -> str | None:
    """"the graph has a cycle: a -> b -> a" for a cyclic graph, None for a DAG."""
    if nx.is_directed_acyclic_graph(g):
        return None
    cycle = nx.find_cycle(g)
    return "the graph has a cycle: " + " -> ".join([u for u, _ in cycle] + [cycle[0][0]])


def _natural_key(name: str) -> tuple[Any, ...]:
    """Sort key comparing runs of digits as numbers: ``h1_2`` < ``h1_10``."""
    return tuple(int(t) if i % 2 else t for i, t in enumerate(re.split(r"(\d+)", name)))


class _FrozenDict(dict):  # type: ignore[type-arg]
    """A dict that refuses mutation (metadata of a frozen Network)."""

    def _refuse(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("network metadata is immutable; use Network.with_metadata")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _refuse  # type: ignore[assignment]

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, Any]:
        return copy.deepcopy(dict(self), memo)


