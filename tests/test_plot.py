"""exactnet.plot: figures of N, the target and the error; files by extension; the CLI's --plot.

Expected values are derived by hand:

* Yarotsky's f_m (square_net(m)) interpolates x^2 at the 2^m + 1 points k/2^m
  of [0, 1]; on a piece of width h = 2^-m the error x^2 - N is (x - a)(b - x),
  largest at the midpoint with value (h/2)^2 = 2^(-2m-2) (Yarotsky 2017,
  Prop. 2).  For m = 3: 1/256, first attained at x = 1/16.
* N(x) = x/2 against x^3 on [0, 1], side above: x/2 - x^3 peaks where
  1/2 = 3x^2, x = 1/sqrt(6) (a root of 6 v^2 - 1), value 1/(3 sqrt 6), whose
  square is 1/54 (a root of 54 v^2 - 1).
"""

from __future__ import annotations

import ast
import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("matplotlib")

from exactnet.certificate import Certificate, Verdict
from exactnet.cli import main
from exactnet.constructions.yarotsky2017 import sawtooth_net, square_net
from exactnet.exceptions import InvalidArgument, UnsupportedError
from exactnet.io.json import dump
from exactnet.network import Network
from exactnet.numbers import Interval
from exactnet.plot import (
    error_caption,
    figure_bytes,
    pieces_caption,
    pieces_figure,
    plot_format,
    save_figure,
    sup_error_figure,
)
from exactnet.pwl import PiecewiseLinear, to_pwl
from exactnet.supnorm import certify

ROOT = Path(__file__).resolve().parent.parent
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
UNIT = Interval(0, 1)


def half_net() -> Network:
    """N(x) = x/2."""
    return Network.from_layers([[["1/2"]]], [[0]], ["identity"])


@pytest.fixture(scope="module")
def f3_cert() -> Certificate:
    return certify(square_net(3), "x^2", UNIT, "1/256")


# -- formats ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, fmt", [("a.png", "png"), ("a.PNG", "png"), ("dir/a.svg", "svg"), ("a.b.Svg", "svg")]
)
def test_plot_format(name: str, fmt: str) -> None:
    assert plot_format(name) == fmt


@pytest.mark.parametrize("name", ["a.jpg", "a.pdf", "a", "a.png.txt", "png"])
def test_plot_format_rejects_other_extensions(name: str) -> None:
    with pytest.raises(InvalidArgument, match=r"\.png or \.svg"):
        plot_format(name)


# -- files ----------------------------------------------------------------------------


def test_pieces_png_and_svg(tmp_path: Path) -> None:
    f = to_pwl(square_net(3), UNIT).canonical()
    fig = pieces_figure(f, target="x^2", title="f_3")
    png = save_figure(fig, tmp_path / "p.png")
    svg = save_figure(fig, tmp_path / "p.svg")
    assert png.read_bytes().startswith(PNG_MAGIC)
    text = svg.read_text(encoding="utf-8")
    assert "<svg" in text
    # SVG text is kept as text: the caption can be found in the file
    assert "8 linear pieces, 9 breakpoints" in text
    assert "f_3" in text
    # no temporary file is left behind, and the files are readable by others
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.png", "p.svg"]
    assert png.stat().st_mode & 0o044 == 0o044


def test_sup_error_png_and_svg_caption_has_the_exact_value(tmp_path: Path, f3_cert: Certificate) -> None:
    fig = sup_error_figure(f3_cert)
    assert save_figure(fig, tmp_path / "e.png").read_bytes().startswith(PNG_MAGIC)
    text = save_figure(fig, tmp_path / "e.svg").read_text(encoding="utf-8")
    assert "<svg" in text
    assert "= 1/256" in text
    assert "attained at x = 1/16" in text


def test_svg_is_deterministic(f3_cert: Certificate) -> None:
    assert figure_bytes(sup_error_figure(f3_cert), "svg") == figure_bytes(sup_error_figure(f3_cert), "svg")


