"""Independent re-validation of certificate files (problem kinds ``sup-error-1d`` and ``sup-error-box``).

The checker reads a certificate (``docs/certificate.md``, version 1) and verifies
its claim on a code path that shares nothing with exactnet's main computation:
its own reader of the network file and its own ``fractions.Fraction`` evaluator,
its own formula parser, its own polynomial arithmetic and Sturm-sequence root
isolation, and ``mpmath.iv`` interval arithmetic for transcendental targets.  It
imports only the standard library, mpmath and :mod:`exactnet.exceptions` (and its
private helpers ``exactnet._checker_*``).

What is verified (each item is a line of :attr:`CheckReport.checks`):

1. the pieces cover the domain, N(xs[i]) == ys[i] exactly, and N is affine on every
   piece (activation signs at both ends; see ``_checker_net.check_pieces``);
2. the value is the exact sup of the side's error (polynomial, rational and
   piecewise-linear targets), or an enclosure of it (transcendental targets);
3. the witness lies in the domain and attains the value (or exceeds eps);
4. the verdict follows from the value and eps.

Certificates of kind ``sup-error-box`` (networks with d >= 2 inputs on a box) are
checked by :mod:`exactnet._checker_box`: regions, tiling by exact volumes, value,
witness and verdict, re-derived from the listed regions.
"""

from __future__ import annotations

import decimal
import json
import os
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, Mapping

from exactnet._checker_formula import FormulaError, Target, Undefined, classify, eval_exact, pwl_breakpoints
from exactnet._checker_net import FieldError, Net, check_pieces, evaluate, read_network, read_number
from exactnet._checker_poly import (
    Num,
    cmp_num,
    cmp_value,
    make_alg,
    peval,
    pmul,
    pscale,
    psub,
    show_num,
    show_poly,
    show_q,
)
from exactnet._checker_sup import (
    _show_point,
    SIDE_LABEL,
    SIGNS,
    Outcome,
    check_enclosure,
    check_exact,
    check_pwl,
    chords,
    point_error,
    poles,
)
from exactnet.exceptions import InvalidArgument

__all__ = ["CheckReport", "check_certificate", "check_certificate_file", "FORMAT", "VERSION", "KINDS"]

FORMAT = "exactnet.certificate"
VERSION = 1
KINDS = ("sup-error-1d", "sup-error-box")
_VERDICTS = ("holds", "violated", "unknown")
_TODO = "fix the field, or write the certificate again with exactnet sup-error ... --cert FILE"


@dataclass(frozen=True, slots=True)
class CheckReport:
    """The outcome of checking a certificate.

    Attributes
    ----------
    accepted : bool or None
        True if every check passed, False if one failed, None for a certificate
        with verdict "unknown" (nothing to validate).
    reasons : tuple of str
        Why the certificate was rejected (empty when accepted): the piece index,
        the point and the numbers.
    checks : tuple of str
        What was verified, in words.

    Examples
    --------
    >>> r = CheckReport(True, (), ("pieces cover [0, 1]",))
    >>> r.accepted, r.to_dict()["checks"]
    (True, ['pieces cover [0, 1]'])
    """

    accepted: bool | None
    reasons: tuple[str, ...]
    checks: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {"accepted": self.accepted, "reasons": list(self.reasons), "checks": list(self.checks)}


@dataclass(frozen=True, slots=True)
class _Value:
    kind: str  # "rational", "algebraic", "enclosure"
    q: Fraction = Fraction(0)
    poly: tuple[int, ...] = ()
    lo: Fraction = Fraction(0)
    hi: Fraction = Fraction(0)


@dataclass(frozen=True, slots=True)
class _Certificate:
    verdict: str
    net: Net
    target: Target
    domain: tuple[Fraction, Fraction]
    side: str
    eps: Fraction | None
    xs: tuple[Fraction, ...]
    ys: tuple[Fraction, ...]
    value: _Value | None
    witness: tuple[_Value, ...] | None


class _Fail:
    def __init__(self, source: str) -> None:
        self.source = source

    def __call__(self, field: str, problem: str, todo: str = _TODO) -> InvalidArgument:
        where = f"{self.source}: " if self.source else ""
        return InvalidArgument(f"{where}{field}: {problem}; {todo}")


