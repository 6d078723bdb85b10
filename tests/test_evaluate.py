"""exactnet.evaluate: the scaled-integer engine equals the reference loop, exactly.

Expected values come from routes independent of the engine under test: the
reference loop (:func:`exactnet.evaluate.evaluate`, plain ``mpq`` arithmetic
node by node), the Fraction evaluator of ``tests.strategies`` (written from the
definition, no exactnet evaluation code), or closed forms derived by hand (each
says how).

The engine has two integer routes, float64 limbs and Python ints, chosen per
level.  Tests run it three ways through two white-box knobs of the module:

* ``default`` -- as shipped;
* ``python`` -- ``_MAX_TERMS = -1``: every level on Python ints;
* ``narrow`` -- ``_MAX_K = 3``: limbs of at most 3 bits, so every value of more
  than 3 bits is multi-limb, weights are split into digits, and carries happen
  everywhere (the limb machinery under stress, on small networks).
"""

from __future__ import annotations

import contextlib
import math
from fractions import Fraction
from collections.abc import Iterator
from typing import Any

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import exactnet.evaluate as E
from exactnet.constructions.yarotsky2017 import sawtooth_net, square_net
from exactnet.evaluate import (
    ScaledBatch,
    activation_pattern,
    evaluate,
    evaluate_batch,
    evaluate_float,
    evaluate_scaled,
)
from exactnet.exceptions import InexactInputError, InvalidArgument
from exactnet.network import Network
from exactnet.numbers import Q, q

from tests.strategies import fraction_eval, networks, to_fraction

SETTINGS = settings(max_examples=40, deadline=None)
ROUTES = ("default", "python", "narrow")


@contextlib.contextmanager
def route(name: str, net: Network | None = None) -> Iterator[None]:
    """Run the engine on one route (see the module docstring); plans are rebuilt."""
    old = (E._MAX_TERMS, E._MAX_K)
    if name == "python":
        E._MAX_TERMS = -1
    elif name == "narrow":
        E._MAX_TERMS, E._MAX_K = 10**9, 3
    if net is not None:
        net._cache.pop("plans", None)
    try:
        yield
    finally:
        E._MAX_TERMS, E._MAX_K = old
        if net is not None:
            net._cache.pop("plans", None)


def obj(values: list[Any]) -> np.ndarray:
    """Python ints as an object array (shape (N,) or (N, d)), never through int64."""
    a = np.empty(
        (len(values), len(values[0]))
        if values and isinstance(values[0], list)
        else len(values),
        dtype=object,
    )
    a[...] = values
    return a


def reference(net: Network, nums: list[list[int]], den: int) -> list[tuple[Q, ...]]:
    return [evaluate(net, [Q(v, den) for v in row]) for row in nums]


def tent() -> Network:
    """g(x) = 2 relu(x) - 4 relu(x - 1/2)."""
    return Network.from_layers([[[1], [1]], [[2, -4]]], [[0, "-1/2"], [0]])


# -- hand-derived values -----------------------------------------------------------


def test_tent_by_hand() -> None:
    # g(k/8) = 2k/8 for k <= 4 and 2 - 2k/8 for 4 <= k <= 8 (the tent on [0, 1]);
    # below 0 both ReLUs are off, so g = 0; above 1, g(x) = 2 - 2x.
    g = tent()
    ks = list(range(-3, 12))
    expected = [
        Fraction(0)
        if k < 0
        else Fraction(2 * k, 8)
        if k <= 4
        else 2 - Fraction(2 * k, 8)
        for k in ks
    ]
    for name in ROUTES:
        with route(name, g):
            got = evaluate_scaled(g, ks, 8).values()
        assert [to_fraction(v) for (v,) in got] == expected, name
    assert [
        to_fraction(v) for (v,) in evaluate_batch(g, [Q(k, 8) for k in ks])
    ] == expected
    assert [to_fraction(evaluate(g, Q(k, 8))[0]) for k in ks] == expected
    assert activation_pattern(g, "3/4") == {"h1_1": True, "h1_2": True}
    assert activation_pattern(g, "1/2") == {"h1_1": True, "h1_2": False}
    assert activation_pattern(g, "-1") == {"h1_1": False, "h1_2": False}


