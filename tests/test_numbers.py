"""exactnet.numbers: the gate q, parsing, dyadic helpers, approx, intervals and boxes."""

from __future__ import annotations

import decimal
from fractions import Fraction

import gmpy2
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exactnet import numbers as N
from exactnet.exceptions import ExactnetError, InexactInputError, InvalidArgument
from exactnet.numbers import (
    ONE,
    ZERO,
    Box,
    Interval,
    Q,
    approx,
    bit_height,
    dyadic_parts,
    frac_bits,
    from_float,
    is_dyadic,
    is_exact_number,
    parse_box,
    parse_interval,
    parse_number,
    q,
    relu,
    to_str,
)

from tests.strategies import fractions, to_q

SETTINGS = settings(max_examples=60, deadline=None)

# -- the gate q: what it accepts ---------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        (3, Fraction(3)),
        (-7, Fraction(-7)),
        (True, Fraction(1)),
        (Fraction(-2, 4), Fraction(-1, 2)),
        (gmpy2.mpq(5, 10), Fraction(1, 2)),
        (gmpy2.mpz(12), Fraction(12)),
        (np.int64(-9), Fraction(-9)),
        (np.int32(4), Fraction(4)),
        (np.uint8(255), Fraction(255)),
        (decimal.Decimal("-0.125"), Fraction(-1, 8)),
        ("3/8", Fraction(3, 8)),
        ("-3/8", Fraction(-3, 8)),
        (" 3 / 8 ", Fraction(3, 8)),  # whitespace around the parts is allowed
        ("-0.375", Fraction(-3, 8)),  # 375/1000 = 3/8
        ("0.1", Fraction(1, 10)),  # the decimal, not the double
        (".5", Fraction(1, 2)),
        ("+7", Fraction(7)),
        ("1e-3", Fraction(1, 1000)),
        ("2.5E2", Fraction(250)),
        ("2^-5", Fraction(1, 32)),
        ("2^(-5)", Fraction(1, 32)),
        ("-2^-7", Fraction(-1, 128)),  # the sign applies to the power: -(2^-7)
        ("3^2", Fraction(9)),
        ("2^0", Fraction(1)),
        ("0^0", Fraction(1)),
    ],
)
def test_q_accepts_exact_numbers(value: object, expected: Fraction) -> None:
    got = q(value)
    assert type(got) is Q
    assert got == Q(expected.numerator, expected.denominator)


def test_q_returns_an_mpq_unchanged() -> None:
    x = gmpy2.mpq(1, 3)
    assert q(x) is x


@given(fractions(bound=1000, max_denominator=10**6))
@SETTINGS
def test_q_of_fraction_and_of_its_string_agree(f: Fraction) -> None:
    expected = Q(f.numerator, f.denominator)
    assert q(f) == expected
    assert q(f"{f.numerator}/{f.denominator}") == expected
    assert q(str(f)) == expected  # "p/q", or "p" for integers


@given(st.integers(-(10**9), 10**9), st.integers(-30, 30))
@SETTINGS
def test_scientific_decimals_are_the_decimal_they_spell(m: int, e: int) -> None:
    expected = Fraction(m) * Fraction(10) ** e  # independent: Fraction arithmetic
    assert q(f"{m}e{e}") == to_q(expected)


@given(st.integers(0, 60), st.integers(-(2**20), 2**20))
@SETTINGS
def test_dyadic_strings(p: int, k: int) -> None:
    # k/2^p written as a fraction, and 2^-p times k written as a power
    assert q(f"{k}/{2**p}") == Q(k, 2**p)
    assert q(f"2^-{p}") * k == Q(k, 2**p)


# -- the gate q: floats are refused -------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [0.1, 0.375, -2.0, float("nan"), float("inf"), np.float64(0.1), np.float32(0.1), np.float16(0.5)],
    ids=["0.1", "0.375", "-2.0", "nan", "inf", "float64", "float32", "float16"],
)
def test_q_refuses_floats_and_names_both_ways_out(value: object) -> None:
    with pytest.raises(InexactInputError) as info:
        q(value)
    msg = str(info.value)
    assert "refusing the float" in msg
    assert 'q("' in msg  # the decimal string
    assert "from_float(" in msg  # the exact binary value
    # InexactInputError is both an exactnet error and a TypeError
    assert isinstance(info.value, ExactnetError) and isinstance(info.value, TypeError)


def test_float_refusal_shows_the_decimal_to_write() -> None:
    with pytest.raises(InexactInputError, match=r'q\("0\.375"\)'):
        q(0.375)
    with pytest.raises(InexactInputError, match=r"from_float\(0\.375\)"):
        q(0.375)