def _get(d: Mapping[str, Any], key: str, field: str, fail: _Fail) -> Any:
    if key not in d:
        raise fail(f"{field}.{key}" if field else key, "is missing")
    return d[key]


def _obj(value: object, field: str, fail: _Fail) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise fail(field, f"must be a JSON object, got {type(value).__name__}")
    return value


def _number(value: object, field: str, fail: _Fail) -> Fraction:
    try:
        return read_number(value, field)
    except FieldError as exc:
        raise fail(exc.field, exc.problem) from None


def _numbers(value: object, field: str, fail: _Fail, length: int | None = None) -> tuple[Fraction, ...]:
    if not isinstance(value, list):
        raise fail(field, f"must be a list of exact numbers, got {type(value).__name__}")
    if length is not None and len(value) != length:
        raise fail(field, f"must have {length} entries, has {len(value)}")
    return tuple(_number(v, f"{field}[{k}]", fail) for k, v in enumerate(value))


def _exact_value(value: object, field: str, fail: _Fail, *, enclosure: bool) -> _Value:
    """A rational string, an algebraic object, or (if allowed) an enclosure object."""
    if isinstance(value, Mapping):
        if "algebraic" in value:
            a = _obj(value["algebraic"], f"{field}.algebraic", fail)
            poly = _get(a, "poly", f"{field}.algebraic", fail)
            if not isinstance(poly, list) or not poly:
                raise fail(f"{field}.algebraic.poly", "must be a non-empty list of integer coefficients")
            coeffs = []
            for k, c in enumerate(poly):
                v = _number(c, f"{field}.algebraic.poly[{k}]", fail)
                if v.denominator != 1:
                    raise fail(f"{field}.algebraic.poly[{k}]", f"{v} is not an integer (poly lists integer coefficients)")
                coeffs.append(int(v))
            lo, hi = _numbers(_get(a, "interval", f"{field}.algebraic", fail), f"{field}.algebraic.interval", fail, 2)
            return _Value("algebraic", poly=tuple(coeffs), lo=lo, hi=hi)
        if "enclosure" in value:
            if not enclosure:
                raise fail(field, "an enclosure is not allowed here (a point must be exact)")
            lo, hi = _numbers(value["enclosure"], f"{field}.enclosure", fail, 2)
            return _Value("enclosure", lo=lo, hi=hi)
        raise fail(field, "an object must be {\"algebraic\": ...} or {\"enclosure\": [lo, hi]}")
    return _Value("rational", q=_number(value, field, fail))


def _read(data: object, fail: _Fail) -> _Certificate | str:
    """The parsed certificate, or the reason string of an "unknown" certificate."""
    top = _obj(data, "top level", fail)
    fmt = top.get("format")
    if fmt != FORMAT:
        raise fail("format", f"is {fmt!r}, not {FORMAT!r}", "this is not an exactnet certificate")
    version = top.get("version")
    if isinstance(version, bool) or version != VERSION:
        raise fail("version", f"unknown version {version!r}", f"this checker reads version {VERSION}; use a matching exactnet")
    verdict = _get(top, "verdict", "", fail)
    if verdict not in _VERDICTS:
        raise fail("verdict", f"is {verdict!r}; expected one of {', '.join(_VERDICTS)}")
    details = _obj(top.get("details", {}), "details", fail)
    problem = details.get("problem")
    if problem is not None or verdict != "unknown":
        problem = _obj(_get(details, "problem", "details", fail), "details.problem", fail)
        kind = problem.get("kind")
        if kind not in KINDS:
            raise fail(
                "details.problem.kind",
                f"unknown kind {kind!r}",
                f"this checker reads {', '.join(KINDS)}",
            )
    if verdict == "unknown":
        return str(details.get("reason", "no reason given"))
    assert isinstance(problem, Mapping)
    p = "details.problem"
    try:
        net = read_network(_get(problem, "network", p, fail), f"{p}.network")
    except FieldError as exc:
        raise fail(exc.field, exc.problem) from None
    text = _get(problem, "target", p, fail)
    if not isinstance(text, str):
        raise fail(f"{p}.target", f"must be a formula string, got {type(text).__name__}")
    try:
        target = classify(text)
    except FormulaError as exc:
        raise fail(f"{p}.target", f"{text!r}: {exc}", "write the target in the grammar of docs/certificate.md") from None
    except RecursionError:  # pragma: no cover - the parser bounds the nesting first
        raise fail(f"{p}.target", "the formula is nested too deeply", "simplify the target") from None
    lo, hi = _numbers(_get(problem, "domain", p, fail), f"{p}.domain", fail, 2)
    side = _get(problem, "side", p, fail)
    if side not in SIDE_LABEL:
        raise fail(f"{p}.side", f"is {side!r}; expected 'abs', 'above' or 'below'")
    eps_raw = _get(problem, "eps", p, fail)
    eps = None if eps_raw is None else _number(eps_raw, f"{p}.eps", fail)
    pieces = _obj(_get(details, "pieces", "details", fail), "details.pieces", fail)
    xs = _numbers(_get(pieces, "xs", "details.pieces", fail), "details.pieces.xs", fail)
    ys = _numbers(_get(pieces, "ys", "details.pieces", fail), "details.pieces.ys", fail)
    raw = _get(top, "value", "", fail)
    value = None if raw is None else _exact_value(raw, "value", fail, enclosure=True)
    wraw = _get(top, "witness", "", fail)
    if wraw is None:
        witness = None
    elif not isinstance(wraw, list):
        raise fail("witness", f"must be null or a list (one entry per input), got {type(wraw).__name__}")
    else:
        witness = tuple(_exact_value(w, f"witness[{k}]", fail, enclosure=False) for k, w in enumerate(wraw))
    return _Certificate(verdict, net, target, (lo, hi), side, eps, xs, ys, value, witness)


