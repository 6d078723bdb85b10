"""ONNX import and export of ReLU networks under an explicit float policy.

This is the only module of exactnet that imports ``onnx``.

**Import.** :func:`load` reads a model as torch.onnx and tf2onnx export it:
``Gemm`` (any ``transA``/``transB``/``alpha``/``beta``), ``MatMul`` and ``Add``,
``Relu``, ``Identity``, ``Flatten`` and ``Reshape`` to a vector, ``Constant``
nodes and initializers, in any order (the nodes are sorted topologically by
following value names).  Any other operator is refused with an
:class:`UnsupportedError` naming the operator and the node.  Every float
weight is taken at its **exact binary value** (``from_float`` of each element:
a float32 is a double, and a double is a dyadic rational), and the metadata
says so.  ``exactnet.io.formats.load_any(path, snap=K)`` rounds to the grid
2^-K instead.

**Export.** :func:`to_model` and :func:`dump` write float32 Gemm/MatMul/Add/Relu
graphs.  Every weight and bias is checked exactly: if float32 cannot hold one,
export is refused unless ``allow_rounding=True``, which rounds each to the
nearest float32 (ties to even, computed exactly) and returns the largest change.
Plain MLPs become one ``Gemm`` (+ ``Relu``) per layer; any other DAG (skip
connections, mixed activations in a layer) becomes a graph over groups of
neurons of equal depth and activation, each ``Gemm``/``MatMul`` of the groups
feeding it, summed with ``Add``.  Reading an exported model back gives the same
function exactly (the same layers for a plain MLP).
"""

from __future__ import annotations

import json as _json
import math
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx

from exactnet.exceptions import InvalidArgument, NetworkFileError, UnsupportedError
from exactnet.io.formats import round_half_even
from exactnet.network import Network
from exactnet.numbers import ONE, ZERO, Q, from_float, q

__all__ = ["OPERATORS", "OPSET", "dump", "float32_value", "load", "load_model", "to_model"]

OPERATORS = ("Gemm", "MatMul", "Add", "Relu", "Identity", "Flatten", "Reshape", "Constant")
"""The ONNX operators :func:`load` imports."""

OPSET = 17
"""The opset of the models :func:`to_model` writes."""

_HIDDEN = re.compile(r"^h\d+_\d+$")  # the names the importer gives hidden neurons

_INT_KINDS = "iu"


def _onnx() -> Any:
    try:
        import onnx
    except ImportError:  # pragma: no cover - depends on the environment
        raise UnsupportedError(
            "reading and writing .onnx files needs the onnx package: pip install onnx "
            "(or pip install 'exactnet[onnx]')"
        ) from None
    return onnx


# -- import ------------------------------------------------------------------------------


@dataclass
class _Vec:
    """An activation tensor: one exact affine form per element over materialized nodes.

    ``forms[i]`` is ``(linear part {node: weight}, constant)``; ``refs`` is set when
    every form is exactly one node with weight 1 and constant 0.  ``lead`` says the
    tensor has a leading batch dimension (``batch`` its size, or None when
    symbolic); ``shape`` is the rest, in C order.
    """

    forms: list[tuple[dict[str, Q], Q]]
    refs: list[str] | None
    lead: bool
    batch: int | None
    shape: tuple[int, ...]

    @staticmethod
    def of_refs(refs: list[str], lead: bool, batch: int | None, shape: tuple[int, ...]) -> _Vec:
        return _Vec([({r: ONE}, ZERO) for r in refs], list(refs), lead, batch, shape)


