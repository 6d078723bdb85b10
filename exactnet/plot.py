"""Plots of exact results (matplotlib, Agg): the network, the target, the error.

This is the only module that imports matplotlib, and it does so inside its
functions, so ``import exactnet.plot`` is light and the rest of exactnet never
needs matplotlib (install it with ``pip install 'exactnet[plot]'``).

Every number drawn is a float made from an exact value, for display only.  The
network is drawn exactly through its breakpoints (a piecewise-linear function
is a polyline).  The target is *sampled* for drawing: exact values at rational
sample points for polynomial, rational and piecewise-linear targets, midpoints
of Arb enclosures (:func:`exactnet.reals.enclose`) for transcendental ones.
The exact values (the sup error and its maximiser) are in the captions,
rendered by :func:`exactnet.report.render_real`: exact first, ``≈`` second.

Figures are plain :class:`matplotlib.figure.Figure` objects (no pyplot, so no
global figure registry); :func:`save_figure` writes PNG or SVG, chosen by the
file's extension, atomically.
"""

from __future__ import annotations

import io
import os
import textwrap
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Sequence

from exactnet.algebraic import AlgebraicNumber, Enclosure, Real, bounds
from exactnet.certificate import Certificate
from exactnet.exceptions import InvalidArgument, UnsupportedError
from exactnet.io.files import write_atomic
from exactnet.numbers import Interval, Q, q
from exactnet.pwl import PiecewiseLinear
from exactnet.targets import Target, as_target

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "FORMATS",
    "plot_format",
    "pieces_figure",
    "sup_error_figure",
    "pieces_caption",
    "error_caption",
    "figure_bytes",
    "save_figure",
    "series_figure",
    "regions_figure",
    "sup_error_box_figure",
    "regimes_figure",
]

FORMATS = {".png": "png", ".svg": "svg"}
"""File extensions of plots and the format each one selects."""

_SAMPLES = 1000  # grid cells for sampling a target (display only)
_EXTRA_BREAKPOINTS = 5000  # up to this many, N's breakpoints join the sample points
_MARK_DOTS = 400  # up to this many breakpoints, a dot on each; beyond, ticks on the axis
_MARK_TICKS = 20000  # beyond this many, breakpoints are not marked one by one
_CAPTION_WIDTH = 110
_DIGITS = 15  # decimals of the ≈ part of a caption

# kept in an rc_context around building and saving, never set globally
_RC = {
    "text.parse_math": False,  # a "$" in a file name is text, not mathtext
    "svg.fonttype": "none",  # SVG text stays text: the caption can be searched
    "svg.hashsalt": "exactnet",  # deterministic SVG ids
    "agg.path.chunksize": 10000,  # long polylines (many pieces) render in chunks
    "font.size": 9,
}


def _matplotlib() -> Any:
    try:
        import matplotlib
    except ImportError:
        raise UnsupportedError(
            "plots need matplotlib, which is not installed: pip install 'exactnet[plot]'"
        ) from None
    return matplotlib


@contextmanager
def _rc() -> Iterator[None]:
    with _matplotlib().rc_context(_RC):
        yield


def plot_format(path: str | os.PathLike[str]) -> str:
    """The format of a plot file from its extension: ``"png"`` or ``"svg"``.

    Raises
    ------
    InvalidArgument
        For any other extension.

    Examples
    --------
    >>> plot_format("out.PNG"), plot_format("a/b.svg")
    ('png', 'svg')
    >>> plot_format("out.jpg")
    Traceback (most recent call last):
    ...
    exactnet.exceptions.InvalidArgument: out.jpg: a plot is saved as .png or .svg (chosen by the extension), not .jpg
    """
    p = Path(path)
    fmt = FORMATS.get(p.suffix.lower())
    if fmt is None:
        raise InvalidArgument(
            f"{p}: a plot is saved as .png or .svg (chosen by the extension), "
            f"not {p.suffix or 'a name without extension'}"
        )
    return fmt


# -- display floats (never read back) ---------------------------------------------------


def _float(x: "Real | Enclosure") -> float:
    """A float near x, for drawing only."""
    if isinstance(x, Enclosure):
        return float((x.lo + x.hi) / 2)
    if isinstance(x, AlgebraicNumber):
        lo, hi = bounds(x, Q(1, 2**64) * max(abs(x.lo), abs(x.hi), Q(1, 2**64)))
        return float((lo + hi) / 2)
    return float(x)