def test_sawtooth16_on_the_grid_by_hand() -> None:
    # Yarotsky 2017, Lemma 2: g_s(k / 2^s) = k mod 2 for 0 <= k <= 2^s, and g_s is
    # linear between grid points, so g_s((2j + 1) / 2^(s+1)) = 1/2.
    s = 16
    net = sawtooth_net(s)
    ks = list(range(0, 2**s + 1, 37)) + [2**s - 1, 2**s]
    mids = [2 * j + 1 for j in range(0, 2**s, 997)]
    for name in ROUTES:
        with route(name, net):
            r = evaluate_scaled(net, np.array(ks, dtype=np.int64), 2**s)
            m = evaluate_scaled(net, mids, 2 ** (s + 1))
        assert [v for (v,) in r.values()] == [Q(k % 2) for k in ks], name
        assert {v for (v,) in m.values()} == {Q(1, 2)}, name
    r = evaluate_scaled(net, ks, 2**s)
    assert (r.int64_levels, r.limb_levels, r.object_levels) == (17, 0, 0)
    assert r.denominators == (2**s,)
    # the reference loop on a few of them
    assert [evaluate(net, Q(k, 2**s))[0] for k in ks[:20]] == [
        Q(k % 2) for k in ks[:20]
    ]
    # the float twin: these values are small dyadics, exact in float64
    xs = np.array(ks, dtype=np.float64) / 2**s
    assert evaluate_float(net, xs).ravel().tolist() == [float(k % 2) for k in ks]


def test_square_net_skip_connections_by_hand() -> None:
    # Yarotsky 2017, Proposition 2: f_m interpolates x^2 at the points k / 2^m.
    # square_net is a DAG with skip connections from x and every level into y;
    # its weights 2^-2s make the common denominators grow to 2^(3m).
    m = 18
    net = square_net(m)
    ks = list(range(0, 2**m + 1, 4099)) + [2**m]
    expected = [Q(k * k, 4**m) for k in ks]
    for name in ROUTES:
        with route(name, net):
            got = [v for (v,) in evaluate_scaled(net, ks, 2**m).values()]
        assert got == expected, name
    assert [evaluate(net, Q(k, 2**m))[0] for k in ks[:5]] == expected[:5]


def deep_chain(depth: int) -> Network:
    """h_l = relu(3 h_{l-1} + 1), h_0 = x; outputs y = h_depth and
    z = relu(3^depth - 1/2 - h_depth) (identity y, ReLU z)."""
    G = nx.DiGraph()
    G.add_node("x")
    prev = "x"
    for l in range(1, depth + 1):
        G.add_node(f"h{l}", bias=1, act="relu")
        G.add_edge(prev, f"h{l}", weight=3)
        prev = f"h{l}"
    G.add_node("y", bias=0, act="identity")
    G.add_edge(prev, "y", weight=1)
    G.add_node("z", bias=Q(2 * 3**depth - 1, 2), act="relu")
    G.add_edge(prev, "z", weight=-1)
    return Network.from_graph(G, ["x"], ["y", "z"])


def test_deep_chain_multi_limb_by_hand() -> None:
    # For x >= 0 every ReLU of the chain is active, so by induction
    # h_l = 3^l x + (3^l - 1)/2.  At x = k/2^10 the output y = h_40 has
    # numerators near 3^40 * 2^10 ~ 2^74: beyond int64 and beyond one limb.
    # z = relu(3^40 - 1/2 - h_40), and 3^40 - 1/2 - 3^40 x - (3^40 - 1)/2 =
    # 3^40 (1/2 - x), so z = 3^40 (1/2 - x) for x <= 1/2 and 0 beyond: the sign
    # of a 75-bit pre-activation flips at k = 512 exactly.
    depth = 40
    net = deep_chain(depth)
    ks = [0, 1, 500, 510, 511, 512, 513, 514, 1023, 1024, 2**20]
    t = 3**depth
    expected = [
        (
            Fraction(t * k, 2**10) + Fraction(t - 1, 2),
            max(t * (Fraction(1, 2) - Fraction(k, 2**10)), Fraction(0)),
        )
        for k in ks
    ]
    for name in ROUTES:
        with route(name, net):
            r = evaluate_scaled(net, ks, 2**10)
        assert [tuple(map(to_fraction, v)) for v in r.values()] == expected, name
        if name == "default":
            assert r.limb_levels > 0 and r.object_levels == 0
            assert r.numerators.dtype == object  # the outputs outgrow int64
        if name == "python":
            assert r.object_levels == depth + 1
    assert [
        tuple(map(to_fraction, evaluate(net, Q(k, 2**10)))) for k in ks[:6]
    ] == expected[:6]


