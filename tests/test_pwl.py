"""Tests of exactnet.pwl: extraction agrees with exact evaluation; PWL algebra laws."""

from fractions import Fraction
from itertools import pairwise

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import exactnet.pwl as pwl_module
from exactnet.compose import sequential
from exactnet.constructions.yarotsky2017 import sawtooth_net, square_net, tent_net
from exactnet.evaluate import evaluate
from exactnet.exceptions import InvalidArgument
from exactnet.network import Network
from exactnet.numbers import Interval, Q, q
from exactnet.pwl import (
    PiecewiseLinear,
    ScaledPWL,
    _extract_reference,
    to_pwl,
    to_pwl_scaled,
    to_pwl_segment,
)
from tests.strategies import (
    dag_networks,
    dyadics,
    fraction_eval,
    layered_networks,
    rationals,
    to_fraction,
)

small = st.integers(-8, 8)


@st.composite
def one_d_nets(draw: st.DrawFn) -> Network:
    widths = [1] + draw(st.lists(st.integers(1, 3), min_size=1, max_size=3)) + [1]
    W = [
        [[Fraction(draw(small), draw(st.sampled_from([1, 2, 3, 4]))) for _ in range(a)] for _ in range(b)]
        for a, b in zip(widths, widths[1:])
    ]
    B = [[Fraction(draw(small), draw(st.sampled_from([1, 2, 5]))) for _ in range(b)] for b in widths[1:]]
    return Network.from_layers(W, B)


@settings(max_examples=60, deadline=None)
@given(one_d_nets(), st.fractions(-2, 2, max_denominator=50))
def test_to_pwl_equals_evaluate(net: Network, x: Fraction) -> None:
    f = to_pwl(net, Interval(-2, 2))
    assert f(x) == evaluate(net, x)[0]
    assert f.canonical()(x) == evaluate(net, x)[0]
    assert f.canonical().pieces <= f.pieces


def test_tent_pieces_by_hand() -> None:
    # g(x) = 2x on [0,1/2], 2 - 2x on [1/2,1]: breakpoints 0, 1/2, 1; values 0, 1, 0
    f = to_pwl(tent_net(), Interval(0, 1)).canonical()
    assert f.xs == (0, q("1/2"), 1) and f.ys == (0, 1, 0)
    assert f.slopes == (2, -2)


def test_sawtooth_has_2_to_the_s_pieces() -> None:
    # g_s has 2^(s-1) teeth on [0,1], each two pieces: 2^s pieces, slopes +-2^s
    for s in range(1, 7):
        f = to_pwl(sawtooth_net(s), Interval(0, 1)).canonical()
        assert f.pieces == 2**s
        assert set(f.slopes) == {q(2**s), q(-(2**s))}


def test_square_net_is_the_interpolant() -> None:
    # f_m interpolates x^2 at k/2^m and is linear in between: breakpoints exactly the grid
    m = 5
    f = to_pwl(square_net(m), Interval(0, 1)).canonical()
    assert f.xs == tuple(q(k) / 2**m for k in range(2**m + 1))
    assert f.ys == tuple((q(k) / 2**m) ** 2 for k in range(2**m + 1))


def test_segment_in_two_dimensions() -> None:
    # relu(x1 - x2) on the segment (0,1) -> (1,0): t -> relu(2t - 1), kink at t = 1/2
    N = Network.from_layers([[[1, -1]]], [[0]], ["relu"])
    f = to_pwl_segment(N, [0, 1], [1, 0]).canonical()
    assert f.xs == (0, q("1/2"), 1) and f.ys == (0, 0, 1)
    with pytest.raises(InvalidArgument):
        to_pwl_segment(N, [0], [1])
    with pytest.raises(InvalidArgument):
        to_pwl(N, Interval(0, 1))


pwl_points = st.lists(
    st.tuples(st.fractions(0, 1, max_denominator=16), st.fractions(-3, 3, max_denominator=16)),
    min_size=2,
    max_size=6,
    unique_by=lambda t: t[0],
)


def _on01(pts: list[tuple[Fraction, Fraction]]) -> PiecewiseLinear:
    d = dict(pts)
    d.setdefault(Fraction(0), Fraction(0))
    d.setdefault(Fraction(1), Fraction(0))
    return PiecewiseLinear.from_points(list(d.items()))