def _box_kind(data: object, fail: _Fail) -> bool:
    """True for a readable header (format, version) of a ``sup-error-box`` certificate."""
    if not isinstance(data, Mapping) or data.get("format") != FORMAT:
        return False
    details = data.get("details")
    problem = details.get("problem") if isinstance(details, Mapping) else None
    if not isinstance(problem, Mapping) or problem.get("kind") != "sup-error-box":
        return False
    version = data.get("version")
    if isinstance(version, bool) or version != VERSION:
        raise fail("version", f"unknown version {version!r}", f"this checker reads version {VERSION}; use a matching exactnet")
    return True


def check_certificate(
    data: Mapping[str, Any],
    *,
    source: str = "",
    prec: int = 200,
    max_subdivisions: int = 100_000,
) -> CheckReport:
    """Re-validate a certificate (the parsed JSON object) independently.

    Parameters
    ----------
    data : Mapping
        The certificate, as read from its JSON file.
    source : str, optional
        A name for error messages (the file name).
    prec : int, optional
        Bits of the ``mpmath.iv`` intervals for transcendental targets.
    max_subdivisions : int, optional
        The branch and bound for transcendental targets gives up (rejects) after
        this many halvings.

    Returns
    -------
    CheckReport
        ``accepted`` is True, False, or None for a certificate with verdict "unknown".

    Raises
    ------
    InvalidArgument
        If the object is not a certificate this checker reads: an unknown format,
        version or problem kind, a missing field, a number that is not exact, a
        network or target that cannot be read.  One line: field, problem, what to do.

    Examples
    --------
    The tent map g(x) = 2 relu(x) - 4 relu(x - 1/2) against f(x) = x on [0, 1]:
    g - f is 0 at 0, 1/2 at 1/2 and -1 at 1, so sup |g - f| = 1 at x = 1.

    >>> net = {"format": "exactnet.network", "version": 1, "layers": [
    ...     {"weights": [["1"], ["1"]], "biases": ["0", "-1/2"], "activation": "relu"},
    ...     {"weights": [["2", "-4"]], "biases": ["0"], "activation": "identity"}]}
    >>> cert = {"format": "exactnet.certificate", "version": 1, "verdict": "holds",
    ...     "claim": "sup |g - x| on [0, 1] <= 1", "value": "1", "witness": ["1"],
    ...     "method": "by hand", "details": {
    ...         "problem": {"kind": "sup-error-1d", "network": net, "target": "x",
    ...                     "domain": ["0", "1"], "side": "abs", "eps": "1"},
    ...         "pieces": {"xs": ["0", "1/2", "1"], "ys": ["0", "1", "0"]}}}
    >>> report = check_certificate(cert)
    >>> report.accepted, report.reasons
    (True, ())
    >>> cert["value"] = "1/2"
    >>> print(check_certificate(cert).reasons[0])
    piece 1 [1/2, 1]: |N - f| at x = 1 is 1 > the value 1/2
    """
    fail = _Fail(source)
    if _box_kind(data, fail):  # several inputs on a box: exactnet._checker_box (issue 7)
        from exactnet._checker_box import check_box

        accepted, why, done = check_box(data, fail, prec=prec, max_subdivisions=max_subdivisions)
        return CheckReport(accepted, tuple(why), tuple(done))
    parsed = _read(data, fail)
    if isinstance(parsed, str):
        return CheckReport(None, (), (f"verdict unknown: nothing to validate (reason: {parsed})",))
    c = parsed
    reasons: list[str] = []
    checks: list[str] = [f"format {FORMAT} version {VERSION}, kind sup-error-1d, verdict {c.verdict}"]
    net = c.net
    checks.append(
        f"network ({net.form} form): one input, one output, {net.neurons} neuron{'s' if net.neurons != 1 else ''} "
        f"({net.relus} ReLU), {net.edges} edges, read and evaluated with Fraction arithmetic"
    )
    lo, hi = c.domain
    label = SIDE_LABEL[c.side]
    ok_domain = lo <= hi
    if not ok_domain:
        reasons.append(f"details.problem.domain [{lo}, {hi}] is empty (lo > hi)")

    # the target
    target = c.target
    ok_target = ok_domain and _check_target(target, lo, hi, reasons, checks)

    # the pieces
    ok_pieces = False
    if ok_domain:
        pc = check_pieces(net, c.xs, c.ys, lo, hi)
        reasons.extend(pc.problems)
        ok_pieces = not pc.problems
        if ok_pieces:
            n = len(c.xs) - 1
            checks.append(
                f"pieces: {len(c.xs)} breakpoints, strictly increasing from {lo} to {hi}; "
                f"N(xs[i]) == ys[i] exactly at every one"
            )
            split = f"; {pc.splits} split where a neuron switches inside" if pc.splits else ""
            checks.append(
                f"pieces: N is affine on each of the {n} pieces (ReLU pre-activation signs "
                f"at both ends agree{split})"
            )

    # the value
    ok_value_form, value, enclosure = _value_form(c, target, reasons, checks)
    shown = _show(value) if value is not None else ""

    sup_lower: Fraction | None = None  # transcendental: a point's error >= this
    ok_sup = False
    if ok_pieces and ok_target and ok_value_form:
        try:
            out = _check_value(c, target, value, enclosure, prec, max_subdivisions)
        except Undefined as exc:
            out = Outcome(problems=[f"the target {target.text!r} is undefined in the domain: {exc}"])
        reasons.extend(out.problems)
        checks.extend(out.checks)
        ok_sup = not out.problems
        sup_lower = out.best
        if ok_sup and value is not None:
            checks.append(f"value {shown} is the exact sup of {label} over [{lo}, {hi}], attained at {out.attained_at}")
        elif ok_sup and enclosure is not None and target.kind != "transcendental":
            checks.append(
                f"value: the sup of {label} over [{lo}, {hi}] lies in [{show_q(enclosure[0])}, {show_q(enclosure[1])}] "
                f"(a point with error >= {show_q(enclosure[0])}: {out.attained_at})"
            )
    elif ok_value_form:
        reasons.append("the value and the witness were not checked: the pieces or the target are invalid")

    # the witness
    if ok_pieces and ok_target and ok_value_form:
        _check_witness(c, target, value, enclosure, sup_lower, ok_sup, reasons, checks, prec)

    # the verdict
    _check_verdict(c, value, enclosure, reasons, checks)
    accepted = not reasons
    return CheckReport(accepted, tuple(reasons), tuple(checks))


