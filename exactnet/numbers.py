"""Exact scalars: the type ``Q``, the gate :func:`q`, intervals, boxes, dyadic helpers.

This is the only module of exactnet that imports gmpy2.  Every exact number
inside exactnet is a ``gmpy2.mpq``; it enters through :func:`q`, which refuses
floats.  Floats enter only through :func:`from_float`, which is explicit and
gives the double's exact binary value.
"""

from __future__ import annotations

import decimal
import numbers as _abc
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Iterator, Union

import gmpy2

__all__ = [
    "Q",
    "QLike",
    "ZERO",
    "ONE",
    "q",
    "from_float",
    "parse_number",
    "is_exact_number",
    "relu",
    "is_dyadic",
    "frac_bits",
    "bit_height",
    "dyadic_parts",
    "to_str",
    "approx",
    "Interval",
    "Box",
    "parse_interval",
    "parse_box",
    "library_versions",
]

Q = type(gmpy2.mpq(0))
"""The exact rational type (``gmpy2.mpq``)."""

QLike = Union[int, str, Fraction, "gmpy2.mpq", "gmpy2.mpz"]
"""What :func:`q` accepts: int, Fraction, mpq, mpz and exact strings; never float."""

ZERO = gmpy2.mpq(0)
ONE = gmpy2.mpq(1)

_MPZ = type(gmpy2.mpz(0))

_INT = r"[+-]?\d+"
_RE_FRACTION = re.compile(rf"^({_INT})\s*/\s*(\d+)$")
_RE_DECIMAL = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_RE_POWER = re.compile(rf"^([+-]?)(\d+)\s*\^\s*\(?\s*({_INT})\s*\)?$")


def _float_refusal(x: object) -> str:
    try:
        shown = repr(float(x))  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):  # pragma: no cover - exotic floats
        shown = repr(x)
    return (
        f"refusing the float {shown}: exactnet computes with exact rationals only. "
        f'Write the value you mean as a string, e.g. q("{shown}") for the decimal '
        f"{shown}, or call from_float({shown}) to take the double's exact binary value"
    )


def parse_number(text: str) -> Q:
    """Parse an exact number written as text.

    Accepted forms (those of the network file spec): an integer ``"-3"``, a
    fraction ``"3/8"``, a finite decimal ``"-0.375"`` or ``"1e-3"`` (read as the
    decimal it spells, exactly), and a power ``"2^-5"``.

    Parameters
    ----------
    text : str
        The number.

    Returns
    -------
    Q
        The exact value.

    Raises
    ------
    InvalidArgument
        If the text is empty, not one of the forms, or has a zero denominator.

    Examples
    --------
    >>> print(parse_number("3/8"), parse_number("-0.375"), parse_number("2^-5"))
    3/8 -3/8 1/32
    >>> print(parse_number("1e-3"))
    1/1000
    """
    from exactnet.exceptions import InvalidArgument

    s = text.strip()
    if not s:
        raise InvalidArgument("empty string is not a number")
    m = _RE_FRACTION.match(s)
    if m:
        den = int(m.group(2))
        if den == 0:
            raise InvalidArgument(f"{text!r} has a zero denominator")
        return gmpy2.mpq(int(m.group(1)), den)
    m = _RE_DECIMAL.match(s)
    if m:
        if m.group(2) and abs(int(m.group(2)[1:])) > 100_000:
            # 10**e would be built digit by digit: "1e1000000000" must fail, not hang
            raise InvalidArgument(f"{text!r}: exponent too large (|e| <= 100000)")
        d = decimal.Decimal(s)
        num, den = d.as_integer_ratio()
        return gmpy2.mpq(num, den)
    m = _RE_POWER.match(s)
    if m:
        sign = -1 if m.group(1) == "-" else 1
        base, exp = int(m.group(2)), int(m.group(3))
        if abs(exp) > 100_000:
            raise InvalidArgument(f"{text!r}: exponent too large (|e| <= 100000)")
        if base == 0 and exp < 0:
            raise InvalidArgument(f"{text!r} divides by zero")
        value = gmpy2.mpq(base) ** exp if exp >= 0 else 1 / gmpy2.mpq(base) ** (-exp)
        return sign * gmpy2.mpq(value)
    raise InvalidArgument(
        f"{text!r} is not an exact number; write an integer (-3), a fraction (3/8), "
        "a decimal (-0.375) or a power of two (2^-5)"
    )


