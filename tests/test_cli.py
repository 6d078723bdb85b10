"""exactnet.cli: the ``exactnet`` command (info, eval, verify), its output and exit codes.

Most tests call :func:`exactnet.cli.main` in-process with ``capsys``; a few run
``python -m exactnet`` in a subprocess (with this checkout on PYTHONPATH) to check
what a user sees: one line on stderr, no traceback, the exit code.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

import exactnet
from exactnet import catalogue
from exactnet.catalogue import Claim
from exactnet.certificate import Certificate, Verdict
from exactnet.cli import main
from exactnet.constructions.yarotsky2017 import tent_net
from exactnet.exceptions import UnsupportedError
from exactnet.io.json import dump
from exactnet.network import Network
from exactnet.numbers import Q, ZERO

from tests.test_io_json import BAD_FILES

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``python -m exactnet ARGS`` against this checkout."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "exactnet", *args], capture_output=True, text=True, timeout=timeout, env=env
    )


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def columns(line: str) -> list[str]:
    return re.split(r"\s{2,}", line.strip())


@pytest.fixture
def tent_file(tmp_path: Path) -> Path:
    p = tmp_path / "tent.json"
    dump(tent_net(), p)
    return p


@pytest.fixture
def two_input_file(tmp_path: Path) -> Path:
    # y1 = relu(x1 - x2), y2 = x1 + 2 x2 - 1/2
    G = nx.DiGraph()
    G.add_node("y1", bias=0, act="relu")
    G.add_node("y2", bias="-1/2", act="identity")
    for u, v, w in [("x1", "y1", 1), ("x2", "y1", -1), ("x1", "y2", 1), ("x2", "y2", 2)]:
        G.add_edge(u, v, weight=w)
    p = tmp_path / "two.json"
    dump(Network.from_graph(G, ["x1", "x2"], ["y1", "y2"]), p)
    return p


# -- --version, help -------------------------------------------------------------------


def test_version() -> None:
    r = run("--version")
    assert r.returncode == 0
    assert r.stdout == f"exactnet {exactnet.__version__}\n"


def test_no_command_prints_help(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys)
    assert code == 2
    assert "usage: exactnet" in out and "verify" in out and "exit codes" in out


# -- info ---------------------------------------------------------------------------


def test_info_table(capsys: pytest.CaptureFixture[str], tent_file: Path) -> None:
    code, out, err = cli(capsys, "info", str(tent_file))
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == f"{tent_file}: 1 inputs -> 1 outputs (tent)"
    rows = {columns(l)[0]: columns(l)[1:] for l in lines[3:]}
    # the tent map g(x) = 2 relu(x) - 4 relu(x - 1/2), counted by hand in test_metrics
    assert rows["depth"][0] == "2" and rows["width"][0] == "2"
    assert rows["weights"][0] == "4" and rows["weights_with_biases"][0] == "5"
    assert rows["distinct_weights"][0] == "3" and rows["bits_per_weight"][0] == "2"


def test_info_json(capsys: pytest.CaptureFixture[str], tent_file: Path) -> None:
    code, out, err = cli(capsys, "info", str(tent_file), "--json")
    assert (code, err) == (0, "")
    d = json.loads(out)
    assert d["file"] == str(tent_file)
    assert d["metadata"]["construction"] == "tent"
    m = d["metrics"]
    assert (m["depth"], m["width"], m["neurons"], m["weights"], m["memory_bits"]) == (2, 2, 3, 4, 8)
    assert (m["max_frac_bits"], m["max_magnitude"], m["dyadic"]) == (1, "4", True)


# -- eval ---------------------------------------------------------------------------


def test_eval_at(capsys: pytest.CaptureFixture[str], tent_file: Path) -> None:
    code, out, err = cli(capsys, "eval", str(tent_file), "--at", "1/3", "--at", "2^-7")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert columns(lines[0]) == ["x", "y (exact)", "y ≈"]
    # g(1/3) = 2/3 = 0.666...; to 20 significant digits the last 6 rounds up to 7
    assert columns(lines[2]) == ["1/3", "2/3", "0.66666666666666666667"]
    # g(2^-7) = 2 * 2^-7 = 1/64 = 0.015625 exactly
    assert columns(lines[3]) == ["1/128", "1/64", "0.015625"]
    assert len(lines) == 4


def test_eval_negative_point_and_digits(capsys: pytest.CaptureFixture[str], tent_file: Path) -> None:
    # g(-1/2) = 0, g(3/4) = 3/2 - 1 = 1/2, g(0.3) = 3/5 = 0.6
    code, out, _ = cli(capsys, "eval", str(tent_file), "--at=-1/2", "--at", "3/4", "--at", "0.3", "--digits", "3")
    assert code == 0
    rows = [columns(l) for l in out.splitlines()[2:]]
    assert rows == [["-1/2", "0", "0"], ["3/4", "1/2", "0.5"], ["3/10", "3/5", "0.6"]]


def test_eval_points_file(capsys: pytest.CaptureFixture[str], two_input_file: Path, tmp_path: Path) -> None:
    pts = tmp_path / "pts.txt"
    pts.write_text("# x1, x2\n1/2,3/4\n\n  1 2  \n-1;2^-2\n")
    code, out, err = cli(capsys, "eval", str(two_input_file), "--points", str(pts))
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert columns(lines[0]) == ["x1", "x2", "y1 (exact)", "y2 (exact)", "y1 ≈", "y2 ≈"]
    # y1 = relu(x1 - x2), y2 = x1 + 2 x2 - 1/2
    # (1/2, 3/4): relu(-1/4) = 0, 1/2 + 3/2 - 1/2 = 3/2
    # (1, 2): relu(-1) = 0, 1 + 4 - 1/2 = 9/2
    # (-1, 1/4): relu(-5/4) = 0, -1 + 1/2 - 1/2 = -1
    assert [columns(l)[:4] for l in lines[2:]] == [
        ["1/2", "3/4", "0", "3/2"],
        ["1", "2", "0", "9/2"],
        ["-1", "1/4", "0", "-1"],
    ]


def test_eval_at_and_points_together(capsys: pytest.CaptureFixture[str], tent_file: Path, tmp_path: Path) -> None:
    pts = tmp_path / "pts.txt"
    pts.write_text("1/4\n")
    code, out, _ = cli(capsys, "eval", str(tent_file), "--at", "1", "--points", str(pts))
    assert code == 0
    # --at points first: g(1) = 2 - 2 = 0, then g(1/4) = 1/2
    assert [columns(l)[:2] for l in out.splitlines()[2:]] == [["1", "0"], ["1/4", "1/2"]]


def test_eval_json(capsys: pytest.CaptureFixture[str], tent_file: Path) -> None:
    code, out, err = cli(capsys, "eval", str(tent_file), "--at", "1/3", "--at", "3/4", "--json", "--digits", "4")
    assert (code, err) == (0, "")
    assert json.loads(out) == {
        "inputs": ["x"],
        "outputs": ["y"],
        "results": [
            {"point": ["1/3"], "values": ["2/3"], "approx": ["0.6667"]},
            {"point": ["3/4"], "values": ["1/2"], "approx": ["0.5"]},
        ],
    }


def test_eval_many_points_uses_the_batch_route(capsys: pytest.CaptureFixture[str], tent_file: Path, tmp_path: Path) -> None:
    # more than a few points go through the scaled-integer engine; same exact values
    pts = tmp_path / "pts.txt"
    pts.write_text("\n".join(f"{k}/16" for k in range(17)))
    code, out, _ = cli(capsys, "eval", str(tent_file), "--points", str(pts), "--json")
    assert code == 0
    values = [r["values"][0] for r in json.loads(out)["results"]]
    # g(k/16) = k/8 for k <= 8, (16 - k)/8 after
    expected = [str(Q(min(k, 16 - k), 8)) for k in range(17)]
    assert values == expected


# -- user errors: one line on stderr, exit 2 ----------------------------------------------


def assert_one_line_error(code: int, out: str, err: str, command: str, fragment: str) -> None:
    assert code == 2
    assert out == ""
    assert err.endswith("\n") and err.count("\n") == 1, err
    assert err.startswith(f"exactnet {command}: error: ")
    assert fragment in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["--at", "1/2,1/3"], "--at 1/2,1/3: the point '1/2,1/3' has 2 coordinates but the network has 1 input"),
        (["--at", "abc"], "--at abc: 'abc' is not an exact number"),
        (["--at", "1/0"], "--at 1/0: '1/0' has a zero denominator"),
        (["--at", ""], "--at : empty string is not a number"),
        ([], "no points: give --at POINT (repeatable) or --points FILE"),
        (["--at", "1", "--digits", "0"], "--digits must be >= 1, got 0"),
        (["--points", "/nonexistent/pts.txt"], "/nonexistent/pts.txt: cannot read: No such file or directory"),
    ],
)
def test_eval_user_errors(capsys: pytest.CaptureFixture[str], tent_file: Path, args: list[str], fragment: str) -> None:
    assert_one_line_error(*cli(capsys, "eval", str(tent_file), *args), "eval", fragment)


def test_eval_bad_line_in_points_file(capsys: pytest.CaptureFixture[str], two_input_file: Path, tmp_path: Path) -> None:
    pts = tmp_path / "pts.txt"
    pts.write_text("1,2\n# comment\n1,2,3\n")
    fragment = f"{pts}:3: the point '1,2,3' has 3 coordinates but the network has 2 inputs"
    assert_one_line_error(*cli(capsys, "eval", str(two_input_file), "--points", str(pts)), "eval", fragment)


@pytest.mark.parametrize("command", ["info", "eval"])
def test_missing_network_file(capsys: pytest.CaptureFixture[str], tmp_path: Path, command: str) -> None:
    missing = tmp_path / "absent.json"
    extra = ["--at", "0"] if command == "eval" else []
    assert_one_line_error(*cli(capsys, command, str(missing), *extra), command, f"{missing}: no such file")


@pytest.mark.parametrize("command", ["info", "eval"])
@pytest.mark.parametrize("text, fragment", [(t, f) for _, t, f in BAD_FILES], ids=[i for i, _, _ in BAD_FILES])
def test_every_spec_error_through_the_cli(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, command: str, text: str, fragment: str
) -> None:
    p = tmp_path / "bad.json"
    p.write_text(text, encoding="utf-8")
    extra = ["--at", "0"] if command == "eval" else []
    code, out, err = cli(capsys, command, str(p), *extra)
    assert_one_line_error(code, out, err, command, fragment)
    assert f"error: {p}: " in err  # names the file


@pytest.mark.parametrize("name", ["cycle", "nan", "unknown-version", "not-json"])
def test_spec_errors_in_a_subprocess(tmp_path: Path, name: str) -> None:
    (text, fragment) = next((t, f) for i, t, f in BAD_FILES if i == name)
    p = tmp_path / "bad.json"
    p.write_text(text, encoding="utf-8")
    r = run("info", str(p))
    assert r.returncode == 2
    assert r.stdout == ""
    assert r.stderr.count("\n") == 1 and r.stderr.startswith(f"exactnet info: error: {p}: ")
    assert fragment in r.stderr and "Traceback" not in r.stderr
    # --debug shows the traceback, then the same line; still exit 2
    d = run("--debug", "eval", str(p), "--at", "0")
    assert d.returncode == 2
    assert "Traceback (most recent call last)" in d.stderr and "NetworkFileError" in d.stderr
    assert d.stderr.rstrip("\n").splitlines()[-1].startswith(f"exactnet eval: error: {p}: ")


def test_bad_number_in_a_subprocess(tent_file: Path) -> None:
    r = run("eval", str(tent_file), "--at", "0.5.5")
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr == (
        "exactnet eval: error: --at 0.5.5: '0.5.5' is not an exact number; write an integer (-3), "
        "a fraction (3/8), a decimal (-0.375) or a power of two (2^-5)\n"
    )


# -- verify ---------------------------------------------------------------------------


def test_verify_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "verify")
    assert code == 0, out
    lines = out.splitlines()
    assert columns(lines[0]) == ["claim", "source", "verdict", "exact value", "time"]
    rows = [columns(l) for l in lines[2:] if l and not l[0].isdigit()]
    assert {r[0] for r in rows} == {c.id for c in catalogue.claims()}
    # every claim reproduces the catalogue's finding: it holds (perhaps loosely), or it is
    # a recorded erratum of the paper and comes out violated with its counterexample
    errata = {c.id for c in catalogue.claims() if c.erratum}
    for r in rows:
        if r[0] in errata:
            assert r[2].endswith("(known erratum)"), r
        else:
            assert r[2].startswith("holds") or r[2] == "ill-posed", r
    assert all(r[4].endswith("s") for r in rows)
    assert lines[-1].startswith(f"{len(rows)} claims: ")


def test_verify_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "verify", "--only", "yarotsky2017/sawtooth-grid/s=3", "--json")
    assert code == 0
    d = json.loads(out)
    assert d["exit_code"] == 0
    (c,) = d["claims"]
    assert c["id"] == "yarotsky2017/sawtooth-grid/s=3"
    assert c["certificate"]["verdict"] == "holds" and c["certificate"]["value"] == "0"
    assert c["certificate"]["details"]["points"] == 9  # k = 0..8
    assert Certificate.from_dict(c["certificate"]).verdict is Verdict.HOLDS


def test_verify_markdown_and_list(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "verify", "--only", "square-grid/m=2", "--markdown")
    assert code == 0
    assert out.splitlines()[2].startswith("| `yarotsky2017/square-grid/m=2` |")
    assert "`exactnet verify --only yarotsky2017/square-grid/m=2`" in out
    code, out, _ = cli(capsys, "verify", "--only", "sawtooth-grid/s=1", "--list")
    assert code == 0
    assert columns(out.splitlines()[0]) == ["claim", "source", "statement"]
    assert [columns(l)[0] for l in out.splitlines()[2:]] == [
        f"yarotsky2017/sawtooth-grid/s={s}" for s in (1, 10, 11, 12)
    ]
    code, out, _ = cli(capsys, "verify", "--only", "sawtooth-grid/s=1", "--list", "--full")
    assert len(out.splitlines()[2:]) == 8  # s = 1, 10..16


def test_verify_only_nonexistent(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "verify", "--only", "nonexistent")
    assert_one_line_error(code, out, err, "verify", "no claim id contains 'nonexistent'; see exactnet verify --list")


def test_verify_only_nonexistent_in_a_subprocess() -> None:
    r = run("verify", "--only", "nonexistent")
    assert r.returncode == 2 and r.stdout == "" and r.stderr.count("\n") == 1


@pytest.fixture
def fake_catalogue(monkeypatch: pytest.MonkeyPatch) -> dict[str, Claim]:
    reg: dict[str, Claim] = {}
    monkeypatch.setattr(catalogue, "_REGISTRY", reg)
    monkeypatch.setattr(catalogue, "_LOADED", True)
    return reg


def _claim(cid: str, check: Any) -> None:
    catalogue.register(Claim(cid, f"statement of {cid}", "test source", check))


def test_verify_exit_codes(capsys: pytest.CaptureFixture[str], fake_catalogue: dict[str, Claim]) -> None:
    _claim("t/holds", lambda: Certificate("h", Verdict.HOLDS, ZERO, None, "m", {}))
    _claim("t/violated", lambda: Certificate("v", Verdict.VIOLATED, Q(1, 3), (Q(1, 2),), "m", {}))

    def unsupported() -> Certificate:
        raise UnsupportedError("not modelled")

    _claim("t/unknown", unsupported)
    assert cli(capsys, "verify", "--only", "t/holds")[0] == 0
    code, out, _ = cli(capsys, "verify", "--only", "t/unknown", "--json")
    assert code == 3
    assert json.loads(out)["claims"][0]["certificate"]["details"]["reason"] == "not modelled"
    code, out, _ = cli(capsys, "verify")
    assert code == 1  # a violation wins over unknown
    assert "3 claims: 1 holds, 1 unknown, 1 violated" in out
    row = next(columns(l) for l in out.splitlines() if l.startswith("t/violated"))
    assert row[2:4] == ["violated", "1/3"]


def test_verify_internal_error(capsys: pytest.CaptureFixture[str], fake_catalogue: dict[str, Claim]) -> None:
    def bug() -> Certificate:
        raise ZeroDivisionError("a bug")

    _claim("t/bug", bug)
    code, out, err = cli(capsys, "verify")
    assert code == 70 and out == ""
    assert err == (
        "exactnet verify: internal error (ZeroDivisionError: a bug); "
        "rerun with --debug for the traceback and please report it\n"
    )
    with pytest.raises(ZeroDivisionError):
        main(["--debug", "verify"])


def test_verify_interrupted(capsys: pytest.CaptureFixture[str], fake_catalogue: dict[str, Claim]) -> None:
    def interrupted() -> Certificate:
        raise KeyboardInterrupt

    _claim("t/int", interrupted)
    code, out, err = cli(capsys, "verify")
    assert (code, err) == (130, "exactnet verify: interrupted\n")


def test_issue_3_negative_point_after_at(tmp_path) -> None:
    # "--at -1/2" must be a point, not an unknown option; the tent map g(x) = 2relu(x) - 4relu(x-1/2)
    # is 0 at x = -1/2 (both ReLUs are off), by hand
    from exactnet.cli import main
    from exactnet.constructions.yarotsky2017 import tent_net
    from exactnet.io.json import dump

    path = tmp_path / "tent.json"
    dump(tent_net(), path)
    assert main(["eval", str(path), "--at", "-1/2", "--json"]) == 0


def test_pieces_and_sup_error(tmp_path, capsys) -> None:
    import json

    from exactnet.cli import main
    from exactnet.constructions.yarotsky2017 import square_net
    from exactnet.io.json import dump

    path = tmp_path / "f2.json"
    dump(square_net(2), path)
    assert main(["pieces", str(path), "--on", "0,1", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    # f_2 interpolates x^2 at k/4: breakpoints 0, 1/4, 1/2, 3/4, 1 (by hand)
    assert out["breakpoints"] == ["0", "1/4", "1/2", "3/4", "1"]
    cert = tmp_path / "c.json"
    # sup |f_2 - x^2| = 2^(-6) = 1/64 (Yarotsky Prop. 2): 1/64 holds, 1/65 is violated
    assert main(["sup-error", str(path), "--target", "x^2", "--on", "0,1", "--eps", "1/64", "--cert", str(cert)]) == 0
    assert json.loads(cert.read_text())["value"] == "1/64"
    assert main(["sup-error", str(path), "--target", "x^2", "--on", "0,1", "--eps", "1/65"]) == 1
    assert main(["sup-error", str(path), "--target", "__import__('os')", "--on", "0,1"]) == 2
    # x^3 against f_2: the error is f_2 - x^3 >= 0 with an irrational maximiser; eps = 1 holds
    assert main(["sup-error", str(path), "--target", "x^3", "--on", "0,1", "--eps", "1"]) == 0


def test_sup_error_sides_norms_transcendental_and_tol(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from exactnet.numbers import q

    half, ident = tmp_path / "half.json", tmp_path / "id.json"
    dump(Network.from_layers([[["1/2"]]], [[0]], ["identity"]), half)  # N(x) = x/2
    dump(Network.from_layers([[[1]]], [[0]], ["identity"]), ident)  # N(x) = x

    # --side above: sup (x/2 - x^3) on [0, 1] = sqrt(6)/18, the root of 54 v^2 - 1 (at 1/sqrt 6)
    code, out, _ = cli(capsys, "sup-error", str(half), "--target", "x^3", "--on", "0,1", "--side", "above", "--json")
    d = json.loads(out)
    assert code == 0 and d["verdict"] == "holds" and d["details"]["problem"]["side"] == "above"
    assert d["value"]["algebraic"]["poly"] == ["-1", "0", "54"]
    # --side below: sup (x^3 - x/2) = 1/2 at x = 1 (its only critical point 1/sqrt 6 is a minimum)
    code, out, _ = cli(capsys, "sup-error", str(half), "--target", "x^3", "--on", "0,1", "--side", "below", "--json")
    assert code == 0 and (json.loads(out)["value"], json.loads(out)["witness"]) == ("1/2", ["1"])
    assert cli(capsys, "sup-error", str(half), "--target", "x^3", "--on", "0,1", "--side", "below", "--eps", "1/2")[0] == 0
    assert cli(capsys, "sup-error", str(half), "--target", "x^3", "--on", "0,1", "--side", "below", "--eps", "1/3")[0] == 1

    # --norm L1 / L2 of x against x^2 on [0, 1]: L1 = 1/2 - 1/3 = 1/6, L2^2 = 1/3 - 1/2 + 1/5 = 1/30
    code, out, _ = cli(capsys, "sup-error", str(ident), "--target", "x^2", "--on", "0,1", "--norm", "L1")
    assert code == 0 and out.splitlines()[0] == "L1 error of NET against x^2 on [0, 1]:"
    assert out.splitlines()[1].split()[0] == "1/6"
    code, out, _ = cli(capsys, "sup-error", str(ident), "--target", "x^2", "--on", "0,1", "--norm", "L2", "--json")
    d = json.loads(out)
    assert code == 0 and (d["norm"], d["exact"], d["rational_part"]) == ("L2", True, "1/30")
    assert d["value"]["algebraic"]["poly"] == ["-1", "0", "30"]
    # an irrational sign change (x/2 = x^3 - 1/10 at a root of 10x^3 - 5x - 1): not a single exact number
    code, out, _ = cli(capsys, "sup-error", str(half), "--target", "x^3 - 1/10", "--on", "0,1", "--norm", "L1", "--json")
    d = json.loads(out)
    assert code == 0 and d["exact"] is False and "enclosure" in d["value"] and d["algebraic_terms"]
    code, out, err = cli(capsys, "sup-error", str(ident), "--target", "x^2", "--on", "0,1", "--norm", "L2", "--side", "above")
    assert_one_line_error(code, out, err, "sup-error", "--norm L1/L2 computes a value")

    # a transcendental target: x against sin x on [0, 1], sup = 1 - sin 1 enclosed to --tol
    code, out, _ = cli(capsys, "sup-error", str(ident), "--target", "sin(x)", "--on", "0,1", "--tol", "1e-20", "--json")
    d = json.loads(out)
    assert code == 0 and d["verdict"] == "holds" and d["witness"] == ["1"]
    lo, hi = (q(v) for v in d["value"]["enclosure"])
    assert lo < hi and hi - lo <= q("1e-20")
    # 1 - sin 1 = 0.15852901519210349334749767836... (mpmath): the enclosure must reach both sides of it
    assert lo <= q("0.158529015192103493348") and hi >= q("0.158529015192103493347")
    base = ["sup-error", str(ident), "--target", "sin(x)", "--on", "0,1", "--tol", "1e-20", "--eps"]
    assert cli(capsys, *base, str(hi + q("1/1000")))[0] == 0  # holds
    assert cli(capsys, *base, str(lo - q("1/1000")))[0] == 1  # violated
    code, out, _ = cli(capsys, *base, str((lo + hi) / 2))  # eps inside the enclosure: unknown
    assert code == 3 and "verdict:  unknown" in out

    # bad --tol: one line on stderr, exit 2
    for bad, fragment in (("0", "--tol 0: must be > 0"), ("-1/2", "--tol -1/2: must be > 0"), ("abc", "'abc' is not an exact number")):
        code, out, err = cli(capsys, "sup-error", str(ident), "--target", "sin(x)", "--on", "0,1", f"--tol={bad}")
        assert_one_line_error(code, out, err, "sup-error", fragment)


def test_pieces_sympy(tmp_path, capsys) -> None:
    # the tent map on [0, 1] (Yarotsky 2017, eq. (3)): 2x up to 1/2, then 2 - 2x
    path = tmp_path / "tent.json"
    dump(tent_net(), path)
    assert main(["pieces", str(path), "--on", "0,1", "--sympy"]) == 0
    out = capsys.readouterr().out.strip()
    assert out == "Piecewise((2*x, (x >= 0) & (x <= 1/2)), (2 - 2*x, (x >= 1/2) & (x <= 1)))"
