"""Laws of the PWL algebra in exactnet.pwl, checked pointwise against the definitions.

Every expected value is plain Fraction arithmetic on values read off the
breakpoint data (:func:`tests.strategies.pwl_reference`, a linear scan that shares
no code with ``PiecewiseLinear.__call__``), or on a network's weights
(:func:`tests.strategies.fraction_eval`).
"""

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exactnet.evaluate import evaluate
from exactnet.exceptions import InexactInputError
from exactnet.network import Network
from exactnet.numbers import Interval, Q
from exactnet.pwl import PiecewiseLinear, to_pwl
from tests.strategies import (
    fraction_eval,
    fractions,
    intervals,
    networks,
    points_in,
    pwl_functions,
    pwl_reference,
    to_fraction,
    to_q,
)

Case = tuple[PiecewiseLinear, PiecewiseLinear, list[Q]]
FAST = settings(max_examples=50, deadline=None)
ZERO_F = Fraction(0)


def value(f: PiecewiseLinear, x: Q) -> Fraction:
    """f(x) through the code under test, as a Fraction, after checking it is exact."""
    v = f(x)
    assert isinstance(v, Q)
    return to_fraction(v)


@st.composite
def pair_and_points(draw: st.DrawFn, n: int = 4) -> Case:
    """f, g on one random interval, and points there (ends and breakpoints included)."""
    dom = draw(intervals())
    f = draw(pwl_functions(domain=dom))
    g = draw(pwl_functions(domain=dom))
    xs = [draw(points_in(dom, f.xs + g.xs)) for _ in range(n)]
    return f, g, xs


@FAST
@given(pair_and_points())
def test_add_and_sub(case: Case) -> None:
    f, g, xs = case
    s, d = f + g, f - g
    for x in xs:
        assert value(s, x) == pwl_reference(f, x) + pwl_reference(g, x)
        assert value(d, x) == pwl_reference(f, x) - pwl_reference(g, x)
    assert s.domain == d.domain == f.domain


@FAST
@given(st.data(), pwl_functions(), fractions(), fractions())
def test_scale(
    data: st.DataObject, f: PiecewiseLinear, c: Fraction, shift: Fraction
) -> None:
    h = f.scale(to_q(c), to_q(shift))
    neg = -f
    for _ in range(3):
        x = data.draw(points_in(f.domain, f.xs))
        assert value(h, x) == c * pwl_reference(f, x) + shift
        assert value(neg, x) == -pwl_reference(f, x)


@FAST
@given(st.data(), pwl_functions())
def test_relu(data: st.DataObject, f: PiecewiseLinear) -> None:
    r = f.relu()
    for _ in range(4):
        x = data.draw(points_in(f.domain, f.xs + r.xs))
        assert value(r, x) == max(pwl_reference(f, x), ZERO_F)
    # the zero crossings are breakpoints: r is linear between them, so each piece of r
    # lies on one side of 0 and the values at the breakpoints decide it
    for y0, y1 in zip(r.ys, r.ys[1:]):
        assert y0 >= 0 and y1 >= 0


@FAST
@given(pair_and_points())
def test_maximum_and_minimum(case: Case) -> None:
    f, g, xs = case
    hi, lo = f.maximum(g), f.minimum(g)
    for x in xs + list(hi.xs) + list(lo.xs):
        assert value(hi, x) == max(pwl_reference(f, x), pwl_reference(g, x))
        assert value(lo, x) == min(pwl_reference(f, x), pwl_reference(g, x))


@st.composite
def composable(draw: st.DrawFn) -> Case:
    """Outer f, inner h with values in f's domain (often f's breakpoints), points."""
    f = draw(pwl_functions())
    h = draw(pwl_functions(values_in=f.domain, special_values=f.xs))
    xs = [draw(points_in(h.domain, h.xs)) for _ in range(4)]
    return f, h, xs


@FAST
@given(composable())
def test_compose(case: Case) -> None:
    f, h, xs = case
    fh = f.compose(h)
    assert fh.domain == h.domain
    for x in xs:
        assert value(fh, x) == pwl_reference(f, pwl_reference(h, x))
    # every point where h crosses a breakpoint of f is a breakpoint of f o h, so
    # f o h is linear between its breakpoints: check the midpoints too
    for a, b in zip(fh.xs, fh.xs[1:]):
        m = (a + b) / 2
        assert value(fh, m) == pwl_reference(f, pwl_reference(h, m))