def q(x: object) -> Q:
    """Turn an exact number into ``Q`` (gmpy2 ``mpq``): the one gate.

    Parameters
    ----------
    x : int, Fraction, mpq, mpz, numpy integer, Decimal or str
        The value; strings as in :func:`parse_number`.

    Returns
    -------
    Q

    Raises
    ------
    InexactInputError
        If `x` is a Python or numpy float: the message names both ways out,
        the decimal string and :func:`from_float`.
    InvalidArgument
        If `x` is a string that is not an exact number.

    Examples
    --------
    >>> print(q(3), q("1/3"), q(Fraction(-2, 4)), q("2^-7"))
    3 1/3 -1/2 1/128
    >>> q(0.1)
    Traceback (most recent call last):
    ...
    exactnet.exceptions.InexactInputError: refusing the float 0.1: ...
    """
    from exactnet.exceptions import InexactInputError, InvalidArgument

    if isinstance(x, Q):
        return x
    if isinstance(x, bool):
        return gmpy2.mpq(int(x))
    if isinstance(x, (int, _MPZ)):
        return gmpy2.mpq(x)
    if isinstance(x, str):
        return parse_number(x)
    if isinstance(x, Fraction):
        return gmpy2.mpq(x.numerator, x.denominator)
    if isinstance(x, decimal.Decimal):
        if not x.is_finite():
            raise InvalidArgument(f"{x} is not a finite number")
        num, den = x.as_integer_ratio()
        return gmpy2.mpq(num, den)
    if isinstance(x, _abc.Integral):
        return gmpy2.mpq(int(x))
    if isinstance(x, _abc.Rational):
        return gmpy2.mpq(int(x.numerator), int(x.denominator))
    if isinstance(x, _abc.Real):
        raise InexactInputError(_float_refusal(x))
    raise InvalidArgument(
        f"cannot read {x!r} (a {type(x).__name__}) as an exact number; "
        "pass an int, a Fraction, or a string such as '3/8'"
    )


def is_exact_number(x: object) -> bool:
    """True if :func:`q` accepts `x` without a string parse (int, Fraction, mpq, mpz).

    Examples
    --------
    >>> is_exact_number(3), is_exact_number(0.5)
    (True, False)
    """
    return isinstance(x, (int, Fraction, Q, _MPZ)) or (
        isinstance(x, _abc.Rational) and not isinstance(x, float)
    )


def from_float(x: float) -> Q:
    """The exact binary value of a double: the explicit way for floats to come in.

    Examples
    --------
    >>> print(from_float(0.1))
    3602879701896397/36028797018963968
    >>> print(from_float(0.375))
    3/8
    """
    from exactnet.exceptions import InvalidArgument

    f = float(x)
    if f != f or f in (float("inf"), float("-inf")):
        raise InvalidArgument(f"from_float({x!r}): NaN and infinities are not numbers")
    num, den = f.as_integer_ratio()
    return gmpy2.mpq(num, den)


def relu(x: Q) -> Q:
    """max(x, 0), exactly (never ``max(x, 0.0)``, which would return a float).

    Examples
    --------
    >>> print(relu(q("-1/3")), relu(q("1/3")))
    0 1/3
    """
    return x if x > 0 else ZERO


def is_dyadic(x: QLike) -> bool:
    """True if `x` = m / 2^k for integers m and k >= 0.

    Examples
    --------
    >>> is_dyadic("3/8"), is_dyadic("1/3"), is_dyadic(5)
    (True, False, True)
    """
    d = int(q(x).denominator)
    return d & (d - 1) == 0


def frac_bits(x: QLike) -> int:
    """The fractional bits k of a dyadic m/2^k in lowest terms (0 for integers).

    Raises
    ------
    InvalidArgument
        If `x` is not dyadic.

    Examples
    --------
    >>> frac_bits("3/8"), frac_bits(4), frac_bits("-2^-7")
    (3, 0, 7)
    """
    from exactnet.exceptions import InvalidArgument

    v = q(x)
    d = int(v.denominator)
    if d & (d - 1):
        raise InvalidArgument(f"{v} is not dyadic (its denominator is not a power of 2)")
    return d.bit_length() - 1


def dyadic_parts(x: QLike) -> tuple[int, int]:
    """(m, k) with x = m / 2^k, k >= 0 minimal.

    Examples
    --------
    >>> dyadic_parts("-3/8")
    (-3, 3)
    """
    v = q(x)
    return int(v.numerator), frac_bits(v)


def bit_height(x: QLike) -> int:
    """The bit height of p/q in lowest terms: max(bit length of |p|, bit length of q).

    Examples
    --------
    >>> bit_height("3/8"), bit_height(-255), bit_height(0)
    (4, 8, 1)
    """
    v = q(x)
    return max(int(abs(v.numerator)).bit_length(), int(v.denominator).bit_length())


def to_str(x: QLike) -> str:
    """The exact value as ``"p/q"`` (or ``"p"`` for integers).

    Examples
    --------
    >>> to_str(q("0.375")), to_str(2)
    ('3/8', '2')
    """
    return str(q(x))