def test_save_figure_errors(tmp_path: Path, f3_cert: Certificate) -> None:
    fig = sup_error_figure(f3_cert)
    with pytest.raises(InvalidArgument, match="not .jpg"):
        save_figure(fig, tmp_path / "e.jpg")
    with pytest.raises(InvalidArgument, match="cannot write"):
        save_figure(fig, tmp_path / "missing" / "e.png")
    with pytest.raises(InvalidArgument, match="fmt="):
        figure_bytes(fig, "jpg")
    assert list(tmp_path.iterdir()) == []


def test_dollar_signs_are_text_not_mathtext(tmp_path: Path) -> None:
    # an unbalanced $ would make mathtext raise; text.parse_math is off
    f = PiecewiseLinear.from_points([(0, 0), (1, 1)])
    text = figure_bytes(pieces_figure(f, title="net $1 $x^2"), "svg").decode()
    assert "net $1 $x^2" in text


# -- captions -------------------------------------------------------------------------


def test_error_caption_rational(f3_cert: Certificate) -> None:
    lines = error_caption(f3_cert).splitlines()
    assert lines[0] == "sup over [0, 1] of |N(x) - (x^2)|"
    assert lines[1] == "= 1/256  ≈ 0.00390625"
    assert lines[2] == "attained at x = 1/16  ≈ 0.0625"
    assert lines[3].startswith("verdict: holds (eps = 1/256); N has 8 pieces")


def test_error_caption_algebraic() -> None:
    cert = certify(half_net(), "x^3", UNIT, side="above")
    text = error_caption(cert)
    assert "= the root of 54*v^2 - 1 in " in text
    assert "attained at x = the root of 6*v^2 - 1 in " in text
    assert "N has 1 piece;" in text
    sup_error_figure(cert)  # the algebraic maximiser is drawn at a rational next to it


def test_error_caption_enclosure() -> None:
    cert = certify(half_net(), "sin(3*x)", UNIT)
    text = error_caption(cert)
    assert "= in [0.75212192258740" in text
    assert "witness x = " in text and "(its error is at least the lower end)" in text
    assert figure_bytes(sup_error_figure(cert), "png").startswith(PNG_MAGIC)


def test_below_side_with_a_pwl_target() -> None:
    # f = |x - 1/3| against f_2: f - N is largest at x = 0, where it is 1/3 - 0
    cert = certify(square_net(2), "abs(x - 1/3)", UNIT, side="below")
    assert "= 1/3  ≈ 0.333333333333333" in error_caption(cert)
    assert b"f(x) - N(x)" in figure_bytes(sup_error_figure(cert), "svg")


def test_unknown_certificate_without_value_or_witness(f3_cert: Certificate) -> None:
    details = {**{k: v for k, v in f3_cert.details.items()}, "reason": "a test reason"}
    cert = dataclasses.replace(f3_cert, verdict=Verdict.UNKNOWN, value=None, witness=None, details=details)
    text = error_caption(cert)
    assert "verdict: unknown" in text and "reason: a test reason" in text
    assert "attained" not in text
    assert figure_bytes(sup_error_figure(cert), "png").startswith(PNG_MAGIC)


def test_sup_error_figure_needs_a_sup_error_certificate() -> None:
    cert = Certificate("N = G", Verdict.HOLDS, None, None, "exact PWL extraction", {"pieces": 3})
    with pytest.raises(InvalidArgument, match="sup-error certificate"):
        sup_error_figure(cert)


def test_pieces_caption_segment_variable() -> None:
    f = PiecewiseLinear.from_points([(0, 0), (1, 1)])
    assert pieces_caption(f, var="t").startswith("N(t) on [0, 1]: 1 linear piece, 2 breakpoints")


def test_many_breakpoints_are_marked_as_ticks() -> None:
    # sawtooth_net(9) has 2^9 = 512 pieces: more than the dots shown one by one
    f = to_pwl(sawtooth_net(9), UNIT).canonical()
    assert f.pieces == 512
    assert b"its 513 breakpoints (ticks on the axis)" in figure_bytes(pieces_figure(f), "svg")


