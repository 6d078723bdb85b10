"""exactnet.io.json: the network file, both forms; round trips and every error the spec lists.

``BAD_FILES`` is shared with ``tests/test_cli.py``, which feeds the same files to
``exactnet info`` and ``exactnet eval``.
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from exactnet.exceptions import NetworkFileError
from exactnet.io.json import FORMAT, VERSION, dump, dumps, from_dict, load, loads, to_dict
from exactnet.network import Network
from exactnet.numbers import Q

from tests.strategies import dag_networks, fraction_eval, json_metadata, layered_networks, networks

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

HEAD: dict[str, Any] = {"format": FORMAT, "version": VERSION}

# the two examples of shared/spec/network-json.md, verbatim
SPEC_LAYERED = """{
  "format": "exactnet.network",
  "version": 1,
  "inputs": ["x"],
  "layers": [
    {"weights": [["1"], ["1"]], "biases": ["0", "-1/2"], "activation": "relu"},
    {"weights": [["2", "-4"]], "biases": ["0"], "activation": "identity"}
  ],
  "outputs": ["y"]
}"""
SPEC_GRAPH = """{
  "format": "exactnet.network",
  "version": 1,
  "inputs": ["x"],
  "nodes": [
    {"id": "a", "activation": "relu", "bias": "0"},
    {"id": "b", "activation": "relu", "bias": "-1/2"},
    {"id": "y", "activation": "identity", "bias": "0"}
  ],
  "edges": [
    {"from": "x", "to": "a", "weight": "1"},
    {"from": "x", "to": "b", "weight": "1"},
    {"from": "a", "to": "y", "weight": "2"},
    {"from": "b", "to": "y", "weight": "-4"}
  ],
  "outputs": ["y"]
}"""


def layered(*layers: dict[str, Any], **extra: Any) -> str:
    return json.dumps({**HEAD, **extra, "layers": list(layers)})


def layer(weights: Any, biases: Any, activation: str = "identity") -> dict[str, Any]:
    return {"weights": weights, "biases": biases, "activation": activation}


def graph(nodes: list[Any], edges: list[Any], inputs: Any = ("x",), outputs: Any = ("y",), **extra: Any) -> str:
    return json.dumps({**HEAD, **extra, "inputs": list(inputs), "nodes": nodes, "edges": edges, "outputs": list(outputs)})


def node(nid: str, bias: Any = "0", activation: str = "relu") -> dict[str, Any]:
    return {"id": nid, "activation": activation, "bias": bias}


def edge(u: str, v: str, w: Any = "1") -> dict[str, Any]:
    return {"from": u, "to": v, "weight": w}


OK_NODES = [node("h"), node("y", activation="identity")]
OK_EDGES = [edge("x", "h"), edge("h", "y")]

# (id, file text, a fragment the one-line message must contain)
BAD_FILES: list[tuple[str, str, str]] = [
    # spec: a cycle
    ("cycle", graph([node("a"), node("y")], [edge("x", "a"), edge("a", "y"), edge("y", "a")]),
     "edges: the graph has a cycle"),
    # spec: an edge from or to an unknown node
    ("edge-from-unknown", graph(OK_NODES, [*OK_EDGES, edge("q", "y")]), "edges[2].from: 'q' is not a node"),
    ("edge-to-unknown", graph(OK_NODES, [*OK_EDGES, edge("h", "q")]), "edges[2].to: 'q' is not a node"),
    # spec: a duplicate node id or edge
    ("duplicate-node", graph([*OK_NODES, node("h")], OK_EDGES), "nodes[2].id: duplicate node id 'h' (already another node)"),
    ("node-named-like-input", graph([node("x"), *OK_NODES], OK_EDGES), "nodes[0].id: duplicate node id 'x' (already an input)"),
    ("duplicate-edge", graph(OK_NODES, [*OK_EDGES, edge("x", "h", "2")]), "edges[2]: duplicate edge x -> h"),
    # spec: an output that is not a node
    ("output-not-a-node", graph(OK_NODES, OK_EDGES, outputs=["y", "z"]), "outputs[1]: 'z' is not a node"),
    # spec: an input with an incoming edge
    ("input-incoming-edge", graph(OK_NODES, [*OK_EDGES, edge("h", "x")]), "edges[2].to: input 'x' cannot have an incoming edge"),
    # spec: a matrix whose shape does not fit
    ("columns-vs-layer-before", layered(layer([[1], [1]], [0, 0], "relu"), layer([[1, 1, 1]], [0])),
     "layers[1].weights: has 3 columns but the layer before has 2 neurons"),
    ("ragged-rows", layered(layer([[1, 2], [1]], [0, 0])), "layers[0].weights: rows have different lengths [1, 2]"),
    ("bias-count", layered(layer([[1], [1]], [0])), "layers[0].biases: must be a list of 2 numbers (one per row)"),
    ("columns-vs-inputs", layered(layer([[1]], [0]), inputs=["a", "b"]), "layers[0].weights: has 1 columns but there are 2 inputs"),
    ("output-names-vs-rows", layered(layer([[1]], [0]), outputs=["p", "q"]), "outputs: names 2 outputs but the last layer has 1 neurons"),
    ("weights-not-a-matrix", layered(layer([1, 2], [0])), "layers[0].weights: must be a non-empty matrix"),
    ("no-columns", layered(layer([[]], [0])), "network: layer 1 has no columns (no inputs)"),
    # spec: a number that is not exact
    ("bool-number", layered(layer([[True]], [0])), "layers[0].weights[0][0]: True is not an exact number"),
    ("null-number", graph([node("h", None), node("y", activation="identity")], OK_EDGES), "nodes[0].bias: None is not an exact number"),
    ("list-number", graph(OK_NODES, [edge("x", "h", [1]), edge("h", "y")]), "edges[0].weight: [1] is not an exact number"),
    ("word-number", layered(layer([["one"]], [0])), "layers[0].weights[0][0]: 'one' is not an exact number"),
    ("nan-string", layered(layer([["NaN"]], [0])), "layers[0].weights[0][0]: 'NaN' is not an exact number"),
    # spec: NaN / Infinity (bare JSON constants)
    ("nan", layered(layer([[1]], [0])).replace('"biases": [0]', '"biases": [NaN]'), "not valid JSON: NaN is not a number"),
    ("infinity", layered(layer([[1]], [0])).replace('"weights": [[1]]', '"weights": [[Infinity]]'), "Infinity is not a number"),
    ("minus-infinity", layered(layer([[1]], [0])).replace('"weights": [[1]]', '"weights": [[-Infinity]]'), "-Infinity is not a number"),
    # spec: empty strings, zero denominators
    ("empty-string", layered(layer([[""]], [0])), "layers[0].weights[0][0]: empty string is not a number"),
    ("zero-denominator", graph([node("h", "1/0"), node("y", activation="identity")], OK_EDGES), "nodes[0].bias: '1/0' has a zero denominator"),
    ("zero-power", layered(layer([["0^-1"]], [0])), "'0^-1' divides by zero"),
    ("huge-exponent", layered(layer([["1e-999999999"]], [0])), "exponent too large"),
    # spec: a format or version it does not know
    ("unknown-format", json.dumps({"format": "onnx", "version": 1}), "format: is 'onnx'; expected 'exactnet.network'"),
    ("missing-format", json.dumps({"version": 1, "layers": []}), "format: is None; expected 'exactnet.network'"),
    ("unknown-version", json.dumps({"format": FORMAT, "version": 2}), "version: unknown version 2; this exactnet reads version 1"),
    ("string-version", json.dumps({"format": FORMAT, "version": "1"}), "version: unknown version '1'"),
    ("bool-version", json.dumps({"format": FORMAT, "version": True}), "version: unknown version True"),
    # spec: a file that is not JSON
    ("not-json", '{"format": "exactnet.network",', "not valid JSON"),
    ("empty-file", "", "not valid JSON"),
    ("top-level-list", "[1, 2]", "top level: must be an object, got list"),
    # further structure errors
    ("both-forms", json.dumps({**HEAD, "layers": [layer([[1]], [0])], "nodes": [], "edges": []}), "top level: needs either 'layers'"),
    ("neither-form", json.dumps(HEAD), "top level: needs either 'layers'"),
    ("empty-layers", json.dumps({**HEAD, "layers": []}), "layers: must be a non-empty list"),
    ("layer-not-object", json.dumps({**HEAD, "layers": [[1]]}), "layers[0]: must be an object, got list"),
    ("unknown-activation", layered(layer([[1]], [0], "tanh")), "layers[0].activation: is 'tanh'; expected 'relu' or 'identity'"),
    ("node-activation", graph([node("h", activation="sigmoid"), node("y", activation="identity")], OK_EDGES),
     "nodes[0].activation: is 'sigmoid'"),
    ("node-missing-bias", graph([{"id": "h", "activation": "relu"}, node("y", activation="identity")], OK_EDGES), "nodes[0].bias: is missing"),
    ("node-empty-id", graph([node(""), *OK_NODES], OK_EDGES), "nodes[0].id: must be a non-empty string"),
    ("edge-missing-weight", graph(OK_NODES, [{"from": "x", "to": "h"}, edge("h", "y")]), "edges[0].weight: is missing"),
    ("graph-missing-outputs", json.dumps({**HEAD, "inputs": ["x"], "nodes": OK_NODES, "edges": OK_EDGES}),
     "outputs: is missing (the graph form needs inputs, nodes, edges and outputs)"),
    ("inputs-not-strings", graph(OK_NODES, OK_EDGES, inputs=[1]), "inputs: must be a list of non-empty strings"),
    ("inputs-twice", layered(layer([[1, 1]], [0]), inputs=["a", "a"]), "inputs: lists a name twice"),
    ("nodes-not-list", json.dumps({**HEAD, "inputs": ["x"], "nodes": {}, "edges": [], "outputs": []}), "nodes: must be a list"),
    ("metadata-not-object", layered(layer([[1]], [0]), metadata=[1]), "metadata: must be an object, got list"),
    ("output-listed-twice", graph(OK_NODES, OK_EDGES, outputs=["y", "y"]), "network: an output is listed twice"),
]


@pytest.mark.parametrize("text, fragment", [(t, f) for _, t, f in BAD_FILES], ids=[i for i, _, _ in BAD_FILES])
def test_every_spec_error_is_one_clear_line(text: str, fragment: str) -> None:
    with pytest.raises(NetworkFileError) as info:
        loads(text, source="bad.json")
    msg = str(info.value)
    assert msg.startswith("bad.json: ")  # names the file
    assert fragment in msg
    assert "\n" not in msg
    assert isinstance(info.value, ValueError)


def test_error_without_a_source_has_no_prefix() -> None:
    with pytest.raises(NetworkFileError) as info:
        loads(json.dumps({"format": FORMAT, "version": 2}))
    assert str(info.value).startswith("version: ")


def test_cycle_message_names_the_cycle() -> None:
    text = graph([node("a"), node("y")], [edge("x", "a"), edge("a", "y"), edge("y", "a")])
    with pytest.raises(NetworkFileError) as info:
        loads(text)
    assert str(info.value) in (
        "edges: the graph has a cycle: a -> y -> a",
        "edges: the graph has a cycle: y -> a -> y",
    )


# -- reading: numbers and the spec's examples -----------------------------------------


def test_spec_examples_are_the_tent_map() -> None:
    for text in (SPEC_LAYERED, SPEC_GRAPH):
        N = loads(text)
        assert N.inputs == ("x",) and N.outputs == ("y",)
        # g(x) = 2 relu(x) - 4 relu(x - 1/2): g(1/4) = 1/2, g(3/4) = 3/2 - 1 = 1/2, g(2) = 4 - 6 = -2
        for x, y in [(Q(1, 4), Fraction(1, 2)), (Q(3, 4), Fraction(1, 2)), (Q(2), Fraction(-2))]:
            assert fraction_eval(N, [x]) == (y,)
    assert loads(SPEC_GRAPH).weight("b", "y") == Q(-4)
    assert loads(SPEC_LAYERED).bias("h1_2") == Q(-1, 2)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("3", Q(3)),  # a JSON integer
        ("-7", Q(-7)),
        ('"3/8"', Q(3, 8)),
        ('"-1/3"', Q(-1, 3)),
        ('"0.375"', Q(3, 8)),  # 375/1000
        ('"2^-5"', Q(1, 32)),
        ("0.375", Q(3, 8)),  # a JSON number with a fraction part: the decimal it spells
        ("0.1", Q(1, 10)),  # exactly 1/10, not the double 3602879701896397/2^55
        ("1e-3", Q(1, 1000)),
        ("-2.5E+2", Q(-250)),
        ("123456789012345678901234567890", Q(123456789012345678901234567890)),
    ],
)
def test_numbers_in_the_file_are_exact(raw: str, expected: Q) -> None:
    text = layered(layer([[1]], [0])).replace('"biases": [0]', f'"biases": [{raw}]')
    N = loads(text)
    assert N.bias("y1") == expected and type(N.bias("y1")) is Q


def test_from_dict_refuses_python_floats() -> None:
    d = json.loads(layered(layer([[1]], [0])))
    d["layers"][0]["biases"] = [0.5]
    with pytest.raises(NetworkFileError, match=r"layers\[0\]\.biases\[0\]: 0\.5 is not an exact number"):
        from_dict(d)


def test_layered_default_names_and_metadata() -> None:
    N = loads(layered(layer([[1, 2]], [0]), metadata={"paper": "p"}))
    assert N.inputs == ("x1", "x2") and N.outputs == ("y1",)
    assert dict(N.metadata) == {"paper": "p"}


# -- writing and round trips ---------------------------------------------------------


@given(networks(), json_metadata)
@SETTINGS
def test_graph_form_round_trip(net: Network, meta: dict[str, Any]) -> None:
    net = net.with_metadata(**meta)
    assert loads(dumps(net)) == net


@given(layered_networks(max_width=4), json_metadata)
@SETTINGS
def test_layered_form_round_trip(net: Network, meta: dict[str, Any]) -> None:
    net = net.with_metadata(**meta)
    assert loads(dumps(net, form="layered")) == net


def test_layered_round_trip_of_a_wide_layer() -> None:
    # regression: an 11-wide layer came back with its neurons permuted
    N = Network.from_layers([[[i + 1] for i in range(11)], [[1] * 11]], [[0] * 11, [0]])
    assert loads(dumps(N, form="layered")) == N


@given(dag_networks())
@settings(max_examples=20, deadline=None)
def test_file_round_trip(net: Network) -> None:
    # on disk, through a temporary file
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "net.json"
        dump(net, path)
        assert load(path) == net
        assert sorted(p.name for p in Path(tmp).iterdir()) == ["net.json"]  # no temporary left


def test_dump_and_load(tmp_path: Path) -> None:
    N = loads(SPEC_GRAPH)
    dump(N, tmp_path / "g.json", form="layered")
    dump(N, tmp_path / "h.json")
    assert load(tmp_path / "h.json") == N
    L = load(tmp_path / "g.json")  # the layered form renames hidden neurons h1_1, h1_2
    assert [fraction_eval(L, [Q(k, 4)]) for k in range(5)] == [fraction_eval(N, [Q(k, 4)]) for k in range(5)]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.json", "h.json"]


def test_dump_overwrites_atomically(tmp_path: Path) -> None:
    path = tmp_path / "n.json"
    path.write_text("old")
    N = loads(SPEC_LAYERED)
    dump(N, path)
    assert load(path) == N
    assert sorted(p.name for p in tmp_path.iterdir()) == ["n.json"]


def test_dumps_is_deterministic_and_exact() -> None:
    N = loads(SPEC_GRAPH).with_metadata(name="tent", note="ß")
    assert dumps(N) == dumps(loads(dumps(N)))
    d = json.loads(dumps(N))
    assert d["format"] == "exactnet.network" and d["version"] == 1
    assert {"id": "b", "activation": "relu", "bias": "-1/2"} in d["nodes"]
    assert {"from": "b", "to": "y", "weight": "-4"} in d["edges"]
    assert d["metadata"] == {"name": "tent", "note": "ß"}
    assert "ß" in dumps(N)  # written as UTF-8, not escaped


def test_to_dict_layered() -> None:
    assert to_dict(loads(SPEC_LAYERED), form="layered") == json.loads(SPEC_LAYERED)


def test_to_dict_errors() -> None:
    with pytest.raises(NetworkFileError, match="unknown form 'onnx'"):
        to_dict(loads(SPEC_GRAPH), form="onnx")
    skip = graph([node("h"), node("y", activation="identity")], [edge("x", "h"), edge("h", "y"), edge("x", "y")])
    with pytest.raises(NetworkFileError, match="not a plain layered MLP"):
        dumps(loads(skip), form="layered")


# -- load: file errors ---------------------------------------------------------------


def test_load_missing_file(tmp_path: Path) -> None:
    with pytest.raises(NetworkFileError, match="no such file"):
        load(tmp_path / "absent.json")


def test_load_a_directory(tmp_path: Path) -> None:
    with pytest.raises(NetworkFileError, match="is a directory"):
        load(tmp_path)


def test_load_not_utf8(tmp_path: Path) -> None:
    p = tmp_path / "latin1.json"
    p.write_bytes(b'{"format": "\xff"}')
    with pytest.raises(NetworkFileError, match="cannot read"):
        load(p)


def test_load_names_the_file(tmp_path: Path) -> None:
    p = tmp_path / "v2.json"
    p.write_text(json.dumps({"format": FORMAT, "version": 2}))
    with pytest.raises(NetworkFileError) as info:
        load(p)
    assert str(info.value) == f"{p}: version: unknown version 2; this exactnet reads version 1"
