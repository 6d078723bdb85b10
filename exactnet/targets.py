"""Target functions f approximated by networks: formulas parsed with an explicit grammar.

A formula is parsed into an expression tree (never ``eval`` or ``sympify``)::

    expr   := term (("+" | "-") term)*
    term   := unary (("*" | "/") unary)*
    unary  := ("+" | "-") unary | power
    power  := atom (("^" | "**") unary)?
    atom   := NUMBER | VAR | "pi" | NAME "(" expr ("," expr)* ")" | "(" expr ")"
    VAR    := x | y | z
    NAME   := exp | log | sin | cos | sqrt | abs | relu | max | min

NUMBER is an integer or a finite decimal, read exactly.  An exponent must be
an integer constant.  Every target has a *kind*:

``polynomial``
    rational coefficients; exact values everywhere.
``rational``
    P/Q with P, Q polynomials (Q must have no zero on the domain; checked
    where the target is used).
``pwl``
    continuous piecewise linear: ``abs``, ``relu``, ``max``, ``min`` of
    piecewise-linear arguments, combined linearly.
``transcendental``
    anything with exp, log, sin, cos, sqrt or pi; values only as rigorous
    enclosures (see :mod:`exactnet.reals`).

A target of one variable is written in x; targets on boxes (several inputs)
may also use y and z, the second and third input (:attr:`Target.variables`).
A polynomial in x, y, z is available exactly as :meth:`Target.multipolynomial`;
the one-variable views (``numerator``, ``polynomial``, ``to_pwl``) refuse a
target that uses y or z, and so do the one-variable checkers.  abs, relu, max
and min take arguments in x only.

The file format of certificates (docs/certificate.md) uses the same grammar.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Union

from exactnet.exceptions import InvalidArgument, UnsupportedError
from exactnet.numbers import ONE, ZERO, Interval, Q, QLike, parse_number, q
from exactnet.polynomial import Polynomial

__all__ = [
    "Polynomial",
    "Expr",
    "Num",
    "Var",
    "Pi",
    "Add",
    "Mul",
    "Div",
    "Pow",
    "Call",
    "VARIABLES",
    "Target",
    "parse_target",
    "as_target",
    "TargetParseError",
]

FUNCTIONS = {"exp": 1, "log": 1, "sin": 1, "cos": 1, "sqrt": 1, "abs": 1, "relu": 1, "max": 2, "min": 2}
TRANSCENDENTAL = {"exp", "log", "sin", "cos", "sqrt"}
PIECEWISE = {"abs", "relu", "max", "min"}
VARIABLES = ("x", "y", "z")
"""The variable names, in input order: x is input 1, y input 2, z input 3."""


class TargetParseError(InvalidArgument):
    """A formula does not follow the grammar; the message names the position."""


# -- the expression tree ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Num:
    value: Q


@dataclass(frozen=True, slots=True)
class Var:
    name: str = "x"


@dataclass(frozen=True, slots=True)
class Pi:
    pass


@dataclass(frozen=True, slots=True)
class Add:
    a: "Expr"
    b: "Expr"
    sign: int = 1  # a + sign * b


@dataclass(frozen=True, slots=True)
class Mul:
    a: "Expr"
    b: "Expr"


@dataclass(frozen=True, slots=True)
class Div:
    a: "Expr"
    b: "Expr"


@dataclass(frozen=True, slots=True)
class Pow:
    base: "Expr"
    n: int


@dataclass(frozen=True, slots=True)
class Call:
    name: str
    args: tuple["Expr", ...]


Expr = Union[Num, Var, Pi, Add, Mul, Div, Pow, Call]


# -- rational functions as (numerator, denominator) pairs -------------------------------

_RatFun = tuple[Polynomial, Polynomial]
_ONE_POLY = Polynomial((ONE,))


def _normal(n: Polynomial, d: Polynomial) -> _RatFun:
    if n.is_zero:
        return n, _ONE_POLY
    g = n.gcd(d)
    if g.degree > 0:
        n, d = n.divmod(g)[0], d.divmod(g)[0]
    lead = d.lead
    return n.scale(ONE / lead), d.scale(ONE / lead)


def _ratfun(e: Expr) -> _RatFun | None:
    """The expression as P/Q, or None if it is not a rational function."""
    if isinstance(e, Num):
        return Polynomial.from_coeffs([e.value]), _ONE_POLY
    if isinstance(e, Var):
        return (Polynomial.x(), _ONE_POLY) if e.name == "x" else None
    if isinstance(e, (Pi, Call)):
        return None
    if isinstance(e, Add):
        a, b = _ratfun(e.a), _ratfun(e.b)
        if a is None or b is None:
            return None
        nb = b[0] if e.sign > 0 else -b[0]
        return _normal(a[0] * b[1] + nb * a[1], a[1] * b[1])
    if isinstance(e, Mul):
        a, b = _ratfun(e.a), _ratfun(e.b)
        if a is None or b is None:
            return None
        return _normal(a[0] * b[0], a[1] * b[1])
    if isinstance(e, Div):
        a, b = _ratfun(e.a), _ratfun(e.b)
        if a is None or b is None:
            return None
        return _normal(a[0] * b[1], a[1] * b[0])
    if isinstance(e, Pow):
        a = _ratfun(e.base)
        if a is None:
            return None
        n, d = (a[0], a[1]) if e.n >= 0 else (a[1], a[0])
        return _normal(n ** abs(e.n), d ** abs(e.n))
    raise AssertionError(e)


def _has(e: Expr, names: set[str], pi: bool = False) -> bool:
    if isinstance(e, Call):
        return e.name in names or any(_has(a, names, pi) for a in e.args)
    if isinstance(e, Pi):
        return pi
    if isinstance(e, (Add, Mul, Div)):
        return _has(e.a, names, pi) or _has(e.b, names, pi)
    if isinstance(e, Pow):
        return _has(e.base, names, pi)
    return False


def _variables(e: Expr) -> set[str]:
    if isinstance(e, Var):
        return {e.name}
    if isinstance(e, (Add, Mul, Div)):
        return _variables(e.a) | _variables(e.b)
    if isinstance(e, Pow):
        return _variables(e.base)
    if isinstance(e, Call):
        return set().union(*(_variables(a) for a in e.args))
    return set()


_MPoly = dict[tuple[int, ...], Q]


def _mpoly(e: Expr, n: int) -> _MPoly | None:
    """The expression as a polynomial in the first n VARIABLES ({exponents: coefficient}), or None."""
    if isinstance(e, Num):
        return {(0,) * n: e.value} if e.value else {}
    if isinstance(e, Var):
        k = VARIABLES.index(e.name)
        if k >= n:
            return None
        return {tuple(1 if i == k else 0 for i in range(n)): ONE}
    if isinstance(e, Add):
        a, b = _mpoly(e.a, n), _mpoly(e.b, n)
        if a is None or b is None:
            return None
        out = dict(a)
        for m, c in b.items():
            out[m] = out.get(m, ZERO) + (c if e.sign > 0 else -c)
        return {m: c for m, c in out.items() if c}
    if isinstance(e, Mul):
        a, b = _mpoly(e.a, n), _mpoly(e.b, n)
        if a is None or b is None:
            return None
        return _mpoly_mul(a, b)
    if isinstance(e, Div):
        a, b = _mpoly(e.a, n), _mpoly(e.b, n)
        if a is None or b is None or any(any(m) for m in b) or not b:
            return None  # only division by a nonzero constant keeps a polynomial
        c = b[(0,) * n]
        return {m: v / c for m, v in a.items()}
    if isinstance(e, Pow):
        a = _mpoly(e.base, n)
        if a is None:
            return None
        if e.n < 0:
            if any(any(m) for m in a) or not a:
                return None
            return {(0,) * n: a[(0,) * n] ** e.n}
        out: _MPoly = {(0,) * n: ONE}
        for _ in range(e.n):
            out = _mpoly_mul(out, a)
        return out
    return None


def _mpoly_mul(a: _MPoly, b: _MPoly) -> _MPoly:
    out: _MPoly = {}
    for ma, ca in a.items():
        for mb, cb in b.items():
            m = tuple(i + j for i, j in zip(ma, mb))
            out[m] = out.get(m, ZERO) + ca * cb
    return {m: c for m, c in out.items() if c}


def _check_pwl(e: Expr, text: str) -> None:
    """Piecewise pieces must combine linearly: refuse products, quotients and powers of them."""
    if isinstance(e, Call):
        for a in e.args:
            r = _ratfun(a)
            if r is not None and (r[1].degree > 0 or r[0].degree > 1):
                raise UnsupportedError(
                    f"formula {text!r}: {e.name}() of the non-linear {_show(a)} is not supported "
                    "(abs, relu, max and min take piecewise-linear arguments)"
                )
            _check_pwl(a, text)
    elif isinstance(e, Add):
        _check_pwl(e.a, text)
        _check_pwl(e.b, text)
    elif isinstance(e, (Mul, Div)):
        pa, pb = _has(e.a, PIECEWISE), _has(e.b, PIECEWISE)
        other = e.b if pa else e.a
        r = _ratfun(other)
        if (pa and pb) or (pa or pb) and (r is None or r[0].degree > 0 or r[1].degree > 0) or (pb and isinstance(e, Div)):
            raise UnsupportedError(
                f"formula {text!r}: a piecewise-linear term may only be scaled by a constant"
            )
        _check_pwl(e.a, text)
        _check_pwl(e.b, text)
    elif isinstance(e, Pow):
        if _has(e.base, PIECEWISE) and e.n != 1:
            raise UnsupportedError(f"formula {text!r}: a power of a piecewise-linear term is not supported")


def _show(e: Expr) -> str:
    r = _ratfun(e)
    if r is not None and r[1].degree == 0:
        return str(r[0])
    return "argument"


# -- targets ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Target:
    """A target function f of x (one input), or of x, y, z (inputs 1, 2, 3 on a box).

    Attributes
    ----------
    text : str
        The formula (as parsed, or generated for a target built in code).
    expr : Expr
        The expression tree.
    kind : str
        ``"polynomial"``, ``"rational"``, ``"pwl"`` or ``"transcendental"``.

    Examples
    --------
    >>> f = parse_target("(x^2 + 1)/(x + 2)")
    >>> print(f.kind, f("1/2"), f.numerator, "|", f.denominator)
    rational 1/2 x^2 + 1 | x + 2
    >>> print(parse_target("abs(x - 1/3)").kind, parse_target("sin(pi*x)").kind)
    pwl transcendental
    >>> g = parse_target("x*y - z^2/2")
    >>> print(g.kind, g.variables, g(1, 2, 3))
    polynomial ('x', 'y', 'z') -5/2
    """

    text: str
    expr: Expr
    kind: str

    @classmethod
    def from_polynomial(cls, p: Polynomial) -> "Target":
        """A polynomial target built in code."""
        e: Expr = Num(ZERO)
        for i, c in enumerate(p.coeffs):
            if c:
                term: Expr = Num(c) if i == 0 else Mul(Num(c), Pow(Var(), i))
                e = Add(e, term)
        return cls(str(p), e, "polynomial")

    @property
    def variables(self) -> tuple[str, ...]:
        """The variables the formula uses, in input order (x, y, z); () for a constant."""
        used = _variables(self.expr)
        return tuple(v for v in VARIABLES if v in used)

    @property
    def is_univariate(self) -> bool:
        """True if the formula uses no variable but x (the one-input checkers take it)."""
        return self.variables in ((), ("x",))

    def multipolynomial(self, n: int) -> dict[tuple[int, ...], Q]:
        """The polynomial in the first n variables as {exponent tuple: coefficient}, exactly.

        Examples
        --------
        >>> p = parse_target("(x + y)^2 - x*y")
        >>> sorted((m, str(c)) for m, c in p.multipolynomial(2).items())
        [((0, 2), '1'), ((1, 1), '1'), ((2, 0), '1')]
        """
        if self.kind != "polynomial":
            raise InvalidArgument(f"target {self.text!r} is {self.kind}, not a polynomial")
        extra = [v for v in self.variables if VARIABLES.index(v) >= n]
        if extra:
            raise InvalidArgument(
                f"target {self.text!r} uses {', '.join(extra)}, but the domain has {n} "
                f"dimension{'s' if n != 1 else ''} ({', '.join(VARIABLES[:n])})"
            )
        out = _mpoly(self.expr, n)
        assert out is not None, "a polynomial target must expand: a bug"
        return out

    @property
    def is_exact(self) -> bool:
        """True if values at rationals are rational (every kind but transcendental)."""
        return self.kind != "transcendental"

    @property
    def numerator(self) -> Polynomial:
        """P of f = P/Q (polynomial and rational kinds)."""
        return self._ratfun()[0]

    @property
    def denominator(self) -> Polynomial:
        """Q of f = P/Q, monic (1 for a polynomial)."""
        return self._ratfun()[1]

    @property
    def polynomial(self) -> Polynomial:
        """The polynomial itself (polynomial kind only)."""
        if self.kind != "polynomial":
            raise InvalidArgument(f"target {self.text!r} is {self.kind}, not a polynomial")
        return self.numerator

    def _ratfun(self) -> _RatFun:
        self._univariate()
        r = _ratfun(self.expr) if self.kind in ("polynomial", "rational") else None
        if r is None:
            raise InvalidArgument(f"target {self.text!r} is {self.kind}, not a rational function")
        return r

    def _univariate(self) -> None:
        if not self.is_univariate:
            raise InvalidArgument(
                f"target {self.text!r} is a function of {', '.join(self.variables)}; "
                "this needs a function of x alone (use a box for several inputs)"
            )

    def __call__(self, *x: QLike) -> Q:
        """The exact value at a rational point (x, or x, y[, z]); not for transcendental targets."""
        if not self.is_exact:
            raise InvalidArgument(
                f"target {self.text!r} is transcendental: its values are enclosures, "
                "see exactnet.reals.enclose"
            )
        need = max((VARIABLES.index(v) + 1 for v in self.variables), default=0)
        if len(x) < max(need, 1):
            raise InvalidArgument(
                f"target {self.text!r} uses {', '.join(self.variables)}: give {need} coordinates, not {len(x)}"
            )
        return _eval_exact(self.expr, tuple(q(v) for v in x), self.text)

    def to_pwl(self, interval: Interval):  # -> PiecewiseLinear (import cycle kept lazy)
        """The target as an exact PiecewiseLinear on an interval (pwl and affine targets).

        Examples
        --------
        >>> f = parse_target("abs(x - 1/3)").to_pwl(Interval(0, 1))
        >>> [str(v) for v in f.xs], [str(v) for v in f.ys]
        (['0', '1/3', '1'], ['1/3', '0', '2/3'])
        """
        from exactnet.pwl import PiecewiseLinear

        self._univariate()
        if self.kind not in ("pwl", "polynomial") or (
            self.kind == "polynomial" and self.numerator.degree > 1
        ):
            raise InvalidArgument(f"target {self.text!r} is not piecewise linear")
        lo, hi = interval.lo, interval.hi

        def go(e: Expr) -> "PiecewiseLinear":
            if isinstance(e, Call):
                args = [go(a) for a in e.args]
                if e.name == "relu":
                    return args[0].relu().canonical()
                if e.name == "abs":
                    return args[0].maximum(-args[0])
                if e.name == "max":
                    return args[0].maximum(args[1])
                if e.name == "min":
                    return args[0].minimum(args[1])
            if isinstance(e, Add):
                b = go(e.b)
                return (go(e.a) + (b if e.sign > 0 else -b)).canonical()
            if isinstance(e, (Mul, Div)):
                ra, rb = _ratfun(e.a), _ratfun(e.b)
                if isinstance(e, Div):
                    assert rb is not None
                    return go(e.a).scale(ONE / rb[0](0))
                if ra is not None and ra[0].degree <= 0:
                    return go(e.b).scale(ra[0](0))
                assert rb is not None and rb[0].degree <= 0
                return go(e.a).scale(rb[0](0))
            if isinstance(e, Pow) and e.n == 1:
                return go(e.base)
            r = _ratfun(e)
            assert r is not None and r[0].degree <= 1 and r[1].degree == 0
            p = r[0]
            if lo == hi:
                return PiecewiseLinear((lo,), (p(lo),))
            return PiecewiseLinear((lo, hi), (p(lo), p(hi)))

        return go(self.expr).canonical()

    def __str__(self) -> str:
        return self.text


def _eval_exact(e: Expr, x: tuple[Q, ...], text: str) -> Q:
    if isinstance(e, Num):
        return e.value
    if isinstance(e, Var):
        return x[VARIABLES.index(e.name)]
    if isinstance(e, Add):
        a, b = _eval_exact(e.a, x, text), _eval_exact(e.b, x, text)
        return a + b if e.sign > 0 else a - b
    if isinstance(e, Mul):
        return _eval_exact(e.a, x, text) * _eval_exact(e.b, x, text)
    if isinstance(e, Div):
        d = _eval_exact(e.b, x, text)
        if d == 0:
            raise InvalidArgument(f"target {text!r} divides by zero at {_at(x)}")
        return _eval_exact(e.a, x, text) / d
    if isinstance(e, Pow):
        b = _eval_exact(e.base, x, text)
        if e.n < 0 and b == 0:
            raise InvalidArgument(f"target {text!r} divides by zero at {_at(x)}")
        return b**e.n
    if isinstance(e, Call):
        a = [_eval_exact(v, x, text) for v in e.args]
        if e.name == "relu":
            return a[0] if a[0] > 0 else ZERO
        if e.name == "abs":
            return abs(a[0])
        if e.name == "max":
            return max(a)
        if e.name == "min":
            return min(a)
    raise InvalidArgument(f"target {text!r} has no exact value (transcendental)")


def _at(x: tuple[Q, ...]) -> str:
    if len(x) == 1:
        return f"x = {x[0]}"
    return "(" + ", ".join(f"{n} = {v}" for n, v in zip(VARIABLES, x)) + ")"


def _classify(e: Expr, text: str) -> str:
    used = _variables(e)
    if used - {"x"}:
        if _has(e, PIECEWISE):
            raise UnsupportedError(
                f"formula {text!r}: abs/relu/max/min are supported in formulas of x alone, "
                f"not of {', '.join(v for v in VARIABLES if v in used)}"
            )
        if _has(e, TRANSCENDENTAL, pi=True):
            return "transcendental"
        return "polynomial" if _mpoly(e, len(VARIABLES)) is not None else "rational"
    if _has(e, TRANSCENDENTAL, pi=True):
        if _has(e, PIECEWISE):
            raise UnsupportedError(
                f"formula {text!r}: abs/relu/max/min mixed with exp/log/sin/cos/sqrt/pi "
                "is not supported"
            )
        return "transcendental"
    if _has(e, PIECEWISE):
        _check_pwl(e, text)
        return "pwl"
    n, d = _ratfun(e)  # type: ignore[misc]
    return "polynomial" if d.degree == 0 else "rational"


def as_target(f: "Target | Polynomial | str") -> Target:
    """A Target from a Target, a Polynomial or a formula string.

    Examples
    --------
    >>> print(as_target(Polynomial.from_coeffs([0, 0, 1])).kind)
    polynomial
    """
    if isinstance(f, Target):
        return f
    if isinstance(f, Polynomial):
        return Target.from_polynomial(f)
    if isinstance(f, str):
        return parse_target(f)
    raise InvalidArgument(f"a target must be a formula, a Polynomial or a Target, not {type(f).__name__}")


# -- the parser ---------------------------------------------------------------------

_TOKEN = re.compile(r"\s*(?:(\d+\.?\d*|\.\d+)|(\*\*|[-+*/^(),])|([A-Za-z_][A-Za-z_0-9]*))")
_MAX_EXPONENT = 1000


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens: list[tuple[str, str, int]] = []
        pos = 0
        while pos < len(text):
            if text[pos:].strip() == "":
                break
            m = _TOKEN.match(text, pos)
            if not m:
                skip = len(text[pos:]) - len(text[pos:].lstrip())
                raise TargetParseError(
                    f"formula {text!r}: unexpected character {text[pos + skip]!r} "
                    f"at position {pos + skip + 1}"
                )
            start = m.start(m.lastindex or 0)
            kind = "num" if m.group(1) else "op" if m.group(2) else "name"
            self.tokens.append((kind, m.group(m.lastindex or 0), start))
            pos = m.end()
        self.i = 0
        self.depth = 0

    def error(self, msg: str, at: int | None = None) -> TargetParseError:
        i = self.i if at is None else at
        pos = self.tokens[i][2] + 1 if i < len(self.tokens) else len(self.text) + 1
        return TargetParseError(f"formula {self.text!r}: {msg} at position {pos}")

    def peek(self) -> tuple[str, str, int] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self, value: str) -> bool:
        t = self.peek()
        if t and t[0] == "op" and t[1] == value:
            self.i += 1
            return True
        return False

    def parse(self) -> Expr:
        if not self.tokens:
            raise TargetParseError(f"formula {self.text!r} is empty")
        e = self.expr()
        t = self.peek()
        if t is not None:
            raise self.error(f"unexpected {t[1]!r}")
        return e

    def expr(self) -> Expr:
        self.depth += 1
        if self.depth > 200:
            raise self.error("the formula is nested too deeply")
        e = self.term()
        while True:
            if self.take("+"):
                e = Add(e, self.term())
            elif self.take("-"):
                e = Add(e, self.term(), -1)
            else:
                self.depth -= 1
                return e

    def term(self) -> Expr:
        e = self.unary()
        while True:
            if self.take("*"):
                e = Mul(e, self.unary())
            elif self.take("/"):
                at = self.i
                d = self.unary()
                r = _ratfun(d)
                if r is not None and r[0].is_zero:
                    raise self.error("division by zero", at)
                e = Div(e, d)
            else:
                return e

    def unary(self) -> Expr:
        if self.take("-"):
            return Mul(Num(-ONE), self.unary())
        if self.take("+"):
            return self.unary()
        return self.power()

    def power(self) -> Expr:
        base = self.atom()
        if self.take("^") or self.take("**"):
            at = self.i
            e = self.unary()
            r = _ratfun(e)
            if r is None or r[0].degree > 0 or r[1].degree > 0 or r[0](0).denominator != 1:
                raise self.error("an exponent must be an integer constant", at)
            n = int(r[0](0))
            if abs(n) > _MAX_EXPONENT:
                raise self.error(f"exponent {n} is too large (at most {_MAX_EXPONENT})", at)
            if n < 0:
                rb = _ratfun(base)
                if rb is not None and rb[0].is_zero:
                    raise self.error("a negative power of zero", at)
            return Pow(base, n)
        return base

    def atom(self) -> Expr:
        t = self.peek()
        if t is None:
            raise self.error("the formula ends too early")
        kind, value, _ = t
        if kind == "num":
            self.i += 1
            return Num(parse_number(value))
        if kind == "name":
            if value in VARIABLES:
                self.i += 1
                return Var(value)
            if value == "pi":
                self.i += 1
                return Pi()
            if value in FUNCTIONS:
                at = self.i
                self.i += 1
                if not self.take("("):
                    raise self.error(f"expected '(' after {value}")
                args = [self.expr()]
                while self.take(","):
                    args.append(self.expr())
                if not self.take(")"):
                    raise self.error("expected ')'")
                if len(args) != FUNCTIONS[value]:
                    raise self.error(f"{value} takes {FUNCTIONS[value]} argument(s), not {len(args)}", at)
                return Call(value, tuple(args))
            raise self.error(
                f"unknown name {value!r} (the variables are x, y, z; functions: {', '.join(sorted(FUNCTIONS))})"
            )
        if self.take("("):
            e = self.expr()
            if not self.take(")"):
                raise self.error("expected ')'")
            return e
        raise self.error(f"unexpected {value!r}")


def parse_target(text: str) -> Target:
    """Parse a target formula in x (or x, y, z) with the explicit grammar of this module.

    Raises
    ------
    TargetParseError
        Naming the position of the problem.
    UnsupportedError
        For abs/relu/max/min of non-linear arguments and similar combinations.

    Examples
    --------
    >>> print(parse_target("x^3 - x/2").polynomial, "|", parse_target("(x - 1/3)**2").polynomial)
    x^3 - 1/2*x | x^2 - 2/3*x + 1/9
    >>> parse_target("__import__('os').system('id')")
    Traceback (most recent call last):
    ...
    exactnet.targets.TargetParseError: formula "__import__('os').system('id')": unexpected character "'" at position 12
    """
    if not isinstance(text, str):
        raise InvalidArgument(f"a formula must be a string, not {type(text).__name__}")
    if len(text) > 10000:
        raise TargetParseError(f"formula of {len(text)} characters is too long (at most 10000)")
    e = _Parser(text).parse()
    return Target(text.strip(), e, _classify(e, text))
