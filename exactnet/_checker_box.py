"""The checker's re-validation of ``sup-error-box`` certificates (networks of d >= 2 inputs on boxes).

Part of the independent certificate checker (:mod:`exactnet.checker`): it reads
the network itself (the layered / graph readers of :mod:`exactnet._checker_net`,
compiled here for d inputs), evaluates with ``fractions.Fraction``, parses the
target with its own parser for formulas in x, y, z, and re-derives everything
the certificate claims from the listed regions, sharing nothing with
``exactnet.regions`` or ``exactnet.supbox``:

1. *the regions are linear regions*: at the average m of a region's vertices
   the checker reads the activation pattern off its own evaluation; every ReLU
   pre-activation active at m (> 0) must be >= 0 at every vertex, every other
   one <= 0, so (pre-activations being affine under a fixed pattern) N is
   affine on the hull of the vertices, and equals the listed map there
   (checked at every vertex and at m);
2. *they tile the box*: the patterns are distinct (so the interiors are
   disjoint: at the first neuron where two patterns differ, its pre-activation
   is the same affine function on both and has opposite signs), every vertex
   lies in the box, every listed inequality holds at every vertex and is tight
   on an affinely spanning set of d of them (a facet), and the volumes, summed
   from a triangulation over those facets, add up to the box's volume exactly;
   a missing facet can only make the sum smaller;
3. *the value*: for a polynomial target of degree <= 2 the exact max of the
   side's error over each triangle of that triangulation, from the vertices and
   the stationary points of every sub-simplex (an exact linear system); for an
   enclosure [lo, hi], a branch and bound over the triangles (longest-edge
   bisection, mean-value form with forward-mode gradients over ``mpmath.iv``
   intervals) that proves the error <= hi everywhere;
4. the witness lies in the box and attains the value (an enclosure: its error
   is >= lo), and the verdict follows from value and eps.

It imports only the standard library, mpmath and the checker's own modules.
"""

from __future__ import annotations

import re
from fractions import Fraction
from math import factorial, gcd as _gcd
from typing import Any, Mapping

from exactnet._checker_net import FieldError, _graph, _layered, read_number

__all__ = ["check_box", "parse_formula", "BoxNet", "read_box_network"]

_VARS = ("x", "y", "z")
_FUNCS = ("exp", "log", "sin", "cos", "sqrt")
Point = tuple[Fraction, ...]


# -- the network, d inputs ------------------------------------------------------------------


class BoxNet:
    """A network with d inputs and one output: node k < d is input k, then the neurons in topological order."""

    def __init__(self, d: int, relu: list[bool], bias: list[Fraction], preds: list[list[tuple[int, Fraction]]], output: int) -> None:
        self.d = d
        self.relu = relu
        self.bias = bias
        self.preds = preds
        self.output = output
        # integer plan: with the inputs over a common denominator D, node j's value is
        # V_j / (D * scale[j]) for an integer V_j (inputs: scale 1)
        scale = [1] * d
        ibias = [0] * d
        icoef: list[list[tuple[int, int]]] = [[] for _ in range(d)]
        for j in range(d, len(relu)):
            sc = bias[j].denominator
            for k, w in preds[j]:
                sc = sc * (w.denominator * scale[k]) // _gcd(sc, w.denominator * scale[k])
            scale.append(sc)
            ibias.append(int(bias[j] * sc))
            icoef.append([(k, int(w * sc / scale[k])) for k, w in preds[j] if w])
        self.scale, self.ibias, self.icoef = scale, ibias, icoef

    def run(self, x: Point) -> tuple[Fraction, list[int]]:
        """N(x), and integers with the signs of the ReLU pre-activations (topological order)."""
        D = 1
        for v in x:
            D = D * v.denominator // _gcd(D, v.denominator)
        values = [int(v * D) for v in x]
        signs: list[int] = []
        relu, ibias, icoef = self.relu, self.ibias, self.icoef
        for j in range(self.d, len(relu)):
            z = ibias[j] * D
            for k, c in icoef[j]:
                z += c * values[k]
            if relu[j]:
                signs.append(z)
                z = z if z > 0 else 0
            values.append(z)
        o = self.output
        return Fraction(values[o], D * self.scale[o]), signs