def _rational_near(x: Real) -> Q:
    """A rational at or next to x (x itself when rational), for sampling."""
    if isinstance(x, AlgebraicNumber):
        lo, hi = bounds(x, (x.hi - x.lo) / 2**40)
        return (lo + hi) / 2
    return x


def _samples(interval: Interval, extra: Sequence[Q] = ()) -> list[Q]:
    """A uniform rational grid on the interval, with the `extra` points inside it."""
    lo, hi = interval.lo, interval.hi
    if lo == hi:
        return [lo]
    pts = {lo + (hi - lo) * k / _SAMPLES for k in range(_SAMPLES + 1)}
    pts.update(x for x in extra if lo <= x <= hi)
    return sorted(pts)


def _target_value(f: Target, x: Q) -> float:
    """f(x) for drawing: the exact value as a float, or the midpoint of an Arb enclosure."""
    if f.is_exact:
        try:
            return float(f(x))
        except InvalidArgument:  # a pole: leave a gap in the curve
            return float("nan")
    from exactnet.reals import enclose

    ball = enclose(f.expr, x, prec=64)
    return float("nan") if ball is None else float((ball[0] + ball[1]) / 2)


def _error_value(pwl: PiecewiseLinear, f: Target, x: Q, sign: int) -> float:
    """sign * (N(x) - f(x)) for drawing, exact before the conversion when f is exact."""
    if f.is_exact:
        try:
            return float(sign * (pwl(x) - f(x)))
        except InvalidArgument:
            return float("nan")
    return sign * (float(pwl(x)) - _target_value(f, x))


def _target_breakpoints(f: Target, interval: Interval) -> tuple[Q, ...]:
    if f.kind == "pwl":
        return f.to_pwl(interval).xs
    return ()


# -- drawing ----------------------------------------------------------------------------


def _draw_pwl(ax: "Axes", pwl: PiecewiseLinear, label: str) -> None:
    import numpy as np

    xs = np.array([float(x) for x in pwl.xs])
    ys = np.array([float(y) for y in pwl.ys])
    n = len(xs)
    ax.plot(xs, ys, color="C0", lw=1.4, label=label, zorder=3)
    if n <= _MARK_DOTS:
        ax.plot(xs, ys, "o", color="C0", ms=3, zorder=4, label=f"its {n} breakpoints")
    elif n <= _MARK_TICKS:
        ax.plot(
            xs,
            np.zeros_like(xs),
            "|",
            color="C0",
            ms=6,
            transform=ax.get_xaxis_transform(),
            label=f"its {n} breakpoints (ticks on the axis)",
        )
    else:
        ax.plot([], [], " ", label=f"{n} breakpoints (too many to mark)")


def _draw_target(ax: "Axes", f: Target, interval: Interval) -> None:
    pts = _samples(interval, _target_breakpoints(f, interval))
    how = "enclosure midpoints" if not f.is_exact else "exact values"
    ax.plot(
        [float(x) for x in pts],
        [_target_value(f, x) for x in pts],
        "--",
        color="C1",
        lw=1.2,
        zorder=2,
        label=f"f(x) = {_short(f.text)}  (sampled, {how}; display only)",
    )


