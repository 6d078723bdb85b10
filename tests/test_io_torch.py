"""exactnet.io.torch: nn.Sequential stacks of Linear and ReLU from safetensors and .pt files.

The expected networks are built by hand here, independently of the importer: the
float32 weights are read with numpy, each element converted with ``from_float``
and the layers assembled with ``Network.from_layers``.  Sup errors are compared
exactly (``==`` on rationals), never with a tolerance.

:func:`trained_square_net` is shared with ``tests/test_io_onnx.py``.
"""

from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from exactnet.evaluate import evaluate
from exactnet.exceptions import ExactnetError, NetworkFileError, UnsupportedError
from exactnet.io.formats import load_any
from exactnet.io.json import dump, load
from exactnet.io.torch import from_state_dict, load_pt, load_safetensors
from exactnet.network import Network
from exactnet.numbers import Interval, Q, from_float
from exactnet.supnorm import certify

ROOT = Path(__file__).resolve().parent.parent

_TRAINED: dict[str, Any] = {}


def trained_square_net() -> Any:
    """A 1-8-8-1 ReLU net fitted to x^2 on [-1, 1]: 200 Adam steps, seed 0 (well under a second)."""
    torch = pytest.importorskip("torch")
    if "model" not in _TRAINED:
        gen = torch.Generator().manual_seed(0)
        torch.manual_seed(0)
        model = torch.nn.Sequential(
            torch.nn.Linear(1, 8), torch.nn.ReLU(), torch.nn.Linear(8, 8), torch.nn.ReLU(), torch.nn.Linear(8, 1)
        )
        x = torch.rand(256, 1, generator=gen) * 2 - 1
        y = x**2
        opt = torch.optim.Adam(model.parameters(), lr=0.01)
        for _ in range(200):
            opt.zero_grad()
            loss = ((model(x) - y) ** 2).mean()
            loss.backward()
            opt.step()
        model.eval()
        _TRAINED["model"] = model
    return _TRAINED["model"]


def numpy_state(model: Any) -> dict[str, np.ndarray]:
    return {k: v.detach().numpy().copy() for k, v in model.state_dict().items()}


def by_hand(state: dict[str, np.ndarray], acts: list[str] | None = None) -> Network:
    """The network written by hand from float32 arrays: from_float on each element."""
    indices = sorted({int(k.split(".")[-2]) for k in state})
    Ws, bs = [], []
    for i in indices:
        W = state[f"{i}.weight"]
        Ws.append([[from_float(float(v)) for v in row] for row in W])
        b = state.get(f"{i}.bias")
        bs.append([from_float(float(v)) for v in b] if b is not None else [0] * W.shape[0])
    return Network.from_layers(Ws, bs, acts)


def same_function_and_sup(a: Network, b: Network) -> None:
    assert a.layers() == b.layers()
    ca = certify(a, "x^2", Interval(-1, 1))
    cb = certify(b, "x^2", Interval(-1, 1))
    assert ca.value == cb.value and ca.witness == cb.witness


# -- safetensors ----------------------------------------------------------------------------


def test_safetensors_of_a_trained_net_equals_the_hand_built_network(tmp_path: Path) -> None:
    from safetensors.numpy import save_file

    model = trained_square_net()
    state = numpy_state(model)
    p = tmp_path / "square.safetensors"
    save_file(state, str(p))
    net = load_safetensors(p)
    hand = by_hand(state)
    same_function_and_sup(net, hand)
    assert net.metadata["import"]["weights"] == "weights taken at their exact binary float32 values"
    assert "a ReLU between consecutive ones, none after the last" in net.metadata["import"]["structure"]


