"""The exactnet network file (JSON), version 1: read and write, both forms.

The format is specified in ``shared/spec/network-json.md``.  Every number in
the file is exact; a JSON number with a fraction part or exponent is read as
the decimal it spells.  :func:`load` and :func:`loads` report every error the
spec lists in one line that names the file and the field.  :func:`dump` writes
to a temporary file and renames it, so a failed write leaves nothing half
written.
"""

from __future__ import annotations

import json as _json
import os
from pathlib import Path
from typing import Any

import networkx as nx

from exactnet.exceptions import ExactnetError, InvalidNetworkError, NetworkFileError
from exactnet.io.files import write_atomic
from exactnet.network import ACTIVATIONS, Network, cycle_problem
from exactnet.numbers import Q, q

__all__ = ["load", "loads", "dump", "dumps", "to_dict", "from_dict", "FORMAT", "VERSION"]

FORMAT = "exactnet.network"
VERSION = 1


class _Reader:
    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, field: str, problem: str) -> NetworkFileError:
        where = f"{self.source}: " if self.source else ""
        return NetworkFileError(f"{where}{field}: {problem}")

    def number(self, value: object, field: str) -> Q:
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            raise self.fail(
                field,
                f"{value!r} is not an exact number; write an integer or a string such "
                'as "3/8", "-0.375" or "2^-5"',
            )
        try:
            return q(value)
        except ExactnetError as exc:
            raise self.fail(field, str(exc)) from None

    def names(self, value: object, field: str) -> list[str]:
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self.fail(field, "must be a list of non-empty strings")
        if len(set(value)) != len(value):
            raise self.fail(field, "lists a name twice")
        return value

    def obj(self, value: object, field: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(field, f"must be an object, got {type(value).__name__}")
        return value


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number in an exactnet file")


def loads(text: str, *, source: str = "") -> Network:
    """Read a network from the text of a network file.

    Parameters
    ----------
    text : str
    source : str, optional
        A name for error messages (the file name).

    Raises
    ------
    NetworkFileError
        One line naming the source, the field and the problem.

    Examples
    --------
    >>> N = loads('{"format": "exactnet.network", "version": 1, "layers": ['
    ...           '{"weights": [["1"]], "biases": ["1/3"], "activation": "relu"}]}')
    >>> N.inputs, N.outputs, str(N.bias("y1"))
    (('x1',), ('y1',), '1/3')
    >>> loads('{"format": "exactnet.network", "version": 2}', source="n.json")
    Traceback (most recent call last):
    ...
    exactnet.exceptions.NetworkFileError: n.json: version: unknown version 2; this exactnet reads version 1
    """
    try:
        data = _json.loads(text, parse_float=str, parse_constant=_reject_constant)
    except ValueError as exc:
        where = f"{source}: " if source else ""
        raise NetworkFileError(f"{where}not valid JSON: {exc}") from None
    return from_dict(data, source=source)


def from_dict(data: object, *, source: str = "") -> Network:
    """Build a network from a parsed network-file object (see :func:`loads`)."""
    r = _Reader(source)
    d = r.obj(data, "top level")
    if d.get("format") != FORMAT:
        raise r.fail("format", f"is {d.get('format')!r}; expected {FORMAT!r}")
    if isinstance(d.get("version"), bool) or d.get("version") != VERSION:
        raise r.fail("version", f"unknown version {d.get('version')!r}; this exactnet reads version {VERSION}")
    metadata = r.obj(d.get("metadata", {}), "metadata")
    has_layers, has_graph = "layers" in d, ("nodes" in d or "edges" in d)
    if has_layers == has_graph:
        raise r.fail("top level", "needs either 'layers' (layered form) or 'nodes' and 'edges' (graph form)")
    try:
        if has_layers:
            return _from_layered(d, r, metadata)
        return _from_graph(d, r, metadata)
    except InvalidNetworkError as exc:
        raise r.fail("network", str(exc)) from None


def _from_layered(d: dict[str, Any], r: _Reader, metadata: dict[str, Any]) -> Network:
    layers = d["layers"]
    if not isinstance(layers, list) or not layers:
        raise r.fail("layers", "must be a non-empty list")
    weights, biases, acts = [], [], []
    prev_width: int | None = None
    for i, layer in enumerate(layers):
        f = f"layers[{i}]"
        layer = r.obj(layer, f)
        W = layer.get("weights")
        if not isinstance(W, list) or not W or not all(isinstance(row, list) for row in W):
            raise r.fail(f"{f}.weights", "must be a non-empty matrix (a list of rows)")
        cols = {len(row) for row in W}
        if len(cols) != 1:
            raise r.fail(f"{f}.weights", f"rows have different lengths {sorted(cols)}")
        ncol = cols.pop()
        if prev_width is not None and ncol != prev_width:
            raise r.fail(
                f"{f}.weights",
                f"has {ncol} columns but the layer before has {prev_width} neurons",
            )
        inputs_decl = d.get("inputs")
        if i == 0 and isinstance(inputs_decl, list) and ncol != len(inputs_decl):
            raise r.fail(f"{f}.weights", f"has {ncol} columns but there are {len(inputs_decl)} inputs")
        b = layer.get("biases")
        if not isinstance(b, list) or len(b) != len(W):
            raise r.fail(f"{f}.biases", f"must be a list of {len(W)} numbers (one per row)")
        act = layer.get("activation")
        if act not in ACTIVATIONS:
            raise r.fail(f"{f}.activation", f"is {act!r}; expected 'relu' or 'identity'")
        weights.append([[r.number(v, f"{f}.weights[{a}][{c}]") for c, v in enumerate(row)] for a, row in enumerate(W)])
        biases.append([r.number(v, f"{f}.biases[{a}]") for a, v in enumerate(b)])
        acts.append(act)
        prev_width = len(W)
    d_in = len(weights[0][0])
    m = len(weights[-1])
    inputs = r.names(d["inputs"], "inputs") if "inputs" in d else [f"x{i + 1}" for i in range(d_in)]
    outputs = r.names(d["outputs"], "outputs") if "outputs" in d else [f"y{i + 1}" for i in range(m)]
    if len(outputs) != m:
        raise r.fail("outputs", f"names {len(outputs)} outputs but the last layer has {m} neurons")
    return Network.from_layers(weights, biases, acts, inputs=inputs, outputs=outputs, metadata=metadata)


def _from_graph(d: dict[str, Any], r: _Reader, metadata: dict[str, Any]) -> Network:
    for key in ("inputs", "nodes", "edges", "outputs"):
        if key not in d:
            raise r.fail(key, "is missing (the graph form needs inputs, nodes, edges and outputs)")
    inputs = r.names(d["inputs"], "inputs")
    outputs = d["outputs"]
    if not isinstance(outputs, list) or not all(isinstance(o, str) for o in outputs):
        raise r.fail("outputs", "must be a list of node ids")
    nodes, edges = d["nodes"], d["edges"]
    if not isinstance(nodes, list):
        raise r.fail("nodes", "must be a list")
    if not isinstance(edges, list):
        raise r.fail("edges", "must be a list")
    G = nx.DiGraph()
    G.add_nodes_from(inputs)
    for i, node in enumerate(nodes):
        f = f"nodes[{i}]"
        node = r.obj(node, f)
        nid = node.get("id")
        if not isinstance(nid, str) or not nid:
            raise r.fail(f"{f}.id", "must be a non-empty string")
        if nid in G:
            what = "an input" if nid in inputs else "another node"
            raise r.fail(f"{f}.id", f"duplicate node id {nid!r} (already {what})")
        act = node.get("activation")
        if act not in ACTIVATIONS:
            raise r.fail(f"{f}.activation", f"is {act!r}; expected 'relu' or 'identity'")
        if "bias" not in node:
            raise r.fail(f"{f}.bias", "is missing")
        G.add_node(nid, bias=r.number(node["bias"], f"{f}.bias"), act=act)
    for i, edge in enumerate(edges):
        f = f"edges[{i}]"
        edge = r.obj(edge, f)
        u, v = edge.get("from"), edge.get("to")
        for key, end in (("from", u), ("to", v)):
            if not isinstance(end, str) or end not in G:
                raise r.fail(f"{f}.{key}", f"{end!r} is not a node")
        if v in inputs:
            raise r.fail(f"{f}.to", f"input {v!r} cannot have an incoming edge")
        if G.has_edge(u, v):
            raise r.fail(f, f"duplicate edge {u} -> {v}")
        if "weight" not in edge:
            raise r.fail(f"{f}.weight", "is missing")
        G.add_edge(u, v, weight=r.number(edge["weight"], f"{f}.weight"))
    for j, o in enumerate(outputs):
        if o not in G:
            raise r.fail(f"outputs[{j}]", f"{o!r} is not a node")
    cycle = cycle_problem(G)
    if cycle:
        raise r.fail("edges", cycle)
    return Network.from_graph(G, inputs, outputs, metadata=metadata)


def load(path: str | os.PathLike[str]) -> Network:
    """Read a network file.

    Raises
    ------
    NetworkFileError
        If the file is missing or unreadable, or any error of :func:`loads`.
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise NetworkFileError(f"{p}: no such file") from None
    except IsADirectoryError:
        raise NetworkFileError(f"{p}: is a directory, not a network file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise NetworkFileError(f"{p}: cannot read: {exc}") from None
    return loads(text, source=str(p))


def to_dict(net: Network, *, form: str = "graph") -> dict[str, Any]:
    """The network-file object of `net` (numbers as exact strings).

    Parameters
    ----------
    form : {"graph", "layered"}
        The layered form needs a plain MLP (see :meth:`Network.layers`).

    Examples
    --------
    >>> from exactnet.constructions.yarotsky2017 import tent_net
    >>> to_dict(tent_net(), form="layered")["layers"][0]
    {'weights': [['1'], ['1']], 'biases': ['0', '-1/2'], 'activation': 'relu'}
    """
    out: dict[str, Any] = {"format": FORMAT, "version": VERSION, "inputs": list(net.inputs)}
    if form == "layered":
        layers = net.layers()
        if layers is None:
            raise NetworkFileError(
                "this network is not a plain layered MLP (it has skip connections or "
                "mixed activations in a layer); write the graph form"
            )
        out["layers"] = [
            {
                "weights": [[str(w) for w in row] for row in layer.weights],
                "biases": [str(b) for b in layer.biases],
                "activation": layer.activation,
            }
            for layer in layers
        ]
    elif form == "graph":
        out["nodes"] = [
            {"id": n, "activation": net.activation(n), "bias": str(net.bias(n))}
            for n in net.neurons
        ]
        out["edges"] = [{"from": u, "to": v, "weight": str(w)} for u, v, w in net.edges()]
    else:
        raise NetworkFileError(f"unknown form {form!r}; use 'graph' or 'layered'")
    out["outputs"] = list(net.outputs)
    if net.metadata:
        out["metadata"] = dict(net.metadata)
    return out


def dumps(net: Network, *, form: str = "graph") -> str:
    """The text of the network file (deterministic: the same network gives the same bytes).

    Examples
    --------
    >>> from exactnet.constructions.yarotsky2017 import tent_net
    >>> loads(dumps(tent_net())) == tent_net()
    True
    """
    return _json.dumps(to_dict(net, form=form), indent=1, ensure_ascii=False) + "\n"


def dump(net: Network, path: str | os.PathLike[str], *, form: str = "graph") -> None:
    """Write the network file atomically (temporary file, then rename)."""
    write_atomic(path, dumps(net, form=form))