def test_zero_weight_edges_from_huge_sources() -> None:
    # h = relu(2^100 x), u = relu(2^100 h) are huge, but reach y only through weight
    # 0: y = x + 1/2 (by hand).  v = relu(-2^90 x) + x reaches w with weight 0 too.
    G = nx.DiGraph()
    G.add_node("x")
    G.add_node("h", bias=0, act="relu")
    G.add_node("u", bias=0, act="relu")
    G.add_node("y", bias=Q(1, 2), act="identity")
    G.add_edge("x", "h", weight=2**100)
    G.add_edge("h", "u", weight=2**100)
    G.add_edge("u", "y", weight=0)
    G.add_edge("h", "y", weight=0)
    G.add_edge("x", "y", weight=1)
    net = Network.from_graph(G, ["x"], ["y"])
    ks = [-(2**40), -3, 0, 5, 2**40, 2**62]
    for name in ROUTES:
        with route(name, net):
            got = [v for (v,) in evaluate_scaled(net, obj(ks), 2**7).values()]
        assert got == [Q(k, 2**7) + Q(1, 2) for k in ks], name


def test_identity_and_relu_in_one_level_with_huge_weights() -> None:
    # a = relu(-2^70 x) and b = 2^70 x (identity) share a level; y = a + b + 2^-70 x.
    # By hand: for x < 0, a = -2^70 x = -b, so y = 2^-70 x; for x >= 0, a = 0 and
    # y = (2^70 + 2^-70) x.
    G = nx.DiGraph()
    G.add_node("x")
    G.add_node("a", bias=0, act="relu")
    G.add_node("b", bias=0, act="identity")
    G.add_node("y", bias=0, act="identity")
    G.add_edge("x", "a", weight=-(2**70))
    G.add_edge("x", "b", weight=2**70)
    G.add_edge("a", "y", weight=1)
    G.add_edge("b", "y", weight=1)
    G.add_edge("x", "y", weight=Q(1, 2**70))
    net = Network.from_graph(G, ["x"], ["y"])
    ks = [-(2**30), -7, -1, 0, 1, 3, 2**45]
    den = 2**9

    def by_hand(k: int) -> Fraction:
        x = Fraction(k, den)
        return x / 2**70 if x < 0 else (2**70 + Fraction(1, 2**70)) * x

    for name in ROUTES:
        with route(name, net):
            got = [to_fraction(v) for (v,) in evaluate_scaled(net, ks, den).values()]
        assert got == [by_hand(k) for k in ks], name


def test_extreme_integer_inputs() -> None:
    # y = 3x - 1 exactly, by hand, for int64 extremes, uint64 and Python ints.
    net = Network.from_layers([[[3]]], [[-1]])
    cases: list[Any] = [
        np.array([-(2**63), -1, 0, 2**63 - 1], dtype=np.int64),
        np.array([0, 2**64 - 1], dtype=np.uint64),
        obj([-(2**300), 2**200 + 1, 7]),
        [q(12345).numerator, 2**70],  # an mpz and a Python int
    ]
    for name in ROUTES:
        for ks in cases:
            with route(name, net):
                got = evaluate_scaled(net, ks, 2**5).values()
            assert [v for (v,) in got] == [Q(3 * int(k), 2**5) - 1 for k in ks], name


# -- random networks against the reference -------------------------------------------


@st.composite
def dyadic_batches(draw: Any, d: int) -> tuple[list[list[int]], int]:
    p = draw(st.integers(0, 12))
    n = draw(st.integers(1, 12))
    bound = draw(st.sampled_from([4, 2**20, 2**62, 2**90]))
    nums = [
        [draw(st.integers(-bound * 2**p, bound * 2**p)) for _ in range(d)]
        for _ in range(n)
    ]
    return nums, 2**p


@SETTINGS
@given(st.data())
def test_random_networks_all_routes(data: Any) -> None:
    net = data.draw(networks())
    nums, den = data.draw(dyadic_batches(len(net.inputs)))
    expected = reference(net, nums, den)
    assert expected == [
        tuple(
            Q(f.numerator, f.denominator)
            for f in fraction_eval(net, [Fraction(v, den) for v in row])
        )
        for row in nums
    ]
    for name in ROUTES:
        with route(name, net):
            assert evaluate_scaled(net, obj(nums), den).values() == expected, name