class _Importer:
    def __init__(self, source: str) -> None:
        self.source = source
        self.g = nx.DiGraph()
        self.layer = 0
        self.dtypes: set[str] = set()

    # errors ------------------------------------------------------------------------
    def where(self, node: Any, index: int) -> str:
        name = node.name or f"#{index}"
        return f"{self.source}: node {name!r} ({node.op_type})"

    def bad(self, node: Any, index: int, problem: str) -> NetworkFileError:
        return NetworkFileError(f"{self.where(node, index)}: {problem}")

    def unsupported(self, node: Any, index: int, problem: str) -> UnsupportedError:
        return UnsupportedError(f"{self.where(node, index)}: {problem}")

    # numbers -----------------------------------------------------------------------
    def exact(self, arr: Any, what: str) -> list[Q]:
        """The elements of a numpy array, in C order, at their exact values."""
        import numpy as np

        kind = arr.dtype.kind
        # ml_dtypes' bfloat16 and float8 (registered with numpy by onnx) widen to float64 exactly
        if str(arr.dtype).startswith(("bfloat16", "float8", "float6", "float4")):
            kind = "f"
        if kind == "f":
            self.dtypes.add(str(arr.dtype))
            flat = np.asarray(arr, dtype=np.float64).ravel().tolist()  # exact: float16/32 are doubles
            try:
                return [from_float(v) for v in flat]
            except InvalidArgument:
                raise NetworkFileError(f"{self.source}: {what} holds NaN or an infinity") from None
        if kind in _INT_KINDS:
            return [q(int(v)) for v in arr.ravel().tolist()]
        raise UnsupportedError(f"{self.source}: {what} has dtype {arr.dtype}; exactnet reads float and integer tensors")

    # building ----------------------------------------------------------------------
    def materialize(self, vec: _Vec, act: str) -> _Vec:
        self.layer += 1
        names = [f"h{self.layer}_{i + 1}" for i in range(len(vec.forms))]
        for name, (lin, c) in zip(names, vec.forms):
            self.g.add_node(name, bias=c, act=act)
            for src, w in lin.items():
                self.g.add_edge(src, name, weight=w)
        return _Vec.of_refs(names, vec.lead, vec.batch, vec.shape)

    def refs(self, vec: _Vec) -> list[str]:
        return vec.refs if vec.refs is not None else self.materialize(vec, "identity").refs  # type: ignore[return-value]

    def affine(self, vec: _Vec, W: list[list[Q]], b: list[Q], lead: bool, shape: tuple[int, ...]) -> _Vec:
        """The forms of ``W x + b`` (W has one row per output)."""
        srcs = self.refs(vec)
        forms = [({s: w for s, w in zip(srcs, row)}, c) for row, c in zip(W, b)]
        return _Vec(forms, None, lead, vec.batch, shape)


def _array(onnx: Any, tensor: Any, source: str, what: str) -> Any:
    try:
        return onnx.numpy_helper.to_array(tensor)
    except Exception as exc:  # noqa: BLE001 - onnx raises many kinds on bad tensors
        raise NetworkFileError(f"{source}: {what}: cannot read the tensor: {_one_line(exc)}") from None


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text if len(text) <= 300 else text[:297] + "..."


def _constant_value(onnx: Any, node: Any, imp: _Importer, index: int) -> Any:
    import numpy as np

    if len(node.attribute) != 1:
        raise imp.bad(node, index, "a Constant needs exactly one value attribute")
    a = node.attribute[0]
    if a.name == "value":
        return _array(onnx, a.t, imp.source, f"node {node.name!r} value")
    if a.name == "value_float":
        return np.array(a.f, dtype=np.float32)
    if a.name == "value_floats":
        return np.array(list(a.floats), dtype=np.float32)
    if a.name == "value_int":
        return np.array(a.i, dtype=np.int64)
    if a.name == "value_ints":
        return np.array(list(a.ints), dtype=np.int64)
    raise imp.unsupported(node, index, f"Constant with attribute {a.name!r} is not supported (tensors and numbers only)")


def _sort_nodes(nodes: list[Any], available: set[str], imp: _Importer) -> list[tuple[int, Any]]:
    """The nodes in an order where every input is computed before it is used."""
    producer: dict[str, int] = {}
    for i, n in enumerate(nodes):
        for out in n.output:
            if out in producer or out in available:
                raise imp.bad(n, i, f"value {out!r} is produced twice")
            if out:
                producer[out] = i
    for i, n in enumerate(nodes):
        for inp in n.input:
            if inp and inp not in available and inp not in producer:
                raise imp.bad(
                    n,
                    i,
                    f"input {inp!r} is not a graph input, an initializer or the output of a node "
                    "(a missing initializer?)",
                )
    waiting = {i: {inp for inp in n.input if inp and inp not in available} for i, n in enumerate(nodes)}
    users: dict[str, list[int]] = {}
    for i, deps in waiting.items():
        for d in deps:
            users.setdefault(d, []).append(i)
    ready = [i for i, deps in waiting.items() if not deps]
    order: list[tuple[int, Any]] = []
    while ready:
        i = ready.pop(0)
        order.append((i, nodes[i]))
        for out in nodes[i].output:
            for u in users.get(out, ()):
                waiting[u].discard(out)
                if not waiting[u]:
                    ready.append(u)
    if len(order) != len(nodes):
        stuck = next(i for i in range(len(nodes)) if waiting[i])
        raise imp.bad(nodes[stuck], stuck, "the graph has a cycle through this node")
    return order