def test_a_pole_leaves_a_gap() -> None:
    f = PiecewiseLinear.from_points([(-1, 0), (1, 0)])
    assert figure_bytes(pieces_figure(f, target="1/x"), "png").startswith(PNG_MAGIC)


# -- optional dependency --------------------------------------------------------------


def test_without_matplotlib_the_error_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib -> ImportError
    f = PiecewiseLinear.from_points([(0, 0), (1, 1)])
    with pytest.raises(UnsupportedError, match=r"pip install 'exactnet\[plot\]'"):
        pieces_figure(f)


def test_only_plot_imports_matplotlib_and_lazily() -> None:
    importers = []
    for path in sorted((ROOT / "exactnet").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(n == "matplotlib" or n.startswith("matplotlib.") for n in names):
                importers.append(path.name)
    assert set(importers) == {"plot.py"}
    code = "import sys, exactnet.plot, exactnet.report_page, exactnet.cli; print('matplotlib' in sys.modules)"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == "False"


# -- the command line -------------------------------------------------------------------


@pytest.fixture
def f3_file(tmp_path: Path) -> Path:
    p = tmp_path / "f3.json"
    dump(square_net(3), p)
    return p


def test_cli_sup_error_plot(tmp_path: Path, f3_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "err.png"
    code = main(["sup-error", str(f3_file), "--target", "x^2", "--on", "0,1", "--eps", "1/256", "--plot", str(out)])
    assert code == 0
    assert out.read_bytes().startswith(PNG_MAGIC)
    assert "value:    1/256" in capsys.readouterr().out
    svg = tmp_path / "err.svg"
    # 1/257 < 1/256: violated, exit 1, and the plot is still written
    assert main(["sup-error", str(f3_file), "--target", "x^2", "--on", "0,1", "--eps", "1/257",
                 "--plot", str(svg)]) == 1
    assert "= 1/256" in svg.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--plot", "err.jpg"], "a plot is saved as .png or .svg"),
        (["--plot", "err"], "a plot is saved as .png or .svg"),
        (["--plot", "err.png", "--norm", "L2"], "drop --eps, --cert, --side and --plot"),
    ],
)
def test_cli_sup_error_plot_errors(
    tmp_path: Path, f3_file: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    extra = [str(tmp_path / e) if e.startswith("err") else e for e in extra]
    code = main(["sup-error", str(f3_file), "--target", "x^2", "--on", "0,1", *extra])
    err = capsys.readouterr().err
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == [f3_file]


def test_cli_pieces_plot(tmp_path: Path, f3_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "p.svg"
    code = main(["pieces", str(f3_file), "--on", "0,1", "--plot", str(out), "--target", "x^2", "--csv"])
    assert code == 0
    assert capsys.readouterr().out.splitlines()[0] == "x,y,slope_right"  # stdout stays machine-readable
    text = out.read_text(encoding="utf-8")
    assert "<svg" in text and "8 linear pieces" in text and "x^2" in text
    png = tmp_path / "p.png"
    assert main(["pieces", str(f3_file), "--on", "0,1", "--plot", str(png)]) == 0
    assert png.read_bytes().startswith(PNG_MAGIC)


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--on", "0,1", "--plot", "p.gif"], "a plot is saved as .png or .svg"),
        (["--on", "0,1", "--target", "x^2"], "--target goes with --on and --plot"),
        (["--segment", "0:1", "--target", "x^2", "--plot", "p.png"], "--target goes with --on and --plot"),
    ],
)
def test_cli_pieces_plot_errors(
    tmp_path: Path, f3_file: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    extra = [str(tmp_path / e) if e.startswith("p.") else e for e in extra]
    code = main(["pieces", str(f3_file), *extra])
    err = capsys.readouterr().err
    assert code == 2
    assert message in err and len(err.strip().splitlines()) == 1
