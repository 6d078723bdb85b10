"""exactnet.quantize: alphabets, nearest elements, snapping, bit accounting.

Every expected value is worked out by hand in the comment beside it, or comes
from an independent route (Fraction arithmetic written here, io.formats).
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exactnet.constructions.yarotsky2017 import tent_net
from exactnet.exceptions import InvalidArgument
from exactnet.io.formats import snap_network
from exactnet.network import Network
from exactnet.numbers import Q
from exactnet.quantize import Alphabet, as_alphabet, memory, outside, snap, weight_bits
from tests.strategies import layered_networks

SETTINGS = settings(max_examples=40, deadline=None)

N = Network.from_layers([[["1/3"], ["1/2"]], [["3/4", "-5/8"]]], [["0", "1/10"], ["0"]])


def test_grid_membership_and_size() -> None:
    A = Alphabet.grid(2)
    assert Q(3, 4) in A and Q(-7, 4) in A and Q(1, 8) not in A and Q(1, 3) not in A
    assert A.size is None and A.bits is None
    B = Alphabet.grid(2, bound=1)  # {-1, -3/4, ..., 3/4, 1}: 9 values, ceil(log2 9) = 4 bits
    assert B.size == 9 and B.bits == 4 and Q(5, 4) not in B
    assert B.elements() == tuple(Q(i, 4) for i in range(-4, 5))


def test_fixed_point() -> None:
    # 4-bit sign-magnitude with 2 fractional bits: m/4, |m| <= 7: 15 values, 4 bits
    A = Alphabet.fixed_point(4, frac_bits=2)
    assert A.size == 15 and A.bits == 4 and A.bound == Q(7, 4)
    assert Q(7, 4) in A and Q(2) not in A
    assert A.nearest(Q(5)) == Q(7, 4) and A.nearest(Q(-5)) == Q(-7, 4)  # saturates
    assert A.nearest(Q(3, 8)) == Q(2, 4)  # 3/8 = 1.5/4: a tie, to the even multiple 2/4


def test_finite_nearest_ties() -> None:
    A = Alphabet.finite(["-1", "-1/2", "1/2", "1"])
    assert A.size == 4 and A.bits == 2
    assert A.nearest(Q(3, 4)) == Q(1, 2)  # tie between 1/2 and 1: the smaller magnitude
    assert A.nearest(Q(-3, 4)) == Q(-1, 2)
    assert A.nearest(Q(0)) == Q(-1, 2)  # tie -1/2 vs 1/2, equal magnitude: the smaller value
    assert A.nearest(Q(7, 8)) == Q(1)


def test_bad_alphabets() -> None:
    with pytest.raises(InvalidArgument):
        Alphabet.grid(-1)
    with pytest.raises(InvalidArgument):
        Alphabet.grid(3, bound=-1)
    with pytest.raises(InvalidArgument):
        Alphabet.fixed_point(0, frac_bits=1)
    with pytest.raises(InvalidArgument):
        Alphabet.finite([])
    with pytest.raises(InvalidArgument):
        Alphabet.grid(3).elements()
    with pytest.raises(InvalidArgument):
        as_alphabet(True)  # type: ignore[arg-type]


def test_snap_by_hand() -> None:
    # grid 1/4: 1/3 -> 1/4 (change 1/12), 1/2 stays, 3/4 stays, -5/8 = -2.5/4 -> -2/4 (tie to even,
    # change 1/8), bias 1/10 -> 0 (change 1/10); the largest change is 1/8; 3 of 7 numbers move
    M, s = snap(N, 2)
    assert s.largest_change == Q(1, 8) and (s.changed, s.total) == (3, 7)
    assert M.weight("x1", "h1_1") == Q(1, 4) and M.weight("h1_2", "y1") == Q(-1, 2)
    assert outside(M, 2) == ()
    assert M.metadata["snap"]["grid"] == "2^-2"


def test_snap_finite_alphabet_keeps_zero() -> None:
    # {+-1/2, +-1} has no 0, but zero weights and biases stay zero (absent connections);
    # 1/10 is nearer to 0 than to 1/2, so it becomes 0 as well
    M, s = snap(N, Alphabet.finite(["-1", "-1/2", "1/2", "1"]))
    assert M.bias("h1_1") == 0 and M.bias("h1_2") == 0
    assert M.weight("x1", "h1_1") == Q(1, 2)  # 1/3: |1/3 - 1/2| = 1/6 < 1/3
    assert s.largest_change == Q(1, 4)  # 3/4 -> 1/2 (tie with 1, smaller magnitude)
    M2, s2 = snap(N, Alphabet.finite(["-1", "-1/2", "1/2", "1"]), biases=False)
    assert M2.bias("h1_2") == Q(1, 10) and s2.total == 4


def test_snap_agrees_with_formats() -> None:
    for k in range(6):
        a, sa = snap(N, k)
        b, sb = snap_network(N, k)
        assert a == b and sa.largest_change == sb.largest_change and sb.k == k


@SETTINGS
@given(layered_networks(), st.integers(0, 6))
def test_snap_property(net: Network, k: int) -> None:
    """Every snapped number is on the grid and moved by at most 2^-(k+1); the largest move is reported."""
    M, s = snap(net, k)
    assert outside(M, Alphabet.grid(k)) == ()
    moves = [abs(Fraction(str(w)) - Fraction(str(M.weight(u, v)))) for u, v, w in net.edges()]
    moves += [abs(Fraction(str(net.bias(n))) - Fraction(str(M.bias(n)))) for n in net.neurons]
    assert max(moves) == Fraction(str(s.largest_change))
    assert max(moves) <= Fraction(1, 2 ** (k + 1))


def test_outside_lists_all() -> None:
    # on the grid 1/4: bias 1/10, weight 1/3 and weight -5/8 are off the grid
    assert sorted(w for w, _ in outside(N, 2)) == ["h1_2", "h1_2->y1", "x1->h1_1"]
    assert [w for w, _ in outside(N, 2, biases=False)] == ["h1_2->y1", "x1->h1_1"]


@pytest.mark.parametrize(
    "value, bits",
    [("3/8", 4), ("1", 2), ("-2", 3), ("5/2", 4), ("0", 1), ("-7/4", 4)],
    # 3/8 = 0.011b: sign + 0 integer + 3 fraction; 1: sign + 1; -2 = 10b: sign + 2;
    # 5/2 = 10.1b: 1 + 2 + 1; 0: just the sign bit; 7/4 = 1.11b: 1 + 1 + 2
)
def test_weight_bits(value: str, bits: int) -> None:
    assert weight_bits(value) == bits


def test_weight_bits_refuses_non_dyadic() -> None:
    with pytest.raises(InvalidArgument):
        weight_bits("1/3")


def test_memory_tent() -> None:
    # tent map: weights 1, 1, 2, -4 (4 numbers, 3 distinct: codebook 2 bits, total 8);
    # fixed point: integer part up to 4 = 100b (3 bits), no fraction: 1 + 3 = 4 bits, total 16;
    # with biases: -1/2 joins (5 numbers, 4 distinct -> 2 bits; 1 fractional bit -> 5-bit words)
    m = memory(tent_net())
    assert (m.numbers, m.distinct, m.codebook_bits, m.total_codebook) == (4, 3, 2, 8)
    assert (m.int_bits, m.frac_bits, m.fixed_point_bits, m.total_fixed_point) == (3, 0, 4, 16)
    mb = memory(tent_net(), biases=True)
    assert (mb.numbers, mb.distinct, mb.codebook_bits, mb.fixed_point_bits, mb.total_fixed_point) == (5, 4, 2, 5, 25)
    # the integer grid clipped at 4 has 9 values: 4 bits each, 16 in total
    assert memory(tent_net(), alphabet=Alphabet.grid(0, bound=4)).total_alphabet == 16
    with pytest.raises(InvalidArgument):
        memory(tent_net(), alphabet=Alphabet.grid(0, bound=2))  # -4 is outside
    with pytest.raises(InvalidArgument):
        memory(tent_net(), alphabet=Alphabet.grid(0))  # infinite


def test_memory_non_dyadic() -> None:
    m = memory(N)
    assert m.fixed_point_bits is None and m.total_fixed_point is None and m.numbers == 4