def _vector_shape(vec: _Vec, target: list[int], allowzero: bool, imp: _Importer, node: Any, i: int) -> _Vec:
    """Reshape of an activation tensor: only to a vector (with or without the batch dimension)."""
    n = len(vec.forms)
    full: list[int | None] = ([vec.batch] if vec.lead else []) + list(vec.shape)
    t: list[int | None] = []
    for k, v in enumerate(target):
        if v == 0 and not allowzero:
            if k >= len(full):
                raise imp.bad(node, i, f"Reshape to {target}: a 0 copies a dimension the input does not have")
            t.append(full[k])  # None for a symbolic batch size
        else:
            t.append(int(v))
    copied_batch = vec.lead and bool(target) and target[0] == 0 and not allowzero
    if len(t) == 1 and not vec.lead and t[0] in (n, -1):
        return _Vec(vec.forms, vec.refs, False, None, (n,))
    if len(t) == 2:
        a, b = t
        batch_ok = copied_batch or a == 1 or (vec.lead and a is not None and a == vec.batch)
        if (b == n and (batch_ok or a == -1)) or (b == -1 and batch_ok):
            batch = vec.batch if vec.lead else 1
            return _Vec(vec.forms, vec.refs, True, batch, (n,))
    raise imp.unsupported(
        node,
        i,
        f"Reshape of a tensor of shape {_show(full)} to {list(target)} is not a reshape to a vector; "
        "exactnet imports networks on vectors (a batch dimension and one feature dimension)",
    )


def _show(dims: list[int | None]) -> list[int | str]:
    return ["N" if d is None else d for d in dims]


def _broadcast_const(imp: _Importer, arr: Any, vec: _Vec, node: Any, i: int, what: str) -> list[Q]:
    import numpy as np

    feat = vec.shape
    extra = arr.ndim - len(feat)
    if extra > (1 if vec.lead else 0) or (extra > 0 and any(d != 1 for d in arr.shape[:extra])):
        raise imp.bad(node, i, f"{what} of shape {list(arr.shape)} does not fit a tensor of shape {_show(([vec.batch] if vec.lead else []) + list(feat))}")
    core = arr.reshape(arr.shape[extra:]) if extra > 0 else arr
    try:
        full = np.broadcast_to(core, feat)
    except ValueError:
        raise imp.bad(node, i, f"{what} of shape {list(arr.shape)} does not fit {math.prod(feat)} features") from None
    return imp.exact(full, f"node {node.name!r} {what}")


def _matrix(imp: _Importer, arr: Any, what: str) -> list[list[Q]]:
    flat = imp.exact(arr, what)
    rows, cols = arr.shape
    return [flat[r * cols:(r + 1) * cols] for r in range(rows)]


def _gemm(imp: _Importer, node: Any, i: int, a: Any, b: Any, c: Any, attrs: dict[str, Any]) -> _Vec:
    if not isinstance(a, _Vec) or isinstance(b, _Vec) or isinstance(c, _Vec):
        raise imp.unsupported(node, i, "Gemm is imported as data x constant weight (+ constant bias) only")
    if attrs.get("transA", 0):
        raise imp.unsupported(node, i, "Gemm with transA=1 on the data input is not supported")
    if len(a.shape) != 1:
        raise imp.bad(node, i, f"Gemm needs a vector input, got features of shape {list(a.shape)}")
    if b.ndim != 2:
        raise imp.bad(node, i, f"Gemm weight must be a matrix, got shape {list(b.shape)}")
    W = b if attrs.get("transB", 0) else b.T  # W: one row per output
    K = len(a.forms)
    if W.shape[1] != K:
        raise imp.bad(node, i, f"Gemm weight of shape {list(b.shape)} (transB={attrs.get('transB', 0)}) does not fit an input of {K} features")
    M = _matrix(imp, W, f"node {node.name!r} weight")
    alpha = from_float(float(attrs.get("alpha", 1.0)))
    beta = from_float(float(attrs.get("beta", 1.0)))
    if alpha != 1:
        M = [[alpha * w for w in row] for row in M]
    out = _Vec([], None, a.lead, a.batch, (W.shape[0],))
    bias = [ZERO] * W.shape[0] if c is None else _broadcast_const(imp, c, out, node, i, "Gemm bias C")
    if beta != 1:
        bias = [beta * v for v in bias]
    return imp.affine(a, M, bias, a.lead, (W.shape[0],))