def read_box_network(obj: object, field: str) -> BoxNet:
    """Read a network-file object with d inputs and one output.

    Examples
    --------
    >>> net = read_box_network({"format": "exactnet.network", "version": 1, "layers": [
    ...     {"weights": [["1", "-1"]], "biases": ["0"], "activation": "relu"},
    ...     {"weights": [["1"]], "biases": ["0"], "activation": "identity"}]}, "network")
    >>> print(net.run((Fraction(1), Fraction(1, 3)))[0])
    2/3
    """
    if not isinstance(obj, Mapping):
        raise FieldError(field, f"must be an object, got {type(obj).__name__}")
    if obj.get("format") != "exactnet.network":
        raise FieldError(f"{field}.format", f"is {obj.get('format')!r}; expected 'exactnet.network'")
    if isinstance(obj.get("version"), bool) or obj.get("version") != 1:
        raise FieldError(f"{field}.version", f"unknown version {obj.get('version')!r}; this checker reads version 1")
    if ("layers" in obj) == ("nodes" in obj or "edges" in obj):
        raise FieldError(field, "needs either 'layers' (layered form) or 'nodes' and 'edges' (graph form)")
    inputs, nodes, edges, outputs = (_layered if "layers" in obj else _graph)(obj, field)
    if len(outputs) != 1:
        raise FieldError(f"{field}.outputs", f"the network has {len(outputs)} outputs; sup-error-box needs one")
    d = len(inputs)
    info = {nid: (r, b) for nid, r, b in nodes}
    incoming: dict[str, list[tuple[str, Fraction]]] = {nid: [] for nid in info}
    for u, v, w in edges:
        if u not in info and u not in inputs:
            raise FieldError(f"{field}.edges", f"edge {u} -> {v} leaves an unknown node")
        incoming[v].append((u, w))
    # depth-first topological order with cycle detection (ties: the file's order)
    order: list[str] = []
    state: dict[str, int] = {}
    for start in info:
        stack = [(start, iter(incoming[start]))]
        if state.get(start):
            continue
        state[start] = 1
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                stack.pop()
                state[node] = 2
                order.append(node)
                continue
            u = nxt[0]
            if u in inputs:
                continue
            if state.get(u) == 1:
                raise FieldError(f"{field}.edges", f"the graph has a cycle through {u}")
            if not state.get(u):
                state[u] = 1
                stack.append((u, iter(incoming[u])))
    index = {name: k for k, name in enumerate(inputs)}
    for n in order:
        index[n] = len(index)
    relu = [False] * d + [info[n][0] for n in order]
    bias = [Fraction(0)] * d + [info[n][1] for n in order]
    preds = [[] for _ in range(d)] + [[(index[u], w) for u, w in incoming[n]] for n in order]
    if outputs[0] not in index:
        raise FieldError(f"{field}.outputs", f"{outputs[0]!r} is not a node")
    return BoxNet(d, relu, bias, preds, index[outputs[0]])


# -- formulas in x, y, z ------------------------------------------------------------------------

_TOKEN = re.compile(r"\s*(?:(\d+\.?\d*|\.\d+)|(\*\*|[-+*/^()])|([A-Za-z_]\w*))")


class FormulaError(Exception):
    """The formula cannot be read by this checker."""


