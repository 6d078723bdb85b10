"""One-page reports of a network (HTML or Markdown): metrics, pieces, sup error, plots.

:func:`build_report` computes everything a page shows and returns it as a
value (:class:`Report`); :func:`to_html` and :func:`to_markdown` render it;
:func:`write_html` and :func:`write_markdown` write the files atomically (a
temporary file in the same folder, then a rename).  The HTML page is
self-contained: no script, no external resource, the plots embedded as PNG
``data:`` URIs.  The Markdown page links PNG files written next to it.

Exact values come first, ``≈`` decimals second.  Every string put into a page
is escaped (:func:`html.escape`): the target is parsed by a grammar, but the
network file's metadata is arbitrary text.
"""

from __future__ import annotations

import base64
import html
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence
from urllib.parse import quote

from exactnet.certificate import Certificate
from exactnet.exceptions import InvalidArgument, UnsupportedError
from exactnet.io.files import write_atomic
from exactnet.io.formats import import_note
from exactnet.metrics import Metrics, metrics
from exactnet.network import Network
from exactnet.numbers import Interval, QLike, approx, q
from exactnet.pwl import PiecewiseLinear, to_pwl
from exactnet.targets import Target, as_target

__all__ = [
    "Report",
    "Plot",
    "build_report",
    "render_plots",
    "to_html",
    "to_markdown",
    "write_html",
    "write_markdown",
    "HTML_SUFFIXES",
    "MARKDOWN_SUFFIXES",
]

HTML_SUFFIXES = (".html", ".htm")
MARKDOWN_SUFFIXES = (".md", ".markdown")
MAX_ROWS = 200
"""Breakpoint rows shown in a page's table of pieces before it is truncated."""


@dataclass(frozen=True, slots=True)
class Report:
    """Everything a report page shows, computed once.

    Attributes
    ----------
    name : str
        The page's title (the network's ``name`` metadata, or the file name).
    source : str
        Where the network came from (a file name), or "".
    inputs, outputs : tuple of str
    metadata : dict
        The network file's metadata, as read (arbitrary JSON).
    metrics : Metrics
    interval : Interval or None
    pwl : PiecewiseLinear or None
        N on the interval, canonical (collinear pieces merged).
    pieces_raw : int or None
        Pieces before merging.
    certificate : Certificate or None
        The sup-error certificate when a target was given.
    numbers : str
        How the network's numbers were obtained: "exact (from the file)", or
        the import policy (float32 weights at their exact binary values) and
        any snapping, with the largest change.
    """

    name: str
    source: str
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    metadata: Mapping[str, Any]
    metrics: Metrics
    interval: Interval | None = None
    pwl: PiecewiseLinear | None = None
    pieces_raw: int | None = None
    certificate: Certificate | None = None
    target: str | None = field(default=None)
    numbers: str = "exact (from the file)"


@dataclass(frozen=True, slots=True)
class Plot:
    """One figure of a page: a short name, a title, its caption text and PNG bytes."""

    slug: str
    title: str
    caption: str
    png: bytes