@pytest.mark.parametrize("value", [None, 1j, [1], object(), b"1/2"])
def test_q_refuses_non_numbers(value: object) -> None:
    with pytest.raises(InvalidArgument, match="cannot read"):
        q(value)


@pytest.mark.parametrize("value", [decimal.Decimal("NaN"), decimal.Decimal("-Infinity")])
def test_q_refuses_nonfinite_decimals(value: decimal.Decimal) -> None:
    with pytest.raises(InvalidArgument, match="not a finite number"):
        q(value)


# -- parse_number: every error path -----------------------------------------------


@pytest.mark.parametrize(
    "text, match",
    [
        ("", "empty string"),
        ("   ", "empty string"),
        ("1/0", "zero denominator"),
        ("0/0", "zero denominator"),
        ("-5/0", "zero denominator"),
        ("0^-1", "divides by zero"),
        ("2^100001", "exponent too large"),
        ("2^-100001", "exponent too large"),
        ("1e100001", "exponent too large"),
        ("1e-1000000000", "exponent too large"),  # must fail at once, not build 10^1e9
        ("abc", "not an exact number"),
        ("NaN", "not an exact number"),
        ("inf", "not an exact number"),
        ("Infinity", "not an exact number"),
        ("1/2/3", "not an exact number"),
        ("3/-8", "not an exact number"),
        ("1/2.5", "not an exact number"),
        ("0x10", "not an exact number"),
        ("1_000", "not an exact number"),
        ("2^x", "not an exact number"),
        ("--1", "not an exact number"),
    ],
)
def test_parse_number_errors(text: str, match: str) -> None:
    with pytest.raises(InvalidArgument, match=match):
        parse_number(text)
    with pytest.raises(InvalidArgument, match=match):
        q(text)  # strings go through the same parser


def test_parse_number_error_lists_the_accepted_forms() -> None:
    with pytest.raises(InvalidArgument) as info:
        parse_number("one half")
    msg = str(info.value)
    for form in ("(-3)", "(3/8)", "(-0.375)", "(2^-5)"):
        assert form in msg


def test_exponent_limit_is_inclusive() -> None:
    assert q("2^-100000") == Q(1, 2**100000)
    assert q("1e100000") == Q(10**100000)


# -- from_float: the explicit way in ----------------------------------------------


@pytest.mark.parametrize(
    "x, expected",
    [
        # 0.1 = 0x1.999999999999ap-4 = 0x1999999999999a / 2^56 = 3602879701896397 / 2^55
        (0.1, Fraction(3602879701896397, 2**55)),
        (0.375, Fraction(3, 8)),
        (-2.0, Fraction(-2)),
        (0.0, Fraction(0)),
        # float32(0.1) = 13421773 / 2^27 (24-bit significand 0xcccccd, exponent -27)
        (np.float32(0.1), Fraction(13421773, 2**27)),
    ],
)
def test_from_float_gives_the_exact_binary_value(x: float, expected: Fraction) -> None:
    got = from_float(x)
    assert type(got) is Q
    assert got == to_q(expected)


@given(st.floats(allow_nan=False, allow_infinity=False))
@SETTINGS
def test_from_float_agrees_with_fraction(x: float) -> None:
    assert from_float(x) == to_q(Fraction(x))  # Fraction(float) is exact too


@pytest.mark.parametrize("x", [float("nan"), float("inf"), float("-inf"), np.float32("nan")])
def test_from_float_refuses_nan_and_infinities(x: float) -> None:
    with pytest.raises(InvalidArgument, match="NaN and infinities"):
        from_float(x)


# -- is_exact_number, relu, to_str ------------------------------------------------


@pytest.mark.parametrize(
    "x, expected",
    [
        (3, True),
        (Fraction(1, 3), True),
        (gmpy2.mpq(1, 3), True),
        (gmpy2.mpz(3), True),
        (np.int64(3), True),
        (0.5, False),
        (np.float64(0.5), False),
        (np.float32(0.5), False),
        ("1/3", False),  # needs a string parse
        (None, False),
    ],
)
def test_is_exact_number(x: object, expected: bool) -> None:
    assert is_exact_number(x) is expected


@pytest.mark.parametrize("x, expected", [("-1/3", ZERO), ("0", ZERO), ("1/3", Q(1, 3)), (5, Q(5))])
def test_relu(x: str, expected: Q) -> None:
    got = relu(q(x))
    assert type(got) is Q  # never the float 0.0
    assert got == expected


@pytest.mark.parametrize("x, expected", [("0.375", "3/8"), (2, "2"), ("-6/4", "-3/2"), ("2^-3", "1/8")])
def test_to_str(x: object, expected: str) -> None:
    assert to_str(x) == expected


@given(fractions(bound=10**6, max_denominator=10**6))
@SETTINGS
def test_to_str_round_trips(f: Fraction) -> None:
    assert q(to_str(to_q(f))) == to_q(f)


