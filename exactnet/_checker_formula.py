"""The checker's own target-formula parser, classifier and evaluators.

Part of the independent certificate checker (:mod:`exactnet.checker`).  The
grammar is the one of ``docs/certificate.md``::

    expr   := term (("+" | "-") term)*
    term   := unary (("*" | "/") unary)*
    unary  := ("+" | "-") unary | power
    power  := atom (("^" | "**") unary)?
    atom   := NUMBER | "x" | "pi" | NAME "(" expr ("," expr)* ")" | "(" expr ")"

parsed by explicit recursive descent into a tree of :class:`Expr` (never
``eval``).  A tree is classified as a polynomial, a rational function, a
piecewise-linear function or a transcendental function, and turned into what the
checker computes with: a quotient of Fraction polynomials, exact breakpoints and
values, or a forward-mode (value, derivative) evaluation over ``mpmath.iv``
intervals.
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Callable

from exactnet._checker_poly import Poly, padd, pdivmod, pgcd, pmul, ppow, pscale, psub, trim

__all__ = [
    "FormulaError",
    "Undefined",
    "Expr",
    "Target",
    "parse",
    "classify",
    "eval_exact",
    "exact_at",
    "pwl_breakpoints",
    "Dual",
    "eval_interval",
]

_FUNCS1 = ("exp", "log", "sin", "cos", "sqrt", "abs", "relu")
_FUNCS2 = ("max", "min")
_TRANSCENDENTAL = ("exp", "log", "sin", "cos", "sqrt", "pi")
_PWL_FUNCS = ("abs", "relu", "max", "min")
_MAX_EXPONENT = 1000
_MAX_LENGTH = 20_000
_MAX_DEPTH = 100  # nesting of parentheses, unary signs and calls (the parser recurses)
_MAX_HEIGHT = 200  # height of the tree (chains of + - * /; the tree walks recurse)
_TOKEN = re.compile(r"\s*(?:(\d+(?:\.\d+)?|\.\d+)|([A-Za-z_][A-Za-z_0-9]*)|(\*\*|[-+*/^(),]))")


class FormulaError(Exception):
    """The target formula cannot be read or is not supported; the message names the position."""


class Undefined(Exception):
    """The target is undefined at a point or on an interval (division by zero, log of 0...)."""


@dataclass(frozen=True, slots=True)
class Expr:
    """A node of the formula tree.

    ``op`` is one of "num" (``value``), "x", "pi", "+", "-", "*", "/", "neg",
    "pow" (``args[0]`` to the integer ``power``) or a function name; ``pos`` is
    the position in the text; ``height`` the height of the subtree (bounded, so the
    recursive walks over the tree stay shallow).
    """

    op: str
    args: tuple["Expr", ...] = ()
    value: Fraction = Fraction(0)
    power: int = 0
    pos: int = 0
    height: int = 1


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens: list[tuple[str, str, int]] = []
        i = 0
        while True:
            while i < len(text) and text[i].isspace():
                i += 1
            if i >= len(text):
                break
            m = _TOKEN.match(text, i)
            if not m:
                # reported when the parser reaches it, so earlier problems come first
                self.tokens.append(("bad", text[i], i))
                break
            start = m.start(m.lastindex or 0)
            kind = ("num", "name", "op")[(m.lastindex or 1) - 1]
            self.tokens.append((kind, m.group(m.lastindex or 0), start))
            i = m.end()
        if not self.tokens or self.tokens[-1][0] != "bad":
            self.tokens.append(("end", "", len(text)))
        self.k = 0
        self.depth = 0

    def node(self, op: str, args: tuple[Expr, ...], pos: int, power: int = 0) -> Expr:
        height = 1 + max(a.height for a in args)
        if height > _MAX_HEIGHT:
            raise FormulaError(
                f"the formula is nested (or chained) deeper than {_MAX_HEIGHT} levels at position {pos}"
            )
        return Expr(op, args, power=power, pos=pos, height=height)

    def peek(self) -> tuple[str, str, int]:
        return self.tokens[self.k]

    def take(self) -> tuple[str, str, int]:
        t = self.tokens[self.k]
        self.k += 1
        return t

    def fail(self, what: str) -> FormulaError:
        kind, text, pos = self.peek()
        if kind == "bad":
            return FormulaError(f"unexpected character {text!r} at position {pos}")
        got = "the end of the formula" if kind == "end" else repr(text)
        return FormulaError(f"expected {what} at position {pos}, got {got}")

    def expect(self, op: str) -> None:
        kind, text, _ = self.peek()
        if kind != "op" or text != op:
            raise self.fail(repr(op))
        self.k += 1

    def expr(self) -> Expr:
        self.depth += 1
        if self.depth > _MAX_DEPTH:
            raise FormulaError(f"the formula nests deeper than {_MAX_DEPTH} levels at position {self.peek()[2]}")
        node = self.term()
        while self.peek()[0] == "op" and self.peek()[1] in ("+", "-"):
            _, op, pos = self.take()
            node = self.node(op, (node, self.term()), pos)
        self.depth -= 1
        return node

    def term(self) -> Expr:
        node = self.unary()
        while self.peek()[0] == "op" and self.peek()[1] in ("*", "/"):
            _, op, pos = self.take()
            node = self.node(op, (node, self.unary()), pos)
        return node

    def unary(self) -> Expr:
        kind, text, pos = self.peek()
        if kind == "op" and text in ("+", "-"):
            self.k += 1
            self.depth += 1
            if self.depth > _MAX_DEPTH:
                raise FormulaError(f"the formula nests deeper than {_MAX_DEPTH} levels at position {pos}")
            inner = self.unary()
            self.depth -= 1
            return inner if text == "+" else self.node("neg", (inner,), pos)
        return self.power()

    def power(self) -> Expr:
        base = self.atom()
        kind, text, pos = self.peek()
        if kind == "op" and text in ("^", "**"):
            self.k += 1
            exponent = self.unary()
            if _has(exponent, ("x",)) or _has(exponent, _TRANSCENDENTAL):
                raise FormulaError(f"the exponent at position {pos + len(text)} must be an integer constant")
            try:
                value = eval_exact(exponent, Fraction(0))
            except Undefined as exc:
                raise FormulaError(f"the exponent at position {pos + len(text)}: {exc}") from None
            if value.denominator != 1:
                raise FormulaError(f"the exponent at position {pos + len(text)} is {value}, not an integer")
            if abs(value) > _MAX_EXPONENT:
                raise FormulaError(f"the exponent at position {pos + len(text)} is {value}; |exponent| <= {_MAX_EXPONENT}")
            node = self.node("pow", (base,), pos, power=int(value))
            if _growth(node) > _MAX_EXPONENT:
                # nested powers multiply: (x^100)^100 has degree 10^4
                raise FormulaError(
                    f"the power at position {pos} makes a degree (or a number's size) above "
                    f"{_MAX_EXPONENT} times its base's"
                )
            return node
        return base

    def atom(self) -> Expr:
        kind, text, pos = self.peek()
        if kind == "num":
            self.k += 1
            return Expr("num", value=Fraction(text), pos=pos)
        if kind == "op" and text == "(":
            self.k += 1
            node = self.expr()
            self.expect(")")
            return node
        if kind == "name":
            self.k += 1
            if text in ("x", "pi"):
                return Expr(text, pos=pos)
            if text not in _FUNCS1 + _FUNCS2:
                raise FormulaError(
                    f"unknown name {text!r} at position {pos}; the names are x, pi, "
                    + ", ".join(_FUNCS1 + _FUNCS2)
                )
            self.expect("(")
            args = [self.expr()]
            while self.peek()[0] == "op" and self.peek()[1] == ",":
                self.k += 1
                args.append(self.expr())
            self.expect(")")
            want = 2 if text in _FUNCS2 else 1
            if len(args) != want:
                raise FormulaError(f"{text} at position {pos} takes {want} argument{'s' if want > 1 else ''}, got {len(args)}")
            return self.node(text, tuple(args), pos)
        raise self.fail("a number, x, pi, a function or '('")


def parse(text: str) -> Expr:
    """Parse a target formula in x (explicit recursive descent, never ``eval``).

    Raises
    ------
    FormulaError
        Naming the position of the problem.

    Examples
    --------
    >>> parse("x^2 - 1/2").op
    '-'
    >>> parse("__import__('os').system('id')")
    Traceback (most recent call last):
    ...
    exactnet._checker_formula.FormulaError: unknown name '__import__' at position 0; ...
    """
    if not isinstance(text, str):
        raise FormulaError(f"the target must be a string, got {type(text).__name__}")
    if len(text) > _MAX_LENGTH:
        raise FormulaError(f"the formula is longer than {_MAX_LENGTH} characters")
    p = _Parser(text)
    node = p.expr()
    if p.peek()[0] != "end":
        raise p.fail("an operator or the end of the formula")
    _check_pwl_arguments(node)
    return node


def _growth(node: Expr) -> int:
    """A bound on how much powers multiply degrees and digit counts (products add)."""
    if node.op == "pow":
        return _growth(node.args[0]) * max(1, abs(node.power))
    if not node.args:
        return 1
    kids = [_growth(a) for a in node.args]
    return sum(kids) if node.op in ("*", "/") else max(kids)


def _has(node: Expr, ops: tuple[str, ...]) -> bool:
    if node.op in ops:
        return True
    return any(_has(a, ops) for a in node.args)


def _linear(node: Expr) -> int | None:
    """0 for a constant, 1 for a continuous PWL function of x, None for anything else."""
    op = node.op
    if op in ("num", "pi"):
        return 0
    if op == "x":
        return 1
    kids = [_linear(a) for a in node.args]
    if any(k is None for k in kids):
        return None
    ks = [k for k in kids if k is not None]
    if op in ("+", "-", "neg") or op in _PWL_FUNCS:
        return max(ks)
    if op == "*":
        return None if ks[0] and ks[1] else max(ks)
    if op == "/":
        return None if ks[1] else ks[0]
    if op == "pow":
        if ks[0] == 0 or node.power == 1:
            return ks[0]
        return 0 if node.power == 0 else None
    return None if max(ks) else 0  # exp, log, ... of a constant


def _check_pwl_arguments(node: Expr) -> None:
    if node.op in _PWL_FUNCS:
        for a in node.args:
            if _linear(a) is None:
                raise FormulaError(
                    f"{node.op} at position {node.pos} needs a piecewise-linear argument "
                    "(built from x and constants with +, -, * or / by a constant, abs, relu, max, min)"
                )
    for a in node.args:
        _check_pwl_arguments(a)


@dataclass(frozen=True, slots=True)
class Target:
    """A classified target: `kind`, and for polynomial and rational targets f = num/den.

    `divisors` are every polynomial the formula divides by: the target is
    undefined where one of them is zero.
    """

    text: str
    tree: Expr
    kind: str  # "polynomial", "rational", "pwl" or "transcendental"
    num: Poly
    den: Poly
    divisors: tuple[tuple[Fraction, ...], ...]


def classify(text: str) -> Target:
    """Parse and classify a target formula.

    Raises
    ------
    FormulaError
        For a syntax error, or a target of no supported kind (abs/relu/max/min
        mixed with non-linear terms).

    Examples
    --------
    >>> [classify(t).kind for t in ("x^3 - x/2", "1/(1+x)", "abs(x - 1/3)", "sin(x)")]
    ['polynomial', 'rational', 'pwl', 'transcendental']
    """
    tree = parse(text)
    if _has(tree, _TRANSCENDENTAL):
        return Target(text, tree, "transcendental", [], [], ())
    if _has(tree, _PWL_FUNCS):
        if _linear(tree) is None:
            raise FormulaError(
                "the target mixes abs/relu/max/min with non-linear terms; supported "
                "targets are polynomials, rational functions, continuous piecewise-linear "
                "functions and transcendental formulas"
            )
        return Target(text, tree, "pwl", [], [], ())
    divisors: list[Poly] = []
    num, den = _rational(tree, divisors)
    g = pgcd(num, den)
    if len(g) > 1:
        num, den = pdivmod(num, g)[0], pdivmod(den, g)[0]
    lead = den[-1]
    num, den = pscale(num, 1 / lead), pscale(den, 1 / lead)
    kind = "polynomial" if len(den) == 1 else "rational"
    return Target(text, tree, kind, num, den, tuple(tuple(d) for d in divisors))


def _rational(node: Expr, divisors: list[Poly]) -> tuple[Poly, Poly]:
    """num/den of a tree without transcendental or PWL functions."""
    op = node.op
    if op == "num":
        return trim([node.value]), [Fraction(1)]
    if op == "x":
        return [Fraction(0), Fraction(1)], [Fraction(1)]
    if op == "neg":
        n, d = _rational(node.args[0], divisors)
        return pscale(n, Fraction(-1)), d
    if op in ("+", "-"):
        (n1, d1), (n2, d2) = _rational(node.args[0], divisors), _rational(node.args[1], divisors)
        if d1 == d2:
            n = padd(n1, n2) if op == "+" else psub(n1, n2)
            return n, d1
        a, b = pmul(n1, d2), pmul(n2, d1)
        return (padd(a, b) if op == "+" else psub(a, b)), pmul(d1, d2)
    if op == "*":
        (n1, d1), (n2, d2) = _rational(node.args[0], divisors), _rational(node.args[1], divisors)
        return _reduce(pmul(n1, n2), pmul(d1, d2))
    if op == "/":
        (n1, d1), (n2, d2) = _rational(node.args[0], divisors), _rational(node.args[1], divisors)
        if not n2:
            raise FormulaError(f"division by zero at position {node.pos}")
        divisors.append(n2)
        return _reduce(pmul(n1, d2), pmul(d1, n2))
    if op == "pow":
        n, d = _rational(node.args[0], divisors)
        k = node.power
        if k >= 0:
            return ppow(n, k), ppow(d, k)
        if not n:
            raise FormulaError(f"zero to a negative power at position {node.pos}")
        divisors.append(n)
        return ppow(d, -k), ppow(n, -k)
    raise AssertionError(f"unexpected node {op}")  # pragma: no cover


def _reduce(n: Poly, d: Poly) -> tuple[Poly, Poly]:
    if len(d) == 1:
        return pscale(n, 1 / d[0]), [Fraction(1)]
    g = pgcd(n, d)
    if len(g) > 1:
        return pdivmod(n, g)[0], pdivmod(d, g)[0]
    return n, d


def eval_exact(node: Expr, x: Fraction) -> Fraction:
    """The exact value at a rational x of a tree without transcendental functions.

    Raises
    ------
    Undefined
        On a division by zero.

    Examples
    --------
    >>> print(eval_exact(parse("max(x, 1/2) - abs(x - 1)"), Fraction(1, 3)))
    -1/6
    """
    op = node.op
    if op == "num":
        return node.value
    if op == "x":
        return x
    args = [eval_exact(a, x) for a in node.args]
    if op == "+":
        return args[0] + args[1]
    if op == "-":
        return args[0] - args[1]
    if op == "*":
        return args[0] * args[1]
    if op == "/":
        if args[1] == 0:
            raise Undefined(f"division by zero (position {node.pos}) at x = {x}")
        return args[0] / args[1]
    if op == "neg":
        return -args[0]
    if op == "pow":
        if args[0] == 0 and node.power < 0:
            raise Undefined(f"zero to a negative power (position {node.pos}) at x = {x}")
        return args[0] ** node.power
    if op == "abs":
        return abs(args[0])
    if op == "relu":
        return args[0] if args[0] > 0 else Fraction(0)
    if op == "max":
        return max(args)
    if op == "min":
        return min(args)
    raise FormulaError(f"{op} at position {node.pos} has no exact rational value")


def exact_at(node: Expr, x: Fraction) -> Fraction | None:
    """The value at a rational x when it is rational for a simple reason, else None.

    Beyond :func:`eval_exact`: exp(0) = 1, log(1) = 0, sin(0) = 0, cos(0) = 1, the
    square root of a rational square, and 0 times anything.  None means "not
    known to be rational" (pi, sin(1), ...), never a guess.

    Raises
    ------
    Undefined
        On an exact division by zero, log of a number <= 0, sqrt of a negative.

    Examples
    --------
    >>> exact_at(parse("cos(pi*x) + sqrt(x + 1/4)"), Fraction(0))
    Fraction(3, 2)
    >>> exact_at(parse("sin(x)"), Fraction(1)) is None
    True
    """
    op = node.op
    if op == "num":
        return node.value
    if op == "x":
        return x
    if op == "pi":
        return None
    args = [exact_at(a, x) for a in node.args]
    u = args[0]
    if op == "*":
        if u == 0 or args[1] == 0:
            return Fraction(0)
        return None if u is None or args[1] is None else u * args[1]
    if any(a is None for a in args):
        return None
    assert u is not None
    if op == "exp":
        return Fraction(1) if u == 0 else None
    if op == "log":
        if u <= 0:
            raise Undefined(f"log at position {node.pos} of {u} at x = {x}")
        return Fraction(0) if u == 1 else None
    if op == "sin":
        return Fraction(0) if u == 0 else None
    if op == "cos":
        return Fraction(1) if u == 0 else None
    if op == "sqrt":
        if u < 0:
            raise Undefined(f"sqrt at position {node.pos} of {u} at x = {x}")
        rn, rd = math.isqrt(u.numerator), math.isqrt(u.denominator)
        return Fraction(rn, rd) if rn * rn == u.numerator and rd * rd == u.denominator else None
    return eval_exact(Expr(op, tuple(Expr("num", value=a) for a in args if a is not None), power=node.power, pos=node.pos), x)


def pwl_breakpoints(node: Expr, lo: Fraction, hi: Fraction) -> list[Fraction]:
    """Exact breakpoints of a piecewise-linear target on [lo, hi] (lo and hi included).

    Between consecutive breakpoints the target is affine: every kink of abs,
    relu, max and min (a zero of an argument, or of the difference of max's
    arguments) is listed, computed exactly.

    Examples
    --------
    >>> pwl_breakpoints(parse("abs(x - 1/3) + relu(2*x - 1)"), Fraction(0), Fraction(1))
    [Fraction(0, 1), Fraction(1, 3), Fraction(1, 2), Fraction(1, 1)]
    """
    xs, _ = _pwl(node, lo, hi)
    return xs


def _pwl(node: Expr, lo: Fraction, hi: Fraction) -> tuple[list[Fraction], list[Fraction]]:
    """(breakpoints, values) of a PWL subtree on [lo, hi]."""
    if _linear(node) == 0:
        c = eval_exact(node, lo)
        return ([lo, hi], [c, c]) if lo < hi else ([lo], [c])
    op = node.op
    if op == "x":
        return ([lo, hi], [lo, hi]) if lo < hi else ([lo], [lo])
    if op == "neg":
        xs, ys = _pwl(node.args[0], lo, hi)
        return xs, [-y for y in ys]
    if op == "pow":  # power 1 of a non-constant
        return _pwl(node.args[0], lo, hi)
    if op in ("*", "/"):
        a, b = node.args
        if op == "/" or _linear(a) != 0:
            c = eval_exact(b, lo)
            if op == "/":
                if c == 0:
                    raise Undefined(f"division by zero (position {node.pos})")
                c = 1 / c
            xs, ys = _pwl(a, lo, hi)
        else:
            c = eval_exact(a, lo)
            xs, ys = _pwl(b, lo, hi)
        return xs, [c * y for y in ys]
    if op in ("+", "-", "max", "min"):
        (x1, y1), (x2, y2) = _pwl(node.args[0], lo, hi), _pwl(node.args[1], lo, hi)
        xs = sorted(set(x1) | set(x2))
        v1 = [_interp(x1, y1, x) for x in xs]
        v2 = [_interp(x2, y2, x) for x in xs]
        if op == "+":
            return xs, [a + b for a, b in zip(v1, v2)]
        if op == "-":
            return xs, [a - b for a, b in zip(v1, v2)]
        xs, d = _with_zeros(xs, [a - b for a, b in zip(v1, v2)])
        v1 = [_interp(x1, y1, x) for x in xs]
        v2 = [_interp(x2, y2, x) for x in xs]
        pick = max if op == "max" else min
        return xs, [pick(a, b) for a, b in zip(v1, v2)]
    if op in ("abs", "relu"):
        xs, ys = _with_zeros(*_pwl(node.args[0], lo, hi))
        if op == "abs":
            return xs, [abs(y) for y in ys]
        return xs, [y if y > 0 else Fraction(0) for y in ys]
    raise AssertionError(f"unexpected node {op}")  # pragma: no cover


def _interp(xs: list[Fraction], ys: list[Fraction], x: Fraction) -> Fraction:
    k = bisect.bisect_left(xs, x)
    if k < len(xs) and xs[k] == x:
        return ys[k]
    a, b = xs[k - 1], xs[k]
    return ys[k - 1] + (ys[k] - ys[k - 1]) * (x - a) / (b - a)


def _with_zeros(xs: list[Fraction], ys: list[Fraction]) -> tuple[list[Fraction], list[Fraction]]:
    """Insert the exact zero crossings strictly between breakpoints."""
    ox, oy = [xs[0]], [ys[0]]
    for k in range(1, len(xs)):
        y0, y1 = ys[k - 1], ys[k]
        if (y0 < 0 < y1) or (y1 < 0 < y0):
            ox.append(xs[k - 1] + (xs[k] - xs[k - 1]) * y0 / (y0 - y1))
            oy.append(Fraction(0))
        ox.append(xs[k])
        oy.append(y1)
    return ox, oy


# ---------------------------------------------------------------- interval arithmetic

Dual = tuple[Any, Any]
"""(value, derivative) as mpmath ``iv`` intervals; the derivative may be None."""


def eval_interval(node: Expr, ctx: Any, x: Any, dx: Any, to_iv: Callable[[Fraction], Any]) -> Dual:
    """Forward-mode evaluation over ``mpmath.iv`` intervals: enclosures of f and f'.

    `x` is the argument interval and `dx` its derivative (1, or None for values
    only).  For abs, relu, max and min on an interval containing the kink, the
    derivative is the hull of the one-sided ones (Clarke's generalised gradient),
    which keeps the mean-value form valid.

    Raises
    ------
    Undefined
        Where f is not defined on the whole interval, or the derivative is not
        bounded (sqrt at 0): the caller subdivides or gives up.
    """
    op = node.op
    if op == "num":
        return to_iv(node.value), (ctx.mpf(0) if dx is not None else None)
    if op == "x":
        return x, dx
    if op == "pi":
        return ctx.pi, (ctx.mpf(0) if dx is not None else None)
    vals = [eval_interval(a, ctx, x, dx, to_iv) for a in node.args]
    (u, du) = vals[0]
    if op == "neg":
        return -u, (-du if du is not None else None)
    if op in ("+", "-"):
        v, dv = vals[1]
        if op == "+":
            return u + v, (du + dv if du is not None else None)
        return u - v, (du - dv if du is not None else None)
    if op == "*":
        v, dv = vals[1]
        return u * v, (du * v + u * dv if du is not None else None)
    if op == "/":
        v, dv = vals[1]
        if _contains_zero(v):
            raise Undefined(f"the divisor at position {node.pos} may be 0")
        w = u / v
        return w, ((du - w * dv) / v if du is not None else None)
    if op == "pow":
        k = node.power
        if k < 0 and _contains_zero(u):
            raise Undefined(f"a negative power of 0 at position {node.pos}")
        if k == 0:
            return ctx.mpf(1), (ctx.mpf(0) if du is not None else None)
        return u**k, (k * u ** (k - 1) * du if du is not None else None)
    try:
        if op == "exp":
            e = ctx.exp(u)
            return e, (e * du if du is not None else None)
        if op == "log":
            if not _positive(u):
                raise Undefined(f"log at position {node.pos} of a value that may be <= 0")
            return ctx.log(u), (du / u if du is not None else None)
        if op == "sin":
            return ctx.sin(u), (ctx.cos(u) * du if du is not None else None)
        if op == "cos":
            return ctx.cos(u), (-ctx.sin(u) * du if du is not None else None)
        if op == "sqrt":
            if _negative_part(u):
                raise Undefined(f"sqrt at position {node.pos} of a value that may be < 0")
            r = ctx.sqrt(u)
            if du is None:
                return r, None
            if _contains_zero(r):
                raise Undefined(f"the derivative of sqrt at position {node.pos} is unbounded near 0")
            return r, du / (2 * r)
    except (ArithmeticError, ValueError) as exc:
        raise Undefined(f"{op} at position {node.pos}: {exc}") from None
    if op in ("max", "min"):
        v, dv = vals[1]
        # max(u, v) = v + relu(u - v); min(u, v) = u - relu(u - v)
        r, dr = _relu(ctx, u - v, (du - dv) if du is not None else None)
        if op == "max":
            return v + r, (dv + dr if du is not None else None)
        return u - r, (du - dr if du is not None else None)
    if op == "relu":
        return _relu(ctx, u, du)
    if op == "abs":
        if _positive(u):
            return u, du
        if _negative(u):
            return -u, (-du if du is not None else None)
        return abs(u), (du * ctx.mpf([-1, 1]) if du is not None else None)
    raise AssertionError(f"unexpected node {op}")  # pragma: no cover


def _relu(ctx: Any, u: Any, du: Any) -> Dual:
    if _positive(u):
        return u, du
    if _negative(u):
        return ctx.mpf(0), (ctx.mpf(0) if du is not None else None)
    top = ctx.mpf([0, u.b])
    return top, (du * ctx.mpf([0, 1]) if du is not None else None)


def _positive(u: Any) -> bool:
    return bool(u.a > 0)


def _negative(u: Any) -> bool:
    return bool(u.b < 0)


def _contains_zero(u: Any) -> bool:
    return bool(u.a <= 0 <= u.b)


def _negative_part(u: Any) -> bool:
    return bool(u.a < 0)
