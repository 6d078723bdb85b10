"""exactnet.io.onnx: import (torch.onnx exports, hand-written graphs), every refusal, export, round trips.

Expected networks are written by hand: float32 weights read with numpy, each
element converted with ``from_float``, layers assembled with
``Network.from_layers``.  Comparisons are exact.
"""

from __future__ import annotations

import json
import random
import warnings
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

onnx = pytest.importorskip("onnx")
from onnx import TensorProto, helper, numpy_helper
from onnx.reference import ReferenceEvaluator

from exactnet.cli import main
from exactnet.constructions.yarotsky2017 import square_net, tent_net
from exactnet.evaluate import evaluate
from exactnet.exceptions import InvalidArgument, NetworkFileError, UnsupportedError
from exactnet.io.formats import (
    dump_any,
    load_any,
    round_half_even,
    snap_network,
    snap_value,
)
from exactnet.io.json import dump
from exactnet.io.onnx import dump as onnx_dump
from exactnet.io.onnx import float32_value, load, load_model, to_model
from exactnet.network import Network
from exactnet.numbers import Interval, Q, from_float, q
from exactnet.supnorm import certify
from tests.strategies import networks, points
from tests.test_io_torch import by_hand, numpy_state, trained_square_net

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# -- building ONNX graphs by hand -------------------------------------------------------------


def f32(a: Any) -> np.ndarray:
    return np.array(a, dtype=np.float32)


def init(name: str, a: Any) -> Any:
    return numpy_helper.from_array(np.asarray(a), name)


def model_of(nodes: list[Any], inits: list[Any], *, d: int = 1, m: int = 1, inputs: list[Any] | None = None,
             outputs: list[Any] | None = None) -> Any:
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", d])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", m])
    g = helper.make_graph(nodes, "g", inputs or [x], outputs or [y], initializer=inits)
    return helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)])


# the tent map g(x) = 2 relu(x) - 4 relu(x - 1/2), in three dialects
TENT_W1, TENT_B1 = f32([[1.0], [1.0]]), f32([0.0, -0.5])
TENT_W2, TENT_B2 = f32([[2.0, -4.0]]), f32([0.0])


def tent_gemm() -> Any:
    """As torch.onnx writes a Linear: Gemm with transB=1."""
    nodes = [
        helper.make_node("Gemm", ["x", "W1", "b1"], ["z1"], name="fc1", transB=1),
        helper.make_node("Relu", ["z1"], ["a1"], name="relu1"),
        helper.make_node("Gemm", ["a1", "W2", "b2"], ["y"], name="fc2", transB=1),
    ]
    return model_of(nodes, [init("W1", TENT_W1), init("b1", TENT_B1), init("W2", TENT_W2), init("b2", TENT_B2)])


def tent_tf2onnx() -> Any:
    """As tf2onnx writes a Dense layer: MatMul by [in, out] then Add, weights through Identity and
    Constant nodes, a Reshape and a Flatten of the vector, the nodes in a shuffled order."""
    nodes = [
        helper.make_node("Identity", ["W2_raw"], ["W2"], name="dense_1/kernel/read"),
        helper.make_node("Add", ["m2", "b2"], ["y"], name="dense_1/BiasAdd"),
        helper.make_node("MatMul", ["a1", "W2"], ["m2"], name="dense_1/MatMul"),
        helper.make_node("Constant", [], ["b2"], name="dense_1/bias", value_floats=[0.0]),
        helper.make_node("Relu", ["z1"], ["a1"], name="dense/Relu"),
        helper.make_node("Add", ["b1", "m1"], ["z1"], name="dense/BiasAdd"),  # the bias on the left
        helper.make_node("MatMul", ["xf", "W1"], ["m1"], name="dense/MatMul"),
        helper.make_node("Flatten", ["xr"], ["xf"], name="flatten", axis=1),
        helper.make_node("Reshape", ["x", "shape"], ["xr"], name="reshape"),
        helper.make_node("Constant", [], ["shape"], name="shape_const", value=init("s", np.array([-1, 1], np.int64))),
        helper.make_node("Constant", [], ["W1"], name="W1_const", value=init("w", TENT_W1.T.copy())),
    ]
    return model_of(nodes, [init("W2_raw", TENT_W2.T.copy()), init("b1", TENT_B1)])