def build_report(
    net: Network,
    *,
    source: str = "",
    interval: Interval | None = None,
    target: "Target | str | None" = None,
    eps: QLike | None = None,
    side: str = "abs",
) -> Report:
    """Compute a report: metrics; with an interval the pieces; with a target the sup error.

    Parameters
    ----------
    net : Network
    source : str
        The network's file name, shown on the page.
    interval : Interval, optional
        Needed for the pieces and the sup error (one-input, one-output networks).
    target : Target or formula, optional
        With `interval`: the sup error of N against it (:func:`exactnet.supnorm.certify`).
    eps : rational, optional
        A claimed bound for the sup error.
    side : {"abs", "above", "below"}

    Returns
    -------
    Report

    Raises
    ------
    InvalidArgument
        A target without an interval, or an interval for a network that does
        not have one input and one output.

    Examples
    --------
    >>> from exactnet.constructions.yarotsky2017 import square_net
    >>> r = build_report(square_net(3), interval=Interval(0, 1), target="x^2")
    >>> print(r.pwl.pieces, r.certificate.value, r.certificate.witness[0])
    8 1/256 1/16
    """
    if target is not None and interval is None:
        raise InvalidArgument("a target needs an interval (--on A,B) to compute the sup error on")
    if eps is not None and target is None:
        raise InvalidArgument("eps is a bound on the sup error: it needs a target")
    meta = json.loads(json.dumps(dict(net.metadata)))
    name = meta.get("name") if isinstance(meta.get("name"), str) and meta.get("name") else ""
    common: dict[str, Any] = {
        "name": name or source or "network",
        "source": source,
        "inputs": tuple(str(n) for n in net.inputs),
        "outputs": tuple(str(n) for n in net.outputs),
        "metadata": meta,
        "metrics": metrics(net),
        "numbers": import_note(net) or "exact (from the file)",
    }
    if interval is None:
        return Report(**common)
    if len(net.inputs) != 1 or len(net.outputs) != 1:
        raise InvalidArgument(
            f"pieces and sup errors need a network with one input and one output "
            f"(this one has {len(net.inputs)} and {len(net.outputs)}); drop --on for the metrics"
        )
    if target is None:
        raw = to_pwl(net, interval)
        return Report(**common, interval=interval, pwl=raw.canonical(), pieces_raw=raw.pieces)
    from exactnet.supnorm import certify

    f = as_target(target)
    cert = certify(net, f, interval, None if eps is None else q(eps), side=side)
    d = cert.details
    pwl = PiecewiseLinear(
        tuple(q(x) for x in d["pieces"]["xs"]), tuple(q(y) for y in d["pieces"]["ys"])
    )
    return Report(
        **common,
        interval=interval,
        pwl=pwl,
        pieces_raw=d.get("pieces_raw"),
        certificate=cert,
        target=f.text,
    )


def render_plots(rep: Report) -> tuple[Plot, ...]:
    """The report's figures as PNG: N with its breakpoints, and the sup error's two panels.

    Raises
    ------
    UnsupportedError
        If matplotlib is not installed.
    """
    from exactnet.plot import error_caption, figure_bytes, pieces_caption, pieces_figure, sup_error_figure

    if rep.certificate is not None:
        fig = sup_error_figure(rep.certificate)
        return (
            Plot(
                "error",
                "N against the target, and the error curve",
                error_caption(rep.certificate),
                figure_bytes(fig, "png"),
            ),
        )
    if rep.pwl is not None:
        fig = pieces_figure(rep.pwl)
        return (Plot("pieces", "N and its breakpoints", pieces_caption(rep.pwl), figure_bytes(fig, "png")),)
    return ()


def _plots_or_note(rep: Report) -> tuple[tuple[Plot, ...], str]:
    try:
        return render_plots(rep), ""
    except UnsupportedError as exc:
        return (), f"plots omitted: {exc}"


# -- the content, shared by both formats -----------------------------------------------


def _metric_rows(m: Metrics) -> list[list[str]]:
    from exactnet.report import _METRIC_NOTES  # the definitions `exactnet info` shows

    return [[k, "None" if v is None else str(v), _METRIC_NOTES.get(k, "")] for k, v in m.as_dict().items()]


def _metadata_rows(meta: Mapping[str, Any]) -> list[list[str]]:
    return [
        [str(k), v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, sort_keys=True)]
        for k, v in sorted(meta.items())
    ]


def _piece_rows(pwl: PiecewiseLinear, max_rows: int) -> tuple[list[list[str]], int]:
    """Rows (x, N(x), slope to the right, N(x) ≈), with the middle left out beyond max_rows.

    Returns the rows and how many were left out; a left-out block sits after
    the first ``max_rows // 2`` rows.
    """
    n = len(pwl.xs)
    slopes = pwl.slopes

    def row(i: int) -> list[str]:
        y = pwl.ys[i]
        return [str(pwl.xs[i]), str(y), str(slopes[i]) if i < len(slopes) else "", approx(y, 12)]

    if n <= max_rows:
        return [row(i) for i in range(n)], 0
    head = max_rows // 2
    tail = max_rows - head
    return [row(i) for i in range(head)] + [row(i) for i in range(n - tail, n)], n - max_rows