@settings(max_examples=60, deadline=None)
@given(pwl_points, pwl_points, st.fractions(0, 1, max_denominator=40), st.fractions(-3, 3, max_denominator=7))
def test_algebra_is_pointwise(a, b, x, c) -> None:
    f, g = _on01(a), _on01(b)
    fx, gx = f(x), g(x)
    assert (f + g)(x) == fx + gx
    assert (f - g)(x) == fx - gx
    assert f.scale(c, 1)(x) == c * fx + 1
    assert f.maximum(g)(x) == max(fx, gx)
    assert f.minimum(g)(x) == min(fx, gx)
    assert f.relu()(x) == max(fx, 0)
    assert (f + g).equals(g + f)
    assert f.canonical().equals(f)


@settings(max_examples=40, deadline=None)
@given(pwl_points, st.fractions(0, 1, max_denominator=40))
def test_compose_and_restrict(a, x) -> None:
    f = _on01(a)
    tent = PiecewiseLinear.from_points([(0, 0), (Fraction(1, 2), 1), (1, 0)])
    # tent maps [0,1] into [0,1], so f o tent is defined on [0,1]
    assert f.compose(tent)(x) == f(tent(x))
    half = f.restrict(Interval(0, "1/2"))
    if x <= Fraction(1, 2):
        assert half(x) == f(x)


def test_errors() -> None:
    with pytest.raises(InvalidArgument):
        PiecewiseLinear((q(1), q(0)), (q(0), q(0)))
    f = PiecewiseLinear.from_points([(0, 0), (1, 1)])
    with pytest.raises(InvalidArgument):
        f(2)
    with pytest.raises(InvalidArgument):
        f + PiecewiseLinear.from_points([(0, 0), (2, 1)])


# -- the scaled-integer engine (issue 4) --------------------------------------------
#
# Every expected value comes from an independent route: the mpq reference loop
# (exactnet.pwl._extract_reference, the previous implementation with its one-input
# switch made an explicit argument), exact evaluation at the breakpoints
# (exactnet.evaluate.evaluate, and the Fraction evaluator of tests/strategies.py),
# or a hand derivation.


def reference(net: Network, interval: Interval, output: int = 0) -> PiecewiseLinear:
    return _extract_reference(net, [interval.lo], [interval.hi], output, along_x=True)