def parse_formula(text: str) -> tuple:
    """Parse a target in x, y, z (numbers, + - * / ^ **, exp log sin cos sqrt, pi) into a tuple tree.

    Examples
    --------
    >>> parse_formula("x*y - 1/2")
    ('-', ('*', ('var', 0), ('var', 1)), ('/', ('num', Fraction(1, 1)), ('num', Fraction(2, 1))))
    """
    toks: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        if not text[pos:].strip():
            break
        m = _TOKEN.match(text, pos)
        if not m:
            raise FormulaError(f"unexpected character at position {pos + 1}")
        toks.append(("num", m.group(1)) if m.group(1) else ("op", m.group(2)) if m.group(2) else ("name", m.group(3)))
        pos = m.end()
    i = 0

    def peek() -> tuple[str, str] | None:
        return toks[i] if i < len(toks) else None

    def take(op: str) -> bool:
        nonlocal i
        if peek() == ("op", op):
            i += 1
            return True
        return False

    def expr(depth: int) -> tuple:
        if depth > 150:
            raise FormulaError("nested too deeply")
        e = term(depth)
        while True:
            if take("+"):
                e = ("+", e, term(depth))
            elif take("-"):
                e = ("-", e, term(depth))
            else:
                return e

    def term(depth: int) -> tuple:
        e = unary(depth)
        while True:
            if take("*"):
                e = ("*", e, unary(depth))
            elif take("/"):
                e = ("/", e, unary(depth))
            else:
                return e

    def unary(depth: int) -> tuple:
        if take("-"):
            return ("neg", unary(depth + 1))
        if take("+"):
            return unary(depth + 1)
        base = atom(depth)
        if take("^") or take("**"):
            sign = -1 if take("-") else 1
            t = peek()
            if t is None or t[0] != "num" or not t[1].isdigit():
                raise FormulaError("an exponent must be an integer")
            nonlocal_i(1)
            n = sign * int(t[1])
            if abs(n) > 1000:
                raise FormulaError("exponent too large")
            return ("pow", base, n)
        return base

    def nonlocal_i(k: int) -> None:
        nonlocal i
        i += k

    def atom(depth: int) -> tuple:
        t = peek()
        if t is None:
            raise FormulaError("the formula ends too early")
        kind, v = t
        if kind == "num":
            nonlocal_i(1)
            return ("num", read_number(v, "target"))
        if kind == "name":
            nonlocal_i(1)
            if v in _VARS:
                return ("var", _VARS.index(v))
            if v == "pi":
                return ("pi",)
            if v in _FUNCS:
                if not take("("):
                    raise FormulaError(f"expected '(' after {v}")
                a = expr(depth + 1)
                if not take(")"):
                    raise FormulaError("expected ')'")
                return ("call", v, a)
            raise FormulaError(f"unknown name {v!r}")
        if take("("):
            e = expr(depth + 1)
            if not take(")"):
                raise FormulaError("expected ')'")
            return e
        raise FormulaError(f"unexpected {v!r}")

    if not toks:
        raise FormulaError("the formula is empty")
    tree = expr(0)
    if i != len(toks):
        raise FormulaError(f"unexpected {toks[i][1]!r}")
    return tree


_Poly = dict[tuple[int, ...], Fraction]


def _poly(t: tuple, d: int) -> _Poly | None:
    """The tree as a polynomial in d variables, or None."""
    op = t[0]
    if op == "num":
        return {(0,) * d: t[1]} if t[1] else {}
    if op == "var":
        if t[1] >= d:
            raise FormulaError(f"the formula uses {_VARS[t[1]]}, but the box has {d} dimensions")
        return {tuple(int(k == t[1]) for k in range(d)): Fraction(1)}
    if op == "neg":
        a = _poly(t[1], d)
        return None if a is None else {m: -c for m, c in a.items()}
    if op in ("+", "-", "*", "/"):
        a, b = _poly(t[1], d), _poly(t[2], d)
        if a is None or b is None:
            return None
        if op == "*":
            return _pmul(a, b)
        if op == "/":
            if set(b) != {(0,) * d}:
                return None
            return {m: c / b[(0,) * d] for m, c in a.items()}
        out = dict(a)
        for m, c in b.items():
            out[m] = out.get(m, Fraction(0)) + (c if op == "+" else -c)
        return {m: c for m, c in out.items() if c}
    if op == "pow":
        a = _poly(t[1], d)
        if a is None or t[2] < 0:
            return None
        out: _Poly = {(0,) * d: Fraction(1)}
        for _ in range(t[2]):
            out = _pmul(out, a)
        return out
    return None


def _pmul(a: _Poly, b: _Poly) -> _Poly:
    out: _Poly = {}
    for ma, ca in a.items():
        for mb, cb in b.items():
            m = tuple(i + j for i, j in zip(ma, mb))
            out[m] = out.get(m, Fraction(0)) + ca * cb
    return {m: c for m, c in out.items() if c}


def _peval(p: _Poly, x: Point) -> Fraction:
    s = Fraction(0)
    for m, c in p.items():
        t = c
        for xi, k in zip(x, m):
            if k:
                t *= xi**k
        s += t
    return s


class _Undefined(Exception):
    pass