def _sup_rows(cert: Certificate) -> list[list[str]]:
    from exactnet.algebraic import Enclosure
    from exactnet.report import render_real

    rows = [["claim", cert.claim], ["verdict", cert.verdict.value]]
    if cert.value is not None:
        rows.append(["value", render_real(cert.value)])
    if cert.witness is not None:
        (w,) = cert.witness
        label = "witness x" if isinstance(cert.value, Enclosure) else "attained at x"
        note = " (its error is at least the lower end)" if isinstance(cert.value, Enclosure) else ""
        rows.append([label, render_real(w) + note])
    d = cert.details
    if "reason" in d:
        rows.append(["reason", str(d["reason"])])
    if "pieces_canonical" in d:
        rows.append(
            ["pieces", f"{d['pieces_canonical']} ({d.get('pieces_raw', '?')} before merging collinear pieces); "
                       f"target kind: {d.get('target_kind', '?')}"]
        )
    rows.append(["method", cert.method])
    return rows


def _check_rows(max_rows: int) -> None:
    if max_rows < 2:
        raise InvalidArgument(f"max_rows={max_rows} must be >= 2")


def _omitted_note(omitted: int, rep: Report) -> str:
    assert rep.interval is not None
    return (
        f"… {omitted} breakpoints left out here; all of them: "
        f"exactnet pieces {rep.source or 'NET'} --on {rep.interval.lo},{rep.interval.hi} --csv"
    )


# -- HTML -------------------------------------------------------------------------------

_CSS = """
body { font-family: system-ui, sans-serif; max-width: 62rem; margin: 2rem auto; padding: 0 1rem;
       color: #1b1b1b; line-height: 1.45; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: 0.5rem 0; }
th, td { border: 1px solid #ccc; padding: 0.2rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #f2f2f2; }
td.exact, span.exact { font-family: ui-monospace, monospace; }
td.approx { color: #555; font-family: ui-monospace, monospace; }
tr.omitted td { font-style: italic; color: #555; }
figure { margin: 1rem 0; } figure img { max-width: 100%; border: 1px solid #ddd; }
figcaption pre, pre { white-space: pre-wrap; word-break: break-all; font-size: 0.85rem; }
details pre { max-height: 30rem; overflow: auto; background: #f7f7f7; padding: 0.5rem; }
.note { color: #555; }
"""


def _e(s: object) -> str:
    return html.escape(str(s), quote=True)


def _html_table(header: Sequence[str], rows: Sequence[Sequence[str]], classes: Sequence[str] = ()) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in header) if any(header) else ""
    body = []
    for r in rows:
        cells = "".join(
            f'<td class="{_e(classes[i])}">{_e(c)}</td>' if i < len(classes) and classes[i] else f"<td>{_e(c)}</td>"
            for i, c in enumerate(r)
        )
        body.append(f"<tr>{cells}</tr>")
    thead = f"<thead><tr>{head}</tr></thead>" if head else "<thead></thead>"
    return f"<table>\n{thead}\n<tbody>\n" + "\n".join(body) + "\n</tbody>\n</table>"