def wild_weight() -> st.SearchStrategy[Q]:
    """Weights from tiny (2^-80) to huge (2^80), dyadic, zero included."""
    small = st.builds(lambda k, p: Q(k, 2**p), st.integers(-16, 16), st.integers(0, 4))
    huge = st.builds(lambda m, e: Q(m * 2**e), st.integers(-3, 3), st.integers(60, 80))
    tiny = st.builds(lambda m, e: Q(m, 2**e), st.integers(-3, 3), st.integers(60, 80))
    return st.one_of(small, small, huge, tiny)


@st.composite
def wild_networks(draw: Any) -> Network:
    """Layered networks up to depth 8 with huge and tiny weights and biases,
    hidden layers ReLU or identity."""
    d = draw(st.integers(1, 2))
    depth = draw(st.integers(1, 8))
    widths = (
        [d]
        + [draw(st.integers(1, 3)) for _ in range(depth - 1)]
        + [draw(st.integers(1, 2))]
    )
    Ws = [
        [[draw(wild_weight()) for _ in range(widths[l - 1])] for _ in range(widths[l])]
        for l in range(1, len(widths))
    ]
    bs = [
        [draw(wild_weight()) for _ in range(widths[l])] for l in range(1, len(widths))
    ]
    acts = [draw(st.sampled_from(["relu", "relu", "identity"])) for _ in range(depth)]
    return Network.from_layers(Ws, bs, acts)


@settings(max_examples=30, deadline=None)
@given(st.data())
def test_huge_and_tiny_weights_all_routes(data: Any) -> None:
    net = data.draw(wild_networks())
    nums, den = data.draw(dyadic_batches(len(net.inputs)))
    expected = reference(net, nums, den)
    for name in ROUTES:
        with route(name, net):
            assert evaluate_scaled(net, obj(nums), den).values() == expected, name


def test_big_integer_routes_are_exercised() -> None:
    # not a value check: makes sure the cases above reach multi-limb levels and the
    # Python-int fallback on the default route (huge weights, deep network)
    W = [[[Q(3 * 2**70 + 1)], [Q(-(2**75))]]] + [
        [[Q(2**79 + 5), Q(-(2**61))], [Q(1, 2**70), Q(7)]] for _ in range(7)
    ]
    b = [[Q(1, 2**80), Q(2**64)]] * 8
    net = Network.from_layers(W, b, ["relu", "identity"] * 4)
    nums = [[k] for k in (-5, 0, 3, 2**40)]
    r = evaluate_scaled(net, obj(nums), 2**3)
    assert r.limb_levels > 0 and r.object_levels > 0
    assert r.values() == reference(net, nums, 2**3)


@SETTINGS
@given(st.data())
def test_per_point_denominators(data: Any) -> None:
    # random Fractions with unrelated denominators: their lcm passes 64 bits, so
    # evaluate_batch gives every point its own extra denominator
    net = data.draw(networks())
    d = len(net.inputs)
    coord = st.builds(Fraction, st.integers(-(10**6), 10**6), st.integers(1, 2**40))
    pts = data.draw(st.lists(st.tuples(*[coord] * d), min_size=8, max_size=12))
    expected = [
        tuple(Q(f.numerator, f.denominator) for f in fraction_eval(net, p)) for p in pts
    ]
    assert evaluate_batch(net, pts, method="mpq") == expected
    for name in ROUTES:
        with route(name, net):
            assert evaluate_batch(net, pts, method="scaled") == expected, name
            # the same through evaluate_scaled, with each point's own lcm as its scale
            scales = [math.lcm(*(f.denominator for f in p)) for p in pts]
            nums = [[int(f * s) for f in p] for p, s in zip(pts, scales)]
            r = evaluate_scaled(net, obj(nums), 1, point_scale=obj(scales))
            assert r.values() == expected, name


def test_per_point_denominators_with_huge_biases() -> None:
    # the bias of a level multiplies each point's own scale:
    # y = relu(2^70 x + 2^-70) - relu(x) (both hidden neurons are ReLUs)
    net = Network.from_layers(
        [[[Q(2**70)], [Q(1)]], [[Q(1), Q(-1)]]],
        [[Q(1, 2**70), Q(0)], [Q(0)]],
        ["relu", "identity"],
    )
    pts = [
        Fraction(-3, 7),
        Fraction(5, 11),
        Fraction(-1, 2**141),
        Fraction(-1, 2**139),
        Fraction(2**80 + 1, 3**50),
    ]

    def by_hand(x: Fraction) -> Fraction:
        a = 2**70 * x + Fraction(1, 2**70)
        return max(a, Fraction(0)) - max(x, Fraction(0))

    for name in ROUTES:
        with route(name, net):
            got = evaluate_batch(net, pts, method="scaled")
        assert [to_fraction(v) for (v,) in got] == [by_hand(x) for x in pts], name