def approx(x: QLike, digits: int = 20) -> str:
    """A decimal approximation of `x` with `digits` significant digits, for display only.

    The result is correctly rounded (computed with integer arithmetic) and is
    never read back; exactnet marks it with ``≈`` wherever it is shown.

    Examples
    --------
    >>> approx(q("1/3"), 10)
    '0.3333333333'
    >>> approx(q("2^-40"), 5)
    '9.0949e-13'
    >>> approx(q(-5), 3)
    '-5'
    """
    v = q(x)
    if v == 0:
        return "0"
    sign = "-" if v < 0 else ""
    v = abs(v)
    num, den = int(v.numerator), int(v.denominator)
    ten = gmpy2.mpq(10)
    e = len(str(num)) - len(str(den))  # floor(log10 v) is e or e - 1
    if v < ten**e:
        e -= 1
    shift = digits - 1 - e
    scaled = gmpy2.mpq(num * 10**shift, den) if shift >= 0 else gmpy2.mpq(num, den * 10 ** (-shift))
    r = int(gmpy2.f_div(scaled.numerator * 2 + scaled.denominator, 2 * scaled.denominator))
    if len(str(r)) > digits:  # rounding carried into a new digit
        r //= 10
        e += 1
        shift -= 1
    s = str(r)
    if -6 <= e < digits:
        if shift > 0:
            s = s.rjust(shift + 1, "0")
            s = s[:-shift] + "." + s[-shift:]
            s = s.rstrip("0").rstrip(".")
        else:
            s = s + "0" * (-shift)
        return sign + s
    mant = s[0] + ("." + s[1:].rstrip("0") if s[1:].rstrip("0") else "")
    return f"{sign}{mant}e{e:+03d}"


@dataclass(frozen=True, slots=True)
class Interval:
    """A closed interval [lo, hi] with exact rational ends, lo <= hi.

    Examples
    --------
    >>> I = Interval(0, "1/2")
    >>> print(I.lo, I.hi, I.width)
    0 1/2 1/2
    >>> "1/4" in I
    True
    """

    lo: Q
    hi: Q

    def __init__(self, lo: QLike, hi: QLike) -> None:
        from exactnet.exceptions import InvalidArgument

        a, b = q(lo), q(hi)
        if a > b:
            raise InvalidArgument(f"interval {a}..{b} is empty (lo > hi)")
        object.__setattr__(self, "lo", a)
        object.__setattr__(self, "hi", b)

    @property
    def width(self) -> Q:
        return self.hi - self.lo

    def __contains__(self, x: object) -> bool:
        v = q(x)
        return self.lo <= v <= self.hi

    def __str__(self) -> str:
        return f"[{self.lo}, {self.hi}]"


@dataclass(frozen=True, slots=True)
class Box:
    """A product of closed intervals, one per input.

    Examples
    --------
    >>> B = Box([Interval(0, 1), Interval(-1, 1)])
    >>> print(B.dim, B.volume)
    2 2
    """

    sides: tuple[Interval, ...]

    def __init__(self, sides: "Iterator[Interval] | list[Interval] | tuple[Interval, ...]") -> None:
        object.__setattr__(self, "sides", tuple(sides))

    @property
    def dim(self) -> int:
        return len(self.sides)

    @property
    def volume(self) -> Q:
        v = ONE
        for s in self.sides:
            v *= s.width
        return v

    def __str__(self) -> str:
        return " x ".join(str(s) for s in self.sides)


def parse_interval(text: str) -> Interval:
    """Parse ``"A,B"`` (exact numbers as in :func:`parse_number`) into an Interval.

    Examples
    --------
    >>> print(parse_interval("-1/2, 2^-3"))
    [-1/2, 1/8]
    """
    from exactnet.exceptions import InvalidArgument

    parts = text.split(",")
    if len(parts) != 2:
        raise InvalidArgument(f"interval {text!r} must be two numbers 'A,B', e.g. '0,1'")
    return Interval(parse_number(parts[0]), parse_number(parts[1]))


def parse_box(text: str) -> Box:
    """Parse ``"A,BxC,D"`` into a Box (one ``A,B`` per dimension, joined by ``x``).

    Examples
    --------
    >>> print(parse_box("0,1x-1,1"))
    [0, 1] x [-1, 1]
    """
    return Box([parse_interval(part) for part in text.split("x")])


def library_versions() -> dict[str, str]:
    """Versions of exactnet and the libraries its verdicts rest on (for certificates and reports).

    Read from the installed distributions' metadata, so nothing heavy is imported.
    """
    from importlib import metadata

    out = {"gmpy2": gmpy2.version(), "gmp": gmpy2.mp_version()}
    for dist in ("exactnet", "python-flint", "mpmath", "sympy", "z3-solver", "networkx"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            pass
    return out