# -- dyadic helpers ----------------------------------------------------------------


@pytest.mark.parametrize(
    "x, dyadic, bits, height",
    [
        # bits: k of m/2^k in lowest terms; height: max(bitlen |m|, bitlen 2^k)
        (0, True, 0, 1),  # 0/1: max(0, 1)
        (5, True, 0, 3),  # 5 = 101b: max(3, 1)
        (-255, True, 0, 8),  # 255 = 8 ones
        ("3/8", True, 3, 4),  # 8 = 1000b has bit length 4; 3 has 2
        ("-2^-7", True, 7, 8),  # -1/128: 128 = 2^7 has bit length 8
        ("6/4", True, 1, 2),  # = 3/2 in lowest terms
        ("1/3", False, None, 2),  # max(1, 2)
        ("-5/12", False, None, 4),  # max(3, 4)
        ("1023/1024", True, 10, 11),  # max(10, 11)
    ],
)
def test_dyadic_helpers(x: object, dyadic: bool, bits: int | None, height: int) -> None:
    assert is_dyadic(x) is dyadic
    assert bit_height(x) == height
    if dyadic:
        assert frac_bits(x) == bits
        m, k = dyadic_parts(x)
        assert k == bits and Q(m, 2**k) == q(x)
    else:
        with pytest.raises(InvalidArgument, match="not dyadic"):
            frac_bits(x)
        with pytest.raises(InvalidArgument, match="not dyadic"):
            dyadic_parts(x)


@given(st.integers(-(2**40), 2**40), st.integers(0, 40))
@SETTINGS
def test_dyadic_parts_of_k_over_2p(k: int, p: int) -> None:
    # reduce k/2^p by hand: strip common factors of 2
    while p > 0 and k % 2 == 0:
        k //= 2
        p -= 1
    x = Q(k, 2**p) if k else ZERO
    assert is_dyadic(x)
    assert frac_bits(x) == (p if k else 0)
    assert dyadic_parts(x) == ((k, p) if k else (0, 0))


@given(fractions(bound=10**4, max_denominator=10**4))
@SETTINGS
def test_is_dyadic_iff_denominator_is_a_power_of_two(f: Fraction) -> None:
    d = f.denominator
    while d % 2 == 0:
        d //= 2
    assert is_dyadic(to_q(f)) is (d == 1)
    expected_height = max(len(bin(abs(f.numerator))) - 2 if f.numerator else 0, len(bin(f.denominator)) - 2)
    assert bit_height(to_q(f)) == expected_height


# -- approx: display only, correctly rounded -----------------------------------------


@pytest.mark.parametrize(
    "x, digits, expected",
    [
        ("1/3", 10, "0.3333333333"),
        ("2/3", 5, "0.66667"),  # 0.666666... rounds up at the 5th digit
        ("2/3", 20, "0.66666666666666666667"),
        ("-1/3", 3, "-0.333"),
        (-5, 3, "-5"),
        (0, 5, "0"),
        ("1/8", 20, "0.125"),  # trailing zeros stripped
        (123456, 3, "1.23e+05"),  # exponent 5 >= digits: scientific
        (123, 3, "123"),
        (1200, 6, "1200"),
        ("999/100", 2, "10"),  # 9.99 rounds to 10.: the carry adds a digit
        ("2^-40", 5, "9.0949e-13"),  # 2^-40 = 9.094947017729282e-13
        ("0.000001234", 3, "0.00000123"),  # exponent -6 still in decimal form
        ("0.0000001234", 3, "1.23e-07"),  # exponent -7: scientific
    ],
)
def test_approx_table(x: object, digits: int, expected: str) -> None:
    assert approx(x, digits) == expected


def _floor_log10(f: Fraction) -> int:
    e = 0
    while Fraction(10) ** e > f:
        e -= 1
    while Fraction(10) ** (e + 1) <= f:
        e += 1
    return e


@given(fractions(bound=10**8, max_denominator=10**8).filter(lambda f: f != 0), st.integers(1, 25))
@settings(max_examples=80, deadline=None)
def test_approx_is_within_half_a_unit_of_the_last_digit(f: Fraction, digits: int) -> None:
    text = approx(to_q(f), digits)
    shown = Fraction(decimal.Decimal(text))  # exact value of the printed decimal
    unit = Fraction(10) ** (_floor_log10(abs(f)) - digits + 1)
    assert abs(shown - f) * 2 <= unit
    mantissa = text.lstrip("-").split("e")[0].replace(".", "").lstrip("0")
    assert len(mantissa.rstrip("0")) <= digits


# -- Interval and Box --------------------------------------------------------------