def test_skip_connections_and_identity_hidden_layers() -> None:
    # x -> a = 2x (identity) -> b = relu(a - 1) -> y = b - a + x/2 + 1, with the skips
    # x -> y and a -> y.  By hand: y = relu(2x - 1) - 2x + x/2 + 1, which is
    # 1 - 3x/2 for x <= 1/2 and x/2 beyond.
    G = nx.DiGraph()
    G.add_node("x")
    G.add_node("a", bias=0, act="identity")
    G.add_node("b", bias=-1, act="relu")
    G.add_node("y", bias=1, act="identity")
    G.add_edge("x", "a", weight=2)
    G.add_edge("a", "b", weight=1)
    G.add_edge("b", "y", weight=1)
    G.add_edge("a", "y", weight=-1)
    G.add_edge("x", "y", weight=Q(1, 2))
    net = Network.from_graph(G, ["x"], ["y"])
    ks = list(range(-8, 17))
    expected = [1 - Fraction(3 * k, 16) if k <= 4 else Fraction(k, 16) for k in ks]
    for name in ROUTES:
        with route(name, net):
            assert [
                to_fraction(v) for (v,) in evaluate_scaled(net, ks, 8).values()
            ] == expected, name
    assert [
        to_fraction(v)
        for (v,) in evaluate_batch(net, [Q(k, 8) for k in ks], method="mpq")
    ] == expected


# -- the limb machinery ----------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.integers(-(2**300), 2**300) | st.integers(-(2**64), 2**64),
        min_size=1,
        max_size=20,
    ),
    st.sampled_from([1, 3, 17, 41, 50]),
)
def test_split_and_join_are_inverse(values: list[int], k: int) -> None:
    L = E._split_ints(obj(values).reshape(-1, 1), k)
    assert all(max(-lo, hi) < 2**k for lo, hi in zip(L.lo[:-1], L.hi[:-1]))
    assert E._join(L.a, L.lo, L.hi, k).ravel().tolist() == values


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(-(2**53), 2**53), min_size=1, max_size=20),
    st.sampled_from([1, 5, 26, 41, 50]),
)
def test_carry_at_the_edge_of_exactness(values: list[int], k: int) -> None:
    # one limb holding integers up to 2^53 in magnitude, plus a second limb near 2^53:
    # carrying must keep the value (checked with Python ints) and normalise the limbs
    a = np.array(values, dtype=np.float64).reshape(-1, 1)  # exact: |v| <= 2^53
    top = np.full_like(a, float(2**53 - 2**40))
    L = E._Limbs([a, top], [min(values), 2**53 - 2**40], [max(values), 2**53 - 2**40])
    E._carry(L, 0, k, a.shape)  # carries the top first: the carry would pass 2^53
    E._normalise(L, k, a.shape)
    E._settle_top(L, k, a.shape)
    assert all(0 <= lo and hi < 2**k for lo, hi in zip(L.lo[:-1], L.hi[:-1]))
    assert max(-L.lo[-1], L.hi[-1]) < 2**k
    got = E._join(L.a, L.lo, L.hi, k).ravel().tolist()
    assert got == [v + ((2**53 - 2**40) << k) for v in values]


def test_limb_width_keeps_products_below_2_53() -> None:
    # k = 52 - ceil(log2(column sum)) for small weights; digits otherwise
    assert E._limb_width([[[64] * 32]]) == 52 - 6  # one row: column sums 64
    assert E._limb_width([[[64]] * 32]) == 52 - 11  # 32 rows of 64: sum 2^11
    k = E._limb_width([[[2**70, -(2**70)], [3, 4]]])
    digits, sums = E._split_weights([[2**70, -(2**70)], [3, 4]], k)
    assert len(digits) > 1 and all(s * (2**k - 1) <= 2**52 for s in sums)
    # the digits reassemble the weights
    rebuilt = sum(
        np.array(dg, dtype=object) * 2 ** (k * j)
        for j, dg in enumerate(d.astype(np.int64) for d in digits)
    )
    assert rebuilt.tolist() == [[2**70, -(2**70)], [3, 4]]


# -- batches, values, floats ------------------------------------------------------