def _matmul(imp: _Importer, node: Any, i: int, a: Any, b: Any) -> _Vec:
    if not isinstance(a, _Vec) or isinstance(b, _Vec):
        raise imp.unsupported(node, i, "MatMul is imported as data x constant weight only (the data on the left)")
    if len(a.shape) != 1:
        raise imp.bad(node, i, f"MatMul needs a vector input, got features of shape {list(a.shape)}")
    K = len(a.forms)
    if b.ndim not in (1, 2) or b.shape[0] != K:
        raise imp.bad(node, i, f"MatMul weight of shape {list(b.shape)} does not fit an input of {K} features")
    if b.ndim == 1:
        M = [imp.exact(b, f"node {node.name!r} weight")]
        return imp.affine(a, M, [ZERO], a.lead, ())
    M = _matrix(imp, b.T, f"node {node.name!r} weight")
    return imp.affine(a, M, [ZERO] * b.shape[1], a.lead, (b.shape[1],))


def _add(imp: _Importer, node: Any, i: int, a: Any, b: Any) -> _Vec:
    if not isinstance(a, _Vec) and not isinstance(b, _Vec):
        raise imp.unsupported(node, i, "Add of two constants is not supported (export with constant folding)")
    if isinstance(a, _Vec) and isinstance(b, _Vec):
        if a.shape != b.shape:
            raise imp.bad(node, i, f"Add of tensors with features of shapes {list(a.shape)} and {list(b.shape)}")
        forms = []
        for (la, ca), (lb, cb) in zip(a.forms, b.forms):
            lin = dict(la)
            for s, w in lb.items():
                lin[s] = lin.get(s, ZERO) + w
            forms.append((lin, ca + cb))
        return _Vec(forms, None, a.lead or b.lead, a.batch if a.lead else b.batch, a.shape)
    vec, const = (a, b) if isinstance(a, _Vec) else (b, a)
    bias = _broadcast_const(imp, const, vec, node, i, "added constant")
    return _Vec([(lin, c + v) for (lin, c), v in zip(vec.forms, bias)], None, vec.lead, vec.batch, vec.shape)


def _flatten(imp: _Importer, node: Any, i: int, x: Any, axis: int) -> Any:
    import numpy as np

    if not isinstance(x, _Vec):
        rank = x.ndim
        ax = axis + rank if axis < 0 else axis
        return x.reshape(int(np.prod(x.shape[:ax], dtype=np.int64)), -1)
    rank = len(x.shape) + (1 if x.lead else 0)
    ax = axis + rank if axis < 0 else axis
    n = len(x.forms)
    if x.lead and ax >= 1 and all(d == 1 for d in x.shape[: ax - 1]):
        return _Vec(x.forms, x.refs, True, x.batch, (n,))
    if not x.lead and ax == 0:
        return _Vec(x.forms, x.refs, True, 1, (n,))
    raise imp.unsupported(node, i, f"Flatten with axis={axis} of a tensor of rank {rank} does not give a vector")


def _reshape_const(imp: _Importer, node: Any, i: int, x: Any, target: list[int], allowzero: bool) -> Any:
    t = [x.shape[k] if (v == 0 and not allowzero and k < x.ndim) else v for k, v in enumerate(target)]
    try:
        return x.reshape(t)
    except ValueError as exc:
        raise imp.bad(node, i, f"cannot reshape a constant of shape {list(x.shape)} to {target}: {exc}") from None