def test_safetensors_reads_without_torch(tmp_path: Path) -> None:
    from safetensors.numpy import save_file

    p = tmp_path / "tent.safetensors"
    save_file(
        {
            "net.0.weight": np.array([[1.0], [1.0]], dtype=np.float32),
            "net.0.bias": np.array([0.0, -0.5], dtype=np.float32),
            "net.2.weight": np.array([[2.0, -4.0]], dtype=np.float32),
            "net.2.bias": np.array([0.0], dtype=np.float32),
        },
        str(p),
    )
    code = (
        "import sys; sys.modules['torch'] = None\n"  # any 'import torch' now fails
        "from exactnet.io.formats import load_any\n"
        f"N = load_any({str(p)!r})\n"
        "from exactnet.evaluate import evaluate\n"
        "print(evaluate(N, '1/4')[0], evaluate(N, '3/4')[0])\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120, check=False)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["1/2", "1/2"]  # the tent map: g(1/4) = 1/2, g(3/4) = 1/2


def test_state_dict_order_comes_from_the_numeric_prefixes() -> None:
    # keys out of order, and 10 after 2 (numerically, not as strings)
    state = {
        "10.weight": np.array([[1.0, 1.0]], dtype=np.float32),
        "2.weight": np.array([[1.0], [-1.0]], dtype=np.float32),
        "2.bias": np.array([0.0, 0.0], dtype=np.float32),
    }
    net = from_state_dict(state)
    assert [layer.activation for layer in net.layers()] == ["relu", "identity"]
    assert evaluate(net, "-3/4") == (Q(3, 4),)  # |x| = relu(x) + relu(-x); layer 10 has no bias
    assert net.bias("y1") == 0


def test_float64_and_float16_weights_are_exact() -> None:
    state = {
        "0.weight": np.array([[0.1]], dtype=np.float64),
        "0.bias": np.array([0.1], dtype=np.float16),
    }
    net = from_state_dict(state)
    assert net.weight("x1", "y1") == from_float(0.1)
    assert net.bias("y1") == from_float(float(np.float16(0.1))) == Q(1638, 16384)
    assert net.metadata["import"]["weights"] == "weights taken at their exact binary float16 and float64 values"


@pytest.mark.parametrize(
    "state, error, fragment",
    [
        ({"0.weight": np.ones((2, 1), np.float32), "0.running_mean": np.zeros(2, np.float32)},
         UnsupportedError, "key '0.running_mean' is not the weight or bias of a Linear layer"),
        ({"0.weight": np.ones((2, 1), np.float32), "1.weight": np.ones((1, 3), np.float32)},
         NetworkFileError, "1.weight has 3 columns but 0.weight has 2 rows"),
        ({"0.weight": np.ones((2, 1), np.float32), "0.bias": np.ones(3, np.float32)},
         NetworkFileError, "0.bias has shape [3] but 0.weight has 2 rows"),
        ({"0.bias": np.ones(3, np.float32)}, NetworkFileError, "0.bias has no 0.weight"),
        ({"a.0.weight": np.ones((1, 1), np.float32), "b.1.weight": np.ones((1, 1), np.float32)},
         NetworkFileError, "different prefixes"),
        ({"0.weight": np.ones((2, 1, 1), np.float32)}, NetworkFileError, "a Linear weight is a matrix"),
        ({"0.weight": np.array([[np.nan]], np.float32)}, NetworkFileError, "NaN or an infinity"),
        ({"0.weight": np.array([[True]])}, UnsupportedError, "dtype bool"),
        ({}, NetworkFileError, "empty state_dict"),
    ],
    ids=["batchnorm-key", "shapes-do-not-chain", "bias-shape", "bias-without-weight", "two-prefixes",
         "weight-not-matrix", "nan", "bool-dtype", "empty"],
)
def test_state_dict_refusals(state: dict[str, Any], error: type, fragment: str) -> None:
    with pytest.raises(error) as info:
        from_state_dict(state, source="sd")
    assert fragment in str(info.value)
    assert str(info.value).startswith("sd: ")


@pytest.mark.parametrize(
    "content, fragment",
    [
        (b"", "not a readable safetensors file"),
        (b"\x05\x00\x00\x00\x00\x00\x00\x00{abc}", "not a readable safetensors file"),
        (b"not safetensors at all", "not a readable safetensors file"),
    ],
    ids=["empty", "bad-header", "garbage"],
)
def test_corrupt_safetensors(tmp_path: Path, content: bytes, fragment: str) -> None:
    p = tmp_path / "bad.safetensors"
    p.write_bytes(content)
    with pytest.raises(NetworkFileError) as info:
        load_safetensors(p)
    assert str(info.value).startswith(f"{p}: {fragment}")
    assert "\n" not in str(info.value)


def test_missing_files(tmp_path: Path) -> None:
    for name in ("a.safetensors", "a.pt"):
        with pytest.raises(NetworkFileError, match="no such file"):
            load_any(tmp_path / name)


def test_bfloat16_safetensors_through_torch(tmp_path: Path) -> None:
    torch = pytest.importorskip("torch")
    from safetensors.torch import save_file

    p = tmp_path / "bf.safetensors"
    save_file({"0.weight": torch.tensor([[0.1]], dtype=torch.bfloat16)}, str(p))
    net = load_safetensors(p)
    # bfloat16(0.1) = 0x3DCD: 0.10009765625 = 205/2048, derived from the bit pattern by hand
    assert net.weight("x1", "y1") == Q(205, 2048)
    assert net.metadata["import"]["weights"] == "weights taken at their exact binary bfloat16 values"


# -- .pt -----------------------------------------------------------------------------------


def test_pt_state_dict_and_full_sequential(tmp_path: Path) -> None:
    torch = pytest.importorskip("torch")
    model = trained_square_net()
    hand = by_hand(numpy_state(model))
    sd, full = tmp_path / "sd.pt", tmp_path / "full.pt"
    torch.save(model.state_dict(), sd)
    torch.save(model, full)
    a, b = load_pt(sd), load_any(full)
    same_function_and_sup(a, hand)
    same_function_and_sup(b, hand)
    assert a.metadata["import"]["format"] == "torch state_dict"
    assert b.metadata["import"]["format"] == "torch nn.Sequential"


def test_full_sequential_keeps_its_own_activations(tmp_path: Path) -> None:
    torch = pytest.importorskip("torch")
    nn = torch.nn
    torch.manual_seed(1)
    # no ReLU between the first two Linear layers, a nested Sequential, a final ReLU, no bias
    model = nn.Sequential(
        nn.Flatten(), nn.Linear(2, 3), nn.Identity(), nn.Sequential(nn.Linear(3, 3), nn.ReLU(), nn.ReLU()),
        nn.Linear(3, 1, bias=False), nn.ReLU(),
    )
    p = tmp_path / "m.pt"
    torch.save(model, p)
    net = load_pt(p)
    assert [layer.activation for layer in net.layers()] == ["identity", "relu", "relu"]
    assert net.layers()[-1].biases == (0,)
    state = {
        "0.weight": model[1].weight.detach().numpy(), "0.bias": model[1].bias.detach().numpy(),
        "1.weight": model[3][0].weight.detach().numpy(), "1.bias": model[3][0].bias.detach().numpy(),
        "2.weight": model[4].weight.detach().numpy(),
    }
    assert net.layers() == by_hand(state, ["identity", "relu", "relu"]).layers()


class Payload:
    """An arbitrary object: a pickle of it must never be loaded."""

    def __reduce__(self) -> Any:
        return (print, ("this must not run",))


@pytest.mark.parametrize(
    "make, fragment",
    [
        (lambda torch, p: torch.save({"w": Payload()}, p), "refused: torch.load(weights_only=True) will not unpickle this file"),
        (lambda torch, p: torch.save(torch.nn.Sequential(torch.nn.Linear(1, 2), torch.nn.Tanh()), p),
         "(it holds torch.nn.modules.activation.Tanh)"),
        (lambda torch, p: p.write_bytes(pickle.dumps(Payload())), "refused: torch.load(weights_only=True)"),
        (lambda torch, p: p.write_bytes(b"hello world"), "not a readable PyTorch file"),
        (lambda torch, p: torch.save({"0.weight": torch.ones(1, 1), "step": 3}, p), "entry 'step' is a int, not a tensor"),
        (lambda torch, p: torch.save([torch.ones(1, 1)], p), "holds a list"),
    ],
    ids=["custom-object", "tanh-module", "plain-pickle", "garbage", "non-tensor-entry", "a-list"],
)
def test_pt_refusals(tmp_path: Path, capfd: pytest.CaptureFixture[str], make: Any, fragment: str) -> None:
    torch = pytest.importorskip("torch")
    p = tmp_path / "bad.pt"
    make(torch, p)
    with pytest.raises(ExactnetError) as info:
        load_pt(p)
    message = str(info.value)
    assert fragment in message and message.startswith(f"{p}: ") and "\n" not in message
    assert "this must not run" not in capfd.readouterr().out


def test_pt_refusal_through_the_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    torch = pytest.importorskip("torch")
    from exactnet.cli import main

    p = tmp_path / "evil.pt"
    torch.save({"w": Payload()}, p)
    code = main(["info", str(p)])
    out, err = capsys.readouterr()
    assert code == 2 and out == "" and err.count("\n") == 1
    assert err.startswith(f"exactnet info: error: {p}: refused: ")
    assert "this must not run" not in out + err


# -- the command line ------------------------------------------------------------------------


def test_cli_sup_error_of_a_safetensors_model(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from safetensors.numpy import save_file

    from exactnet.cli import main

    state = numpy_state(trained_square_net())
    p = tmp_path / "m.safetensors"
    save_file(state, str(p))
    hand = tmp_path / "hand.json"
    dump(by_hand(state), hand)
    values = []
    for f in (p, hand):
        assert main(["sup-error", str(f), "--target", "x^2", "--on", "-1,1", "--json"]) == 0
        out, err = capsys.readouterr()
        values.append(json.loads(out)["value"])
        if f == p:
            assert err == f"note: {p}: weights taken at their exact binary float32 values\n"
    assert values[0] == values[1]
    # --snap 6 rounds to the grid 1/64 and says by how much
    assert main(["eval", str(p), "--at", "1/2", "--snap", "6", "--json"]) == 0
    out, err = capsys.readouterr()
    assert "rounded to the grid 2^-6" in err and "largest change" in err
    assert load_any(p, snap=6).metadata["snap"]["grid"] == "2^-6"
    assert load(hand).layers() == by_hand(state).layers()
