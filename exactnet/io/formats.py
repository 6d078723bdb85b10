"""Network files by extension: one reader and one writer for every format exactnet knows.

:func:`load_any` picks the reader from the file name (``.onnx``, ``.safetensors``,
``.pt``/``.pth``, anything else the JSON network file) and, with ``snap=K``,
rounds every weight and bias to the dyadic grid 2^-K.  :func:`dump_any` writes
``.onnx`` or the JSON network file.  The optional readers (onnx, torch,
safetensors) are imported only when a file of theirs is read, so the JSON path
never needs them.

The rounding is :func:`exactnet.quantize.snap` on the grid 2^-K: exact
arithmetic on ``Q``, no float involved.  The
float policy of the imports (every float32 weight taken at its exact binary
value) lives in :mod:`exactnet.io.onnx` and :mod:`exactnet.io.torch`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from exactnet.exceptions import InvalidArgument, NetworkFileError
from exactnet.network import Network
from exactnet.numbers import ZERO, Q
from exactnet.quantize import Alphabet, round_half_even, snap_value
from exactnet.quantize import snap as _snap_to

__all__ = [
    "READ_SUFFIXES",
    "WRITE_SUFFIXES",
    "Snap",
    "dump_any",
    "import_note",
    "load_any",
    "round_half_even",
    "snap_network",
    "snap_value",
]

READ_SUFFIXES = (".json", ".onnx", ".safetensors", ".pt", ".pth")
"""The extensions :func:`load_any` reads (anything else is read as JSON)."""

WRITE_SUFFIXES = (".json", ".onnx")
"""The extensions :func:`dump_any` writes."""

MAX_SNAP = 1100
"""The largest grid exponent K accepted by ``snap`` (2^-1074 is the smallest double)."""


@dataclass(frozen=True, slots=True)
class Snap:
    """What :func:`snap_network` did: the grid 2^-k and the largest change, exactly."""

    k: int
    largest_change: Q
    changed: int
    total: int


def _check_k(k: object) -> int:
    if isinstance(k, bool) or not isinstance(k, int):
        raise InvalidArgument(f"snap={k!r} must be an integer K (the grid 2^-K)")
    if not 0 <= k <= MAX_SNAP:
        raise InvalidArgument(f"snap={k} must be between 0 and {MAX_SNAP} (the grid 2^-K)")
    return k


def snap_network(net: Network, k: int) -> tuple[Network, Snap]:
    """Round every weight and bias of `net` to the dyadic grid 2^-k (round half to even).

    Returns the rounded network and a :class:`Snap` with the largest change
    ``max |w - snap(w)|`` over all weights and biases, exactly.  The rounded
    network's metadata records ``snap`` (k, the largest change and how many
    numbers changed).

    Raises
    ------
    InvalidArgument
        If `k` is not an integer in 0..1100.

    Examples
    --------
    >>> N = Network.from_layers([[["1/3"], ["1/2"]], [["3/4", "-5/8"]]], [["0", "1/10"], ["0"]])
    >>> M, s = snap_network(N, 2)
    >>> print(M.weight("x1", "h1_1"), M.bias("h1_2"), M.weight("h1_2", "y1"), s.largest_change)
    1/4 0 -1/2 1/8
    """
    k = _check_k(k)
    rounded, info = _snap_to(net, Alphabet.grid(k))
    return rounded, Snap(k, info.largest_change, info.changed, info.total)


def load_any(path: str | os.PathLike[str], *, snap: int | None = None) -> Network:
    """Read a network from a file of any format exactnet knows, chosen by extension.

    ``.onnx`` goes to :func:`exactnet.io.onnx.load`, ``.safetensors`` to
    :func:`exactnet.io.torch.load_safetensors`, ``.pt``/``.pth`` to
    :func:`exactnet.io.torch.load_pt`; anything else is read as the JSON
    network file (:func:`exactnet.io.json.load`).

    Parameters
    ----------
    path : path-like
    snap : int, optional
        Round every weight and bias to the grid 2^-snap (round half to even on
        the exact value) after reading; the metadata records the largest change.
        Without it, float weights are taken at their exact binary values.

    Raises
    ------
    NetworkFileError
        A missing, corrupt or inconsistent file (one line naming the file).
    UnsupportedError
        An operator, layer or dtype exactnet does not model, or a missing
        optional package (onnx, safetensors, torch).

    Examples
    --------
    >>> import tempfile, os
    >>> from exactnet.io.json import dump
    >>> d = tempfile.mkdtemp(); p = os.path.join(d, "n.json")
    >>> dump(Network.from_layers([[["1/3"]]], [["0"]]), p)
    >>> print(load_any(p).weight("x1", "y1"), load_any(p, snap=3).weight("x1", "y1"))
    1/3 3/8
    """
    if snap is not None:
        _check_k(snap)
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix == ".onnx":
        from exactnet.io import onnx as _onnx

        net = _onnx.load(p)
    elif suffix == ".safetensors":
        from exactnet.io import torch as _torch

        net = _torch.load_safetensors(p)
    elif suffix in (".pt", ".pth"):
        from exactnet.io import torch as _torch

        net = _torch.load_pt(p)
    else:
        from exactnet.io.json import load

        net = load(p)
    if snap is not None:
        net, _ = snap_network(net, snap)
    return net


def dump_any(
    net: Network,
    path: str | os.PathLike[str],
    *,
    allow_rounding: bool = False,
    form: str = "graph",
) -> Q:
    """Write `net` as ``.onnx`` (float32) or as the JSON network file; the largest rounding change.

    Parameters
    ----------
    allow_rounding : bool
        ONNX only: round weights that float32 cannot hold to the nearest float32
        instead of refusing (see :func:`exactnet.io.onnx.to_model`).
    form : {"graph", "layered"}
        JSON only.

    Returns
    -------
    Q
        The largest change ``|w - float32(w)|`` over all weights and biases
        (0 when the file holds the network exactly, always 0 for JSON).

    Raises
    ------
    NetworkFileError
        An extension exactnet does not write.
    InvalidArgument
        A weight float32 cannot hold, without `allow_rounding`.
    """
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix == ".onnx":
        from exactnet.io import onnx as _onnx

        return _onnx.dump(net, p, allow_rounding=allow_rounding)
    if suffix == ".json":
        from exactnet.io.json import dump

        dump(net, p, form=form)
        return ZERO
    raise NetworkFileError(
        f"{p}: cannot write {suffix or 'a file without an extension'}; "
        f"exactnet writes {' and '.join(WRITE_SUFFIXES)}"
    )


def import_note(net: Network) -> str | None:
    """One line saying how a network's numbers were obtained, or None for an exact file.

    Examples
    --------
    >>> N = Network.from_layers([[["1/3"]]], [["0"]])
    >>> import_note(N) is None
    True
    >>> print(import_note(snap_network(N, 3)[0]))
    weights and biases rounded to the grid 2^-3 (round half to even on the exact values); largest change 1/24 (1 of 2 numbers changed)
    """
    parts = []
    imported = net.metadata.get("import")
    if isinstance(imported, dict) and imported.get("weights"):
        parts.append(str(imported["weights"]))
    s = net.metadata.get("snap")
    if isinstance(s, dict):
        parts.append(
            f"weights and biases rounded to the grid {s.get('grid')} (round half to even on "
            f"the exact values); largest change {s.get('largest_change')} "
            f"({s.get('changed')} of {s.get('numbers')} numbers changed)"
        )
    return "; then ".join(parts) if parts else None