def _iv_eval(t: tuple, ctx: Any, X: list[Any], dX: list[list[Any]] | None) -> tuple[Any, list[Any] | None]:
    """Forward mode over intervals: an enclosure of the value and of the gradient."""
    op = t[0]
    d = len(X)
    zero = [ctx.mpf(0)] * d
    if op == "num":
        v = ctx.mpf(t[1].numerator) / ctx.mpf(t[1].denominator)
        return v, (zero if dX is not None else None)
    if op == "var":
        return X[t[1]], (dX[t[1]] if dX is not None else None)
    if op == "pi":
        return ctx.pi, (zero if dX is not None else None)
    if op == "neg":
        u, du = _iv_eval(t[1], ctx, X, dX)
        return -u, ([-g for g in du] if du is not None else None)
    if op in ("+", "-", "*", "/"):
        (u, du), (v, dv) = _iv_eval(t[1], ctx, X, dX), _iv_eval(t[2], ctx, X, dX)
        if op == "+":
            return u + v, ([a + b for a, b in zip(du, dv)] if du is not None and dv is not None else None)
        if op == "-":
            return u - v, ([a - b for a, b in zip(du, dv)] if du is not None and dv is not None else None)
        if op == "*":
            return u * v, ([a * v + u * b for a, b in zip(du, dv)] if du is not None and dv is not None else None)
        if v.a <= 0 <= v.b:
            raise _Undefined("a divisor may be 0")
        w = u / v
        return w, ([(a - w * b) / v for a, b in zip(du, dv)] if du is not None and dv is not None else None)
    if op == "pow":
        u, du = _iv_eval(t[1], ctx, X, dX)
        n = t[2]
        if n < 0 and u.a <= 0 <= u.b:
            raise _Undefined("a negative power of 0")
        if n == 0:
            return ctx.mpf(1), (zero if du is not None else None)
        return u**n, ([n * u ** (n - 1) * g for g in du] if du is not None else None)
    if op == "call":
        u, du = _iv_eval(t[2], ctx, X, dX)
        name = t[1]
        if name in ("log", "sqrt") and u.a <= 0:
            raise _Undefined(f"{name} of a range reaching {u.a}")
        v = getattr(ctx, name)(u)
        if du is None:
            return v, None
        outer = {"exp": v, "log": 1 / u, "sin": ctx.cos(u), "cos": -ctx.sin(u), "sqrt": 1 / (2 * v)}[name]
        return v, [outer * g for g in du]
    raise AssertionError(t)  # pragma: no cover


def _ends(v: Any) -> tuple[Fraction, Fraction]:
    out = []
    for raw in v._mpi_:
        sign, man, exp, _ = raw
        if man == 0:
            if exp != 0:
                raise _Undefined("an infinite interval end")
            out.append(Fraction(0))
            continue
        f = Fraction(int(man) * 2**exp) if exp >= 0 else Fraction(int(man), 2 ** (-exp))
        out.append(-f if sign else f)
    return out[0], out[1]


# -- exact linear algebra ----------------------------------------------------------------------


def _combinations(items: list[Any], k: int) -> list[list[Any]]:
    """The k-element subsets of items, in order (bit masks; the lists here are short)."""
    n = len(items)
    return [[items[i] for i in range(n) if mask >> i & 1] for mask in range(1 << n) if bin(mask).count("1") == k]


def _rank(rows: list[list[Fraction]]) -> int:
    m = [list(r) for r in rows]
    rank = 0
    for col in range(len(m[0]) if m else 0):
        piv = next((i for i in range(rank, len(m)) if m[i][col] != 0), None)
        if piv is None:
            continue
        m[rank], m[piv] = m[piv], m[rank]
        for i in range(rank + 1, len(m)):
            if m[i][col]:
                f = m[i][col] / m[rank][col]
                m[i] = [a - f * b for a, b in zip(m[i], m[rank])]
        rank += 1
    return rank


def _det(m: list[list[Fraction]]) -> Fraction:
    m = [list(r) for r in m]
    n, det = len(m), Fraction(1)
    for col in range(n):
        piv = next((i for i in range(col, n) if m[i][col] != 0), None)
        if piv is None:
            return Fraction(0)
        if piv != col:
            m[col], m[piv] = m[piv], m[col]
            det = -det
        det *= m[col][col]
        for i in range(col + 1, n):
            if m[i][col]:
                f = m[i][col] / m[col][col]
                m[i] = [a - f * b for a, b in zip(m[i], m[col])]
    return det


def _solve(M: list[list[Fraction]], rhs: list[Fraction]) -> list[Fraction] | None:
    n = len(M)
    a = [list(r) + [v] for r, v in zip(M, rhs)]
    for col in range(n):
        piv = next((i for i in range(col, n) if a[i][col] != 0), None)
        if piv is None:
            return None
        a[col], a[piv] = a[piv], a[col]
        p = a[col][col]
        a[col] = [v / p for v in a[col]]
        for i in range(n):
            if i != col and a[i][col]:
                f = a[i][col]
                a[i] = [u - f * v for u, v in zip(a[i], a[col])]
    return [a[i][n] for i in range(n)]