def load_model(model: Any, *, source: str = "") -> Network:
    """Build the exact network of an ``onnx.ModelProto`` (see :func:`load`)."""
    onnx = _onnx()
    imp = _Importer(source or "<model>")
    graph = model.graph
    values: dict[str, Any] = {}
    for init in graph.initializer:
        values[init.name] = _array(onnx, init, imp.source, f"initializer {init.name!r}")
    data_inputs = [v for v in graph.input if v.name not in values]
    if len(data_inputs) != 1:
        names = [v.name for v in data_inputs]
        raise UnsupportedError(f"{imp.source}: the model has {len(names)} data inputs {names}; exactnet imports models with one input tensor")
    x = data_inputs[0]
    dims: list[int | None] = []
    shown: list[int | str] = []
    for d in x.type.tensor_type.shape.dim:
        dims.append(d.dim_value if d.HasField("dim_value") else None)
        shown.append(d.dim_value if d.HasField("dim_value") else (d.dim_param or "?"))
    if not dims:
        raise UnsupportedError(f"{imp.source}: input {x.name!r} has no shape (or is a scalar); exactnet needs [batch, features] or [features]")
    lead = len(dims) >= 2
    feat = dims[1:] if lead else dims
    if any(d is None or d <= 0 for d in feat):
        raise NetworkFileError(f"{imp.source}: input {x.name!r} has shape {shown}; its feature dimensions must be fixed")
    d_in = math.prod(d for d in feat if d is not None)
    in_names = [f"x{k + 1}" for k in range(d_in)]
    props = {p.key: p.value for p in model.metadata_props}
    saved_inputs = _saved_names(props.get("exactnet.inputs"), d_in)
    if saved_inputs:
        in_names = saved_inputs
    imp.g.add_nodes_from(in_names)
    values[x.name] = _Vec.of_refs(in_names, lead, dims[0] if lead else None, tuple(d for d in feat if d is not None))

    for i, node in _sort_nodes(list(graph.node), set(values), imp):
        if node.domain not in ("", "ai.onnx"):
            raise imp.unsupported(node, i, f"operator {node.domain}.{node.op_type} is not supported; exactnet imports {', '.join(OPERATORS)}")
        op = node.op_type
        if op not in OPERATORS:
            raise imp.unsupported(node, i, f"operator {op} is not supported; exactnet imports ReLU networks made of {', '.join(OPERATORS)}")
        args = [values[name] if name else None for name in node.input]
        attrs = {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}
        need = {"Gemm": (2, 3), "MatMul": (2, 2), "Add": (2, 2), "Relu": (1, 1), "Identity": (1, 1),
                "Flatten": (1, 1), "Reshape": (2, 2), "Constant": (0, 0)}[op]
        if not need[0] <= len(args) <= need[1] or any(a is None for a in args[: need[0]]) or len(node.output) < 1:
            raise imp.bad(node, i, f"{op} has {len(args)} inputs and {len(node.output)} outputs")
        if op == "Constant":
            result: Any = _constant_value(onnx, node, imp, i)
        elif op == "Gemm":
            result = _gemm(imp, node, i, args[0], args[1], args[2] if len(args) > 2 else None, attrs)
        elif op == "MatMul":
            result = _matmul(imp, node, i, args[0], args[1])
        elif op == "Add":
            result = _add(imp, node, i, args[0], args[1])
        elif op == "Relu":
            if not isinstance(args[0], _Vec):
                raise imp.unsupported(node, i, "Relu of a constant is not supported (export with constant folding)")
            result = imp.materialize(args[0], "relu")
        elif op == "Identity":
            result = args[0]
        elif op == "Flatten":
            result = _flatten(imp, node, i, args[0], int(attrs.get("axis", 1)))
        else:  # Reshape
            shape: Any = args[1]
            if isinstance(shape, _Vec) or shape.dtype.kind not in _INT_KINDS or shape.ndim != 1:
                raise imp.unsupported(node, i, "Reshape needs a constant integer shape (a computed shape is not supported)")
            target = [int(v) for v in shape.tolist()]
            allowzero = bool(attrs.get("allowzero", 0))
            if isinstance(args[0], _Vec):
                result = _vector_shape(args[0], target, allowzero, imp, node, i)
            else:
                result = _reshape_const(imp, node, i, args[0], target, allowzero)
        values[node.output[0]] = result

    outs: list[tuple[dict[str, Q], Q]] = []
    out_refs: list[str | None] = []
    for o in graph.output:
        v = values.get(o.name)
        if v is None:
            raise NetworkFileError(f"{imp.source}: output {o.name!r} is not computed by any node")
        if not isinstance(v, _Vec):
            raise UnsupportedError(f"{imp.source}: output {o.name!r} is a constant, not a function of the input")
        outs.extend(v.forms)
        out_refs.extend(v.refs if v.refs is not None else [None] * len(v.forms))
    if not outs:
        raise NetworkFileError(f"{imp.source}: the model has no outputs")
    out_names = [f"y{k + 1}" for k in range(len(outs))]
    saved_outputs = _saved_names(props.get("exactnet.outputs"), len(outs))
    if saved_outputs:
        out_names = saved_outputs
    inputs = set(in_names)
    relabel: dict[str, str] = {}
    for name, ref, (lin, c) in zip(out_names, out_refs, outs):
        if ref is not None and ref not in inputs and ref not in relabel:
            relabel[ref] = name
        else:
            imp.g.add_node(name, bias=c, act="identity")
            for s, w in lin.items():
                imp.g.add_edge(s, name, weight=w)
    if relabel:
        nx.relabel_nodes(imp.g, relabel, copy=False)
    meta: dict[str, Any] = {}
    saved_meta = props.get("exactnet.metadata")
    if saved_meta:
        try:
            loaded = _json.loads(saved_meta)
            if isinstance(loaded, dict):
                meta.update(loaded)
        except ValueError:
            pass
    meta.pop("snap", None)
    meta["import"] = _import_record(model, imp)
    return Network.from_graph(imp.g, in_names, out_names, metadata=meta)


