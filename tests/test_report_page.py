"""exactnet.report_page: the one-page report (HTML and Markdown), its escaping, files and CLI,
and the HTML page rendered in a real headless browser (Debian's chromium).

Expected values are derived by hand: Yarotsky's f_3 = square_net(3) interpolates
x^2 at k/8, so its sup error against x^2 on [0, 1] is (1/16)^2 = 2^(-2*3-2) =
1/256 (Yarotsky 2017, Prop. 2), first attained at the midpoint 1/16 of [0, 1/8];
its 8 pieces have slopes (2k + 1)/8, k = 0..7 (the chords of x^2).
"""

from __future__ import annotations

import base64
import html
import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from exactnet.cli import main
from exactnet.constructions.yarotsky2017 import sawtooth_net, square_net
from exactnet.exceptions import InvalidArgument
from exactnet.io.json import dump
from exactnet.network import Network
from exactnet.numbers import Interval
from exactnet.report_page import (
    Report,
    build_report,
    render_plots,
    to_html,
    to_markdown,
    write_html,
    write_markdown,
)

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
UNIT = Interval(0, 1)
HOSTILE = "<script>alert('x')</script>"
HOSTILE_IMG = '<img src=x onerror="alert(1)">'
needs_matplotlib = pytest.mark.skipif(
    importlib.util.find_spec("matplotlib") is None,
    reason="matplotlib is not installed (pip install 'exactnet[plot]')",
)


@pytest.fixture(scope="module")
def f3_report() -> Report:
    return build_report(square_net(3), source="f3.json", interval=UNIT, target="x^2", eps="1/256")


def hostile_net() -> Network:
    return square_net(3).with_metadata(name=f"f3 {HOSTILE}", comment=HOSTILE_IMG, note="a | b `c` ``` d *e*")


# -- build_report ---------------------------------------------------------------------


def test_build_report_values(f3_report: Report) -> None:
    r = f3_report
    assert r.name == "f3.json"  # square_net's metadata has no name
    assert r.pwl is not None and r.pwl.pieces == 8 and r.pieces_raw == 8
    assert [str(s) for s in r.pwl.slopes] == [f"{2 * k + 1}/8" for k in range(8)]
    assert r.certificate is not None
    assert str(r.certificate.value) == "1/256"
    assert [str(w) for w in r.certificate.witness] == ["1/16"]
    assert r.metrics.depth == 4


def test_build_report_without_interval_has_metrics_only() -> None:
    r = build_report(square_net(2), source="f2.json")
    assert r.pwl is None and r.certificate is None
    page = to_html(r, plots=())
    assert "<h2>Metrics</h2>" in page and "Give an interval (--on A,B)" in page
    assert 'id="pieces"' not in page and 'id="sup-error"' not in page


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"target": "x^2"}, "a target needs an interval"),
        ({"interval": UNIT, "eps": "1/2"}, "needs a target"),
    ],
)
def test_build_report_argument_errors(kwargs: dict, message: str) -> None:
    with pytest.raises(InvalidArgument, match=message):
        build_report(square_net(2), **kwargs)


def test_build_report_needs_one_input_for_pieces() -> None:
    two = Network.from_layers([[[1, 1]]], [[0]], ["relu"])
    assert build_report(two).metrics.inputs == 2
    with pytest.raises(InvalidArgument, match="one input and one output"):
        build_report(two, interval=UNIT)


# -- HTML content -----------------------------------------------------------------------


def test_html_content(f3_report: Report) -> None:
    page = to_html(f3_report, plots=())
    assert page.startswith("<!DOCTYPE html>")
    assert "<td class=\"exact\">1/256  ≈ 0.00390625</td>" in page  # exact first, ≈ second
    assert "<td class=\"exact\">1/16  ≈ 0.0625</td>" in page
    assert "<td class=\"exact\">holds</td>" in page
    assert "8 linear pieces (8 before merging collinear pieces), 9 breakpoints." in page
    assert "<td class=\"exact\">15/8</td>" in page
    assert "<script" not in page and "http" not in page.split("<details>")[0]