def tent_by_hand() -> Network:
    return Network.from_layers([[[1], [1]], [[2, -4]]], [[0, "-1/2"], [0]])


def torch_export(model: Any, path: Path, **names: Any) -> None:
    """torch.onnx.export with the TorchScript exporter (the new one needs onnxscript)."""
    torch = pytest.importorskip("torch")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        torch.onnx.export(model, (torch.zeros(1, 1),), str(path), dynamo=False, **names)


def write(tmp_path: Path, model: Any, name: str = "m.onnx") -> Path:
    p = tmp_path / name
    p.write_bytes(model.SerializeToString())
    return p


# -- import -------------------------------------------------------------------------------------


def test_torch_onnx_export_of_a_trained_net_equals_the_hand_built_network(tmp_path: Path) -> None:
    model = trained_square_net()
    p = tmp_path / "square.onnx"
    torch_export(model, p, input_names=["x"], output_names=["y"], dynamic_axes={"x": {0: "N"}, "y": {0: "N"}})
    net = load(p)
    hand = by_hand(numpy_state(model))
    assert net.layers() == hand.layers()
    c_net = certify(net, "x^2", Interval(-1, 1))
    c_hand = certify(hand, "x^2", Interval(-1, 1))
    assert c_net.value == c_hand.value and c_net.witness == c_hand.witness
    assert net.metadata["import"]["weights"] == "weights taken at their exact binary float32 values"
    assert net.metadata["import"]["producer"].startswith("pytorch")


def test_the_cli_reads_onnx_as_it_reads_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    model = trained_square_net()
    p = tmp_path / "model.onnx"
    torch_export(model, p)
    hand = tmp_path / "hand.json"
    dump(by_hand(numpy_state(model)), hand)
    values = []
    for f in (p, hand):
        assert main(["sup-error", str(f), "--target", "x^3 - x/2", "--on", "-1,1", "--json"]) == 0
        out, err = capsys.readouterr()
        values.append(json.loads(out)["value"])
    assert values[0] == values[1]
    assert err == ""  # the hand-written file is exact: no note
    for command in (["info"], ["eval", "--at", "1/3"], ["pieces", "--on", "-1,1"]):
        assert main([command[0], str(p), *command[1:]]) == 0
        out, err = capsys.readouterr()
        assert err == f"note: {p}: weights taken at their exact binary float32 values\n"


@pytest.mark.parametrize("make", [tent_gemm, tent_tf2onnx], ids=["gemm", "tf2onnx-style"])
def test_dialects_give_the_tent_map(make: Any) -> None:
    net = load_model(make(), source="tent")
    assert net.layers() == tent_by_hand().layers()
    assert net == tent_by_hand().with_metadata(**net.metadata)


def test_node_order_does_not_matter() -> None:
    m = tent_tf2onnx()
    nodes = list(m.graph.node)
    for seed in range(5):
        random.Random(seed).shuffle(nodes)
        del m.graph.node[:]
        m.graph.node.extend(nodes)
        assert load_model(m).layers() == tent_by_hand().layers()


@pytest.mark.parametrize(
    "attrs, W, C, expect_W, expect_b",
    [
        # Y = alpha * A B + beta * C with B = W^T stored as [in, out] (transB=0)
        ({"alpha": 0.5, "beta": 2.0}, [[4.0, 2.0]], [1.0, -0.25], [[2], [1]], [2, "-1/2"]),
        ({"transB": 1}, [[3.0], [-1.0]], [0.125], [[3], [-1]], ["1/8", "1/8"]),  # scalar C broadcast
        ({"transB": 1, "alpha": 0.1}, [[1.0]], None, [[from_float(float(np.float32(0.1)))]], [0]),
    ],
    ids=["alpha-beta", "transB-scalar-bias", "alpha-float32-no-bias"],
)
def test_gemm_attributes(attrs: dict[str, Any], W: Any, C: Any, expect_W: Any, expect_b: Any) -> None:
    ins = ["x", "W"] + (["C"] if C is not None else [])
    inits = [init("W", f32(W))] + ([init("C", f32(C))] if C is not None else [])
    m_out = len(expect_W)
    model = model_of([helper.make_node("Gemm", ins, ["y"], name="g", **attrs)], inits, m=m_out)
    net = load_model(model)
    assert net.layers() == Network.from_layers([expect_W], [expect_b], ["identity"]).layers()


