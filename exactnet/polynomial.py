"""Exact univariate polynomials with rational coefficients.

The algebra that exact sup norms rest on: arithmetic, division with
remainder, gcd, derivatives, exact evaluation at rationals and over rational
intervals, and the primitive integer form handed to root isolation.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import gcd, lcm
from typing import Sequence

from exactnet.exceptions import InvalidArgument
from exactnet.numbers import ONE, ZERO, Q, QLike, q

__all__ = ["Polynomial"]


@dataclass(frozen=True, slots=True)
class Polynomial:
    """A polynomial with rational coefficients, ``coeffs[i]`` the coefficient of x^i.

    The coefficient tuple never ends in a zero (the zero polynomial is ``()``).

    Examples
    --------
    >>> p = Polynomial.from_coeffs([0, "-1/2", 0, 1])      # x^3 - x/2
    >>> print(p("1/2"), p.degree, p)
    -1/8 3 x^3 - 1/2*x
    >>> print(p.derivative(), "|", p.integer_coeffs())
    3*x^2 - 1/2 | (0, -1, 0, 2)
    """

    coeffs: tuple[Q, ...]

    @classmethod
    def from_coeffs(cls, coeffs: Sequence[QLike]) -> "Polynomial":
        """From coefficients of x^0, x^1, ... (exact numbers, trailing zeros dropped)."""
        c = [q(v) for v in coeffs]
        while c and c[-1] == 0:
            c.pop()
        return cls(tuple(c))

    @classmethod
    def constant(cls, c: QLike) -> "Polynomial":
        return cls.from_coeffs([c])

    @classmethod
    def x(cls) -> "Polynomial":
        return cls((ZERO, ONE))

    @property
    def degree(self) -> int:
        """Degree (-1 for the zero polynomial)."""
        return len(self.coeffs) - 1

    @property
    def is_zero(self) -> bool:
        return not self.coeffs

    @property
    def lead(self) -> Q:
        """The leading coefficient (0 for the zero polynomial)."""
        return self.coeffs[-1] if self.coeffs else ZERO

    def __call__(self, x: QLike) -> Q:
        v = x if isinstance(x, Q) else q(x)
        acc = ZERO
        for c in reversed(self.coeffs):
            acc = acc * v + c
        return acc

    def range_on(self, lo: Q, hi: Q) -> tuple[Q, Q]:
        """A rational interval containing p([lo, hi]) (Horner in interval arithmetic).

        Examples
        --------
        >>> a, b = Polynomial.from_coeffs([0, 0, 1]).range_on(Q(-1), Q(2))
        >>> print(a, b)
        -2 4
        """
        a, b = ZERO, ZERO
        for c in reversed(self.coeffs):
            prods = (a * lo, a * hi, b * lo, b * hi)
            a, b = min(prods) + c, max(prods) + c
        return a, b

    def derivative(self) -> "Polynomial":
        return Polynomial(tuple(i * c for i, c in enumerate(self.coeffs))[1:])

    def antiderivative(self) -> "Polynomial":
        """The antiderivative with constant term 0."""
        return Polynomial((ZERO,) + tuple(c / (i + 1) for i, c in enumerate(self.coeffs))) if self.coeffs else self

    def integrate(self, a: Q, b: Q) -> Q:
        """The exact integral from a to b."""
        F = self.antiderivative()
        return F(b) - F(a)

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
            if a:
                for j, b in enumerate(other.coeffs):
                    out[i + j] += a * b
        return Polynomial.from_coeffs(out)

    def scale(self, c: QLike) -> "Polynomial":
        cq = q(c)
        return Polynomial.from_coeffs([cq * v for v in self.coeffs])

    def __pow__(self, n: int) -> "Polynomial":
        if n < 0:
            raise InvalidArgument(f"a polynomial to the power {n}: negative powers are rational functions")
        out, base = Polynomial((ONE,)), self
        while n:
            if n & 1:
                out = out * base
            base, n = base * base, n >> 1
        return out

    def divmod(self, other: "Polynomial") -> tuple["Polynomial", "Polynomial"]:
        """Quotient and remainder of division by a nonzero polynomial.

        Examples
        --------
        >>> qt, r = Polynomial.from_coeffs([-1, 0, 1]).divmod(Polynomial.from_coeffs([-1, 1]))
        >>> print(qt, "|", r)
        x + 1 | 0
        """
        if other.is_zero:
            raise InvalidArgument("polynomial division by zero")
        r = list(self.coeffs)
        dq = [ZERO] * max(len(r) - len(other.coeffs) + 1, 0)
        lead = other.lead
        n = len(other.coeffs)
        for k in range(len(r) - n, -1, -1):
            c = r[k + n - 1] / lead
            dq[k] = c
            if c:
                for j, o in enumerate(other.coeffs):
                    r[k + j] -= c * o
        return Polynomial.from_coeffs(dq), Polynomial.from_coeffs(r[: n - 1])

    def __mod__(self, other: "Polynomial") -> "Polynomial":
        return self.divmod(other)[1]

    def monic(self) -> "Polynomial":
        return self if self.is_zero else self.scale(ONE / self.lead)

    def gcd(self, other: "Polynomial") -> "Polynomial":
        """The monic gcd (Euclid over Q)."""
        a, b = self, other
        while not b.is_zero:
            a, b = b, a % b
        return a.monic()

    def squarefree(self) -> "Polynomial":
        """p / gcd(p, p'): the same roots, each simple (monic)."""
        if self.degree <= 0:
            return self.monic()
        return self.divmod(self.gcd(self.derivative()))[0].monic()

    def compose(self, inner: "Polynomial") -> "Polynomial":
        """x -> self(inner(x))."""
        out = Polynomial(())
        for c in reversed(self.coeffs):
            out = out * inner + Polynomial.from_coeffs([c])
        return out

    def integer_coeffs(self) -> tuple[int, ...]:
        """The primitive integer polynomial with the same roots (positive leading coefficient)."""
        if not self.coeffs:
            return ()
        den = lcm(*(int(c.denominator) for c in self.coeffs))
        ints = [int(c * den) for c in self.coeffs]
        g = 0
        for v in ints:
            g = gcd(g, v)
        sign = -1 if ints[-1] < 0 else 1
        return tuple(sign * v // g for v in ints)

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
            parts.append(("-" if c < 0 else "+", body))
        first_sign, first = parts[0]
        s = ("-" if first_sign == "-" else "") + first
        for sign, body in parts[1:]:
            s += f" {sign} {body}"
        return s