def _affine_rank(pts: list[Point]) -> int:
    if len(pts) <= 1:
        return 0
    return _rank([[a - b for a, b in zip(p, pts[0])] for p in pts[1:]])


def _triangulate(verts: list[Point], tight: list[set[int]], d: int) -> list[list[int]]:
    """Simplices (vertex indices) of a cone decomposition: v0 over each facet not containing it, recursively."""

    def rec(face: list[int], k: int) -> list[list[int]]:
        if k == 0:
            return [[face[0]]]
        v0 = face[0]
        seen: set[frozenset[int]] = set()
        out = []
        for con in sorted(set().union(*(tight[i] for i in face))):
            sub = frozenset(i for i in face if con in tight[i])
            if v0 in sub or sub in seen or len(sub) < k or _affine_rank([verts[i] for i in sub]) != k - 1:
                continue
            seen.add(sub)
            out.extend([v0] + s for s in rec(sorted(sub), k - 1))
        return out

    return rec(list(range(len(verts))), d)


# -- the check --------------------------------------------------------------------------------


class _Bad(Exception):
    """A certificate field cannot be read: (field, problem)."""


def _num(v: object, field: str) -> Fraction:
    try:
        return read_number(v, field)
    except FieldError as exc:
        raise _Bad(exc.field, exc.problem) from None


def _nums(v: object, field: str, n: int | None = None) -> list[Fraction]:
    if not isinstance(v, list) or (n is not None and len(v) != n):
        raise _Bad(field, "must be a list" + (f" of {n} exact numbers" if n is not None else " of exact numbers"))
    return [_num(x, f"{field}[{k}]") for k, x in enumerate(v)]


def _value(v: object, field: str) -> tuple[str, Fraction, Fraction]:
    """("rational", q, q) or ("enclosure", lo, hi)."""
    if isinstance(v, Mapping):
        if "enclosure" in v:
            lo, hi = _nums(v["enclosure"], f"{field}.enclosure", 2)
            return "enclosure", lo, hi
        raise _Bad(field, "box certificates carry a rational value or an enclosure")
    x = _num(v, field)
    return "rational", x, x


def check_box(data: Mapping[str, Any], fail: Any, *, prec: int = 200, max_subdivisions: int = 100_000) -> tuple[bool | None, list[str], list[str]]:
    """Check a ``sup-error-box`` certificate: (accepted, reasons, checks); see the module docstring.

    `fail(field, problem)` makes the exception raised for an unreadable field.
    """
    try:
        return _check(data, prec, max_subdivisions)
    except _Bad as exc:
        raise fail(*exc.args) from None
    except FieldError as exc:
        raise fail(exc.field, exc.problem) from None