def _check_target(target: Target, lo: Fraction, hi: Fraction, reasons: list[str], checks: list[str]) -> bool:
    """Describe the target; a rational target must have no pole on the domain."""
    ok = True
    if target.kind == "polynomial":
        desc = f"a polynomial of degree {len(target.num) - 1}"
    elif target.kind == "rational":
        desc = f"a rational function ({show_poly(target.num)}) / ({show_poly(target.den)})"
    elif target.kind == "pwl":
        desc = "piecewise linear"
    else:
        desc = "transcendental (checked with mpmath.iv interval arithmetic)"
    if target.kind in ("polynomial", "rational"):
        bad = poles(target, lo, hi)
        reasons.extend(bad)
        ok = not bad
        if ok and target.divisors:
            desc += ", defined on the whole domain (its divisors have no zero there, by Sturm counts)"
    elif target.kind == "pwl":
        try:
            kinks = pwl_breakpoints(target.tree, lo, hi)
            desc += f", {len(kinks)} breakpoints on the domain (exact)"
        except Undefined as exc:
            reasons.append(f"the target {target.text!r} is undefined: {exc}")
            ok = False
    checks.append(f"target {target.text!r}: {desc}")
    return ok


def _value_form(
    c: _Certificate, target: Target, reasons: list[str], checks: list[str]
) -> tuple[bool, Num | None, tuple[Fraction, Fraction] | None]:
    """(usable?, the exact value or None, the enclosure or None)."""
    v = c.value
    if v is None:
        reasons.append(f"value is null: a {c.verdict} certificate must give the sup")
        return False, None, None
    if v.kind == "enclosure":
        if v.lo > v.hi:
            reasons.append(f"value: the enclosure [{show_q(v.lo)}, {show_q(v.hi)}] is empty")
            return False, None, None
        return True, None, (v.lo, v.hi)
    value: Num = v.q
    if v.kind == "algebraic":
        try:
            value = make_alg(v.poly, v.lo, v.hi)
        except ValueError as exc:
            reasons.append(f"value: {exc} (poly {show_poly(v.poly, 'v')})")
            return False, None, None
        checks.append(
            f"value: the root of {show_poly(v.poly, 'v')} in ({v.lo}, {v.hi}) is isolated "
            "(exactly one root inside, ends not roots; Sturm)"
        )
    if target.kind == "transcendental":
        reasons.append(
            f"value {_show(value)}: a transcendental target's sup is checked as an enclosure "
            '{"enclosure": [lo, hi]}; an exact value cannot be confirmed by interval arithmetic'
        )
        return False, value, None
    return True, value, None