def test_gemm_then_gemm_without_relu_keeps_an_identity_layer() -> None:
    nodes = [
        helper.make_node("Gemm", ["x", "W1"], ["z"], name="a", transB=1),
        helper.make_node("Gemm", ["z", "W2"], ["y"], name="b", transB=1),
    ]
    net = load_model(model_of(nodes, [init("W1", f32([[2.0], [3.0]])), init("W2", f32([[1.0, -1.0]]))]))
    assert [layer.activation for layer in net.layers()] == ["identity", "identity"]
    assert evaluate(net, "1/3") == (Q(-1, 3),)


def test_residual_add_of_two_tensors_is_a_skip_connection() -> None:
    # y = relu(2x - 1) + x: a DAG, not a layered MLP
    nodes = [
        helper.make_node("Gemm", ["x", "W", "b"], ["z"], name="fc", transB=1),
        helper.make_node("Relu", ["z"], ["a"], name="relu"),
        helper.make_node("Add", ["a", "x"], ["y"], name="skip"),
    ]
    net = load_model(model_of(nodes, [init("W", f32([[2.0]])), init("b", f32([-1.0]))]))
    assert net.layers() is None
    for x, y in [("0", 0), ("1", 2), ("3/4", Q(5, 4))]:
        assert evaluate(net, x) == (q(y),)


def test_multidimensional_input_flattened_in_c_order() -> None:
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 2, 2])
    nodes = [
        helper.make_node("Flatten", ["x"], ["f"], name="flat"),
        helper.make_node("MatMul", ["f", "W"], ["y"], name="mm"),
    ]
    net = load_model(model_of(nodes, [init("W", f32([[1.0], [2.0], [4.0], [8.0]]))], inputs=[x]))
    assert net.inputs == ("x1", "x2", "x3", "x4")
    assert evaluate(net, ["1", "1", "0", "1"]) == (Q(11),)


def test_a_relu_output_is_named_like_from_layers() -> None:
    nodes = [helper.make_node("Gemm", ["x", "W"], ["z"], name="g", transB=1), helper.make_node("Relu", ["z"], ["y"], name="r")]
    net = load_model(model_of(nodes, [init("W", f32([[-1.0]]))]))
    assert net == Network.from_layers([[[-1]]], [[0]], ["relu"]).with_metadata(**net.metadata)


# -- refusals ---------------------------------------------------------------------------------