def _check(data: Mapping[str, Any], prec: int, max_subdivisions: int) -> tuple[bool | None, list[str], list[str]]:
    verdict = data.get("verdict")
    if verdict not in ("holds", "violated", "unknown"):
        raise _Bad("verdict", f"is {verdict!r}; expected holds, violated or unknown")
    details = data.get("details")
    if not isinstance(details, Mapping):
        raise _Bad("details", "must be an object")
    if verdict == "unknown":
        return None, [], [f"verdict unknown: nothing to validate (reason: {details.get('reason', 'no reason given')})"]
    problem = details.get("problem")
    if not isinstance(problem, Mapping):
        raise _Bad("details.problem", "must be an object")
    p = "details.problem"
    net = read_box_network(problem.get("network"), f"{p}.network")
    d = net.d
    box_raw = problem.get("box")
    if not isinstance(box_raw, list) or len(box_raw) != d:
        raise _Bad(f"{p}.box", f"must list {d} sides [lo, hi] (the network has {d} inputs)")
    box = [tuple(_nums(s, f"{p}.box[{k}]", 2)) for k, s in enumerate(box_raw)]
    side = problem.get("side")
    if side not in ("abs", "above", "below"):
        raise _Bad(f"{p}.side", f"is {side!r}; expected abs, above or below")
    signs = {"abs": (1, -1), "above": (1,), "below": (-1,)}[side]
    eps = None if problem.get("eps") is None else _num(problem["eps"], f"{p}.eps")
    text = problem.get("target")
    if not isinstance(text, str):
        raise _Bad(f"{p}.target", "must be a formula string")
    try:
        tree = parse_formula(text)
        poly = _poly(tree, d)
    except FormulaError as exc:
        raise _Bad(f"{p}.target", f"{text!r}: {exc}") from None
    value = _value(data.get("value"), "value")
    wraw = data.get("witness")
    witness = tuple(_nums(wraw, "witness", d))
    regions_raw = details.get("regions")
    if not isinstance(regions_raw, list) or not regions_raw:
        raise _Bad("details.regions", "must be a non-empty list")

    reasons: list[str] = []
    checks = [f"format exactnet.certificate version 1, kind sup-error-box, verdict {verdict}",
              f"network: {d} inputs, one output, {sum(net.relu)} ReLU neurons, evaluated with Fraction arithmetic"]
    for k, (lo, hi) in enumerate(box):
        if not lo < hi:
            reasons.append(f"side {k + 1} of the box [{lo}, {hi}] is not a proper interval")
    if reasons:
        return False, reasons, checks

    # 1-2: the regions
    regions = []
    patterns: set[tuple[bool, ...]] = set()
    total = Fraction(0)
    for k, reg in enumerate(regions_raw):
        f = f"details.regions[{k}]"
        if not isinstance(reg, Mapping):
            raise _Bad(f, "must be an object")
        verts = [tuple(_nums(v, f"{f}.vertices[{i}]", d)) for i, v in enumerate(reg.get("vertices") or [])]
        A = [_nums(row, f"{f}.A[{i}]", d) for i, row in enumerate(reg.get("A") or [])]
        b = _nums(reg.get("b"), f"{f}.b", len(A))
        w = _nums(reg.get("weights"), f"{f}.weights", d)
        c = _num(reg.get("offset"), f"{f}.offset")
        if len(verts) < d + 1:
            reasons.append(f"region {k}: {len(verts)} vertices cannot span {d} dimensions")
            continue
        bad = _region_problem(net, verts, A, b, w, c, box)
        if bad:
            reasons.append(f"region {k}: {bad}")
            continue
        m = tuple(sum(v[j] for v in verts) / len(verts) for j in range(d))
        pattern = tuple(z > 0 for z in net.run(m)[1])
        if pattern in patterns:
            reasons.append(f"region {k}: its activation pattern repeats another region's (they would overlap)")
            continue
        patterns.add(pattern)
        tight = [{i for i, (row, bb) in enumerate(zip(A, b)) if sum(a * x for a, x in zip(row, v)) == bb} for v in verts]
        simplices = _triangulate(verts, tight, d)
        vol = sum(abs(_det([[verts[i][j] - verts[s[0]][j] for j in range(d)] for i in s[1:]])) for s in simplices) / factorial(d)
        total += vol
        regions.append((verts, simplices, w, c))
    box_volume = Fraction(1)
    for lo, hi in box:
        box_volume *= hi - lo
    if reasons:
        return False, reasons, checks
    if total != box_volume:
        reasons.append(f"the regions' volumes add up to {total}, not to the box's volume {box_volume} (a region or a facet is missing)")
        return False, reasons, checks
    checks.append(f"regions: {len(regions)} polytopes with distinct activation patterns; N equals the listed affine map on each "
                  "(signs of every ReLU pre-activation at the vertices, values at the vertices and the vertex average)")
    checks.append(f"regions tile the box: the volumes add up to {box_volume} exactly")

    # 3-4: value, witness, verdict
    kind, vlo, vhi = value
    if any(not lo <= x <= hi for x, (lo, hi) in zip(witness, box)):
        reasons.append(f"the witness {tuple(str(x) for x in witness)} lies outside the box")
        return False, reasons, checks
    Nw = net.run(witness)[0]
    ctx = _context(prec)
    if poly is not None:
        ew = max(s * (Nw - _peval(poly, witness)) for s in signs)
        elo = ehi = ew
    else:
        try:
            F, _ = _iv_eval(tree, ctx, [_iv(ctx, x) for x in witness], None)
            flo, fhi = _ends(F)
        except _Undefined as exc:
            reasons.append(f"the target is undefined at the witness: {exc}")
            return False, reasons, checks
        elo = max(s * Nw - (fhi if s > 0 else -flo) for s in signs)
        ehi = max(s * Nw - (flo if s > 0 else -fhi) for s in signs)
    if kind == "rational":
        if poly is None or max((sum(mm) for mm in poly), default=0) > 2:
            reasons.append("an exact value is checked for polynomial targets of degree <= 2 only")
            return False, reasons, checks
        if ew != vlo:
            reasons.append(f"the error at the witness is {ew}, not the value {vlo}")
        best = max(_sup_quadratic(poly, verts, s, w, c, sg) for verts, simp, w, c in regions for s in simp for sg in signs)
        if best != vlo:
            reasons.append(f"the sup of the error over the regions is {best}, not the value {vlo}")
        else:
            checks.append(f"value {vlo} is the exact sup (vertices and sub-simplex stationary points of every triangle)")
            checks.append(f"witness {tuple(str(x) for x in witness)} attains it")
    else:
        if ehi < vlo:
            reasons.append(f"the error at the witness is at most {ehi} < the enclosure's lower end {vlo}")
        elif elo < vlo and poly is not None:
            reasons.append(f"the error at the witness is {elo} < the enclosure's lower end {vlo}")
        else:
            checks.append(f"witness: its error reaches the enclosure's lower end {vlo}" + (" (up to the interval width)" if poly is None else ""))
        ok, why = _prove_upper(tree, poly, regions, signs, vhi, ctx, max_subdivisions)
        if ok:
            checks.append(f"upper end: the error is <= {vhi} on every region ({why})")
        else:
            reasons.append(f"could not prove the error <= {vhi}: {why}")
    # verdict
    if eps is not None:
        if verdict == "holds" and vhi > eps:
            reasons.append(f"verdict holds, but the value's upper end {vhi} > eps {eps}")
        if verdict == "violated" and not (vlo > eps and ehi > eps):
            reasons.append(f"verdict violated, but the value {vlo} is not > eps {eps}")
    elif verdict == "violated":
        reasons.append("verdict violated without eps")
    if not reasons:
        checks.append("the verdict follows from the value and eps")
    return not reasons, reasons, checks