def _show(v: Num) -> str:
    if isinstance(v, Fraction):
        return str(v)
    return f"≈ {show_num(v)} (the root of {show_poly(v.poly, 'v')} in ({v.lo}, {v.hi}))"


def _check_value(
    c: _Certificate,
    target: Target,
    value: Num | None,
    enclosure: tuple[Fraction, Fraction] | None,
    prec: int,
    max_subdivisions: int,
) -> Outcome:
    if target.kind == "transcendental":
        assert enclosure is not None
        return check_enclosure(target, c.xs, c.ys, c.side, enclosure[1], prec=prec, max_subdivisions=max_subdivisions)
    upper: Num
    lower: Num
    if value is not None:
        upper = lower = value
    else:
        assert enclosure is not None
        lower, upper = enclosure
    if target.kind == "pwl":
        return check_pwl(target, c.xs, c.ys, c.side, upper, lower)
    return check_exact(target, c.xs, c.ys, c.side, upper, lower)


def _witness_point(w: _Value) -> Num:
    if w.kind == "rational":
        return w.q
    return make_alg(w.poly, w.lo, w.hi)


def _locate(xs: tuple[Fraction, ...], w: Num) -> int:
    """The index i of a piece [xs[i], xs[i+1]] holding w (w in the domain)."""
    a, b = 0, len(xs) - 1
    while b - a > 1:
        m = (a + b) // 2
        if cmp_num(w, xs[m]) >= 0:
            a = m
        else:
            b = m
    return a