def refusal_cases() -> list[tuple[str, Any, type, str]]:
    W1 = init("W1", TENT_W1)
    b1 = init("b1", TENT_B1)
    gemm = helper.make_node("Gemm", ["x", "W1", "b1"], ["z"], name="fc1", transB=1)
    two_d = [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 2])]
    return [
        ("unsupported-op", model_of([gemm, helper.make_node("Tanh", ["z"], ["y"], name="act1")], [W1, b1], m=2),
         UnsupportedError, "node 'act1' (Tanh): operator Tanh is not supported"),
        ("unsupported-op-unnamed", model_of([gemm, helper.make_node("Sigmoid", ["z"], ["y"])], [W1, b1], m=2),
         UnsupportedError, "node '#1' (Sigmoid): operator Sigmoid is not supported"),
        ("custom-domain", model_of([gemm, helper.make_node("Relu", ["z"], ["y"], name="r", domain="com.acme")], [W1, b1], m=2),
         UnsupportedError, "node 'r' (Relu): operator com.acme.Relu is not supported"),
        ("non-vector-reshape", model_of([gemm, helper.make_node("Reshape", ["z", "s"], ["y"], name="rs")],
                                        [W1, b1, init("s", np.array([-1, 1, 2], np.int64))], m=2),
         UnsupportedError, "node 'rs' (Reshape): Reshape of a tensor of shape ['N', 2] to [-1, 1, 2] is not a reshape to a vector"),
        ("reshape-merging-batch", model_of([gemm, helper.make_node("Reshape", ["z", "s"], ["y"], name="rs")],
                                           [W1, b1, init("s", np.array([-1], np.int64))], m=2),
         UnsupportedError, "is not a reshape to a vector"),
        ("computed-reshape", model_of([gemm, helper.make_node("Shape", ["z"], ["s"], name="shape"),
                                       helper.make_node("Reshape", ["z", "s"], ["y"], name="rs")], [W1, b1], m=2),
         UnsupportedError, "node 'shape' (Shape): operator Shape is not supported"),
        ("missing-initializer", model_of([gemm], [W1], m=2, outputs=[helper.make_tensor_value_info("z", TensorProto.FLOAT, ["N", 2])]),
         NetworkFileError, "node 'fc1' (Gemm): input 'b1' is not a graph input, an initializer or the output of a node (a missing initializer?)"),
        ("gemm-shape-mismatch", model_of([gemm], [W1, b1], inputs=two_d, outputs=[helper.make_tensor_value_info("z", TensorProto.FLOAT, ["N", 2])]),
         NetworkFileError, "node 'fc1' (Gemm): Gemm weight of shape [2, 1] (transB=1) does not fit an input of 2 features"),
        ("bias-shape-mismatch", model_of([helper.make_node("Gemm", ["x", "W1", "c"], ["y"], name="fc", transB=1)],
                                         [W1, init("c", f32([1.0, 2.0, 3.0]))], m=2),
         NetworkFileError, "node 'fc' (Gemm): Gemm bias C of shape [3] does not fit 2 features"),
        ("matmul-data-on-the-right", model_of([helper.make_node("MatMul", ["W", "x"], ["y"], name="mm")], [init("W", f32([[1.0]]))]),
         UnsupportedError, "node 'mm' (MatMul): MatMul is imported as data x constant weight only"),
        ("add-two-constants", model_of([helper.make_node("Add", ["a", "b"], ["c"], name="add"), gemm], [init("a", f32([1.0])), init("b", f32([1.0])), W1, b1], m=2, outputs=[helper.make_tensor_value_info("z", TensorProto.FLOAT, ["N", 2])]),
         UnsupportedError, "node 'add' (Add): Add of two constants is not supported"),
        ("cycle", model_of([helper.make_node("Relu", ["y2"], ["y1"], name="r1"), helper.make_node("Relu", ["y1"], ["y2"], name="r2")], [],
                           outputs=[helper.make_tensor_value_info("y1", TensorProto.FLOAT, ["N", 1])]),
         NetworkFileError, "the graph has a cycle through this node"),
        ("two-inputs", model_of([gemm], [W1, b1], inputs=[helper.make_tensor_value_info(n, TensorProto.FLOAT, ["N", 1]) for n in ("x", "x2")],
                                outputs=[helper.make_tensor_value_info("z", TensorProto.FLOAT, ["N", 2])]),
         UnsupportedError, "the model has 2 data inputs ['x', 'x2']; exactnet imports models with one input tensor"),
        ("symbolic-features", model_of([gemm], [W1, b1], inputs=[helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", "D"])],
                                       outputs=[helper.make_tensor_value_info("z", TensorProto.FLOAT, ["N", 2])]),
         NetworkFileError, "input 'x' has shape ['N', 'D']; its feature dimensions must be fixed"),
        ("constant-output", model_of([helper.make_node("Constant", [], ["y"], name="k", value_float=1.0)], []),
         UnsupportedError, "output 'y' is a constant, not a function of the input"),
        ("nan-weight", model_of([helper.make_node("MatMul", ["x", "W"], ["y"], name="mm")], [init("W", f32([[np.nan]]))]),
         NetworkFileError, "holds NaN or an infinity"),
        ("produced-twice", model_of([helper.make_node("Relu", ["x"], ["y"], name="a"), helper.make_node("Relu", ["x"], ["y"], name="b")], []),
         NetworkFileError, "node 'b' (Relu): value 'y' is produced twice"),
    ]


CASES = refusal_cases()


@pytest.mark.parametrize("model, error, fragment", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_refusals(tmp_path: Path, capsys: pytest.CaptureFixture[str], model: Any, error: type, fragment: str) -> None:
    p = write(tmp_path, model)
    with pytest.raises(error) as info:
        load(p)
    message = str(info.value)
    assert message.startswith(f"{p}: ") and fragment in message, message
    # the command line: one line on stderr, exit code 2
    assert main(["info", str(p)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err == f"exactnet info: error: {message}\n"


@pytest.mark.parametrize(
    "content, fragment",
    [(b"this is not protobuf \xff\xfe", "not a readable ONNX model"), (b"", "not an ONNX model (no graph with outputs)")],
    ids=["garbage", "empty"],
)
def test_bad_files(tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, fragment: str) -> None:
    p = tmp_path / "bad.onnx"
    p.write_bytes(content)
    with pytest.raises(NetworkFileError, match="bad.onnx: " + fragment.replace("(", r"\(").replace(")", r"\)")):
        load(p)
    assert main(["sup-error", str(p), "--target", "x^2", "--on", "0,1"]) == 2
    assert capsys.readouterr().err.count("\n") == 1
    with pytest.raises(NetworkFileError, match="no such file"):
        load(tmp_path / "absent.onnx")


# -- export and round trips ------------------------------------------------------------------


def test_round_trip_of_dyadic_constructions_is_exact(tmp_path: Path) -> None:
    for net in (tent_net(), square_net(3)):
        p = tmp_path / "n.onnx"
        assert onnx_dump(net, p) == 0
        back = load(p)
        assert back.layers() == net.layers()
        assert back.inputs == net.inputs and back.outputs == net.outputs
        assert back.metadata.get("construction") == net.metadata.get("construction")


def test_round_trip_of_an_imported_float_model_is_bit_exact(tmp_path: Path) -> None:
    model = trained_square_net()
    p, p2 = tmp_path / "a.onnx", tmp_path / "b.onnx"
    torch_export(model, p)
    net = load(p)
    assert onnx_dump(net, p2) == 0
    assert load(p2).layers() == net.layers()
    # the float32 tensors written are the trained ones, bit for bit
    ours = [numpy_helper.to_array(t) for t in onnx.load(str(p2)).graph.initializer]
    theirs = [v for k, v in numpy_state(model).items()]
    assert len(ours) == len(theirs) and all(a.tobytes() == b.tobytes() for a, b in zip(ours, theirs))


@SETTINGS
@given(net=networks(), data=st.data())
def test_round_trip_property(net: Network, data: st.DataObject) -> None:
    # dyadic with 8 fractional bits and |w| <= 3: every number is a float32
    exact, _ = snap_network(net, 8)
    model, change = to_model(exact)
    assert change == 0
    onnx.checker.check_model(model)
    back = load_model(model)
    if exact.layers() is not None:
        assert back.layers() == exact.layers()
    for _ in range(3):
        x = data.draw(points(len(exact.inputs)))
        assert evaluate(back, list(x)) == evaluate(exact, list(x))
    if back.layers() is not None:
        assert load_model(to_model(back)[0]).layers() == back.layers()


@SETTINGS
@given(net=networks(), data=st.data())
def test_exported_models_compute_the_exact_values_in_float32(net: Network, data: st.DataObject) -> None:
    # weights on the grid 1/4 and inputs on the grid 1/4: every float32 operation is exact here,
    # so onnx's own reference evaluator must agree with exact evaluation to the last bit
    exact, _ = snap_network(net, 2)
    model, _ = to_model(exact)
    d = len(exact.inputs)
    x = data.draw(st.lists(st.integers(-8, 8).map(lambda k: Q(k, 4)), min_size=d, max_size=d))
    got = ReferenceEvaluator(model).run(None, {"input": np.array([[float(v) for v in x]], dtype=np.float32)})[0]
    assert [from_float(float(v)) for v in got[0]] == list(evaluate(exact, x))


def test_export_of_a_dag_with_skip_connections() -> None:
    G = nx.DiGraph()
    G.add_node("h", bias=0, act="relu")
    G.add_node("k", bias="1/4", act="identity")
    G.add_node("y", bias="-1/2", act="identity")
    G.add_node("z", bias=0, act="relu")
    for u, v, w in [("x", "h", 1), ("h", "y", 2), ("x", "y", "-3/4"), ("x", "k", 3), ("k", "z", -1), ("h", "z", "1/8")]:
        G.add_edge(u, v, weight=w)
    net = Network.from_graph(G, ["x"], ["z", "y", "h"])
    model, change = to_model(net)
    assert change == 0 and {n.op_type for n in model.graph.node} <= {"Gemm", "MatMul", "Add", "Relu", "Identity"}
    back = load_model(model)
    assert back.inputs == ("x",) and back.outputs == ("z", "y", "h")
    for x in ("-2", "-1/3", "0", "1/8", "1/2", "2"):
        assert evaluate(back, x) == evaluate(net, x)


def test_export_refuses_numbers_float32_cannot_hold() -> None:
    net = Network.from_layers([[["1/3"], ["1/2"]], [["1", "1/10"]]], [["0", "0"], ["0"]])
    with pytest.raises(InvalidArgument) as info:
        to_model(net)
    assert str(info.value).startswith("2 of 7 numbers cannot be written exactly in float32, e.g. the weight 1/3 of edge x1 -> h1_1")
    model, change = to_model(net, allow_rounding=True)
    # float32(1/3) = 11184811/2^25 (1/3 = 0.0101..., 24 bits), off by 1/(3*2^25);
    # float32(1/10) = 13421773/2^27, off by 3/(10*2^27); the larger is 1/(3*2^25)
    assert change == Q(1, 3 * 2**25)
    assert change > Q(3, 10 * 2**27)
    back = load_model(model)
    assert back.weight("x1", "h1_1") == Q(11184811, 2**25)
    assert back.weight("h1_2", "y1") == Q(13421773, 2**27)


def test_export_refuses_numbers_beyond_float32() -> None:
    with pytest.raises(InvalidArgument, match="beyond the largest float32"):
        to_model(Network.from_layers([[["2^200"]]], [[0]]), allow_rounding=True)
    # (2^24 - 1/2) * 2^104, halfway between FLT_MAX and 2^128, rounds (to even) to 2^128: beyond
    with pytest.raises(InvalidArgument):
        float32_value(Q(2**25 - 1, 2) * Q(2) ** 104)
    assert float32_value(Q(2**26 - 3, 4) * Q(2) ** 104) == Q(2**24 - 1) * Q(2) ** 104


@pytest.mark.parametrize(
    "x, expect",
    [
        (Q(1), Q(1)),
        (Q(1, 3), Q(11184811, 2**25)),                     # 1/3 = 0.010101...b: 24 bits, last one rounded up
        (1 + Q(1, 2**24), Q(1)),                           # a tie between 1 and 1 + 2^-23: to even (1)
        (1 + Q(3, 2**24), 1 + Q(1, 2**22)),                # a tie between 1 + 2^-23 and 1 + 2^-22: to even
        (Q(1, 2**150), Q(0)),                              # half the smallest subnormal: a tie, to even (0)
        (Q(1, 2**149), Q(1, 2**149)),                      # the smallest subnormal itself
        (Q(3, 2**150), Q(1, 2**148)),                      # 1.5 subnormal steps: a tie, to even (2 steps)
        (Q(2**24 - 1) * 2**104, Q(2**24 - 1) * 2**104),    # FLT_MAX
    ],
    ids=["one", "third", "tie-down", "tie-up", "half-subnormal", "subnormal", "subnormal-tie", "max"],
)
def test_float32_value(x: Q, expect: Q) -> None:
    assert float32_value(x) == expect
    assert float32_value(-x) == -expect


def test_float32_value_agrees_with_numpy_on_doubles() -> None:
    # numpy rounds a double to float32 correctly; there is no double rounding from a double
    rng = np.random.default_rng(0)
    for v in rng.standard_normal(300) * 10.0 ** rng.integers(-40, 38, 300):
        assert float32_value(from_float(float(v))) == from_float(float(np.float32(v)))


# -- snapping -----------------------------------------------------------------------------------


def test_round_half_even_and_snap_value() -> None:
    # k/2 for k = -5..5: -5/2 -2 -3/2 -1 -1/2 0 1/2 1 3/2 2 5/2, ties to the even neighbour
    assert [round_half_even(Q(k, 2)) for k in range(-5, 6)] == [-2, -2, -2, -1, 0, 0, 0, 1, 2, 2, 2]
    assert snap_value(Q(1, 3), 3) == Q(3, 8)          # 1/3 = 2.67/8 -> 3/8
    assert snap_value(Q(5, 16), 3) == Q(2, 8)         # 2.5/8: a tie, to the even 2/8
    assert snap_value(Q(7, 16), 3) == Q(4, 8)         # 3.5/8: a tie, to the even 4/8


def test_snap_on_import(tmp_path: Path) -> None:
    p = write(tmp_path, tent_gemm())
    net = load_any(p, snap=1)  # the grid 1/2 holds the tent map exactly
    assert net.metadata["snap"]["largest_change"] == "0"
    model = model_of([helper.make_node("MatMul", ["x", "W"], ["y"], name="mm")], [init("W", f32([[0.1]]))])
    p = write(tmp_path, model, "w.onnx")
    net = load_any(p, snap=4)
    assert net.weight("x1", "y1") == Q(2, 16)  # 0.1 * 16 = 1.6000000238... -> 2
    # the change is exact: 1/8 - float32(0.1)
    assert net.metadata["snap"]["largest_change"] == str(Q(1, 8) - from_float(float(np.float32(0.1))))
    with pytest.raises(InvalidArgument, match="snap=-1 must be between 0 and 1100"):
        load_any(p, snap=-1)


# -- the export command and load_any / dump_any ---------------------------------------------


def test_export_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "tent.json"
    dump(tent_net(), src)
    out = tmp_path / "tent.onnx"
    assert main(["export", str(src), "--to", str(out)]) == 0
    assert capsys.readouterr().out == f"wrote {out} (float32; every weight and bias exact)\n"
    assert load(out).layers() == tent_net().layers()
    back = tmp_path / "back.json"
    assert main(["export", str(out), "--to", str(back), "--form", "layered"]) == 0
    capsys.readouterr()
    assert load_any(back).layers() == tent_net().layers()
    third = tmp_path / "third.json"
    dump(Network.from_layers([[["1/3"]]], [[0]]), third)
    assert main(["export", str(third), "--to", str(tmp_path / "t.onnx")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot be written exactly in float32" in err
    assert not (tmp_path / "t.onnx").exists()
    assert main(["export", str(third), "--to", str(tmp_path / "t.onnx"), "--allow-rounding"]) == 0
    assert "largest change 1/100663296" in capsys.readouterr().out
    assert main(["export", str(third), "--to", str(tmp_path / "t.txt")]) == 2
    assert "cannot write .txt; exactnet writes .json and .onnx" in capsys.readouterr().err


def test_load_any_reads_other_extensions_as_json(tmp_path: Path) -> None:
    p = tmp_path / "net.txt"
    dump(tent_net(), p)
    assert load_any(p) == tent_net()
    assert dump_any(tent_net(), tmp_path / "x.json") == 0