@FAST
@given(st.data(), pwl_functions())
def test_restrict(data: st.DataObject, f: PiecewiseLinear) -> None:
    a = data.draw(points_in(f.domain, f.xs))
    b = data.draw(points_in(f.domain, f.xs))
    J = Interval(min(a, b), max(a, b))
    fj = f.restrict(J)
    assert fj.domain == J
    for _ in range(3):
        x = data.draw(points_in(J, f.xs))
        assert value(fj, x) == pwl_reference(f, x)


@FAST
@given(st.data(), pwl_functions(max_pieces=8))
def test_canonical(data: st.DataObject, f: PiecewiseLinear) -> None:
    c = f.canonical()
    assert c.equals(f) and f.equals(c)
    assert set(c.xs) <= set(f.xs) and c.domain == f.domain
    for x in f.xs:
        assert value(c, x) == pwl_reference(f, x)
    for _ in range(3):
        x = data.draw(points_in(f.domain, f.xs))
        assert value(c, x) == pwl_reference(f, x)
    # no two neighbouring pieces are collinear (slopes compared with Fractions)
    X = [to_fraction(v) for v in c.xs]
    Y = [to_fraction(v) for v in c.ys]
    slopes = [(y1 - y0) / (x1 - x0) for x0, x1, y0, y1 in zip(X, X[1:], Y, Y[1:])]
    assert all(s != t for s, t in zip(slopes, slopes[1:]))
    assert c.canonical() == c


@FAST
@given(st.data(), pwl_functions(), fractions().filter(lambda v: v != 0))
def test_equals(data: st.DataObject, f: PiecewiseLinear, delta: Fraction) -> None:
    assert f.equals(f)
    assert f.equals(PiecewiseLinear(f.xs, f.ys))
    i = data.draw(st.integers(0, len(f.xs) - 1))
    ys = list(f.ys)
    ys[i] += to_q(delta)
    assert not f.equals(PiecewiseLinear(f.xs, tuple(ys)))
    assert not PiecewiseLinear(f.xs, tuple(ys)).equals(f)
    # a changed value at a point that is not a breakpoint of f: insert one
    if f.pieces:
        m = (f.xs[0] + f.xs[1]) / 2
        g = PiecewiseLinear(
            (f.xs[0], m, *f.xs[1:]),
            (f.ys[0], to_q(pwl_reference(f, m) + delta), *f.ys[1:]),
        )
        assert not f.equals(g) and not g.equals(f)
        # the restriction to a smaller domain is a different function
        assert not f.equals(f.restrict(Interval(f.xs[0], m)))


@settings(max_examples=60, deadline=None)
@given(st.data(), networks(inputs=1), intervals(degenerate=True))
def test_to_pwl_equals_evaluate(data: st.DataObject, net: Network, I: Interval) -> None:
    for k in range(len(net.outputs)):
        f = to_pwl(net, I, output=k)
        assert f.domain == I
        for _ in range(3):
            x = data.draw(points_in(I, f.xs))
            assert value(f, x) == to_fraction(evaluate(net, x)[k])
            assert value(f, x) == fraction_eval(net, [to_fraction(x)])[k]
        # f is linear between its breakpoints: the midpoints agree too
        for a, b in zip(f.xs, f.xs[1:]):
            m = (a + b) / 2
            assert value(f, m) == fraction_eval(net, [to_fraction(m)])[k]


# -- found while writing these tests: the constructor did not gate its numbers ----------


def test_int_data_stays_exact() -> None:
    f = PiecewiseLinear((0, 2), (-1, 1))  # type: ignore[arg-type]
    assert all(isinstance(v, Q) for v in f.xs + f.ys + f.slopes)  # ungated: slopes == (1.0,)
    r = f.relu()  # ungated, the crossing 0 + 2 * (-1) / (-2) came out as the float 1.0
    assert all(isinstance(v, Q) for v in r.xs + r.ys)


def test_float_data_is_refused() -> None:
    with pytest.raises(InexactInputError):
        PiecewiseLinear((0.0, 0.5), (0, 1))  # type: ignore[arg-type]
