"""``exactnet quantize``: the depth-precision converter and --round from the command line.

Expected values are worked out by hand in the comments, or read back through an
independent route (evaluating the written network against the original).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from exactnet.cli import main
from exactnet.constructions.ou2024 import bit_extraction_net
from exactnet.evaluate import evaluate
from exactnet.io.json import dump, load
from exactnet.network import Network
from exactnet.numbers import Q
from exactnet.quantize import Alphabet, outside


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    paths = {
        "bits": tmp_path / "bits3.json",
        "two": tmp_path / "two.json",
        "third": tmp_path / "third.json",
        "three": tmp_path / "three.json",
    }
    dump(bit_extraction_net(3), paths["bits"])
    dump(Network.from_layers([[["3/4", "-5/2"]], [["3"]]], [["1/2"], ["5/8"]]), paths["two"])
    dump(Network.from_layers([[["1/3"]], [[1]]], [[0], [0]]), paths["third"])
    dump(Network.from_layers([[[3]], [[1]]], [[0], [0]]), paths["three"])
    return paths


def test_convert_writes_an_equal_network(capsys: pytest.CaptureFixture[str], files: dict[str, Path], tmp_path: Path) -> None:
    out_path = tmp_path / "out.json"
    code, out, _ = cli(capsys, "quantize", str(files["bits"]), "--bits", "2", "--on", "0,1", "-o", str(out_path))
    assert code == 0
    assert out.count("holds: ") == 3  # one PWL certificate per output bit
    M = load(out_path)
    assert outside(M, Alphabet.finite(["-1", "-1/2", "1/2", "1"])) == ()
    N = bit_extraction_net(3)
    for x in (Q(-1), Q(0), Q(3, 8), Q(7, 16), Q(5, 7), Q(2)):
        assert evaluate(M, x) == evaluate(N, x)


def test_convert_json_reports_before_and_after(capsys: pytest.CaptureFixture[str], files: dict[str, Path]) -> None:
    code, out, _ = cli(capsys, "quantize", str(files["bits"]), "--bits", "2", "--json")
    assert code == 0
    d = json.loads(out)
    assert d["domain"] == "[0, 1]" and d["alphabet"] == "{-1, -1/2, 1/2, 1}"
    # bit_extraction_sizes(3) by hand: depth 4, 27 weights
    assert d["before"]["metrics"]["depth"] == 4 and d["before"]["metrics"]["weights"] == 27
    assert d["after"]["memory"]["codebook_bits"] == 2
    assert d["after"]["metrics"]["depth"] > 4
    assert [c["verdict"] for c in d["equivalence"]] == ["holds"] * 3


def test_convert_two_inputs_with_z3(capsys: pytest.CaptureFixture[str], files: dict[str, Path]) -> None:
    code, out, _ = cli(capsys, "quantize", str(files["two"]), "--bits", "3", "--box", "-1,1x0,2")
    assert code == 0 and "holds" in out and "z3" in out
    # the regions route: N - M vanishes at every vertex of every linear region
    assert "regions: max |N - M| over the vertices" in out and out.rstrip().endswith("= 0")


def test_integer_alphabet(capsys: pytest.CaptureFixture[str], files: dict[str, Path]) -> None:
    code, out, _ = cli(capsys, "quantize", str(files["three"]), "--alphabet", "-2,-1,1,2", "--on", "-1,1")
    assert code == 0 and "holds" in out
    # 3/4 would need halving, which {+-1, +-2} cannot do: one line, exit 2
    code, _, err = cli(capsys, "quantize", str(files["two"]), "--alphabet", "-2,-1,1,2", "--box", "0,1x0,1")
    assert code == 2 and "cannot scale by 1/2" in err and err.count("\n") == 1


def test_round_reports_the_exact_sup_change(capsys: pytest.CaptureFixture[str], files: dict[str, Path]) -> None:
    # N(x) = relu(x/3); rounded to 2^-2: relu(x/4). On [0, 1] the change x/3 - x/4 = x/12 is
    # largest at x = 1: 1/12.  The weight moved by 1/3 - 1/4 = 1/12.
    code, out, _ = cli(capsys, "quantize", str(files["third"]), "--bits", "2", "--round", "--on", "0,1", "--json")
    assert code == 0
    d = json.loads(out)
    assert d["round"]["largest_weight_change"] == "1/12"
    assert d["sup_change"] == [{"value": "1/12", "at": ["1"]}]


def test_round_box(capsys: pytest.CaptureFixture[str], files: dict[str, Path]) -> None:
    # two.json: y = 3 relu(3/4 x1 - 5/2 x2 + 1/2) + 5/8; on the grid 2^-1: 3/4 -> 1 (tie 1.5/2 ->
    # 2/2), 5/8 -> 1/2 (1.25/2 -> 1/2); y' = 3 relu(x1 - 5/2 x2 + 1/2) + 1/2.  On [0,1]x[0,1] at
    # (1, 0): y = 3 * 5/4 + 5/8 = 35/8, y' = 3 * 3/2 + 1/2 = 5: |change| = 5/8, the largest (the
    # difference is at most 3(x1/4) - 1/8 <= 5/8 where both are active); (1, 1/2) attains it too,
    # so only the value is fixed and the witness is re-evaluated here
    code, out, _ = cli(capsys, "quantize", str(files["two"]), "--bits", "1", "--round", "--box", "0,1x0,1", "--json")
    assert code == 0
    (change,) = json.loads(out)["sup_change"]
    assert change["value"] == "5/8"
    at = [Q(c) for c in change["at"]]
    N = load(files["two"])
    R = Network.from_layers([[["1", "-5/2"]], [["3"]]], [["1/2"], ["1/2"]])
    assert abs(evaluate(N, at)[0] - evaluate(R, at)[0]) == Q(5, 8)


@pytest.mark.parametrize(
    "args, message",
    [
        (["--bits", "5"], "1, 2 or 3-bit"),
        (["--bits", "2", "--box", "0,1x0,1"], "one input"),
        (["--bits", "2", "--alphabet", "1/2,x"], "--alphabet"),
        (["--bits", "2", "--round", "--alphabet", "-1,1"], "--alphabet is for the converter"),
        (["--bits", "-1", "--round"], "between 0 and 1100"),
        (["--bits", "2", "--on", "1,0"], ""),
    ],
)
def test_bad_input_one_line_exit_2(capsys: pytest.CaptureFixture[str], files: dict[str, Path], args: list[str], message: str) -> None:
    code, out, err = cli(capsys, "quantize", str(files["bits"]), *args)
    assert code == 2 and out == "" and err.count("\n") == 1 and message in err


def test_not_dyadic_exit_2(capsys: pytest.CaptureFixture[str], files: dict[str, Path]) -> None:
    code, _, err = cli(capsys, "quantize", str(files["third"]), "--bits", "2")
    assert code == 2 and "not dyadic" in err


def test_help_teaches(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["quantize", "--help"])
    out = capsys.readouterr().out
    assert "depth-precision" in out and "--round" in out and "examples:" in out