def test_html_embeds_the_certificate_json(f3_report: Report) -> None:
    page = to_html(f3_report, plots=())
    m = re.search(r"<details>.*?<pre>(.*?)</pre>\s*</details>", page, re.S)
    assert m is not None
    assert json.loads(html.unescape(m.group(1))) == f3_report.certificate.to_dict()


@needs_matplotlib
def test_html_embeds_the_plot_as_a_png_data_uri(f3_report: Report) -> None:
    page = to_html(f3_report)
    m = re.search(r'<img src="data:image/png;base64,([A-Za-z0-9+/=]+)"', page)
    assert m is not None
    assert base64.b64decode(m.group(1)).startswith(PNG_MAGIC)
    assert "<pre>sup over [0, 1] of |N(x) - (x^2)|\n= 1/256  ≈ 0.00390625" in page  # the caption


def test_html_hostile_metadata_is_escaped() -> None:
    r = build_report(hostile_net(), source="<b>f3</b>.json", interval=UNIT, target="x^2")
    page = to_html(r, plots=())
    for raw in ("<script", "<img src=x", "<b>f3"):
        assert raw not in page
    assert html.escape(f"f3 {HOSTILE}") in page
    assert html.escape(HOSTILE_IMG) in page
    # in the embedded certificate too (it carries the network and its metadata)
    m = re.search(r"<details>.*?<pre>(.*?)</pre>", page, re.S)
    assert m is not None
    meta = json.loads(html.unescape(m.group(1)))["details"]["problem"]["network"]["metadata"]
    assert meta["comment"] == HOSTILE_IMG