def _error_cmp(c: _Certificate, target: Target, w: Num, bound: Num) -> int:
    """The sign of (the side's error at w) - bound, exactly (non-transcendental targets)."""
    if isinstance(w, Fraction):
        n = evaluate(c.net, w)
        f = eval_exact(target.tree, w) if target.kind == "pwl" else peval(target.num, w) / peval(target.den, w)
        g = n - f
        return max(cmp_num(sg * g, bound) for sg in SIGNS[c.side])
    i = _locate(c.xs, w)
    s, cc = chords(c.xs, c.ys)[i]
    if target.kind == "pwl":
        pts = sorted(set(c.xs) | set(pwl_breakpoints(target.tree, c.xs[0], c.xs[-1])))
        k = _locate(tuple(pts), w)
        a, b = pts[k], pts[k + 1]
        fa, fb = eval_exact(target.tree, a), eval_exact(target.tree, b)
        alpha = (fb - fa) / (b - a)
        num, den = [fa - alpha * a, alpha], [Fraction(1)]
    else:
        num, den = target.num, target.den
    base = psub(pmul([cc, s], den), num)
    return max(cmp_value(base if sg == 1 else pscale(base, Fraction(-1)), den, w, bound) for sg in SIGNS[c.side])


def _check_witness(
    c: _Certificate,
    target: Target,
    value: Num | None,
    enclosure: tuple[Fraction, Fraction] | None,
    sup_lower: Fraction | None,
    ok_sup: bool,
    reasons: list[str],
    checks: list[str],
    prec: int,
) -> None:
    lo, hi = c.domain
    label = SIDE_LABEL[c.side]
    if c.witness is None:
        if c.verdict == "violated":
            reasons.append("witness is null: a violated certificate must give an exact point exceeding eps")
        else:
            reasons.append("witness is null: a holds certificate must give a point attaining the value")
        return
    if len(c.witness) != 1:
        reasons.append(f"witness has {len(c.witness)} entries; the network has one input")
        return
    try:
        w = _witness_point(c.witness[0])
    except ValueError as exc:
        reasons.append(f"witness[0]: {exc}")
        return
    where = _show_point(w)
    if cmp_num(w, lo) < 0 or cmp_num(w, hi) > 0:
        reasons.append(f"witness {where} is outside the domain [{lo}, {hi}]")
        return
    if target.kind == "transcendental":
        _check_witness_iv(c, target, w, where, enclosure, sup_lower, ok_sup, reasons, checks, prec)
        return
    if c.verdict == "holds":
        if value is not None:
            d = _error_cmp(c, target, w, value)
            if d != 0:
                rel = "below" if d < 0 else "above"
                reasons.append(f"witness {where}: {label} there is {rel} the value {_show(value)}, so it does not attain it")
            else:
                checks.append(f"witness {where} lies in the domain and attains the value exactly")
        elif enclosure is not None:
            if _error_cmp(c, target, w, enclosure[0]) < 0:
                reasons.append(f"witness {where}: {label} there is below the enclosure's lower end {show_q(enclosure[0])}")
            else:
                checks.append(f"witness {where} lies in the domain; its error is >= {show_q(enclosure[0])}")
    elif c.verdict == "violated" and c.eps is not None:
        if _error_cmp(c, target, w, c.eps) <= 0:
            reasons.append(f"witness {where}: {label} there does not exceed eps {show_q(c.eps)}")
        else:
            checks.append(f"witness {where} lies in the domain and its error exceeds eps {show_q(c.eps)} (exact)")