def _saved_names(text: str | None, n: int) -> list[str] | None:
    if not text:
        return None
    try:
        names = _json.loads(text)
    except ValueError:
        return None
    if (
        isinstance(names, list)
        and len(names) == n
        and all(isinstance(s, str) and s and not _HIDDEN.match(s) for s in names)
        and len(set(names)) == n
    ):
        return names
    return None


def _import_record(model: Any, imp: _Importer) -> dict[str, Any]:
    floats = sorted(imp.dtypes)
    if floats:
        policy = f"weights taken at their exact binary {' and '.join(floats)} values"
    else:
        policy = "integer weights, taken exactly"
    producer = f"{model.producer_name} {model.producer_version}".strip()
    record: dict[str, Any] = {"format": "onnx", "file": imp.source, "dtypes": floats, "weights": policy}
    if producer:
        record["producer"] = producer
    opsets = {o.domain or "ai.onnx": o.version for o in model.opset_import}
    if opsets:
        record["opset"] = opsets
    return record


def load(path: str | os.PathLike[str]) -> Network:
    """Read an ONNX model of a ReLU network, every weight at its exact binary value.

    Parameters
    ----------
    path : path-like
        A ``.onnx`` file (external data next to it is read too).

    Returns
    -------
    Network
        Inputs ``x1..xd`` (the input tensor's features in C order), outputs
        ``y1..ym`` (the graph outputs concatenated), hidden neurons ``h{l}_{i}``;
        the names an exactnet export saved are restored.  ``metadata["import"]``
        records the file, the producer and the float policy, e.g. "weights taken
        at their exact binary float32 values".

    Raises
    ------
    NetworkFileError
        A missing or corrupt file, a missing initializer, a shape that does not fit.
    UnsupportedError
        An operator other than :data:`OPERATORS` (the message names the
        operator and the node), a reshape to anything but a vector, several inputs.

    Examples
    --------
    >>> import tempfile, os
    >>> N = Network.from_layers([[["1"], ["1"]], [["2", "-4"]]], [["0", "-1/2"], ["0"]])
    >>> p = os.path.join(tempfile.mkdtemp(), "tent.onnx")
    >>> print(dump(N, p))
    0
    >>> M = load(p)
    >>> M.layers() == N.layers(), M.metadata["import"]["weights"]
    (True, 'weights taken at their exact binary float32 values')
    """
    onnx = _onnx()
    p = Path(path)
    if not p.exists():
        raise NetworkFileError(f"{p}: no such file")
    if p.is_dir():
        raise NetworkFileError(f"{p}: is a directory, not a network file")
    try:
        model = onnx.load(str(p))
    except Exception as exc:  # noqa: BLE001 - protobuf's DecodeError and onnx's own errors
        raise NetworkFileError(f"{p}: not a readable ONNX model: {_one_line(exc) or type(exc).__name__}") from None
    if not model.HasField("graph") or not model.graph.output:
        raise NetworkFileError(f"{p}: not an ONNX model (no graph with outputs)")
    return load_model(model, source=str(p))


# -- export ------------------------------------------------------------------------------

_F32_MAX = Q((1 << 24) - 1) * Q(2) ** 104


def float32_value(x: Q) -> Q:
    """The float32 nearest to `x` (ties to even), as an exact rational.

    Subnormals are handled; a value beyond the largest float32 raises.

    Raises
    ------
    InvalidArgument
        If `x` rounds beyond the largest finite float32.

    Examples
    --------
    >>> print(float32_value(q("1/3")), float32_value(q("3/8")))
    11184811/33554432 3/8
    >>> print(float32_value(q("2^-150")), float32_value(q("3/2") * q("2^-149")) == q("2^-148"))
    0 True
    """
    v = q(x)
    if v == 0:
        return ZERO
    a: Any = abs(v)
    E = int(a.numerator).bit_length() - int(a.denominator).bit_length()
    if a < Q(2) ** E:
        E -= 1
    e = max(E, -126) - 23  # the spacing of float32 around a is 2^e
    r = Q(round_half_even(a / Q(2) ** e)) * Q(2) ** e
    if r > _F32_MAX:
        raise InvalidArgument(f"{v} is beyond the largest float32")
    return r if v > 0 else -r