def assert_matches_evaluation(
    net: Network, f: PiecewiseLinear, output: int = 0
) -> None:
    """Values at every breakpoint equal exact evaluation (two independent routes)."""
    for x, y in zip(f.xs, f.ys):
        assert type(x) is Q and type(y) is Q
        assert y == evaluate(net, x)[output]
    for x in f.xs[:: max(1, len(f.xs) // 8)]:
        assert to_fraction(f(x)) == fraction_eval(net, [x])[output]


def mlp(seed: int, den: int, widths: list[int]) -> Network:
    rng = np.random.default_rng(seed)
    sizes = [1, *widths, 1]
    W = [
        [[Q(int(v), den) for v in row] for row in rng.integers(-den, den + 1, (b, a))]
        for a, b in pairwise(sizes)
    ]
    B = [[Q(int(v), den) for v in rng.integers(-den, den + 1, b)] for b in sizes[1:]]
    return Network.from_layers(W, B)


def saw3(s: int) -> Network:
    """The tent map with its peak at 1/3, composed s times: non-dyadic breakpoints."""
    g = Network.from_layers([[[1], [1]], [[3, Q(-9, 2)]]], [[0, Q(-1, 3)], [0]])
    net = g
    for _ in range(s - 1):
        net = sequential(net, g)
    return net


@pytest.mark.parametrize("m", range(1, 11))
def test_square_nets_agree_with_reference(m: int) -> None:
    net = square_net(m)
    for interval in (Interval(0, 1), Interval("-1/3", "5/7"), Interval("1/8", "3/8")):
        f = to_pwl(net, interval)
        assert f == reference(net, interval)
    s = to_pwl_scaled(net, Interval(0, 1))
    assert s.route == "int64" and s.point_den is None  # the dyadic fast path
    assert s.to_pwl() == reference(net, Interval(0, 1))


def test_square_net_closed_form_on_the_integer_form() -> None:
    # hand derivation: f_m interpolates x^2 at k / 2^m, so its canonical breakpoints
    # are k / 2^m with values k^2 / 4^m (Yarotsky 2017, Proposition 2)
    m = 12
    c = to_pwl_scaled(square_net(m), Interval(0, 1)).canonical()
    n = 2**m
    k = np.arange(n + 1, dtype=object)
    assert c.pieces == n and c.point_den is None
    assert (c.xs.astype(object) * n == k * c.x_den).all()
    assert (c.ys.astype(object) * n * n == k * k * c.y_den).all()


@st.composite
def intervals_(draw: st.DrawFn, degenerate: bool = True) -> Interval:
    lo = draw(
        st.one_of(dyadics(max_bits=4, bound=3), rationals(bound=3, max_denominator=9))
    )
    width = draw(
        st.one_of(
            st.just(Q(0)) if degenerate else st.nothing(),
            dyadics(max_bits=4, bound=4).filter(lambda v: v > 0),
            rationals(bound=4, max_denominator=9).filter(lambda v: v > 0),
        )
    )
    return Interval(lo, lo + width)


@settings(max_examples=150, deadline=None)
@given(
    st.one_of(layered_networks(inputs=1), dag_networks(inputs=1, max_neurons=7)),
    intervals_(),
)
def test_engine_agrees_with_reference_on_random_networks(
    net: Network, interval: Interval
) -> None:
    # layered nets with identity layers, DAGs with skip connections and identity
    # nodes; dyadic and general rational weights; dyadic, non-dyadic and
    # degenerate intervals; every output
    for k in range(len(net.outputs)):
        f = to_pwl(net, interval, output=k)
        assert f == reference(net, interval, k)
        assert_matches_evaluation(net, f, k)
        assert (
            to_pwl_scaled(net, interval, output=k).canonical().to_pwl() == f.canonical()
        )


@pytest.mark.parametrize(
    ("net", "interval"),
    [
        (mlp(0, 255, [8, 8, 8]), Interval(-4, 4)),
        (mlp(1, 3, [6, 6]), Interval("-7/3", "11/5")),
        (mlp(2, 256, [8, 8, 8]), Interval("-1/3", 2)),
        (saw3(6), Interval(0, 1)),
        (saw3(5), Interval("1/7", "6/7")),
    ],
    ids=["mlp_j255", "mlp_j3", "mlp_dyadic_nondyadic_ends", "saw3_6", "saw3_5_sub"],
)
def test_non_dyadic_weights(net: Network, interval: Interval) -> None:
    f = to_pwl(net, interval)
    assert f == reference(net, interval)
    assert_matches_evaluation(net, f)
    assert to_pwl_scaled(net, interval).to_pwl() == f


def test_identity_nodes_and_skip_connections() -> None:
    # y = x - 2 relu(x) + h with h = identity(relu(x - 1/3) + x) - x: hidden identity
    # node, skip connections from x into h and y
    G = nx.DiGraph()
    G.add_node("r", bias=Q(0), act="relu")
    G.add_node("s", bias=Q(-1, 3), act="relu")
    G.add_node("h", bias=Q(0), act="identity")
    G.add_node("y", bias=Q(0), act="identity")
    for u, v, w in [
        ("x", "r", 1),
        ("x", "s", 1),
        ("s", "h", 1),
        ("x", "h", 1),
        ("h", "y", 1),
        ("x", "y", -1),
        ("r", "y", -2),
    ]:
        G.add_edge(u, v, weight=Q(w))
    net = Network.from_graph(G, ["x"], ["y"])
    # by hand: y = relu(x - 1/3) - 2 relu(x): kinks at 0 and 1/3
    f = to_pwl(net, Interval(-1, 1))
    assert f == reference(net, Interval(-1, 1))
    c = f.canonical()
    assert c.xs == (-1, 0, Q(1, 3), 1) and c.ys == (0, 0, Q(-2, 3), Q(-4, 3))


def test_degenerate_interval() -> None:
    net = square_net(3)
    for a in (Q(1, 3), Q(5, 8), Q(0)):
        f = to_pwl(net, Interval(a, a))
        assert f.xs == (a,) and f.ys == (evaluate(net, a)[0],)
        assert f == reference(net, Interval(a, a))
        s = to_pwl_scaled(net, Interval(a, a))
        assert s.pieces == 0 and s.canonical().to_pwl() == f


def test_common_grid_refinements_by_hand() -> None:
    # relu(x - 1) on [0, 3]: the crossing 1 lies on the grid (denominator 1, o = 3)
    N = Network.from_layers([[[1]]], [[-1]], ["relu"])
    s = to_pwl_scaled(N, Interval(0, 3))
    assert s.point_den is None and s.xs.tolist() == [0, 1, 3] and s.x_den == 1
    # relu(2x - 1) on [0, 2]: the crossing 1/2 needs one more bit, the grid 1/2
    N = Network.from_layers([[[2]]], [[-1]], ["relu"])
    s = to_pwl_scaled(N, Interval(0, 2))
    assert s.point_den is None and s.xs.tolist() == [0, 1, 4] and s.x_den == 2
    assert s.ys.tolist() == [0, 0, 6] and s.y_den == 2  # relu(2 * 2 - 1) = 6 / 2
    # relu(3x - 1) on [0, 1]: 1/3 is on no dyadic grid: per-point denominators
    N = Network.from_layers([[[3]]], [[-1]], ["relu"])
    s = to_pwl_scaled(N, Interval(0, 1))
    assert s.point_den is not None
    assert s.to_pwl().xs == (0, Q(1, 3), 1) and s.to_pwl().ys == (0, 0, 2)
    assert to_pwl_scaled(saw3(4), Interval(0, 1)).point_den is not None
    # two kinks in one cell, out of order by node: relu(4x - 3), relu(4x - 1)
    N = Network.from_layers([[[4], [4]], [[1, 1]]], [[-3, -1], [0]])
    f = to_pwl(N, Interval(0, 1))
    assert f.xs == (0, Q(1, 4), Q(3, 4), 1) and f == reference(N, Interval(0, 1))
    # kinks at 1/4 and 1/2 in one cell: the grid gets 2 more bits, 1/2 moves up
    N = Network.from_layers([[[4], [2]], [[1, 1]]], [[-1, -1], [0]])
    s = to_pwl_scaled(N, Interval(0, 1))
    assert s.point_den is None and s.xs.tolist() == [0, 1, 2, 4] and s.x_den == 4
    assert s.to_pwl() == reference(N, Interval(0, 1))
    # per-point grid 0, 1/3, 1, then relu(x - 1/2): equal numerators 3 (1/3 - 1/2)
    # and -(1 - 1/2) at the ends of the cell, so the new point is the mediant of
    # 1/3 and 1/1, which is 1/2
    N = Network.from_layers(
        [[[3], [1]], [[0, 1]], [[1]]], [[-1, 0], [Fraction(-1, 2)], [0]]
    )
    s = to_pwl_scaled(N, Interval(0, 1))
    assert s.point_den is not None and s.to_pwl().xs == (0, Q(1, 3), Q(1, 2), 1)
    assert s.to_pwl() == reference(N, Interval(0, 1))
    # the same kink from two nodes is one breakpoint: relu(2x - 1), relu(6x - 3)
    N = Network.from_layers([[[2], [6]], [[1, 1]]], [[-1, -3], [0]])
    assert to_pwl(N, Interval(0, 1)).xs == (0, Q(1, 2), 1)


def test_output_that_is_an_input_and_constant_neurons() -> None:
    G = nx.DiGraph()
    G.add_node("c", bias=Q(-1, 2), act="relu")  # no inputs: relu(-1/2) = 0, depth 1
    G.add_node("h", bias=Q(1, 3), act="relu")
    G.add_edge("x", "h", weight=Q(-1))
    G.add_edge("c", "h", weight=Q(5))
    net = Network.from_graph(G, ["x"], ["x", "h"])
    for k in range(2):
        f = to_pwl(net, Interval(-1, 1), output=k)
        assert f == reference(net, Interval(-1, 1), k)
    assert to_pwl(net, Interval(-1, 1), output=1).canonical().xs == (-1, Q(1, 3), 1)


def test_fallback_to_mpq_for_huge_scales() -> None:
    # biases 1/p over the first 200 primes: the level scale is their product
    # (over 2^1024), so the engine declines and the reference loop runs
    primes: list[int] = []
    n = 2
    while len(primes) < 200:
        if all(n % p for p in primes):
            primes.append(n)
        n += 1
    W = [[[1] for _ in primes], [[(-1) ** i for i in range(len(primes))]]]
    B = [[Fraction(1, p) for p in primes], [0]]
    net = Network.from_layers(W, B)
    s = to_pwl_scaled(net, Interval(-1, 0))
    assert s.route == "mpq"
    assert s.to_pwl() == reference(net, Interval(-1, 0))
    assert to_pwl(net, Interval(-1, 0)) == reference(net, Interval(-1, 0))
    assert to_pwl_segment(net, [-1], [0]) == _extract_reference(
        net, [q(-1)], [q(0)], 0, along_x=False
    )


def test_fallback_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pwl_module, "_MAX_SCALE_BITS", 0)
    net = square_net(3)
    s = to_pwl_scaled(net, Interval(0, 1))
    assert s.route == "mpq" and s.to_pwl() == reference(net, Interval(0, 1))


def test_python_int_route_for_huge_numbers() -> None:
    # interval ends and weights far beyond 2^63: object arrays throughout
    big = 10**30
    net = Network.from_layers(
        [[[1], [1]], [[big, -3 * big]]], [[0, Fraction(-1, 3)], [0]]
    )
    for interval in (Interval(-big, big), Interval(Fraction(1, big), 1)):
        s = to_pwl_scaled(net, interval)
        assert s.route == "object"
        assert s.to_pwl() == reference(net, interval)
    huge = Interval(-(2**70), 2**70)
    s = to_pwl_scaled(square_net(4), huge)
    assert s.route == "object" and s.point_den is None
    assert s.to_pwl() == reference(square_net(4), huge)
    assert s.canonical().to_pwl() == reference(square_net(4), huge).canonical()
    # a reversed segment with huge ends (negative direction coefficients)
    a, b = [Q(2**70, 3)], [-(2**70)]
    f = to_pwl_segment(square_net(3), a, b)
    assert f == _extract_reference(square_net(3), a, [Q(b[0])], 0, along_x=False)


def test_errors_of_the_new_functions() -> None:
    with pytest.raises(InvalidArgument):
        to_pwl_scaled(square_net(2), Interval(0, 1), output=1)
    with pytest.raises(InvalidArgument):
        to_pwl_segment(square_net(2), [0], [1], output=-1)
    with pytest.raises(InvalidArgument):
        to_pwl_scaled(Network.from_layers([[[1, -1]]], [[0]]), Interval(0, 1))


@pytest.mark.parametrize(
    ("int64", "f64", "limb"),
    [(2**20, 2**53, 50), (2**62, 2**30, 16), (2**40, 2**24, 16)],
    ids=["objects", "limbs", "limbs+objects"],
)
def test_forced_big_integer_routes(
    monkeypatch: pytest.MonkeyPatch, int64: int, f64: int, limb: int
) -> None:
    # lower limits make the engine take its Python-int and limb-product routes
    # on small networks, where the reference is quick
    monkeypatch.setattr(pwl_module, "_INT64", int64)
    monkeypatch.setattr(pwl_module, "_F64", f64)
    monkeypatch.setattr(pwl_module, "_MAX_LIMB", limb)
    cases = [
        (square_net(8), Interval(0, 1)),
        (square_net(5), Interval("-1/3", "5/7")),
        (mlp(3, 255, [8, 8, 8]), Interval(-4, 4)),
        (mlp(4, 64, [6, 6, 6]), Interval(-3, 3)),
        (saw3(5), Interval(0, 1)),
    ]
    for net, interval in cases:
        assert to_pwl(net, interval) == reference(net, interval)


def test_segment_is_over_t_in_0_1() -> None:
    # one input: t -> N(a + t (b - a)) on [0, 1] (the old code ran over [a, b])
    net = square_net(2)
    f = to_pwl_segment(net, [Q(1, 2)], [1])
    assert f.xs[0] == 0 and f.xs[-1] == 1
    assert f == _extract_reference(net, [Q(1, 2)], [Q(1)], 0, along_x=False)
    for t in (Q(0), Q(1, 3), Q(1, 2), Q(1)):
        assert f(t) == evaluate(net, Q(1, 2) + t / 2)[0]


@settings(max_examples=60, deadline=None)
@given(
    layered_networks(inputs=2) | dag_networks(inputs=2),
    st.tuples(rationals(3, 7), rationals(3, 7)),
    st.tuples(rationals(3, 7), rationals(3, 7)),
)
def test_segments_agree_with_reference(net: Network, a: tuple, b: tuple) -> None:
    for k in range(len(net.outputs)):
        f = to_pwl_segment(net, list(a), list(b), output=k)
        assert f == _extract_reference(net, list(a), list(b), k, along_x=False)
        for t, y in zip(f.xs, f.ys):
            assert y == evaluate(net, [u + t * (v - u) for u, v in zip(a, b)])[k]


def _canonical_by_hand(f: PiecewiseLinear) -> tuple[list[Fraction], list[Fraction]]:
    """Drop x_i when the slopes on both sides are equal (Fraction arithmetic)."""
    xs = [to_fraction(v) for v in f.xs]
    ys = [to_fraction(v) for v in f.ys]
    keep = [0] + [
        i
        for i in range(1, len(xs) - 1)
        if (ys[i] - ys[i - 1]) / (xs[i] - xs[i - 1])
        != (ys[i + 1] - ys[i]) / (xs[i + 1] - xs[i])
    ]
    if len(xs) > 1:
        keep.append(len(xs) - 1)
    return [xs[i] for i in keep], [ys[i] for i in keep]


@st.composite
def long_pwl(draw: st.DrawFn) -> PiecewiseLinear:
    """Over 32 breakpoints, with collinear runs; dyadic, general or huge values."""
    n = draw(st.integers(36, 70))
    kind = draw(st.sampled_from(["dyadic", "general", "huge"]))
    if kind == "dyadic":
        ks = draw(st.lists(st.integers(-500, 500), min_size=n, max_size=n))
        xs = sorted({Fraction(k, 64) for k in ks})
    else:
        xs = sorted(
            set(
                draw(
                    st.lists(
                        st.fractions(-5, 5, max_denominator=40), min_size=n, max_size=n
                    )
                )
            )
        )
    scale = Fraction(10**25, 3) if kind == "huge" else 1
    ys: list[Fraction] = []
    for i, x in enumerate(xs):
        if i >= 2 and draw(st.integers(0, 2)) == 0:
            ys.append(
                ys[-1] + (ys[-1] - ys[-2]) * (x - xs[i - 1]) / (xs[i - 1] - xs[i - 2])
            )
        else:
            ys.append(draw(st.fractions(-3, 3, max_denominator=16)) * scale)
    return PiecewiseLinear(tuple(map(q, xs)), tuple(map(q, ys)))


@settings(max_examples=40, deadline=None)
@given(long_pwl())
def test_canonical_on_large_inputs(f: PiecewiseLinear) -> None:
    xs, ys = _canonical_by_hand(f)
    c = f.canonical()  # the vectorised route (more than 32 breakpoints)
    assert [to_fraction(v) for v in c.xs] == xs and [to_fraction(v) for v in c.ys] == ys
    s = ScaledPWL.from_pwl(f)
    assert s.to_pwl() == f
    assert s.canonical().to_pwl() == c


def test_scaled_canonical_keeps_exact_collinear_points_only() -> None:
    # (0,0) (1,1) (2,2) (3,0) (4,-2): 1 and 3 are collinear with their neighbours
    s = ScaledPWL(np.array([0, 1, 2, 3, 4]), np.array([0, 1, 2, 0, -2]), 1, 1)
    assert s.canonical().xs.tolist() == [0, 2, 4]
    # per-point denominators: x = 0, 1/3, 2/3, 1 with y = x: all collinear
    s = ScaledPWL(
        np.array([0, 1, 2, 1]), np.array([0, 1, 2, 1]), 1, 1, np.array([1, 3, 3, 1])
    )
    assert s.canonical().to_pwl().xs == (0, 1)