def test_batch_methods_agree_on_mixed_points() -> None:
    net = Network.from_layers([[[1, -2], [Q(1, 3), 1]], [[1, 1]]], [[0, "1/5"], [0]])
    pts = [
        ["1/3", 2],
        [Fraction(1, 7), "0.25"],
        (q(5), -1),
        np.array([3, 4]),
        ["2^-5", "1e-3"],
    ] * 2
    ref = [
        tuple(
            Q(f.numerator, f.denominator) for f in fraction_eval(net, [q(v) for v in p])
        )
        for p in pts
    ]
    for method in ("auto", "scaled", "mpq"):
        assert evaluate_batch(net, pts, method=method) == ref
    assert evaluate_batch(net, [], method="scaled") == []


def test_scaled_batch_shapes_and_empty() -> None:
    net = Network.from_layers([[[1], [2]], [[1, 1], [1, -1]]], [[0, 0], [0, "1/3"]])
    r = evaluate_scaled(net, np.zeros((0, 1), dtype=np.int64), 4)
    assert isinstance(r, ScaledBatch)
    assert r.numerators.shape == (0, 2) and r.values() == []
    r = evaluate_scaled(net, [1, 2], 4)
    assert r.denominators == (12, 12)  # one common denominator per level: lcm(4, 3)
    assert r.numerators.dtype == np.int64
    # output 1 is x + 2x = 3x, output 2 is x - 2x + 1/3 = 1/3 - x (by hand)
    assert r.values() == [(Q(3, 4), Q(1, 3) - Q(1, 4)), (Q(3, 2), Q(1, 3) - Q(1, 2))]


def test_evaluate_float_mixed_activations() -> None:
    # floats of small dyadics are exact here: y = relu(x) + (-x) with one relu and
    # one identity neuron in the same level
    G = nx.DiGraph()
    G.add_node("x")
    G.add_node("a", bias=0, act="relu")
    G.add_node("b", bias=0, act="identity")
    G.add_node("y", bias=0, act="identity")
    G.add_edge("x", "a", weight=1)
    G.add_edge("x", "b", weight=-1)
    G.add_edge("a", "y", weight=1)
    G.add_edge("b", "y", weight=1)
    net = Network.from_graph(G, ["x"], ["y"])
    assert evaluate_float(net, [-0.5, 0.25]).ravel().tolist() == [0.5, 0.0]


# -- errors ---------------------------------------------------------------------


def test_errors() -> None:
    g = tent()
    two = Network.from_layers([[[1, 1]]], [[0]])
    with pytest.raises(InvalidArgument, match="shape"):
        evaluate_scaled(g, [[1, 2]], 4)
    with pytest.raises(InvalidArgument, match="shape"):
        evaluate_scaled(two, [1, 2], 4)
    with pytest.raises(InvalidArgument, match="floats"):
        evaluate_scaled(g, np.array([0.5]), 4)
    with pytest.raises(InvalidArgument, match="floats"):
        evaluate_scaled(g, [1, 2.0], 4)
    with pytest.raises(InvalidArgument, match="floats"):
        evaluate_scaled(g, obj([1, 0.5]), 4)
    with pytest.raises(InvalidArgument, match="integers"):
        evaluate_scaled(g, obj([1, Fraction(1, 2)]), 4)
    with pytest.raises(InvalidArgument, match="integers"):
        evaluate_scaled(g, np.array([True]), 4)
    for bad in (0, -4, 1.0, "4", True):
        with pytest.raises(InvalidArgument, match="denominator"):
            evaluate_scaled(g, [1], bad)  # type: ignore[arg-type]
    with pytest.raises(InvalidArgument, match="point_scale"):
        evaluate_scaled(g, [1, 2], 1, point_scale=[1])
    with pytest.raises(InvalidArgument, match="positive"):
        evaluate_scaled(g, [1, 2], 1, point_scale=[1, 0])
    with pytest.raises(InvalidArgument, match="positive"):
        evaluate_scaled(g, [1, 2], 1, point_scale=[-3, 1])
    with pytest.raises(InvalidArgument, match="floats"):
        evaluate_scaled(g, [1, 2], 1, point_scale=[1.0, 2.0])
    with pytest.raises(InvalidArgument, match="method"):
        evaluate_batch(g, ["1/2"], method="fast")
    with pytest.raises(InvalidArgument, match="coordinates"):
        evaluate(g, ["1/2", "1/3"])
    with pytest.raises(InvalidArgument, match="coordinates"):
        evaluate_batch(two, ["1/2"] * 10)
    with pytest.raises(InexactInputError):
        evaluate(g, 0.5)
    with pytest.raises(InexactInputError):
        evaluate_batch(g, [0.5] * 10)
