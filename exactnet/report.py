"""Rendering of results as text, Markdown and JSON (exact first, ``≈`` decimals second).

Nothing here prints; :mod:`exactnet.cli` prints what these functions return.
"""

from __future__ import annotations

import json
from typing import Any, Sequence

from exactnet.catalogue import ClaimResult, finding, verify_exit_code
from exactnet.certificate import Certificate, exit_code
from exactnet.metrics import Metrics
from exactnet.algebraic import AlgebraicNumber, Enclosure, Real, decimal
from exactnet.numbers import Q, approx

__all__ = [
    "table",
    "render_results",
    "results_markdown",
    "results_json",
    "render_metrics",
    "render_values",
    "exit_code",
    "render",
    "render_real",
    "render_sup",
]


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A plain-text table with aligned columns.

    Examples
    --------
    >>> print(table(["a", "bb"], [["1", "2"], ["333", "4"]]))
    a    bb
    ---  --
    1    2
    333  4
    """
    cols = len(header)
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(cols)]
    lines = ["  ".join(str(h).ljust(w) for h, w in zip(header, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for r in rows:
        lines.append("  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip())
    return "\n".join(lines)


def render_real(x: "Real | Enclosure", digits: int = 30) -> str:
    """An exact real for people: the exact form, then its decimals after ``≈``.

    Examples
    --------
    >>> from exactnet.algebraic import AlgebraicNumber
    >>> print(render_real(Q(1, 64)))
    1/64  ≈ 0.015625
    >>> print(render_real(AlgebraicNumber((-1, 0, 54), Q(0), Q(1)), 12))
    the root of 54*v^2 - 1 in (0, 1)  ≈ 0.136082763487...
    >>> print(render_real(Enclosure(Q(1, 3), Q(1, 3) + Q(1, 10**40)), 12))
    in [0.333333333333..., 0.333333333334...]  (an enclosure of width <= 1e-40)
    """
    if isinstance(x, Enclosure):
        width = x.hi - x.lo
        k = 0
        while width and Q(1, 10**k) >= width:
            k += 1
        return (
            f"in [{decimal(x.lo, digits)}..., {_decimal_up(x.hi, digits)}...]"
            f"  (an enclosure of width <= 1e-{max(k - 1, 0)})"
        )
    if isinstance(x, AlgebraicNumber):
        return f"the root of {x.polynomial_text('v')} in ({x.lo}, {x.hi})  ≈ {decimal(x, digits)}..."
    return f"{x}  ≈ {approx(x, digits)}"


def _decimal_up(x: Q, digits: int) -> str:
    """x rounded up (toward +infinity) to `digits` decimals."""
    scale = 10**digits
    n = -((-x.numerator * scale) // x.denominator)
    sign = "-" if n < 0 else ""
    whole, frac = divmod(abs(int(n)), scale)
    return f"{sign}{whole}.{frac:0{digits}d}"


def _short(x: "Real | Enclosure") -> str:
    """A compact exact form for tables."""
    if isinstance(x, Enclosure):
        return f"in [{decimal(x.lo, 32)}, {_decimal_up(x.hi, 32)}]"
    if isinstance(x, AlgebraicNumber):
        return f"root of {x.polynomial_text('v')} in ({x.lo}, {x.hi}) ≈ {decimal(x, 12)}"
    return str(x)


def _value(cert: Certificate) -> str:
    if cert.value is None:
        return "-"
    label = cert.details.get("value_label")
    text = _short(cert.value)
    return f"{text} ({label})" if label else text


def render_sup(cert: Certificate) -> str:
    """The ``exactnet sup-error`` report of a certificate."""
    lines = [f"claim:    {cert.claim}", f"verdict:  {cert.verdict.value}"]
    if cert.value is not None:
        lines.append(f"value:    {render_real(cert.value)}")
    if cert.witness is not None:
        (w,) = cert.witness
        lines.append(f"attained at x = {render_real(w)}" if not isinstance(cert.value, Enclosure)
                     else f"witness:  x = {render_real(w)} (its error is at least the lower end)")
    d = cert.details
    if "reason" in d:
        lines.append(f"reason:   {d['reason']}")
    if "pieces_canonical" in d:
        lines.append(
            f"pieces:   {d['pieces_canonical']} ({d['pieces_raw']} before merging collinear pieces); "
            f"target kind: {d.get('target_kind', '?')}"
        )
    lines.append(f"method:   {cert.method}")
    if "seconds" in d:
        lines.append(f"time:     {d['seconds']:.3f}s")
    return "\n".join(lines)


def render_results(results: Sequence[ClaimResult]) -> str:
    """The ``exactnet verify`` table: claim, source, verdict, exact value, time."""
    rows = [
        [
            r.claim.id,
            r.claim.source,
            finding(r),
            _value(r.certificate),
            f"{r.seconds:.3f}s",
        ]
        for r in results
    ]
    counts: dict[str, int] = {}
    for r in results:
        counts[r.certificate.verdict.value] = counts.get(r.certificate.verdict.value, 0) + 1
    summary = ", ".join(f"{n} {v}" for v, n in sorted(counts.items()))
    total = sum(r.seconds for r in results)
    return (
        table(["claim", "source", "verdict", "exact value", "time"], rows)
        + f"\n\n{len(results)} claims: {summary} ({total:.2f}s)"
    )


def results_markdown(results: Sequence[ClaimResult]) -> str:
    """One Markdown row per claim: statement, source, verdict, exact value, how to reproduce."""
    lines = [
        "| claim | paper's statement | decided instance | source | verdict | exact value, notes | reproduce |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        notes = [_value(r.certificate)]
        for key in ("finding_note", "reason"):
            if r.certificate.details.get(key):
                notes.append(str(r.certificate.details[key]))
        if r.claim.erratum:
            notes.append("erratum: " + r.claim.erratum)
        cells = [
            f"`{r.claim.id}`",
            r.claim.paper_statement or "(as decided)",
            r.claim.statement,
            r.claim.source,
            finding(r),
            "; ".join(notes),
            f"`exactnet verify --only {r.claim.id}`",
        ]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines)


def results_json(results: Sequence[ClaimResult]) -> str:
    """Machine-readable results: one object per claim with its certificate."""
    out: list[dict[str, Any]] = []
    for r in results:
        out.append(
            {
                "id": r.claim.id,
                "statement": r.claim.statement,
                "source": r.claim.source,
                "paper_statement": r.claim.paper_statement,
                "erratum": r.claim.erratum,
                "finding": finding(r),
                "seconds": round(r.seconds, 6),
                "certificate": r.certificate.to_dict(),
            }
        )
    return json.dumps(
        {"claims": out, "exit_code": verify_exit_code(results)}, indent=1
    )


def render(certs: Sequence[Certificate]) -> str:
    """A table of bare certificates (for proofs/ scripts)."""
    rows = [[c.claim, c.verdict.value, _value(c), c.method] for c in certs]
    return table(["claim", "verdict", "exact value", "method"], rows)


_METRIC_NOTES = {
    "depth": "affine layers on the longest path",
    "hidden_layers": "depth - 1 (the other convention)",
    "width": "most neurons at one hidden depth",
    "neurons": "non-input nodes, outputs included",
    "weights": "nonzero edge weights (biases not counted)",
    "weights_with_biases": "nonzero weights + nonzero biases",
    "distinct_weights": "lambda: distinct nonzero weights",
    "bits_per_weight": "ceil(log2 lambda)",
    "memory_bits": "weights x bits_per_weight",
    "max_frac_bits": "largest k in m/2^k (None if not dyadic)",
    "max_magnitude": "largest |weight| or |bias|",
}


def render_metrics(m: Metrics, name: str = "") -> str:
    """The ``exactnet info`` table."""
    rows = [[k, str(v), _METRIC_NOTES.get(k, "")] for k, v in m.as_dict().items()]
    head = f"{name}\n" if name else ""
    return head + table(["metric", "value", "definition"], rows)


def render_values(
    inputs: Sequence[str],
    outputs: Sequence[str],
    points: Sequence[Sequence[Q]],
    values: Sequence[Sequence[Q]],
    *,
    digits: int = 20,
) -> str:
    """The ``exactnet eval`` table: each output exact, then a decimal marked ≈."""
    header = [*inputs, *[f"{o} (exact)" for o in outputs], *[f"{o} ≈" for o in outputs]]
    rows = [
        [*(str(v) for v in p), *(str(v) for v in y), *(approx(v, digits) for v in y)]
        for p, y in zip(points, values)
    ]
    return table(header, rows)