def to_html(rep: Report, *, max_rows: int = MAX_ROWS, plots: Sequence[Plot] | None = None) -> str:
    """The report as one self-contained HTML page (no script; plots as data: URIs).

    `plots` defaults to :func:`render_plots` (left out, with a note, when
    matplotlib is missing).

    Examples
    --------
    >>> from exactnet.constructions.yarotsky2017 import square_net
    >>> page = to_html(build_report(square_net(3), interval=Interval(0, 1), target="x^2"), plots=())
    >>> "1/256  ≈ 0.00390625" in page, page.count("<script")
    (True, 0)
    """
    from exactnet import __version__

    _check_rows(max_rows)
    note = ""
    if plots is None:
        plots, note = _plots_or_note(rep)
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>exactnet report: {_e(rep.name)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>exactnet report: {_e(rep.name)}</h1>",
        '<p class="note">Exact values first (rationals p/q, algebraic numbers by their minimal '
        "polynomial and an isolating interval, rigorous enclosures); decimals after ≈ are for "
        f"display only. Made by exactnet {_e(__version__)}.</p>",
        "<h2>Network</h2>",
        _html_table(
            ["", ""],
            [["file", rep.source or "-"], ["numbers", rep.numbers], ["inputs", ", ".join(rep.inputs)],
             ["outputs", ", ".join(rep.outputs)]],
        ),
    ]
    if rep.metadata:
        out += ["<h3>Metadata (from the network file)</h3>", _html_table(["key", "value"], _metadata_rows(rep.metadata))]
    out += ["<h2>Metrics</h2>", _html_table(["metric", "value", "definition"], _metric_rows(rep.metrics), ["", "exact", ""])]
    if rep.pwl is not None:
        rows, omitted = _piece_rows(rep.pwl, max_rows)
        out += [
            f'<h2 id="pieces">Pieces on {_e(rep.interval)}</h2>',
            f"<p>{rep.pwl.pieces} linear pieces ({_e(rep.pieces_raw)} before merging collinear pieces), "
            f"{len(rep.pwl.xs)} breakpoints.</p>",
        ]
        table = _html_table(["x", "N(x)", "slope to the right", "N(x) ≈"], rows, ["exact", "exact", "exact", "approx"])
        if omitted:
            half = max_rows // 2
            lines = table.split("\n")
            # rows start after "<table>", "<thead>...", "<tbody>"
            lines.insert(3 + half, f'<tr class="omitted"><td colspan="4">{_e(_omitted_note(omitted, rep))}</td></tr>')
            table = "\n".join(lines)
        out.append(table)
    else:
        out.append('<p class="note">Give an interval (--on A,B) for the pieces, and a target (--target F) '
                   "for the sup error.</p>")
    if rep.certificate is not None:
        cert = rep.certificate
        out += [
            f'<h2 id="sup-error">Sup error against f(x) = {_e(rep.target)}</h2>',
            _html_table(["", ""], _sup_rows(cert), ["", "exact"]),
            "<details><summary>The certificate (JSON; <code>exactnet check-certificate</code> re-validates it)"
            "</summary>",
            f"<pre>{_e(cert.to_json())}</pre>",
            "</details>",
        ]
    if plots or note:
        out.append('<h2 id="plots">Plots</h2>')
    if note:
        out.append(f'<p class="note">{_e(note)}</p>')
    for p in plots:
        data = base64.b64encode(p.png).decode("ascii")
        out += [
            f'<figure id="plot-{_e(p.slug)}">',
            f'<img src="data:image/png;base64,{data}" alt="{_e(p.title)}">',
            f"<figcaption><strong>{_e(p.title)}.</strong><pre>{_e(p.caption)}</pre></figcaption>",
            "</figure>",
        ]
    out += ["</body>", "</html>", ""]
    return "\n".join(out)


# -- Markdown ---------------------------------------------------------------------------

# inside a line (never at its start) only these make Markdown (GFM) structure
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def _md(s: object) -> str:
    """Untrusted text inside a Markdown line: HTML escaped (Markdown passes raw HTML
    through), then the characters that make emphasis, links, code, tables and
    strike-through backslashed."""
    text = html.escape(str(s), quote=False).replace("\n", " ")
    return _MD_SPECIAL.sub(r"\\\1", text)


def _cell(s: str) -> str:
    """Our own text in a Markdown table cell (only a pipe would split the cell)."""
    return s.replace("|", "\\|")


def _md_code(s: object) -> str:
    """An inline code span (its content is shown literally; a pipe is escaped for tables)."""
    text = str(s).replace("\n", " ")
    run = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * (run + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}".replace("|", "\\|")


def _json_for_markdown(text: str) -> str:
    """The same JSON with < > & written as \\u escapes, so no HTML tag survives in it.

    The three characters occur in JSON text only inside strings, where the
    escapes mean the same characters: the result parses to the same value.
    Some Markdown renderers pass the inside of <details> through as HTML.
    """
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def _md_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def _md_fenced(text: str, lang: str = "") -> str:
    run = max((len(m) for m in re.findall(r"`{3,}", text)), default=2)
    fence = "`" * (run + 1)
    return f"{fence}{lang}\n{text}\n{fence}"