def _check_witness_iv(
    c: _Certificate,
    target: Target,
    w: Num,
    where: str,
    enclosure: tuple[Fraction, Fraction] | None,
    sup_lower: Fraction | None,
    ok_sup: bool,
    reasons: list[str],
    checks: list[str],
    prec: int,
) -> None:
    label = SIDE_LABEL[c.side]
    assert enclosure is not None
    if not isinstance(w, Fraction):
        reasons.append(f"witness {where}: a transcendental target needs a rational witness")
        return
    n = evaluate(c.net, w)
    thresholds: list[tuple[str, Fraction]] = []
    if c.verdict == "violated" and c.eps is not None:
        thresholds.append(("eps", c.eps))
    thresholds.append(("lower", enclosure[0]))
    for what, t in thresholds:
        decided: bool | None = None
        p = prec
        low = high = None
        while p <= 8 * prec:
            try:
                low, high = point_error(target, w, n, c.side, prec=p)
            except Undefined as exc:
                reasons.append(f"witness {where}: the target is undefined there ({exc})")
                return
            strict = what == "eps"
            if low is not None and (low > t or (not strict and low >= t)):
                decided = True
                break
            if high is not None and (high < t or (strict and high <= t)):
                decided = False
                break
            p *= 2
        if what == "eps":
            if decided:
                checks.append(f"witness {where} lies in the domain and its error exceeds eps {show_q(t)} (interval arithmetic)")
            else:
                reasons.append(f"witness {where}: {label} there could not be shown to exceed eps {show_q(t)}")
        else:
            if decided:
                checks.append(
                    f"witness {where} lies in the domain and {label} there is >= the enclosure's "
                    f"lower end {show_q(t)} (interval arithmetic)"
                )
            elif c.verdict == "violated" and sup_lower is not None and sup_lower >= t:
                # a violated witness need only exceed eps; the lower end is reached elsewhere
                checks.append(
                    f"value: {label} >= the enclosure's lower end {show_q(t)} at a point of the "
                    "branch and bound (interval arithmetic)"
                )
            else:
                got = "?" if low is None else show_num(low, 30)
                elsewhere = (
                    " (another point reaches it, but the witness must)"
                    if sup_lower is not None and sup_lower >= t
                    else ""
                )
                reasons.append(
                    f"witness {where}: {label} there is ≈ {got}, not shown >= the enclosure's "
                    f"lower end {show_q(t)}{elsewhere}"
                )
    if ok_sup:
        checks.append(f"value: the sup of {label} lies in the enclosure [{show_q(enclosure[0])}, {show_q(enclosure[1])}]")


def _check_verdict(
    c: _Certificate,
    value: Num | None,
    enclosure: tuple[Fraction, Fraction] | None,
    reasons: list[str],
    checks: list[str],
) -> None:
    eps = c.eps
    if value is not None:
        shown = _show(value)
        below = cmp_num(value, eps) <= 0 if eps is not None else True
        above = cmp_num(value, eps) > 0 if eps is not None else False
    elif enclosure is not None:
        shown = f"[{show_q(enclosure[0])}, {show_q(enclosure[1])}]"
        below = enclosure[1] <= eps if eps is not None else True
        above = enclosure[0] > eps if eps is not None else False
    else:
        return
    if c.verdict == "holds":
        if eps is None:
            checks.append("verdict holds with eps null: the value is reported, no bound is claimed")
        elif below:
            checks.append(f"verdict holds follows: value {shown} <= eps {show_q(eps)}")
        else:
            reasons.append(f"verdict holds, but the value {shown} is not <= eps {show_q(eps)}")
    elif eps is None:
        reasons.append("verdict violated, but eps is null: there is no bound to violate")
    elif above:
        checks.append(f"verdict violated follows: value {shown} > eps {show_q(eps)}")
    else:
        reasons.append(f"verdict violated, but the value {shown} is not > eps {show_q(eps)}")


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number in an exactnet certificate")


def check_certificate_file(
    path: str | os.PathLike[str], *, prec: int = 200, max_subdivisions: int = 100_000
) -> CheckReport:
    """Read a certificate file (JSON) and check it with :func:`check_certificate`.

    JSON numbers with a fraction part or exponent are read as the decimals they
    spell, exactly; NaN and Infinity are refused.

    Raises
    ------
    InvalidArgument
        If the file is missing, not JSON, or not a certificate this checker reads
        (see :func:`check_certificate`); one line naming the file and the field.

    Examples
    --------
    >>> check_certificate_file("no-such-file.json")
    Traceback (most recent call last):
    ...
    exactnet.exceptions.InvalidArgument: no-such-file.json: no such file; ...
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InvalidArgument(f"{p}: no such file; give the path of a certificate (.json)") from None
    except IsADirectoryError:
        raise InvalidArgument(f"{p}: is a directory; give the path of a certificate (.json)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidArgument(f"{p}: cannot read ({exc}); check the file") from None
    try:
        data = json.loads(text, parse_float=decimal.Decimal, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise InvalidArgument(
            f"{p}: not JSON ({exc.msg} at line {exc.lineno} column {exc.colno}); "
            "a certificate is the JSON file written by exactnet sup-error --cert"
        ) from None
    except ValueError as exc:
        raise InvalidArgument(f"{p}: {exc}; write exact numbers as strings such as \"3/8\"") from None
    return check_certificate(data, source=str(p), prec=prec, max_subdivisions=max_subdivisions)