def _context(prec: int) -> Any:
    from mpmath.ctx_iv import MPIntervalContext

    ctx = MPIntervalContext()
    ctx.prec = prec
    return ctx


def _iv(ctx: Any, x: Fraction, y: Fraction | None = None) -> Any:
    a = ctx.mpf(x.numerator) / ctx.mpf(x.denominator)
    if y is None or y == x:
        return a
    b = ctx.mpf(y.numerator) / ctx.mpf(y.denominator)
    return ctx.mpf([a.a, b.b])


def _region_problem(net: BoxNet, verts: list[Point], A: list[list[Fraction]], b: list[Fraction], w: list[Fraction], c: Fraction, box: list[tuple[Fraction, ...]]) -> str | None:
    d = net.d
    if _affine_rank(verts) != d:
        return "the vertices do not span the space (zero volume)"
    for v in verts:
        if any(not lo <= x <= hi for x, (lo, hi) in zip(v, box)):
            return f"vertex {tuple(str(x) for x in v)} lies outside the box"
        for row, bb in zip(A, b):
            if sum(a * x for a, x in zip(row, v)) > bb:
                return f"vertex {tuple(str(x) for x in v)} violates an inequality"
    for i, (row, bb) in enumerate(zip(A, b)):
        on = [v for v in verts if sum(a * x for a, x in zip(row, v)) == bb]
        if _affine_rank(on) != d - 1:
            return f"inequality {i} is not a facet (tight on vertices spanning dimension {_affine_rank(on)})"
    m = tuple(sum(v[j] for v in verts) / len(verts) for j in range(d))
    Nm, pre_m = net.run(m)
    for p in verts + [m]:
        Np, pre = net.run(p) if p is not m else (Nm, pre_m)
        for j, (z, zm) in enumerate(zip(pre, pre_m)):
            if (zm > 0 and z < 0) or (zm <= 0 and z > 0):
                return f"ReLU {j} changes sign inside (at {tuple(str(x) for x in p)})"
        if sum(a * x for a, x in zip(w, p)) + c != Np:
            return f"the affine map gives {sum(a * x for a, x in zip(w, p)) + c} at {tuple(str(x) for x in p)}, N gives {Np}"
    return None


