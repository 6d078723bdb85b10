"""Tests of exactnet.targets: the polynomial grammar and its refusals."""

import pytest

from exactnet.exceptions import UnsupportedError
from exactnet.numbers import q
from exactnet.targets import Polynomial, TargetParseError, parse_target


@pytest.mark.parametrize(
    "text, coeffs",
    [
        # coefficients of x^0, x^1, ... expanded by hand
        ("x^2", [0, 0, 1]),
        ("x**2", [0, 0, 1]),
        ("x^3 - x/2", [0, "-1/2", 0, 1]),
        ("(x - 1/3)^2", ["1/9", "-2/3", 1]),
        ("-x + 0.25", ["1/4", -1]),
        ("2*(x+1)*(x-1)", [-2, 0, 2]),
        ("3", [3]),
        ("x^0", [1]),
        ("- -x", [0, 1]),
    ],
)
def test_parse(text: str, coeffs: list) -> None:
    assert parse_target(text).polynomial == Polynomial.from_coeffs(coeffs)


@pytest.mark.parametrize(
    "text, position",
    [
        ("__import__('os').system('id')", 12),  # the first quote
        ("x +", 4),
        ("x ^ x", 5),
        ("w", 1),  # an unknown name (x, y and z are variables since issue 7)
        ("(x", 3),
        ("x # 1", 3),
        ("x^(1/2)", 3),  # the exponent starts at the bracket
        ("sin x", 5),
        ("max(x)", 1),
        ("", None),
        ("1/0", 3),
    ],
)
def test_parse_errors_name_the_position(text: str, position: int | None) -> None:
    with pytest.raises(TargetParseError) as exc:
        parse_target(text)
    if position is not None:
        assert f"position {position}" in str(exc.value)


@pytest.mark.parametrize(
    "text, kind",
    [
        ("x^2 - 1", "polynomial"),
        ("1/x", "rational"),
        ("x^-1 + x", "rational"),
        ("(x^2 - 1)/(x - 1)", "polynomial"),  # the common factor x - 1 cancels
        ("abs(x - 1/3)", "pwl"),
        ("max(x, 1 - x)/2 + relu(2*x - 1)", "pwl"),
        ("sin(pi*x)", "transcendental"),
        ("exp(-x^2) + log(1 + x)", "transcendental"),
        ("sqrt(x)*cos(x)", "transcendental"),
    ],
)
def test_kinds(text: str, kind: str) -> None:
    assert parse_target(text).kind == kind


@pytest.mark.parametrize("text", ["abs(x^2)", "relu(x)*x", "abs(x)^2", "sin(abs(x))", "1/relu(x)"])
def test_non_linear_piecewise_is_refused(text: str) -> None:
    with pytest.raises(UnsupportedError):
        parse_target(text)


def test_rational_values() -> None:
    f = parse_target("(x^2 + 1)/(x + 2)")
    # at x = 1/2: (1/4 + 1)/(5/2) = (5/4)(2/5) = 1/2
    assert f(q("1/2")) == q("1/2")
    assert f.denominator == Polynomial.from_coeffs([2, 1])


def test_pwl_target_to_pwl() -> None:
    from exactnet.numbers import Interval

    f = parse_target("max(x, 1 - x)").to_pwl(Interval(0, 1))
    # max(x, 1-x) is 1 at both ends and 1/2 at the crossing x = 1/2
    assert [str(v) for v in f.xs] == ["0", "1/2", "1"]
    assert [str(v) for v in f.ys] == ["1", "1/2", "1"]


def test_transcendental_has_no_exact_value() -> None:
    from exactnet.exceptions import InvalidArgument

    with pytest.raises(InvalidArgument, match="transcendental"):
        parse_target("sin(x)")(q(1))


def test_evaluate_and_derivative() -> None:
    p = parse_target("x^3 - x/2").polynomial
    assert p(q("1/2")) == q("-1/8")  # 1/8 - 1/4
    assert p.derivative() == Polynomial.from_coeffs(["-1/2", 0, 3])