def test_interval() -> None:
    I = Interval(0, "1/2")
    assert (I.lo, I.hi, I.width) == (ZERO, Q(1, 2), Q(1, 2))
    assert "1/4" in I and 0 in I and "1/2" in I
    assert "3/4" not in I and "-1/1000" not in I
    assert str(I) == "[0, 1/2]"
    assert Interval(1, 1).width == ZERO  # a point is an interval


def test_interval_errors() -> None:
    with pytest.raises(InvalidArgument, match="empty"):
        Interval(1, 0)
    with pytest.raises(InexactInputError):
        Interval(0, 0.5)
    with pytest.raises(InexactInputError):
        0.25 in Interval(0, 1)  # noqa: B015


def test_interval_is_frozen() -> None:
    I = Interval(0, 1)
    with pytest.raises(AttributeError):
        I.lo = ONE  # type: ignore[misc]


def test_box() -> None:
    B = Box([Interval(0, 1), Interval(-1, "1/2")])
    assert B.dim == 2
    assert B.volume == Q(3, 2)  # 1 * (1/2 - (-1))
    assert str(B) == "[0, 1] x [-1, 1/2]"
    assert Box([]).volume == ONE  # the empty product


def test_parse_interval_and_box() -> None:
    assert parse_interval("-1/2, 2^-3") == Interval("-1/2", "1/8")
    assert parse_box("0,1x-1,1") == Box([Interval(0, 1), Interval(-1, 1)])


@pytest.mark.parametrize("text, match", [("1", "two numbers"), ("0,1,2", "two numbers"), ("1,0", "empty"), ("0,x", "not an exact")])
def test_parse_interval_errors(text: str, match: str) -> None:
    with pytest.raises(InvalidArgument, match=match):
        parse_interval(text)


def test_library_versions() -> None:
    v = N.library_versions()
    # gmpy2 and GMP always; the installed distributions the verdicts rest on as well
    assert {"gmpy2", "gmp", "python-flint", "mpmath"} <= set(v)
    assert all(isinstance(s, str) and s for s in v.values())


# -- every public function that returns a number returns mpq ---------------------

# (name, thunk returning the number(s) produced); values chosen to reach every
# branch that builds a number: int, fraction, decimal, power, negative exponent
_NUMBER_RESULTS = {
    "q": lambda: [q(3), q("1/3"), q("-0.375"), q("1e-3"), q("2^-5"), q("2^3"), q(Fraction(1, 2)),
                  q(gmpy2.mpz(2)), q(np.int64(2)), q(decimal.Decimal("0.5")), q(True)],
    "from_float": lambda: [from_float(0.1), from_float(np.float32(0.5)), from_float(3.0)],
    "parse_number": lambda: [parse_number("7"), parse_number("-3/8"), parse_number(".5"),
                             parse_number("-2^-7"), parse_number("0^0")],
    "relu": lambda: [relu(q(-1)), relu(q("1/3")), relu(ZERO)],
    "Interval": lambda: [Interval(0, "1/2").lo, Interval(0, "1/2").hi, Interval(0, "1/2").width],
    "Box": lambda: [Box([Interval(0, 1)]).volume, Box([]).volume],
    "parse_interval": lambda: [parse_interval("0,1").lo, parse_interval("0,1").hi],
    "parse_box": lambda: [parse_box("0,1x0,2").volume],
    "ZERO": lambda: [ZERO],
    "ONE": lambda: [ONE],
}
# the rest of __all__, with what they return instead of a number
_NOT_NUMBERS = {
    "Q": "the type",
    "QLike": "a type alias",
    "is_exact_number": "bool",
    "is_dyadic": "bool",
    "frac_bits": "int (a count of bits)",
    "bit_height": "int (a count of bits)",
    "dyadic_parts": "tuple of int",
    "to_str": "str",
    "approx": "str (display only)",
    "library_versions": "dict of str",
}


def test_every_public_name_is_classified() -> None:
    # a new public function must be added to one of the two tables above
    assert set(N.__all__) == set(_NUMBER_RESULTS) | set(_NOT_NUMBERS)


@pytest.mark.parametrize("name", sorted(_NUMBER_RESULTS))
def test_public_functions_return_mpq_never_float_or_mpfr(name: str) -> None:
    for v in _NUMBER_RESULTS[name]():
        assert type(v) is Q, f"{name} returned {type(v).__name__}"
        assert not isinstance(v, (float, type(gmpy2.mpfr(0))))


def test_non_number_results_have_their_documented_types() -> None:
    assert isinstance(is_exact_number(1), bool) and isinstance(is_dyadic("1/2"), bool)
    assert type(frac_bits("1/2")) is int and type(bit_height("1/2")) is int
    assert all(type(v) is int for v in dyadic_parts("-3/8"))
    assert type(to_str("1/2")) is str and type(approx("1/3")) is str