def _short(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _caption(fig: "Figure", text: str) -> None:
    wrapped = "\n".join(
        textwrap.fill(line, _CAPTION_WIDTH, subsequent_indent="    ", break_long_words=True)
        for line in text.splitlines()
    )
    fig.supxlabel(wrapped, x=0.01, ha="left", fontsize=8.5, family="monospace")


def _new_figure(panels: int) -> "Figure":
    _matplotlib()
    from matplotlib.figure import Figure

    return Figure(figsize=(8.0, 3.4 * panels + 1.0), dpi=110, layout="constrained")


def _plural(n: int) -> str:
    return "" if n == 1 else "s"


def pieces_caption(pwl: PiecewiseLinear, *, var: str = "x") -> str:
    """The caption of :func:`pieces_figure`: the pieces and the exact domain.

    Examples
    --------
    >>> f = PiecewiseLinear.from_points([(0, 0), ("1/2", 1), (1, 0)])
    >>> print(pieces_caption(f))
    N on [0, 1]: 2 linear pieces, 3 breakpoints (exact; drawn through them)
    the axes are decimal approximations, for display only
    """
    of = "" if var == "x" else f"({var})"
    return (
        f"N{of} on {pwl.domain}: {pwl.pieces} linear piece{_plural(pwl.pieces)}, "
        f"{len(pwl.xs)} breakpoint{_plural(len(pwl.xs))} (exact; drawn through them)\n"
        "the axes are decimal approximations, for display only"
    )


def pieces_figure(
    pwl: PiecewiseLinear,
    *,
    target: "Target | str | None" = None,
    title: str = "",
    var: str = "x",
) -> "Figure":
    """The piecewise-linear function with its breakpoints marked (and a target, if given).

    Parameters
    ----------
    pwl : PiecewiseLinear
        Drawn exactly through its breakpoints.
    target : Target or formula, optional
        Sampled on the same interval, for display only.
    title : str
        Shown above the plot (as text, never as mathtext).
    var : str
        The name of the variable on the horizontal axis (``"t"`` for a segment).

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    UnsupportedError
        If matplotlib is not installed.

    Examples
    --------
    >>> from exactnet.constructions.yarotsky2017 import square_net
    >>> from exactnet.pwl import to_pwl
    >>> fig = pieces_figure(to_pwl(square_net(2), Interval(0, 1)).canonical(), target="x^2")
    >>> figure_bytes(fig, "png")[:8]
    b'\\x89PNG\\r\\n\\x1a\\n'
    """
    f = None if target is None else as_target(target)
    with _rc():
        fig = _new_figure(1)
        ax = fig.add_subplot(1, 1, 1)
        _draw_pwl(ax, pwl, f"N({var})")
        if f is not None:
            _draw_target(ax, f, pwl.domain)
        ax.set_xlabel(f"{var}  (≈)")
        ax.set_ylabel("value  (≈)")
        ax.grid(True, lw=0.4, alpha=0.5)
        ax.legend(loc="best", fontsize=8)
        if title:
            ax.set_title(title)
        _caption(fig, pieces_caption(pwl, var=var))
    return fig


def _problem(cert: Certificate) -> tuple[PiecewiseLinear, Target, Interval, str]:
    d = cert.details
    problem = d.get("problem")
    if not problem or problem.get("kind") != "sup-error-1d" or "pieces" not in d:
        raise InvalidArgument(
            "sup_error_figure needs a sup-error certificate (from exactnet.supnorm.certify)"
        )
    pieces = d["pieces"]
    pwl = PiecewiseLinear(tuple(q(x) for x in pieces["xs"]), tuple(q(y) for y in pieces["ys"]))
    lo, hi = problem["domain"]
    return pwl, as_target(problem["target"]), Interval(lo, hi), problem["side"]


def error_caption(cert: Certificate, *, digits: int = _DIGITS) -> str:
    """The caption of :func:`sup_error_figure`: the claim, the exact value, the maximiser.

    Examples
    --------
    Yarotsky's f_3 against x^2 on [0, 1]: the sup error is 2^(-2*3-2) = 1/256.

    >>> from exactnet.constructions.yarotsky2017 import square_net
    >>> from exactnet.supnorm import certify
    >>> print(error_caption(certify(square_net(3), "x^2", Interval(0, 1))))
    sup over [0, 1] of |N(x) - (x^2)|
    = 1/256  ≈ 0.00390625
    attained at x = 1/16  ≈ 0.0625
    verdict: holds; N has 8 pieces; method: pwl + exact piece maxima (root isolation)
    curves drawn in floating point for display only; the exact values are the ones above
    """
    from exactnet.report import render_real

    claim = cert.claim.split(" <= ")[0] if " <= " in cert.claim else cert.claim
    lines = [claim]
    if cert.value is not None:
        lines.append(f"= {render_real(cert.value, digits)}")
    if cert.witness is not None:
        (w,) = cert.witness
        where = render_real(w, digits)
        if isinstance(cert.value, Enclosure):
            lines.append(f"witness x = {where} (its error is at least the lower end)")
        else:
            lines.append(f"attained at x = {where}")
    d = cert.details
    eps = d.get("problem", {}).get("eps")
    verdict = f"verdict: {cert.verdict.value}" + (f" (eps = {eps})" if eps is not None else "")
    if "pieces_canonical" in d:
        n = d["pieces_canonical"]
        verdict += f"; N has {n} piece{_plural(n)}"
    lines.append(f"{verdict}; method: {cert.method}")
    if "reason" in d:
        lines.append(f"reason: {d['reason']}")
    lines.append("curves drawn in floating point for display only; the exact values are the ones above")
    return "\n".join(lines)


def sup_error_figure(cert: Certificate, *, title: str = "") -> "Figure":
    """Two panels from a sup-error certificate: N against f, and the error curve.

    (a) N drawn exactly through its breakpoints, with the target f sampled for
    display.  (b) The error N - f (f - N for ``side="below"``) sampled at a
    rational grid plus N's breakpoints (exactly evaluated, then converted), with
    the exact sup drawn as a level (both signs for ``side="abs"``) and the
    maximiser marked; the caption (:func:`error_caption`) gives the exact value.
    Everything comes from the certificate, which is self-contained.

    Parameters
    ----------
    cert : Certificate
        From :func:`exactnet.supnorm.certify`.
    title : str

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    InvalidArgument
        If `cert` is not a sup-error certificate.
    UnsupportedError
        If matplotlib is not installed.

    Examples
    --------
    >>> from exactnet.constructions.yarotsky2017 import square_net
    >>> from exactnet.supnorm import certify
    >>> fig = sup_error_figure(certify(square_net(3), "x^2", Interval(0, 1)))
    >>> b'1/256' in figure_bytes(fig, "svg")
    True
    """
    pwl, f, interval, side = _problem(cert)
    sign = -1 if side == "below" else 1
    with _rc():
        fig = _new_figure(2)
        ax_a, ax_b = fig.subplots(2, 1, sharex=True)
        _draw_pwl(ax_a, pwl, "N(x)")
        _draw_target(ax_a, f, interval)
        ax_a.set_ylabel("value  (≈)")
        ax_a.set_title("(a) the network N and the target f" + (f": {title}" if title else ""))
        ax_a.legend(loc="best", fontsize=8)

        extra: list[Q] = list(_target_breakpoints(f, interval))
        if len(pwl.xs) <= _EXTRA_BREAKPOINTS:
            extra += pwl.xs
        witness = None if cert.witness is None else cert.witness[0]
        if witness is not None:
            extra.append(_rational_near(witness))
        pts = _samples(interval, extra)
        name = "f(x) - N(x)" if side == "below" else "N(x) - f(x)"
        errors = [_error_value(pwl, f, x, sign) for x in pts]
        ax_b.plot(
            [float(x) for x in pts],
            errors,
            color="C2",
            lw=1.2,
            label=f"{name}  (sampled; display only)",
        )
        if cert.value is not None:
            levels = [cert.value.lo, cert.value.hi] if isinstance(cert.value, Enclosure) else [cert.value]
            # for side abs, the level -sup is drawn only where N - f goes negative
            signs = [1] if side != "abs" or not any(e < 0 for e in errors) else [-1]
            if side == "abs" and any(e > 0 for e in errors):
                signs.append(1)
            for v in levels:
                for s in sorted(set(signs)):
                    ax_b.axhline(s * _float(v), color="0.4", ls=":", lw=0.9)
            label = "±" if len(set(signs)) == 2 else ("-" if signs == [-1] else "")
            ax_b.plot([], [], ":", color="0.4", label=f"{label}the exact sup (drawn ≈)")
        if witness is not None:
            x0 = _rational_near(witness)
            y0 = _error_value(pwl, f, x0, sign)
            ax_b.plot([_float(witness)], [y0], "o", color="C3", ms=6, zorder=5, label="the maximiser")
            for ax in (ax_a, ax_b):
                ax.axvline(_float(witness), color="C3", lw=0.7, ls="--", alpha=0.6)
        ax_b.axhline(0, color="0.2", lw=0.5)
        ax_b.set_title(f"(b) the error {name}" + (" (sup of its absolute value)" if side == "abs" else ""))
        ax_b.set_xlabel("x  (≈)")
        ax_b.set_ylabel("error  (≈)")
        ax_b.legend(loc="best", fontsize=8)
        for ax in (ax_a, ax_b):
            ax.grid(True, lw=0.4, alpha=0.5)
        _caption(fig, error_caption(cert))
    return fig


# -- regions and errors on 2-D boxes (issue 7) -------------------------------------------


def regions_figure(regions: "Sequence[Any]", box: Any, *, title: str = "") -> "Figure":
    """A map of the linear regions of a network on a 2-D box, each region in its own colour.

    The polygons are drawn through their exact vertices (converted to floats for
    display); the caption gives the exact count and total volume.

    Parameters
    ----------
    regions : sequence of exactnet.regions.Region
        From :func:`exactnet.regions.linear_regions` on a 2-D box.
    box : exactnet.numbers.Box
    title : str

    Examples
    --------
    >>> from exactnet.network import Network
    >>> from exactnet.numbers import parse_box
    >>> from exactnet.regions import linear_regions
    >>> net = Network.from_layers([[[1, -1], [1, 1]], [[1, 1]]], [[0, "-1/2"], [0]])
    >>> B = parse_box("0,1x0,1")
    >>> b"4 linear regions" in figure_bytes(regions_figure(linear_regions(net, B), B), "svg")
    True
    """
    if box.dim != 2 or any(r.dim != 2 for r in regions):
        raise InvalidArgument(f"regions_figure draws 2-D boxes; this one has {box.dim} dimensions")
    from exactnet.regions import total_volume

    _matplotlib()
    from matplotlib.collections import PolyCollection

    with _rc():
        fig = _new_figure(2)
        ax = fig.subplots(1, 1)
        polys = [[(float(x), float(y)) for x, y in r.vertices] for r in regions]
        cmap = _matplotlib().colormaps["tab20"]
        colours = [cmap(k % 20) for k in range(len(regions))]
        ax.add_collection(PolyCollection(polys, facecolors=colours, edgecolors="0.15", linewidths=0.4))
        (x0, x1), (y0, y1) = ((float(s.lo), float(s.hi)) for s in box.sides)
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        ax.set_aspect("equal" if 0.2 < (y1 - y0) / (x1 - x0) < 5 else "auto")
        ax.set_xlabel("x  (≈)")
        ax.set_ylabel("y  (≈)")
        ax.set_title("linear regions of N" + (f": {title}" if title else ""))
        n = len(regions)
        _caption(
            fig,
            f"{n} linear region{_plural(n)} on {box} (distinct activation patterns, not merged); "
            f"exact total volume {total_volume(regions)} = the box's {box.volume}\n"
            "polygons drawn through their exact vertices, converted to decimals for display only",
        )
    return fig


_HEAT = 120  # grid cells per side of a heat map (display only)


def sup_error_box_figure(cert: Certificate, *, title: str = "") -> "Figure":
    """The error of a sup-error certificate on a 2-D box as a heat map, with the maximiser marked.

    The error (N - f, or f - N for ``side="below"``, its absolute value for
    ``side="abs"``) is sampled on a rational grid: N exactly
    (:func:`exactnet.evaluate.evaluate_batch`), f exactly or as the midpoint
    of a rigorous enclosure; the region boundaries are drawn through their
    exact vertices; the caption gives the exact value and witness.

    Examples
    --------
    >>> from exactnet.constructions.ding2019 import product_net
    >>> from exactnet.numbers import parse_box
    >>> from exactnet.supbox import certify_box
    >>> cert = certify_box(product_net(1), "x*y", parse_box("-1,1x-1,1"))
    >>> b"= 1/4" in figure_bytes(sup_error_box_figure(cert), "svg")
    True
    """
    from exactnet.evaluate import evaluate_batch
    from exactnet.io.json import from_dict
    from exactnet.report import render_real
    from exactnet.supbox import enclose_at

    d = cert.to_dict()["details"]  # plain JSON values (the certificate's are frozen)
    problem = d.get("problem")
    if not problem or problem.get("kind") != "sup-error-box" or "regions" not in d:
        raise InvalidArgument("sup_error_box_figure needs a box certificate (from exactnet.supbox.certify_box)")
    if len(problem["box"]) != 2:
        raise InvalidArgument(f"sup_error_box_figure draws 2-D boxes; this one has {len(problem['box'])} dimensions")
    net = from_dict(problem["network"])
    f = as_target(problem["target"])
    side = problem["side"]
    (x0, x1), (y0, y1) = ((q(a), q(b)) for a, b in problem["box"])
    n = _HEAT
    xs = [x0 + (x1 - x0) * k / n for k in range(n + 1)]
    ys = [y0 + (y1 - y0) * k / n for k in range(n + 1)]
    pts = [(x, y) for y in ys for x in xs]
    values = evaluate_batch(net, pts)
    grid: list[list[float]] = []
    for j in range(n + 1):
        row = []
        for i in range(n + 1):
            (v,) = values[j * (n + 1) + i]
            ft = enclose_at(f, pts[j * (n + 1) + i], prec=64)
            if ft is None:
                row.append(float("nan"))
                continue
            e = v - (ft[0] + ft[1]) / 2
            row.append(float(abs(e) if side == "abs" else (-e if side == "below" else e)))
        grid.append(row)
    name = {"abs": "|N - f|", "above": "N - f", "below": "f - N"}[side]
    with _rc():
        fig = _new_figure(2)
        ax = fig.subplots(1, 1)
        im = ax.imshow(grid, origin="lower", extent=(float(x0), float(x1), float(y0), float(y1)),
                       cmap="viridis", aspect="auto", interpolation="nearest")
        fig.colorbar(im, ax=ax, label=f"{name}  (sampled, ≈)")
        for reg in d["regions"]:
            vs = [(float(q(a)), float(q(b))) for a, b in reg["vertices"]]
            vs.append(vs[0])
            ax.plot([a for a, _ in vs], [b for _, b in vs], color="white", lw=0.3, alpha=0.6)
        if cert.witness is not None:
            wx, wy = (_float(c) for c in cert.witness)
            ax.plot([wx], [wy], marker="*", color="red", ms=12, mec="black", label="the maximiser (exact)")
            ax.legend(loc="upper right", fontsize=8)
        ax.set_xlim(float(x0), float(x1))
        ax.set_ylim(float(y0), float(y1))
        ax.set_xlabel("x  (≈)")
        ax.set_ylabel("y  (≈)")
        ax.set_title(f"the error {name} on the box" + (f": {title}" if title else ""))
        lines = [cert.claim.split(" <= ")[0]]
        if cert.value is not None:
            lines.append(f"= {render_real(cert.value, _DIGITS)}")
        if cert.witness is not None:
            lines.append("at (" + ", ".join(str(c) for c in cert.witness) + ")"
                         + (" (its error is at least the lower end)" if isinstance(cert.value, Enclosure) else ""))
        lines.append(f"verdict: {cert.verdict.value}; {len(d['regions'])} regions; method: {cert.method}")
        lines.append("the heat map is sampled in floating point for display only; the exact values are the ones above")
        _caption(fig, "\n".join(lines))
    return fig


# -- output -----------------------------------------------------------------------------


def figure_bytes(fig: "Figure", fmt: str) -> bytes:
    """The figure as PNG or SVG bytes (``fmt`` is ``"png"`` or ``"svg"``)."""
    if fmt not in FORMATS.values():
        raise InvalidArgument(f"fmt={fmt!r} must be one of {', '.join(sorted(FORMATS.values()))}")
    buf = io.BytesIO()
    with _rc():
        # no date in the file: the same figure gives the same bytes
        meta = {"Date": None} if fmt == "svg" else {}
        fig.savefig(buf, format=fmt, metadata=meta)
    return buf.getvalue()


def save_figure(fig: "Figure", path: str | os.PathLike[str]) -> Path:
    """Write the figure to `path` as PNG or SVG (by the extension), atomically.

    The bytes go to a temporary file in the same folder, which then replaces
    `path`, so a reader never sees a half-written plot.

    Raises
    ------
    InvalidArgument
        If the extension is not .png or .svg, or the file cannot be written.
    """
    p = Path(path)
    return write_atomic(p, figure_bytes(fig, plot_format(p)))


def series_figure(panels: Sequence[dict[str, Any]], *, title: str = "") -> "Figure":
    """Side-by-side panels of exact series (e.g. counted sizes of built networks beside a paper's bound).

    Parameters
    ----------
    panels : sequence of dict
        Each has ``"title"``, ``"xlabel"``, ``"ylabel"``, optional ``"logx"`` /
        ``"logy"`` (bool) and ``"series"``: a list of ``(label, xs, ys)`` with
        exact values (``Q`` or int), or ``(label, xs, ys, "dashed")`` for a
        bound drawn as a line without markers.  Values become floats for
        drawing only.

    Examples
    --------
    >>> fig = series_figure([{"title": "t", "xlabel": "x", "ylabel": "y",
    ...                       "series": [("a", [1, 2], [Q(1, 2), 1])]}])
    >>> len(fig.axes)
    1
    """
    _matplotlib()
    with _rc():
        fig = _new_figure(len(panels))
        axes = fig.subplots(len(panels), 1, squeeze=False)[:, 0]
        for ax, panel in zip(axes, panels):
            for item in panel["series"]:
                label, xs, ys = item[0], item[1], item[2]
                fx, fy = [_float(q(x)) for x in xs], [_float(q(y)) for y in ys]
                if len(item) > 3 and item[3] == "dashed":
                    ax.plot(fx, fy, linestyle="--", label=label)
                else:
                    ax.plot(fx, fy, marker="o", markersize=3, label=label)
            if panel.get("logx"):
                ax.set_xscale("log")
            if panel.get("logy"):
                ax.set_yscale("log")
            ax.set_title(panel["title"])
            ax.set_xlabel(panel["xlabel"])
            ax.set_ylabel(panel["ylabel"])
            ax.legend(fontsize=7)
        if title:
            _caption(fig, title)
    return fig


_REGIME_MARKERS = {"under": "v", "proper": "*", "over": "o"}


def regimes_figure(
    points: Sequence[Any], regimes: "dict[tuple[str, int, int], str]", *, bound: Sequence[tuple[int, Q]] = (), title: str = ""
) -> "Figure":
    """Quantization regimes: exact error against bits per weight and against memory, per target.

    Parameters
    ----------
    points : sequence of RegimePoint
        From :func:`exactnet.regimes.regime_table` (attributes ``target``,
        ``pieces``, ``bits``, ``memory_bits``, ``error``); one line per
        (target, N), unrounded points (``bits=None``) as a dotted level.
    regimes : dict
        (target, N, bits) -> "under" | "proper" | "over"; the marker shape
        (triangle, star, circle) shows it.
    bound : sequence of (memory, error)
        A lower bound drawn dashed on the memory panels.
    title : str
        Caption.

    Points with error 0 are left out (log axes); tick labels are plain text.

    Examples
    --------
    >>> from exactnet.regimes import regime_table, classify
    >>> rows = regime_table("abs", [2, 4], [3, 6])
    >>> reg = {("abs",) + k: v for k, v in classify(rows).items()}
    >>> len(regimes_figure(rows, reg).axes)
    2
    """
    _matplotlib()
    from matplotlib import ticker

    targets = list(dict.fromkeys(p.target for p in points))
    with _rc():
        fig = _new_figure(2 * len(targets))
        axes = fig.subplots(2 * len(targets), 1, squeeze=False)[:, 0]
        for k, t in enumerate(targets):
            ax_b, ax_m = axes[2 * k], axes[2 * k + 1]
            for N in sorted({p.pieces for p in points if p.target == t}):
                rows = sorted((p for p in points if p.target == t and p.pieces == N and p.bits is not None),
                              key=lambda p: p.bits)
                rows = [p for p in rows if p.error > 0]
                if not rows:
                    continue
                (line,) = ax_b.plot([p.bits for p in rows], [_float(p.error) for p in rows], linewidth=1, label=f"N = {N}")
                ax_m.plot([p.memory_bits for p in rows], [_float(p.error) for p in rows], linewidth=1,
                          color=line.get_color(), label=f"N = {N}")
                for p in rows:
                    marker = _REGIME_MARKERS[regimes[(t, N, p.bits)]]
                    for ax, x in ((ax_b, p.bits), (ax_m, p.memory_bits)):
                        ax.plot([x], [_float(p.error)], marker=marker, color=line.get_color(), markersize=5)
                exact = [p.error for p in points if p.target == t and p.pieces == N and p.bits is None]
                if exact and exact[0] > 0:
                    ax_b.axhline(_float(exact[0]), linestyle=":", linewidth=0.8, color=line.get_color())
            if bound:
                ax_m.plot([m for m, _ in bound], [_float(e) for _, e in bound], linestyle="--", color="gray",
                          label="counting bound (worst case over all 1-Lipschitz f)")
            for ax, xlabel in ((ax_b, "bits per weight b"), (ax_m, "memory: nonzero numbers x b [bits]")):
                ax.set_yscale("log")
                ax.yaxis.set_major_formatter(ticker.FuncFormatter(lambda v, _: f"{v:.0e}"))
                ax.yaxis.set_minor_formatter(ticker.NullFormatter())
                ax.set_xlabel(xlabel)
                ax.set_ylabel("exact sup error")
                ax.legend(fontsize=7)
            ax_m.set_xscale("log")
            ax_m.xaxis.set_major_formatter(ticker.FuncFormatter(lambda v, _: f"{v:g}"))
            ax_b.set_title(f"{t}: error vs bits (v under, * proper, o over; dotted: unrounded)")
            ax_m.set_title(f"{t}: error vs memory")
        if title:
            _caption(fig, title)
    return fig