def to_markdown(rep: Report, *, max_rows: int = MAX_ROWS, images: Mapping[str, str] | None = None,
                plots: Sequence[Plot] = ()) -> str:
    """The report as Markdown; `images` maps a plot's slug to the file name it is linked as.

    Examples
    --------
    >>> from exactnet.constructions.yarotsky2017 import square_net
    >>> page = to_markdown(build_report(square_net(3), interval=Interval(0, 1), target="x^2"))
    >>> "`1/256  ≈ 0.00390625`" in page
    True
    """
    from exactnet import __version__

    _check_rows(max_rows)
    images = images or {}
    out = [
        f"# exactnet report: {_md(rep.name)}",
        "",
        "Exact values first (rationals p/q, algebraic numbers by their minimal polynomial and an "
        "isolating interval, rigorous enclosures); decimals after ≈ are for display only. "
        f"Made by exactnet {__version__}.",
        "",
        "## Network",
        "",
        _md_table(["field", "value"], [["file", _md(rep.source or "-")], ["numbers", _md(rep.numbers)],
                                        ["inputs", _md(", ".join(rep.inputs))],
                             ["outputs", _md(", ".join(rep.outputs))]]),
        "",
    ]
    if rep.metadata:
        # untrusted: escaped text, not code spans, so no renderer can see raw HTML in it
        rows = [[_md(k), _md(v)] for k, v in _metadata_rows(rep.metadata)]
        out += ["### Metadata (from the network file)", "", _md_table(["key", "value"], rows), ""]
    rows = [[_md_code(k), _md_code(v), _cell(d)] for k, v, d in _metric_rows(rep.metrics)]
    out += ["## Metrics", "", _md_table(["metric", "value", "definition"], rows), ""]
    if rep.pwl is not None:
        prow, omitted = _piece_rows(rep.pwl, max_rows)
        cells = [[_md_code(x), _md_code(y), _md_code(s) if s else "", a] for x, y, s, a in prow]
        if omitted:
            cells.insert(max_rows // 2, [_md_code(_omitted_note(omitted, rep)), "", "", ""])
        out += [
            f"## Pieces on {rep.interval}",
            "",
            f"{rep.pwl.pieces} linear pieces ({rep.pieces_raw} before merging collinear pieces), "
            f"{len(rep.pwl.xs)} breakpoints.",
            "",
            _md_table(["x", "N(x)", "slope to the right", "N(x) ≈"], cells),
            "",
        ]
    else:
        out += ["Give an interval (`--on A,B`) for the pieces, and a target (`--target F`) for the sup error.", ""]
    if rep.certificate is not None:
        cert = rep.certificate
        rows = [[k, _md_code(v)] for k, v in _sup_rows(cert)]
        out += [
            f"## Sup error against f(x) = {_md_code(rep.target)}",
            "",
            _md_table(["field", "value"], rows),
            "",
            "<details><summary>The certificate (JSON; <code>exactnet check-certificate</code> re-validates it)"
            "</summary>",
            "",
            _md_fenced(_json_for_markdown(cert.to_json()), "json"),
            "",
            "</details>",
            "",
        ]
    shown = [p for p in plots if p.slug in images]
    if shown:
        out += ["## Plots", ""]
    for p in shown:
        out += [f"![{_md(p.title)}]({quote(images[p.slug])})", "", _md_fenced(p.caption), ""]
    return "\n".join(out)


# -- files ------------------------------------------------------------------------------


def _check_suffix(path: Path, suffixes: tuple[str, ...], what: str) -> None:
    if path.suffix.lower() not in suffixes:
        raise InvalidArgument(
            f"{path}: a {what} report is written to a file ending in {' or '.join(suffixes)}, "
            f"not {path.suffix or 'a name without extension'}"
        )


def write_html(rep: Report, path: str | os.PathLike[str], *, max_rows: int = MAX_ROWS) -> list[Path]:
    """Write the HTML page atomically; returns the files written (the page)."""
    p = Path(path)
    _check_suffix(p, HTML_SUFFIXES, "HTML")
    write_atomic(p, to_html(rep, max_rows=max_rows).encode("utf-8"))
    return [p]


def write_markdown(rep: Report, path: str | os.PathLike[str], *, max_rows: int = MAX_ROWS) -> list[Path]:
    """Write the Markdown page and its PNG plots next to it (``<stem>-<plot>.png``), atomically.

    Returns the files written, the page last (it is written after its images).
    """
    p = Path(path)
    _check_suffix(p, MARKDOWN_SUFFIXES, "Markdown")
    _check_rows(max_rows)
    plots, note = _plots_or_note(rep)
    written: list[Path] = []
    images: dict[str, str] = {}
    for plot in plots:
        img = p.with_name(f"{p.stem}-{plot.slug}.png")
        write_atomic(img, plot.png)
        images[plot.slug] = img.name
        written.append(img)
    text = to_markdown(rep, max_rows=max_rows, images=images, plots=plots)
    if note:
        text += f"\n{_md(note)}\n"
    write_atomic(p, text.encode("utf-8"))
    written.append(p)
    return written