def test_html_without_matplotlib_says_why(f3_report: Report, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    page = to_html(f3_report)
    assert "plots omitted: plots need matplotlib" in page and "<img" not in page


# -- Markdown content -------------------------------------------------------------------


def test_markdown_content(f3_report: Report) -> None:
    page = to_markdown(f3_report)
    assert page.startswith("# exactnet report: f3.json\n")
    assert "| value | `1/256  ≈ 0.00390625` |" in page
    assert "| attained at x | `1/16  ≈ 0.0625` |" in page
    # a pipe inside a table cell is escaped, even inside code
    assert "| claim | `sup over [0, 1] of \\|N(x) - (x^2)\\| <= 1/256` |" in page
    assert "| `1/8` | `1/64` | `3/8` | 0.015625 |" in page
    assert "<details>" in page and "## Plots" not in page  # no images given


def test_markdown_hostile_metadata_is_escaped() -> None:
    r = build_report(hostile_net(), source="f3.json", interval=UNIT, target="x^2")
    page = to_markdown(r)
    for raw in ("<script", "<img src=x"):
        assert raw not in page
    assert "&lt;script&gt;alert('x')&lt;/script&gt;" in page
    assert "a \\| b \\`c\\` \\`\\`\\` d \\*e\\*" in page
    # the embedded certificate is the same JSON, with < > & written as \u escapes
    m = re.search(r"(`{3,})json\n(.*?)\n\1\n", page, re.S)
    assert m is not None
    assert json.loads(m.group(2)) == r.certificate.to_dict()


# -- truncation -------------------------------------------------------------------------


def test_many_pieces_are_truncated_with_a_note() -> None:
    # sawtooth_net(6) has 2^6 = 64 pieces, 65 breakpoints; 10 rows shown, 55 left out
    r = build_report(sawtooth_net(6), source="saw.json", interval=UNIT)
    page = to_html(r, max_rows=10, plots=())
    pieces = page.split('id="pieces"')[1].split("</table>")[0]
    assert pieces.count("<tr>") == 1 + 10  # the header and the rows shown
    assert "… 55 breakpoints left out here; all of them: exactnet pieces saw.json --on 0,1 --csv" in pieces
    # the first five and the last five breakpoints: 0, 1/64, .., 4/64 and 60/64, .., 1
    xs = re.findall(r'<tr><td class="exact">([^<]*)</td>', pieces)
    assert xs == ["0", "1/64", "1/32", "3/64", "1/16", "15/16", "61/64", "31/32", "63/64", "1"]
    md = to_markdown(r, max_rows=10)
    assert "`… 55 breakpoints left out here" in md
    with pytest.raises(InvalidArgument, match="max_rows=1"):
        to_html(r, max_rows=1)


# -- files ------------------------------------------------------------------------------


@needs_matplotlib
def test_write_markdown_writes_the_pngs_next_to_it(tmp_path: Path, f3_report: Report) -> None:
    written = write_markdown(f3_report, tmp_path / "my report.md")
    assert [p.name for p in written] == ["my report-error.png", "my report.md"]
    assert (tmp_path / "my report-error.png").read_bytes().startswith(PNG_MAGIC)
    text = (tmp_path / "my report.md").read_text(encoding="utf-8")
    assert "![N against the target, and the error curve](my%20report-error.png)" in text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["my report-error.png", "my report.md"]


def test_write_html_and_bad_suffixes(tmp_path: Path, f3_report: Report) -> None:
    assert write_html(f3_report, tmp_path / "r.html") == [tmp_path / "r.html"]
    assert "1/256" in (tmp_path / "r.html").read_text(encoding="utf-8")
    with pytest.raises(InvalidArgument, match="ending in .html or .htm"):
        write_html(f3_report, tmp_path / "r.md")
    with pytest.raises(InvalidArgument, match="ending in .md or .markdown"):
        write_markdown(f3_report, tmp_path / "r.html")
    with pytest.raises(InvalidArgument, match="cannot write"):
        write_html(f3_report, tmp_path / "missing" / "r.html")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.html"]  # no temporary files left


@needs_matplotlib
def test_render_plots_pieces_only() -> None:
    plots = render_plots(build_report(square_net(2), interval=UNIT))
    assert [p.slug for p in plots] == ["pieces"]
    assert plots[0].png.startswith(PNG_MAGIC)
    assert plots[0].caption.startswith("N on [0, 1]: 4 linear pieces, 5 breakpoints")


# -- the command line -------------------------------------------------------------------


@pytest.fixture
def f3_file(tmp_path: Path) -> Path:
    p = tmp_path / "f3.json"
    dump(square_net(3).with_metadata(name=HOSTILE), p)
    return p


def test_cli_report_html(tmp_path: Path, f3_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "r.html"
    assert main(["report", str(f3_file), "--target", "x^2", "--on", "0,1", "--html", str(out)]) == 0
    assert capsys.readouterr().out == f"wrote {out}\n"
    page = out.read_text(encoding="utf-8")
    assert "1/256" in page and "<script" not in page


@needs_matplotlib
def test_cli_report_markdown_and_exit_codes(tmp_path: Path, f3_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "r.md"
    # eps = 1/257 < 1/256: violated, exit 1, as for sup-error; the report is written
    assert main(["report", str(f3_file), "--target", "x^2", "--on", "0,1", "--eps", "1/257", "--md", str(out)]) == 1
    assert capsys.readouterr().out.splitlines() == [f"wrote {tmp_path / 'r-error.png'}", f"wrote {out}"]
    assert "| verdict | `violated` |" in out.read_text(encoding="utf-8")
    # metrics only
    assert main(["report", str(f3_file), "--md", str(tmp_path / "m.md")]) == 0
    assert "## Pieces" not in (tmp_path / "m.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--html", "r.txt"], "--html writes a file ending in .html or .htm"),
        (["--md", "r.html"], "--md writes a file ending in .md or .markdown"),
        (["--target", "x^2", "--html", "r.html"], "--target needs --on"),
        (["--on", "0,1", "--eps", "1/2", "--html", "r.html"], "--eps is a bound on the sup error"),
        (["--on", "0,1", "--max-rows", "1", "--html", "r.html"], "--max-rows 1: must be >= 2"),
        (["--on", "1,0", "--html", "r.html"], "is empty"),
    ],
)
def test_cli_report_errors(
    tmp_path: Path, f3_file: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    extra = [str(tmp_path / e) if e.startswith("r.") else e for e in extra]
    code = main(["report", str(f3_file), *extra])
    err = capsys.readouterr().err
    assert code == 2
    assert message in err and len(err.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == [f3_file]


# -- in a real browser --------------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"
needs_chromium = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason=f"{CHROMIUM} is absent: apt-get install -y chromium chromium-driver (.ci/run does)",
)
# headless on a closed network: no background connections, no component downloads
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

# appended to a copy of the page (the report itself has no script): after the
# load event, write each image's state into the DOM, where --dump-dom shows it
PROBE = """<script>
window.addEventListener("load", function () {
  var out = document.createElement("div");
  out.id = "probe";
  out.textContent = Array.from(document.images).map(function (i) {
    return i.complete + ":" + i.naturalWidth + "x" + i.naturalHeight;
  }).join(",");
  document.body.appendChild(out);
});
</script>"""


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / "chromium-profile"
    profile.mkdir(exist_ok=True)
    return subprocess.run(
        [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,  # the tests assert on the exit code with chromium's stderr
    )


@pytest.fixture(scope="module")
def hostile_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("matplotlib")
    d = tmp_path_factory.mktemp("browser")
    r = build_report(hostile_net(), source="f3.json", interval=UNIT, target="x^2", eps="1/256")
    return write_html(r, d / "report.html")[0]


@needs_chromium
def test_browser_renders_the_exact_value(tmp_path: Path, hostile_page: Path) -> None:
    done = chromium(tmp_path, "--dump-dom", hostile_page.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    dom = done.stdout
    assert "<h1>exactnet report: f3 &lt;script&gt;" in dom  # the hostile name rendered as text
    assert "<script" not in dom  # and never as an element
    assert re.search(r'<td class="exact">1/256\s+≈ 0\.00390625</td>', dom)
    assert re.search(r'<td class="exact">1/16\s+≈ 0\.0625</td>', dom)


@needs_chromium
def test_browser_loads_the_plot_image(tmp_path: Path, hostile_page: Path) -> None:
    probe = tmp_path / "probe.html"
    probe.write_text(hostile_page.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"), encoding="utf-8")
    done = chromium(tmp_path, "--dump-dom", probe.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    m = re.search(r'<div id="probe">([^<]*)</div>', done.stdout)
    assert m is not None, "the load handler did not run"
    states = m.group(1).split(",")
    assert len(states) == 1
    complete, size = states[0].split(":")
    width, height = (int(v) for v in size.split("x"))
    assert complete == "true" and width > 0 and height > 0


@needs_chromium
def test_browser_screenshot(tmp_path: Path, hostile_page: Path) -> None:
    shot = tmp_path / "shot.png"
    done = chromium(tmp_path, f"--screenshot={shot}", "--window-size=1200,1600", hostile_page.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    assert shot.read_bytes().startswith(PNG_MAGIC)


def test_report_says_how_the_numbers_came_in(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # N(x) = relu(x/3): snapped to the grid 2^-3, 1/3 becomes 3/8 (1/3 = 2.67/8 rounds to 3/8),
    # a change of 3/8 - 1/3 = 1/24, written out by hand
    path = tmp_path / "third.json"
    dump(Network.from_layers([[["1/3"]], [["1"]]], [["0"], ["0"]]), path)
    out = tmp_path / "r.md"
    assert main(["report", str(path), "--snap", "3", "--md", str(out)]) == 0
    text = out.read_text()
    assert "rounded to the grid 2^-3" in text and "largest change 1/24" in text
    assert main(["report", str(path), "--md", str(out)]) == 0
    assert "exact (from the file)" in out.read_text()
    capsys.readouterr()
