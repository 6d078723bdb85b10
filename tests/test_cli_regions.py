"""exactnet.cli: ``exactnet regions`` and ``exactnet sup-error --box`` (issue 7)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from exactnet.cli import main
from exactnet.constructions.ding2019 import product_net
from exactnet.io.json import dump
from exactnet.network import Network


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def diag(tmp_path: Path) -> str:
    # relu(x - y): two triangles of area 1/2 on [0, 1]^2
    p = tmp_path / "diag.json"
    dump(Network.from_layers([[[1, -1]], [[1]]], [[0], [0]]), p)
    return str(p)


@pytest.fixture
def prod(tmp_path: Path) -> str:
    p = tmp_path / "prod.json"
    dump(product_net(1), p)
    return str(p)


def test_regions_text_and_json(capsys: pytest.CaptureFixture[str], diag: str) -> None:
    code, out, _ = cli(capsys, "regions", diag, "--box", "0,1x0,1")
    assert code == 0
    assert "2 regions on [0, 1] x [0, 1]; their volumes add up to 1 (= the box's volume 1)" in out
    code, out, _ = cli(capsys, "regions", diag, "--box", "0,1x0,1", "--json")
    data = json.loads(out)
    assert code == 0 and data["count"] == 2 and data["volume"] == "1"
    assert [r["volume"] for r in data["regions"]] == ["1/2", "1/2"]
    assert data["regions"][1]["weights"] == [["1", "-1"]] and data["regions"][1]["pattern"] == "1"
    assert sorted(map(tuple, data["regions"][0]["vertices"])) == [("0", "0"), ("0", "1"), ("1", "1")]


def test_regions_plot(capsys: pytest.CaptureFixture[str], diag: str, tmp_path: Path) -> None:
    out = tmp_path / "r.svg"
    code, _, _ = cli(capsys, "regions", diag, "--box", "0,1x0,1", "--plot", str(out))
    assert code == 0 and b"2 linear regions" in out.read_bytes()


@pytest.mark.parametrize(
    "args, message",
    [
        (["--box", "0,1x0,1x0,1"], "3 dimension(s), but the network has 2 inputs"),
        (["--box", "0,1"], "1 dimension(s), but the network has 2 inputs"),
        (["--box", "0,1x1,0"], "empty"),
        (["--box", "0,1xa,b"], "b"),
        (["--box", "0,1x0,1", "--plot", "r.jpg"], ".png or .svg"),
    ],
)
def test_regions_bad_input(capsys: pytest.CaptureFixture[str], diag: str, args: list[str], message: str) -> None:
    code, out, err = cli(capsys, "regions", diag, *args)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and message in err


def test_sup_error_box(capsys: pytest.CaptureFixture[str], prod: str, tmp_path: Path) -> None:
    # Ding et al.'s x'(x, y), r = 1: exact error 4 * 2^-4 = 1/4 on [-1, 1]^2 (product_error_exact)
    cert = tmp_path / "c.json"
    code, out, _ = cli(capsys, "sup-error", prod, "--target", "x*y", "--box", "-1,1x-1,1", "--eps", "1/4",
                       "--cert", str(cert))
    assert code == 0 and "verdict:  holds" in out and "value:    1/4" in out
    code, out, _ = cli(capsys, "check-certificate", str(cert))
    assert code == 0 and "accepted" in out
    code, out, _ = cli(capsys, "sup-error", prod, "--target", "x*y", "--box", "-1,1x-1,1", "--eps", "1/5", "--json")
    assert code == 1 and json.loads(out)["verdict"] == "violated"
    png = tmp_path / "e.png"
    code, _, _ = cli(capsys, "sup-error", prod, "--target", "x*y", "--box", "-1,1x-1,1", "--plot", str(png))
    assert code == 0 and png.read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize(
    "args, message",
    [
        (["--target", "x*y", "--box", "0,1x0,1x0,1"], "3 dimension(s), but the network has 2 inputs"),
        (["--target", "x*z", "--box", "0,1x0,1"], "uses z"),
        (["--target", "x*y", "--box", "0,1x0,1", "--on", "0,1"], "not allowed with"),
        (["--target", "x*y", "--box", "0,1x0,1", "--norm", "L2"], "--norm"),
        (["--target", "x/(1+y)", "--box", "0,1x0,1"], "rational"),
    ],
)
def test_sup_error_box_bad_input(capsys: pytest.CaptureFixture[str], prod: str, args: list[str], message: str) -> None:
    with pytest.raises(SystemExit) if "--on" in args else _nothing():
        code, out, err = cli(capsys, "sup-error", prod, *args)
        assert code == 2 and out == "" and message in err and err.count("\n") == 1
    if "--on" in args:
        assert message in capsys.readouterr().err


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> bool:
        return False