def _as_float(r: Q) -> float:
    """The float of a float32 value (exact: the numerator has at most 25 bits here)."""
    num, den = int(r.numerator), int(r.denominator)
    return math.ldexp(num, -(den.bit_length() - 1))


def _natural(name: str) -> tuple[Any, ...]:
    """Runs of digits compared as numbers (h1_2 before h1_10), the order of Network.layers."""
    return tuple(int(t) if k % 2 else t for k, t in enumerate(re.split(r"(\d+)", name)))


@dataclass
class _Groups:
    order: list[tuple[int, str]]
    members: dict[tuple[int, str], list[str]]


def _groups(net: Network) -> _Groups:
    outs = list(net.outputs)
    members: dict[tuple[int, str], list[str]] = {}
    for n in net.neurons:
        members.setdefault((net.depth_of(n), net.activation(n)), []).append(n)
    for key, ms in members.items():
        if sorted(ms) == sorted(outs):
            members[key] = outs
        else:
            ms.sort(key=_natural)
    order = sorted(members, key=lambda k: (k[0], k[1] != "relu"))
    return _Groups(order, members)


def to_model(net: Network, *, allow_rounding: bool = False) -> tuple[Any, Q]:
    """An ``onnx.ModelProto`` (float32, opset 17) computing `net`, and the largest rounding change.

    Parameters
    ----------
    net : Network
    allow_rounding : bool
        If False (the default), refuse a network with a weight or bias that
        float32 cannot hold exactly.  If True, round each to the nearest float32.

    Returns
    -------
    (onnx.ModelProto, Q)
        The model (input ``input`` of shape [N, d], output ``output`` of shape
        [N, m]; the names of inputs and outputs and the metadata are kept in
        ``metadata_props``) and ``max |w - float32(w)|`` over every weight and
        bias (0 when the model is exact).

    Raises
    ------
    InvalidArgument
        A number float32 cannot hold without `allow_rounding` (the message
        counts them and shows the first), or one beyond the float32 range.

    Examples
    --------
    >>> N = Network.from_layers([[["1/3"]]], [["0"]])
    >>> to_model(N)
    Traceback (most recent call last):
    ...
    exactnet.exceptions.InvalidArgument: 1 of 2 numbers cannot be written exactly in float32, e.g. the weight 1/3 of edge x1 -> y1; pass allow_rounding=True (exactnet export --allow-rounding) to round each to the nearest float32 and report the largest change
    >>> model, change = to_model(N, allow_rounding=True)
    >>> print(change)
    1/100663296
    """
    onnx = _onnx()
    import numpy as np

    helper = onnx.helper
    largest = ZERO
    inexact: list[str] = []
    total = 0

    def f32(v: Q, kind: str, where: str) -> float:
        nonlocal largest, total
        total += 1
        try:
            r = float32_value(v)
        except InvalidArgument:
            raise InvalidArgument(f"the {kind} {v} of {where} is beyond the largest float32; it cannot be exported") from None
        if r != v:
            inexact.append(f"the {kind} {v} of {where}")
            largest = max(largest, abs(v - r))
        return _as_float(r)

    groups = _groups(net)
    pos: dict[str, tuple[str, int]] = {}  # node -> (tensor name, column)
    for k, name in enumerate(net.inputs):
        pos[name] = ("input", k)
    initializers: list[Any] = []
    nodes: list[Any] = []
    gi = 0
    width = {"input": len(net.inputs)}
    out_group = next((key for key in groups.order if groups.members[key] == list(net.outputs)), None)
    for key in groups.order:
        gi += 1
        ms = groups.members[key]
        by_src: dict[str, list[list[float]]] = {}
        for row, n in enumerate(ms):
            for src, w in net.predecessors(n):
                t, col = pos[src]
                if t not in by_src:
                    by_src[t] = [[0.0] * width[t] for _ in ms]
                by_src[t][row][col] = f32(w, "weight", f"edge {src} -> {n}")
        if not by_src:
            by_src["input"] = [[0.0] * width["input"] for _ in ms]
        bias = [f32(net.bias(n), "bias", f"node {n}") for n in ms]
        final = "output" if key == out_group else f"g{gi}"
        srcs = sorted(by_src, key=lambda t: (t != "input", t))
        last = final if key[1] == "identity" else f"g{gi}_affine"
        acc = ""
        for j, t in enumerate(srcs):
            W = np.array(by_src[t], dtype=np.float32)  # [members, sources]
            wname = f"g{gi}_W{j}"
            out = last if j == len(srcs) - 1 and j == 0 else f"g{gi}_t{j}"
            if j == 0:
                # the first source and the bias in one Gemm (W as [out, in], as torch writes it)
                bname = f"g{gi}_b"
                initializers.append(onnx.numpy_helper.from_array(W, wname))
                initializers.append(onnx.numpy_helper.from_array(np.array(bias, dtype=np.float32), bname))
                nodes.append(helper.make_node("Gemm", [t, wname, bname], [out], name=f"g{gi}_gemm", transB=1))
                acc = out
                continue
            initializers.append(onnx.numpy_helper.from_array(np.ascontiguousarray(W.T), wname))
            nodes.append(helper.make_node("MatMul", [t, wname], [out], name=f"g{gi}_matmul{j}"))
            total_out = last if j == len(srcs) - 1 else f"g{gi}_sum{j}"
            nodes.append(helper.make_node("Add", [acc, out], [total_out], name=f"g{gi}_add{j}"))
            acc = total_out
        if key[1] == "relu":
            nodes.append(helper.make_node("Relu", [acc], [final], name=f"g{gi}_relu"))
        width[final] = len(ms)
        for col, n in enumerate(ms):
            pos[n] = (final, col)
    if out_group is None:
        # the outputs are spread over several groups (or include an input): pick them with 0/1 matrices
        by_src = {}
        m = len(net.outputs)
        for j, o in enumerate(net.outputs):
            t, col = pos[o]
            by_src.setdefault(t, [[0.0] * m for _ in range(width[t])])[col][j] = 1.0
        acc = ""
        for j, t in enumerate(sorted(by_src, key=lambda s: (s != "input", s))):
            sname = f"out_S{j}"
            initializers.append(onnx.numpy_helper.from_array(np.array(by_src[t], dtype=np.float32), sname))
            nodes.append(helper.make_node("MatMul", [t, sname], [f"out_t{j}"], name=f"out_select{j}"))
            if acc:
                nodes.append(helper.make_node("Add", [acc, f"out_t{j}"], [f"out_sum{j}"], name=f"out_add{j}"))
                acc = f"out_sum{j}"
            else:
                acc = f"out_t{j}"
        nodes.append(helper.make_node("Identity", [acc], ["output"], name="out"))
    if inexact and not allow_rounding:
        raise InvalidArgument(
            f"{len(inexact)} of {total} numbers cannot be written exactly in float32, e.g. {inexact[0]}; "
            "pass allow_rounding=True (exactnet export --allow-rounding) to round each to the nearest "
            "float32 and report the largest change"
        )
    x = helper.make_tensor_value_info("input", onnx.TensorProto.FLOAT, ["N", len(net.inputs)])
    y = helper.make_tensor_value_info("output", onnx.TensorProto.FLOAT, ["N", len(net.outputs)])
    graph = helper.make_graph(nodes, "exactnet", [x], [y], initializer=initializers)
    from exactnet import __version__

    model = helper.make_model(
        graph,
        producer_name="exactnet",
        producer_version=__version__,
        opset_imports=[helper.make_opsetid("", OPSET)],
        ir_version=8,
    )
    meta = dict(net.metadata)
    meta.pop("import", None)
    if largest:
        meta["export"] = {"format": "onnx float32", "rounded": True, "largest_change": str(largest)}
    helper.set_model_props(
        model,
        {
            "exactnet.inputs": _json.dumps(list(net.inputs)),
            "exactnet.outputs": _json.dumps(list(net.outputs)),
            "exactnet.metadata": _json.dumps(meta, ensure_ascii=False),
        },
    )
    return model, largest


def dump(net: Network, path: str | os.PathLike[str], *, allow_rounding: bool = False) -> Q:
    """Write `net` as a float32 ONNX model (see :func:`to_model`); the largest rounding change.

    The file is written to a temporary name and renamed, so a refused or failed
    export leaves nothing behind.
    """
    from exactnet.io.files import write_atomic

    model, largest = to_model(net, allow_rounding=allow_rounding)
    write_atomic(path, model.SerializeToString())
    return largest
