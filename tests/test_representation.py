"""Tests of exactnet.representation: PWL function -> ReLU network, exactly."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exactnet.constructions.yarotsky2017 import tent_net
from exactnet.evaluate import evaluate
from exactnet.exceptions import InexactInputError, InvalidArgument
from exactnet.network import Network
from exactnet.numbers import Interval, Q, q
from exactnet.pwl import PiecewiseLinear, to_pwl
from exactnet.representation import FORMS, representation_size, to_network
from tests.strategies import (
    fraction_eval,
    points_in,
    pwl_functions,
    pwl_reference,
    to_fraction,
)


def pts(*pairs: tuple[object, object]) -> PiecewiseLinear:
    return PiecewiseLinear.from_points(pairs)  # type: ignore[arg-type]


TENT = pts((0, 0), ("1/2", 1), (1, 0))
SINGLE = pts((-1, "-5/2"), (2, 2))  # 3x/2 - 1 on [-1, 2]
CONSTANT = pts((0, "2/3"), (1, "2/3"), ("5/2", "2/3"), (5, "2/3"))  # 3 collinear pieces
ZIGZAG = pts((0, 0), (1, 1), (2, 0), (3, 1), (4, 0))
FLAT_START = pts((0, 1), (2, 1), (3, -5), (4, 7))  # s_1 = 0
POINT = PiecewiseLinear((q(3),), (q("-7/4"),))

# (canonical pieces, shallow size, deep size), each size as
# (depth, width, neurons, weights), all counted by hand from the points above
HAND = [
    (TENT, 2, (2, 2, 3, 4), (2, 2, 3, 4)),
    (SINGLE, 1, (2, 1, 2, 2), (2, 1, 2, 2)),
    (CONSTANT, 1, (1, 0, 1, 0), (1, 0, 1, 0)),  # starts flat: y1 = 2/3, no edge
    (ZIGZAG, 4, (2, 4, 5, 8), (4, 2, 7, 10)),
    (FLAT_START, 3, (2, 2, 3, 4), (3, 2, 4, 5)),  # starts flat: relu(x - 0) left out
    (POINT, 0, (1, 0, 1, 0), (1, 0, 1, 0)),
]


def round_trip(f: PiecewiseLinear, form: str) -> PiecewiseLinear:
    return to_pwl(to_network(f, form=form), f.domain).canonical()


def canonical_pieces_by_hand(f: PiecewiseLinear) -> int:
    """Pieces after merging collinear neighbours, counted with Fraction slopes."""
    xs = [to_fraction(v) for v in f.xs]
    ys = [to_fraction(v) for v in f.ys]
    slopes = [(b - a) / (d - c) for a, b, c, d in zip(ys, ys[1:], xs, xs[1:])]
    return (1 + sum(1 for s, t in zip(slopes, slopes[1:]) if s != t)) if slopes else 0


# -- hand-made functions -------------------------------------------------------------


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("f", [TENT, SINGLE, CONSTANT, ZIGZAG, FLAT_START, POINT])
def test_round_trip_hand_made(f: PiecewiseLinear, form: str) -> None:
    assert round_trip(f, form).equals(f.canonical())
    assert round_trip(f, form).xs == f.canonical().xs


@pytest.mark.parametrize("f, n, shallow, deep", HAND)
def test_size_by_hand(
    f: PiecewiseLinear, n: int, shallow: tuple[int, ...], deep: tuple[int, ...]
) -> None:
    assert canonical_pieces_by_hand(f) == n == f.canonical().pieces
    for form, size in (("shallow", shallow), ("deep", deep)):
        m = representation_size(f, form=form)
        assert (m.depth, m.width, m.neurons, m.weights) == size
        assert m.edges == m.weights  # no zero-weight edge is kept
        assert m.relu_neurons == m.neurons - 1


def test_tent_is_the_tent_net() -> None:
    # 2 relu(x) - 4 relu(x - 1/2): the same weights as Yarotsky's tent_net
    net = to_network(TENT)
    assert net.layers() == tent_net().layers()
    assert [evaluate(net, x)[0] for x in ("0", "1/4", "1/2", "3/4", "1")] == [
        0, Q(1, 2), 1, Q(1, 2), 0,
    ]


def test_single_piece_weights() -> None:
    # 3x/2 - 1 on [-1, 2] = -5/2 + 3/2 relu(x + 1)
    hidden, out = to_network(SINGLE).layers()  # type: ignore[misc]
    assert hidden.weights == ((1,),) and hidden.biases == (1,)
    assert out.weights == ((Q(3, 2),),) and out.biases == (Q(-5, 2),)


def test_constant_is_an_affine_network() -> None:
    net = to_network(CONSTANT)
    assert net.neurons == ("y1",) and net.edges() == ()
    assert net.bias("y1") == Q(2, 3)
    assert [evaluate(net, x)[0] for x in (0, "7/3", 5)] == [Q(2, 3)] * 3


def test_flat_start_leaves_out_the_leading_term() -> None:
    # 1 on [0, 2], then slope -6, then slope 12: 1 - 6 relu(x - 2) + 18 relu(x - 3)
    hidden, out = to_network(FLAT_START).layers()  # type: ignore[misc]
    assert hidden.biases == (-2, -3)
    assert out.weights == ((-6, 18),) and out.biases == (1,)
    # deep: g_1 = -6 relu(x - 2) has min -12 on [0, 4], so M = 12 sits in A_1's bias
    l1, l2, out = to_network(FLAT_START, form="deep").layers()  # type: ignore[misc]
    assert l1.weights == ((1,),) and l1.biases == (-2,)
    assert l2.weights == ((1,), (-6,)) and l2.biases == (-1, 12)
    assert out.weights == ((18, 1),) and out.biases == (1 - 12,)


def test_one_point_domain_is_a_constant_network() -> None:
    net = to_network(POINT)
    assert evaluate(net, 3) == (Q(-7, 4),)
    assert to_pwl(net, Interval(3, 3)).equals(POINT)
    assert net.metadata["pieces"] == 0 and net.metadata["domain"] == ["3", "3"]


def test_deep_zigzag_weights_by_hand() -> None:
    # s = 1, -1, 1, -1; c = -2, 2, -2;
    # g_0 = x, g_1 = x - 2 relu(x - 1), g_2 = g_1 + 2 relu(x - 2)
    # min over [0, 4]: g_0 0, g_1 -2 (at 4), g_2 0  ->  offset M = 2
    net = to_network(ZIGZAG, form="deep")
    assert net.metadata["offset"] == "2"
    l1, l2, l3, out = net.layers()  # type: ignore[misc]
    assert l1.weights == ((1,), (1,)) and l1.biases == (-1, 2)
    assert l2.weights == ((1, 0), (-2, 1)) and l2.biases == (-1, 0)
    assert l3.weights == ((1, 0), (2, 1)) and l3.biases == (-1, 0)
    assert out.weights == ((-2, 1),) and out.biases == (-2,)


def test_metadata() -> None:
    net = to_network(ZIGZAG)
    assert net.metadata["form"] == "shallow"
    assert net.metadata["pieces"] == 4
    assert net.metadata["breakpoints"] == ["0", "1", "2", "3", "4"]
    assert net.metadata["domain"] == ["0", "4"]
    assert "1611.01491" in net.metadata["reference"]
    assert net.metadata["valid_on"] == "the domain only"
    assert "1708.02691" in to_network(ZIGZAG, form="deep").metadata["reference"]


def test_shallow_outside_the_domain() -> None:
    # documented: constant y_0 left of x_0, the last piece continued right of x_n
    net = to_network(ZIGZAG)
    assert evaluate(net, -5)[0] == 0
    assert evaluate(net, 6)[0] == -2


@pytest.mark.parametrize(
    "bad, form, message",
    [
        (TENT, "wide", "form='wide'"),
        (TENT, "Shallow", "form='Shallow'"),
        ([(0, 0), (1, 1)], "shallow", "needs a PiecewiseLinear, got list"),
        (tent_net(), "shallow", "needs a PiecewiseLinear, got Network"),
    ],
)
def test_refusals(bad: object, form: str, message: str) -> None:
    with pytest.raises(InvalidArgument, match=message):
        to_network(bad, form=form)  # type: ignore[arg-type]
    with pytest.raises(InvalidArgument):
        representation_size(bad, form=form)  # type: ignore[arg-type]


def test_int_data_goes_through_the_gate() -> None:
    # PiecewiseLinear((0, 2), (0, 1)).slopes is (0.5,) as a float (see
    # test_pwl_algebra.test_int_data_stays_exact); to_network converts first
    f = PiecewiseLinear((0, 2, 3), (0, 1, 0))  # type: ignore[arg-type]
    for form in FORMS:
        net = to_network(f, form=form)
        got = [evaluate(net, x)[0] for x in (0, 1, 2, "5/2")]
        assert got == [0, Q(1, 2), 1, Q(1, 2)]
    with pytest.raises(InexactInputError):
        to_network(PiecewiseLinear((0.0, 0.5), (0, 1)))  # type: ignore[arg-type]


def test_result_is_a_plain_relu_network() -> None:
    for form in FORMS:
        net = to_network(ZIGZAG, form=form)
        assert isinstance(net, Network)
        assert net.inputs == ("x1",) and net.outputs == ("y1",)
        layers = net.layers()
        assert layers is not None
        assert {layer.activation for layer in layers[:-1]} == {"relu"}
        assert layers[-1].activation == "identity"


# -- properties ----------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(pwl_functions(max_pieces=7), st.sampled_from(FORMS))
def test_round_trip_property(f: PiecewiseLinear, form: str) -> None:
    g = round_trip(f, form)
    assert g.equals(f.canonical())
    assert g.xs == f.canonical().xs


@settings(max_examples=60, deadline=None)
@given(st.data(), st.sampled_from(FORMS))
def test_equals_f_pointwise(data: st.DataObject, form: str) -> None:
    f = data.draw(pwl_functions(max_pieces=6))
    net = to_network(f, form=form)
    for _ in range(3):
        x = data.draw(points_in(f.domain, f.xs))
        expected = pwl_reference(f, x)
        assert evaluate(net, x)[0] == expected
        assert fraction_eval(net, [to_fraction(x)])[0] == expected


@settings(max_examples=40, deadline=None)
@given(
    pwl_functions(domain=Interval(0, 0))
    | pwl_functions(domain=Interval("1/3", "1/3"))
)
def test_one_point_property(f: PiecewiseLinear) -> None:
    assert round_trip(f, "shallow").equals(f)
    assert round_trip(f, "deep").equals(f)


@settings(max_examples=60, deadline=None)
@given(pwl_functions(max_pieces=7))
def test_size_is_the_number_of_canonical_pieces(f: PiecewiseLinear) -> None:
    n = canonical_pieces_by_hand(f)
    z = 1 if f.ys[1] == f.ys[0] else 0  # starts flat: the leading term vanishes
    shallow = representation_size(f)
    size = (shallow.depth, shallow.width, shallow.neurons, shallow.weights)
    if n == z:  # constant
        assert size == (1, 0, 1, 0)
    else:
        assert size == (2, n - z, n - z + 1, 2 * (n - z))
    deep = representation_size(f, form="deep")
    if n == 1 or (n == 2 and z):
        assert deep == shallow
    else:
        size = (deep.depth, deep.width, deep.neurons, deep.weights)
        assert size == (n, 2, 2 * n - 1 - z, 3 * n - 2 - 2 * z)


@settings(max_examples=40, deadline=None)
@given(pwl_functions(max_pieces=5), st.sampled_from(FORMS))
def test_network_depends_only_on_the_function(f: PiecewiseLinear, form: str) -> None:
    # splitting the first piece at its midpoint does not change the function
    a, b = to_fraction(f.xs[0]), to_fraction(f.xs[1])
    ya, yb = to_fraction(f.ys[0]), to_fraction(f.ys[1])
    mid, ymid = (a + b) / 2, (ya + yb) / 2
    split = PiecewiseLinear(
        (f.xs[0], Q(mid.numerator, mid.denominator), *f.xs[1:]),
        (f.ys[0], Q(ymid.numerator, ymid.denominator), *f.ys[1:]),
    )
    assert to_network(split, form=form) == to_network(f, form=form)
