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
    assert parse_target(text) == Polynomial.from_coeffs(coeffs)


@pytest.mark.parametrize(
    "text, position",
    [
        ("__import__('os').system('id')", 12),  # the first quote
        ("x +", 4),
        ("x ^ x", 5),
        ("1/x", 3),
        ("y", 1),
        ("(x", 3),
        ("x # 1", 3),
        ("x^-1", 3),
        ("", None),
        ("1/0", 3),
    ],
)
def test_parse_errors_name_the_position(text: str, position: int | None) -> None:
    with pytest.raises(TargetParseError) as exc:
        parse_target(text)
    if position is not None:
        assert f"position {position}" in str(exc.value)


def test_transcendental_is_refused_clearly() -> None:
    with pytest.raises(UnsupportedError, match="sin"):
        parse_target("sin(x)")


def test_evaluate_and_derivative() -> None:
    p = parse_target("x^3 - x/2")
    assert p(q("1/2")) == q("-1/8")  # 1/8 - 1/4
    assert p.derivative() == Polynomial.from_coeffs(["-1/2", 0, 3])
