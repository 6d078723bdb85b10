"""Target functions: polynomials with rational coefficients, and a formula parser.

Formulas are parsed with an explicit grammar (never ``eval`` or ``sympify``)::

    expr   := term (("+" | "-") term)*
    term   := unary (("*" | "/") unary)*
    unary  := ("+" | "-") unary | power
    power  := atom (("^" | "**") unary)?
    atom   := NUMBER | "x" | "(" expr ")"

NUMBER is an integer or a finite decimal (read exactly).  A division must be
by a nonzero constant and an exponent must be a non-negative integer constant,
so every formula denotes a polynomial with rational coefficients.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from exactnet.exceptions import InvalidArgument, UnsupportedError
from exactnet.numbers import ONE, ZERO, Q, QLike, parse_number, q

__all__ = ["Polynomial", "parse_target", "TargetParseError"]


class TargetParseError(InvalidArgument):
    """A formula does not follow the grammar; the message names the position."""


@dataclass(frozen=True, slots=True)
class Polynomial:
    """A polynomial with rational coefficients, ``coeffs[i]`` the coefficient of x^i.

    Examples
    --------
    >>> p = Polynomial.from_coeffs([0, "-1/2", 0, 1])      # x^3 - x/2
    >>> print(p("1/2"), p.degree, p)
    -1/8 3 x^3 - 1/2*x
    """

    coeffs: tuple[Q, ...]

    @classmethod
    def from_coeffs(cls, coeffs: Sequence[QLike]) -> "Polynomial":
        c = [q(v) for v in coeffs]
        while c and c[-1] == 0:
            c.pop()
        return cls(tuple(c))

    @property
    def degree(self) -> int:
        """Degree (-1 for the zero polynomial)."""
        return len(self.coeffs) - 1

    def __call__(self, x: QLike) -> Q:
        v = q(x)
        acc = ZERO
        for c in reversed(self.coeffs):
            acc = acc * v + c
        return acc

    def derivative(self) -> "Polynomial":
        return Polynomial(tuple(i * c for i, c in enumerate(self.coeffs))[1:])

    def __add__(self, other: "Polynomial") -> "Polynomial":
        n = max(len(self.coeffs), len(other.coeffs))
        a = self.coeffs + (ZERO,) * (n - len(self.coeffs))
        b = other.coeffs + (ZERO,) * (n - len(other.coeffs))
        return Polynomial.from_coeffs([u + v for u, v in zip(a, b)])

    def __neg__(self) -> "Polynomial":
        return Polynomial(tuple(-c for c in self.coeffs))

    def __sub__(self, other: "Polynomial") -> "Polynomial":
        return self + (-other)

    def __mul__(self, other: "Polynomial") -> "Polynomial":
        if not self.coeffs or not other.coeffs:
            return Polynomial(())
        out = [ZERO] * (len(self.coeffs) + len(other.coeffs) - 1)
        for i, a in enumerate(self.coeffs):
            for j, b in enumerate(other.coeffs):
                out[i + j] += a * b
        return Polynomial.from_coeffs(out)

    def __str__(self) -> str:
        if not self.coeffs:
            return "0"
        parts = []
        for i in range(len(self.coeffs) - 1, -1, -1):
            c = self.coeffs[i]
            if c == 0:
                continue
            mono = "" if i == 0 else "x" if i == 1 else f"x^{i}"
            mag = abs(c)
            body = str(mag) if not mono else (mono if mag == 1 else f"{mag}*{mono}")
            sign = "-" if c < 0 else "+"
            parts.append((sign, body))
        first_sign, first = parts[0]
        s = ("-" if first_sign == "-" else "") + first
        for sign, body in parts[1:]:
            s += f" {sign} {body}"
        return s


_TOKEN = re.compile(r"\s*(?:(\d+\.?\d*|\.\d+)|(\*\*|[-+*/^()])|([A-Za-z_][A-Za-z_0-9]*))")
_FUNCTIONS = {"exp", "log", "sin", "cos", "sqrt", "tan", "atan", "abs"}


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
                raise TargetParseError(
                    f"formula {text!r}: unexpected character {text[pos:].lstrip()[0]!r} "
                    f"at position {pos + (len(text[pos:]) - len(text[pos:].lstrip())) + 1}"
                )
            start = m.start(m.lastindex or 0)
            kind = "num" if m.group(1) else "op" if m.group(2) else "name"
            self.tokens.append((kind, m.group(m.lastindex or 0), start))
            pos = m.end()
        self.i = 0

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

    def parse(self) -> Polynomial:
        if not self.tokens:
            raise TargetParseError(f"formula {self.text!r} is empty")
        p = self.expr()
        if self.peek() is not None:
            raise self.error(f"unexpected {self.peek()[1]!r}")  # type: ignore[index]
        return p

    def expr(self) -> Polynomial:
        p = self.term()
        while True:
            if self.take("+"):
                p = p + self.term()
            elif self.take("-"):
                p = p - self.term()
            else:
                return p

    def term(self) -> Polynomial:
        p = self.unary()
        while True:
            if self.take("*"):
                p = p * self.unary()
            elif self.take("/"):
                at = self.i
                d = self.unary()
                if d.degree > 0:
                    raise self.error("division by a non-constant is not a polynomial", at)
                if d.degree < 0:
                    raise self.error("division by zero", at)
                p = p * Polynomial((ONE / d.coeffs[0],))
            else:
                return p

    def unary(self) -> Polynomial:
        if self.take("-"):
            return -self.unary()
        if self.take("+"):
            return self.unary()
        return self.power()

    def power(self) -> Polynomial:
        base = self.atom()
        if self.take("^") or self.take("**"):
            at = self.i
            e = self.unary()
            if e.degree > 0 or (e.coeffs and (e.coeffs[0].denominator != 1 or e.coeffs[0] < 0)):
                raise self.error("an exponent must be a non-negative integer constant", at)
            n = int(e.coeffs[0]) if e.coeffs else 0
            if n > 1000:
                raise self.error(f"exponent {n} is too large (at most 1000)", at)
            out = Polynomial((ONE,))
            for _ in range(n):
                out = out * base
            return out
        return base

    def atom(self) -> Polynomial:
        t = self.peek()
        if t is None:
            raise self.error("the formula ends too early")
        kind, value, _ = t
        if kind == "num":
            self.i += 1
            return Polynomial.from_coeffs([parse_number(value)])
        if kind == "name":
            if value == "x":
                self.i += 1
                return Polynomial((ZERO, ONE))
            if value in _FUNCTIONS:
                raise UnsupportedError(
                    f"formula {self.text!r}: the function {value!r} is not supported yet "
                    "(polynomial targets only)"
                )
            raise self.error(f"unknown name {value!r} (the variable is x)")
        if self.take("("):
            p = self.expr()
            if not self.take(")"):
                raise self.error("expected ')'")
            return p
        raise self.error(f"unexpected {value!r}")


def parse_target(text: str) -> Polynomial:
    """Parse a polynomial formula in x with the explicit grammar of this module.

    Raises
    ------
    TargetParseError
        Naming the position of the problem.

    Examples
    --------
    >>> print(parse_target("x^3 - x/2"), "|", parse_target("(x - 1/3)**2"))
    x^3 - 1/2*x | x^2 - 2/3*x + 1/9
    >>> parse_target("__import__('os').system('id')")
    Traceback (most recent call last):
    ...
    exactnet.targets.TargetParseError: formula "__import__('os').system('id')": unexpected character "'" at position 12
    """
    return _Parser(text).parse()
