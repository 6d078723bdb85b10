"""PyTorch import: ``nn.Sequential`` stacks of Linear and ReLU, under an explicit float policy.

This is the only module of exactnet that imports ``torch`` (and ``safetensors``).

Two ways in:

- :func:`load_safetensors` reads a state_dict saved with ``safetensors`` (keys
  ``"0.weight"``, ``"0.bias"``, ``"2.weight"``, ... with an optional common
  prefix such as ``"net."``).  It needs the ``safetensors`` package and numpy
  only, not torch.  A state_dict holds no activations, so the layer order comes
  from the numeric prefixes and the network is taken to be
  ``Linear, ReLU, Linear, ReLU, ..., Linear``: **a ReLU between consecutive
  Linear layers and none after the last**.
- :func:`load_pt` reads a ``.pt`` file with ``torch.load(path, weights_only=True)``:
  either a state_dict (as above) or a whole ``nn.Sequential`` of ``Linear``,
  ``ReLU``, ``Identity`` and ``Flatten`` modules (then the activations are the
  modules' own).  Nothing else is unpickled: a file holding any other object is
  refused with one line (``weights_only=True`` never runs the pickle's code).

Every float weight is taken at its exact binary value (``from_float`` of each
element; bfloat16 and float16 widen to float32 exactly), and
``metadata["import"]["weights"]`` says so.  ``load_any(path, snap=K)`` in
:mod:`exactnet.io.formats` rounds to the grid 2^-K instead.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from exactnet.exceptions import (
    InvalidArgument,
    InvalidNetworkError,
    NetworkFileError,
    UnsupportedError,
)
from exactnet.network import Network
from exactnet.numbers import ZERO, Q, from_float, q

__all__ = ["from_sequential", "from_state_dict", "load_pt", "load_safetensors"]

_KEY = re.compile(r"^(?P<prefix>(?:.*\.)?)(?P<index>\d+)\.(?P<kind>weight|bias)$")


def _exact(arr: Any, source: str, what: str, dtypes: set[str]) -> list[Q]:
    """The elements of a numpy array in C order, at their exact values."""
    import numpy as np

    kind = arr.dtype.kind
    # ml_dtypes' bfloat16 and float8 (registered with numpy by onnx) widen to float64 exactly
    if str(arr.dtype).startswith(("bfloat16", "float8", "float6", "float4")):
        kind = "f"
    if kind == "f":
        dtypes.add(str(arr.dtype))
        try:
            return [from_float(v) for v in np.asarray(arr, dtype=np.float64).ravel().tolist()]
        except InvalidArgument:
            raise NetworkFileError(f"{source}: {what} holds NaN or an infinity") from None
    if kind in "iu":
        return [q(int(v)) for v in arr.ravel().tolist()]
    raise UnsupportedError(f"{source}: {what} has dtype {arr.dtype}; exactnet reads float and integer tensors")


def _layer(W: Any, b: Any | None, source: str, name: str, dtypes: set[str]) -> tuple[list[list[Q]], list[Q]]:
    if W.ndim != 2:
        raise NetworkFileError(f"{source}: {name}.weight has shape {list(W.shape)}; a Linear weight is a matrix [out, in]")
    rows, cols = W.shape
    flat = _exact(W, source, f"{name}.weight", dtypes)
    matrix = [flat[r * cols:(r + 1) * cols] for r in range(rows)]
    if b is None:
        return matrix, [ZERO] * rows
    if b.ndim != 1 or b.shape[0] != rows:
        raise NetworkFileError(f"{source}: {name}.bias has shape {list(b.shape)} but {name}.weight has {rows} rows")
    return matrix, _exact(b, source, f"{name}.bias", dtypes)


def _build(
    layers: list[tuple[list[list[Q]], list[Q]]],
    acts: list[str],
    names: list[str],
    source: str,
    record: dict[str, Any],
) -> Network:
    for k in range(1, len(layers)):
        got, want = len(layers[k][0][0]) if layers[k][0] else 0, len(layers[k - 1][0])
        if got != want:
            raise NetworkFileError(
                f"{source}: {names[k]}.weight has {got} columns but {names[k - 1]}.weight has {want} rows"
            )
    try:
        return Network.from_layers(
            [W for W, _ in layers], [b for _, b in layers], acts, metadata={"import": record}
        )
    except InvalidNetworkError as exc:
        raise NetworkFileError(f"{source}: {exc}") from None


def _record(fmt: str, source: str, dtypes: set[str], structure: str) -> dict[str, Any]:
    floats = sorted(dtypes)
    policy = (
        f"weights taken at their exact binary {' and '.join(floats)} values"
        if floats
        else "integer weights, taken exactly"
    )
    return {"format": fmt, "file": source, "dtypes": floats, "weights": policy, "structure": structure}


def from_state_dict(
    state: Mapping[str, Any],
    *,
    source: str = "<state_dict>",
    fmt: str = "state_dict",
    original_dtypes: set[str] | None = None,
) -> Network:
    """The network of an ``nn.Sequential`` state_dict of Linear layers (numpy arrays).

    The keys are ``"<i>.weight"`` and ``"<i>.bias"`` (a bias may be missing: a
    Linear without bias), all with the same prefix; layers are ordered by ``i``.
    Between consecutive Linear layers there is a ReLU, after the last none.
    `original_dtypes` names the dtypes the arrays had before an exact widening
    (bfloat16 to float32), for the metadata.

    Raises
    ------
    NetworkFileError
        No Linear weights, mixed prefixes, a bias without a weight, shapes that
        do not chain.
    UnsupportedError
        A key that is not a Linear weight or bias (a BatchNorm's running mean,
        say): the layer is not modelled.

    Examples
    --------
    >>> import numpy as np
    >>> sd = {"0.weight": np.array([[1.0], [1.0]], dtype=np.float32),
    ...       "0.bias": np.array([0.0, -0.5], dtype=np.float32),
    ...       "2.weight": np.array([[2.0, -4.0]], dtype=np.float32),
    ...       "2.bias": np.array([0.0], dtype=np.float32)}
    >>> N = from_state_dict(sd)
    >>> from exactnet.evaluate import evaluate
    >>> print(evaluate(N, "3/4")[0], N.metadata["import"]["weights"])
    1/2 weights taken at their exact binary float32 values
    """
    parsed: dict[int, dict[str, Any]] = {}
    prefixes = set()
    for key, value in state.items():
        m = _KEY.match(str(key))
        if m is None:
            raise UnsupportedError(
                f"{source}: key {key!r} is not the weight or bias of a Linear layer; exactnet imports "
                "nn.Sequential stacks of Linear and ReLU only"
            )
        prefixes.add(m["prefix"])
        parsed.setdefault(int(m["index"]), {})[m["kind"]] = value
    if not parsed:
        raise NetworkFileError(f"{source}: no Linear weights (an empty state_dict)")
    if len(prefixes) > 1:
        raise NetworkFileError(f"{source}: the keys have different prefixes {sorted(prefixes)}; one Sequential only")
    prefix = prefixes.pop()
    dtypes: set[str] = set()
    layers, names = [], []
    for index in sorted(parsed):
        entry = parsed[index]
        name = f"{prefix}{index}"
        if "weight" not in entry:
            raise NetworkFileError(f"{source}: {name}.bias has no {name}.weight")
        layers.append(_layer(entry["weight"], entry.get("bias"), source, name, dtypes))
        names.append(name)
    acts = ["relu"] * (len(layers) - 1) + ["identity"]
    structure = (
        f"Linear layers {', '.join(names)} in the order of their numeric prefixes, a ReLU between "
        "consecutive ones, none after the last (assumed: a state_dict holds no activations)"
    )
    if original_dtypes:
        dtypes = set(original_dtypes)
    return _build(layers, acts, names, source, _record(fmt, source, dtypes, structure))


def load_safetensors(path: str | os.PathLike[str]) -> Network:
    """Read a state_dict saved as safetensors (see :func:`from_state_dict`), without torch.

    Raises
    ------
    NetworkFileError
        A missing or corrupt file, or any error of :func:`from_state_dict`.
    UnsupportedError
        The ``safetensors`` package is missing; a bfloat16 tensor without torch.

    Examples
    --------
    >>> import numpy as np, tempfile, os
    >>> from safetensors.numpy import save_file
    >>> p = os.path.join(tempfile.mkdtemp(), "m.safetensors")
    >>> save_file({"0.weight": np.array([[0.1]], dtype=np.float32)}, p)
    >>> print(load_safetensors(p).weight("x1", "y1"))
    13421773/134217728
    """
    p = Path(path)
    _check_file(p)
    try:
        from safetensors import SafetensorError
        from safetensors.numpy import load_file
    except ImportError:  # pragma: no cover - depends on the environment
        raise UnsupportedError(
            "reading .safetensors files needs the safetensors package: pip install 'exactnet[torch]'"
        ) from None
    try:
        state = load_file(str(p))
    except SafetensorError as exc:
        raise NetworkFileError(f"{p}: not a readable safetensors file: {_one_line(exc)}") from None
    except (TypeError, ValueError) as exc:
        # numpy has no bfloat16: read those through torch when it is there (exact: bf16 is a float32 prefix)
        if "bf16" not in str(exc).lower() and "bfloat16" not in str(exc).lower():
            raise NetworkFileError(f"{p}: cannot read the tensors: {_one_line(exc)}") from None
        torch = _torch(f"{p} holds bfloat16 tensors, which numpy cannot hold")
        from safetensors.torch import load_file as load_torch

        seen: set[str] = set()
        state = {k: _numpy(v, torch, seen) for k, v in load_torch(str(p)).items()}
        return from_state_dict(state, source=str(p), fmt="safetensors", original_dtypes=seen)
    return from_state_dict(state, source=str(p), fmt="safetensors")


def _torch(why: str) -> Any:
    try:
        import torch
    except ImportError:
        raise UnsupportedError(f"{why}: reading it needs torch: pip install 'exactnet[torch]'") from None
    return torch


def _check_file(p: Path) -> None:
    if not p.exists():
        raise NetworkFileError(f"{p}: no such file")
    if p.is_dir():
        raise NetworkFileError(f"{p}: is a directory, not a network file")


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text if len(text) <= 300 else text[:297] + "..."


def _modules(torch: Any) -> list[Any]:
    nn = torch.nn
    return [nn.Sequential, nn.Linear, nn.ReLU, nn.Identity, nn.Flatten]


def _numpy(t: Any, torch: Any, seen: set[str]) -> Any:
    """A tensor as a numpy array; bfloat16 widened to float32 (exact: a bfloat16 is a float32)."""
    t = t.detach().cpu()
    if t.is_floating_point():
        seen.add(str(t.dtype).removeprefix("torch."))
    if t.dtype == torch.bfloat16:
        t = t.to(torch.float32)
    return t.numpy()


def from_sequential(model: Any, *, source: str = "<module>") -> Network:
    """The network of an ``nn.Sequential`` of Linear, ReLU, Identity and Flatten (nested allowed).

    The activations are the modules' own: Linear layers not followed by a ReLU
    are identity layers, a ReLU after the last Linear makes the outputs ReLUs.
    ``Flatten`` is allowed before the first Linear only.

    Raises
    ------
    UnsupportedError
        Any other module, a ReLU or Flatten where it cannot be modelled.

    Examples
    --------
    >>> import pytest; torch = pytest.importorskip("torch")
    >>> m = torch.nn.Sequential(torch.nn.Linear(1, 2), torch.nn.ReLU(), torch.nn.Linear(2, 1))
    >>> N = from_sequential(m)
    >>> [layer.activation for layer in N.layers()]
    ['relu', 'identity']
    """
    torch = _torch("a torch module")
    nn = torch.nn
    flat: list[tuple[str, Any]] = []

    def walk(mod: Any, prefix: str) -> None:
        for name, child in mod.named_children():
            if isinstance(child, nn.Sequential):
                walk(child, f"{prefix}{name}.")
            else:
                flat.append((f"{prefix}{name}", child))

    if not isinstance(model, nn.Sequential):
        raise UnsupportedError(f"{source}: holds a {type(model).__name__}; exactnet imports nn.Sequential stacks")
    walk(model, "")
    dtypes: set[str] = set()
    seen: set[str] = set()
    layers: list[tuple[list[list[Q]], list[Q]]] = []
    acts: list[str] = []
    names: list[str] = []
    for name, mod in flat:
        if isinstance(mod, nn.Linear):
            bias = mod.bias if isinstance(mod.bias, torch.Tensor) else None
            if not isinstance(mod.weight, torch.Tensor):
                raise NetworkFileError(f"{source}: module {name} (Linear) has no weight tensor")
            W = _numpy(mod.weight, torch, seen)
            layers.append(_layer(W, None if bias is None else _numpy(bias, torch, seen), source, name, dtypes))
            acts.append("identity")
            names.append(name)
        elif isinstance(mod, nn.ReLU):
            if not layers:
                raise UnsupportedError(f"{source}: module {name} (ReLU) comes before any Linear layer; not supported")
            acts[-1] = "relu"  # relu(relu(z)) = relu(z): a repeated ReLU changes nothing
        elif isinstance(mod, nn.Identity):
            continue
        elif isinstance(mod, nn.Flatten):
            if layers:
                raise UnsupportedError(f"{source}: module {name} (Flatten) after a Linear layer is not supported")
        else:
            raise UnsupportedError(
                f"{source}: module {name} ({type(mod).__name__}) is not supported; exactnet imports "
                "Sequential stacks of Linear, ReLU, Identity and Flatten"
            )
    if not layers:
        raise NetworkFileError(f"{source}: the Sequential has no Linear layer")
    structure = "the modules of the nn.Sequential: " + ", ".join(
        f"{n} Linear" + (" + ReLU" if a == "relu" else "") for n, a in zip(names, acts)
    )
    return _build(layers, acts, names, source, _record("torch nn.Sequential", source, seen or dtypes, structure))


def load_pt(path: str | os.PathLike[str]) -> Network:
    """Read a ``.pt`` file with ``torch.load(weights_only=True)``: a state_dict or an nn.Sequential.

    A state_dict goes to :func:`from_state_dict` (a ReLU between consecutive
    Linear layers, none after the last); a whole ``nn.Sequential`` to
    :func:`from_sequential`, its own activations kept.  Only tensors, plain
    containers and the modules Sequential, Linear, ReLU, Identity and Flatten
    are unpickled; anything else is refused before any of it runs.

    Raises
    ------
    NetworkFileError
        A missing or corrupt file; a pickle that ``weights_only=True`` refuses
        (one line naming the object it met).
    UnsupportedError
        torch is not installed; the file holds something other than a
        state_dict or a Sequential.
    """
    p = Path(path)
    _check_file(p)
    torch = _torch(f"{p} is a PyTorch file")
    import pickle
    import warnings

    try:
        # torch warns about pickle protocols on stderr; the outcome is reported below instead
        with warnings.catch_warnings(), torch.serialization.safe_globals(_modules(torch)):
            warnings.simplefilter("ignore")
            obj = torch.load(str(p), weights_only=True, map_location="cpu")
    except pickle.UnpicklingError as exc:
        text = " ".join(str(exc).split())
        found = re.search(r"Unsupported global: GLOBAL (\S+)", text)
        unpickler = re.search(r"WeightsUnpickler error: (.*?)(?: Check the documentation|$)", text)
        if found:
            what = f"it holds {found.group(1)}"
        elif unpickler:
            what = unpickler.group(1).strip().rstrip(".")
        else:
            what = text.split(". ")[0]
        raise NetworkFileError(
            f"{p}: refused: torch.load(weights_only=True) will not unpickle this file ({what}); exactnet "
            "reads state_dicts and nn.Sequential stacks of Linear and ReLU, and never unpickles other "
            "objects; save model.state_dict() or a .safetensors file"
        ) from None
    except Exception as exc:  # noqa: BLE001 - torch raises RuntimeError, EOFError, zipfile errors...
        raise NetworkFileError(f"{p}: not a readable PyTorch file ({type(exc).__name__}: {_one_line(exc)})") from None
    if isinstance(obj, torch.nn.Module):
        return from_sequential(obj, source=str(p))
    if isinstance(obj, Mapping):
        if not all(isinstance(v, torch.Tensor) for v in obj.values()):
            bad = next(k for k, v in obj.items() if not isinstance(v, torch.Tensor))
            raise UnsupportedError(
                f"{p}: entry {bad!r} is a {type(obj[bad]).__name__}, not a tensor; exactnet reads a plain "
                "state_dict (name -> tensor)"
            )
        seen: set[str] = set()
        state = {str(k): _numpy(v, torch, seen) for k, v in obj.items()}
        return from_state_dict(state, source=str(p), fmt="torch state_dict", original_dtypes=seen)
    raise UnsupportedError(f"{p}: holds a {type(obj).__name__}; exactnet reads a state_dict or an nn.Sequential")