def _sup_quadratic(poly: _Poly, verts: list[Point], simplex: list[int], w: list[Fraction], c: Fraction, sg: int) -> Fraction:
    """The exact max over a simplex of sg (w.x + c - p) for p of degree <= 2: every sub-simplex's stationary point."""
    d = len(w)
    pts = [verts[i] for i in simplex]

    def err(x: Point) -> Fraction:
        return sg * (sum(a * b for a, b in zip(w, x)) + c - _peval(poly, x))

    best = max(err(x) for x in pts)
    # grad p(x) = g + H x
    g = [poly.get(tuple(int(k == i) for k in range(d)), Fraction(0)) for i in range(d)]
    H = [[Fraction(0)] * d for _ in range(d)]
    for mono, co in poly.items():
        if sum(mono) == 2:
            idx = [i for i, k in enumerate(mono) for _ in range(k)]
            i, j = idx
            if i == j:
                H[i][i] += 2 * co
            else:
                H[i][j] += co
                H[j][i] += co
    for size in range(2, d + 2):
        for sub in _combinations(pts, size):
            x0 = sub[0]
            D = [[a - b for a, b in zip(v, x0)] for v in sub[1:]]
            # stationary: D (w - g - H (x0 + D^T t)) = 0
            r0 = [w[i] - g[i] - sum(H[i][j] * x0[j] for j in range(d)) for i in range(d)]
            HD = [[sum(H[i][j] * u[j] for j in range(d)) for i in range(d)] for u in D]
            M = [[sum(u[i] * hv[i] for i in range(d)) for hv in HD] for u in D]
            rhs = [sum(u[i] * r0[i] for i in range(d)) for u in D]
            t = _solve(M, rhs)
            if t is None or any(v < 0 for v in t) or sum(t) > 1:
                continue
            x = tuple(x0[i] + sum(tk * u[i] for tk, u in zip(t, D)) for i in range(d))
            best = max(best, err(x))
    return best


def _prove_upper(tree: tuple, poly: _Poly | None, regions: list, signs: tuple[int, ...], bound: Fraction, ctx: Any, budget: int) -> tuple[bool, str]:
    """Branch and bound over simplices: every piece's upper bound of the side's error <= bound."""
    todo: list[tuple[int, list[Point], list[Fraction], Fraction]] = []
    for verts, simplices, w, c in regions:
        for s in simplices:
            todo.append((0, [verts[i] for i in s], w, c))
    done = 0
    while todo:
        depth, pts, w, c = todo.pop()
        done += 1
        if done > budget:
            return False, f"more than {budget} simplices needed"
        ub = _simplex_upper(tree, pts, w, c, signs, ctx)
        if ub is not None and ub <= bound:
            continue
        if depth > 400:
            return False, f"no bound near {tuple(str(x) for x in pts[0])}"
        # longest-edge bisection
        i, j = max(_combinations(list(range(len(pts))), 2), key=lambda e: sum((a - b) ** 2 for a, b in zip(pts[e[0]], pts[e[1]])))
        mid = tuple((a + b) / 2 for a, b in zip(pts[i], pts[j]))
        for keep in (i, j):
            q = list(pts)
            q[j if keep == i else i] = mid
            todo.append((depth + 1, q, w, c))
    return True, f"{done} simplices, mean-value form over mpmath.iv intervals"


def _simplex_upper(tree: tuple, pts: list[Point], w: list[Fraction], c: Fraction, signs: tuple[int, ...], ctx: Any) -> Fraction | None:
    d = len(w)
    m = tuple(sum(p[j] for p in pts) / len(pts) for j in range(d))
    B = [_iv(ctx, min(p[j] for p in pts), max(p[j] for p in pts)) for j in range(d)]
    one, zero = ctx.mpf(1), ctx.mpf(0)
    try:
        Fm, _ = _iv_eval(tree, ctx, [_iv(ctx, x) for x in m], None)
        FB, G = _iv_eval(tree, ctx, B, [[one if i == j else zero for j in range(d)] for i in range(d)])
        flo, fhi = _ends(Fm)
        Flo, Fhi = _ends(FB)
        Gs = [_ends(gi) for gi in G]  # type: ignore[union-attr]
    except _Undefined:
        return None
    Nm = sum(a * b for a, b in zip(w, m)) + c
    out: Fraction | None = None
    for s in signs:
        em = s * Nm - (flo if s > 0 else -fhi)
        lin = None
        for p in pts:
            t = Fraction(0)
            for j in range(d):
                lo, hi = sorted((s * (w[j] - Gs[j][1]), s * (w[j] - Gs[j][0])))
                dv = p[j] - m[j]
                t += lo * dv if dv < 0 else hi * dv
            lin = t if lin is None or t > lin else lin
        assert lin is not None
        # the direct bound: N is affine (largest at a vertex), f over the bounding box
        direct = max(s * (sum(a * b for a, b in zip(w, p)) + c) for p in pts) - (Flo if s > 0 else -Fhi)
        v = min(em + lin, direct)
        out = v if out is None or v > out else out
    return out
