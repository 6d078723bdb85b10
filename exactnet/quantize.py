"""Weight alphabets (dyadic grids, k-bit fixed point, finite sets): membership, snapping, bit accounting.

An :class:`Alphabet` is the set of values a quantized network may use for its
weights (and biases): the dyadic grid 2^-k Z, optionally clipped to a bound;
the signed ``bits``-bit fixed-point numbers m / 2^f with |m| <= 2^(bits-1) - 1
(sign and magnitude); or an explicit finite set such as {-1, -1/2, 1/2, 1}.

:func:`snap` rounds every weight and bias of a network to the nearest element
of an alphabet, exactly, and reports the largest change; :func:`outside` lists
the numbers of a network that are not in an alphabet; :func:`memory` does the
bit accounting (per weight and in total) in the two readings papers use: a
codebook index of ceil(log2 lambda) bits over the lambda distinct values, and a
uniform fixed-point word wide enough for every value.

Everything is exact arithmetic on ``Q``: no float is involved.

Examples
--------
>>> from exactnet.network import Network
>>> N = Network.from_layers([[["1/3"], ["1/2"]], [["3/4", "-5/8"]]], [["0", "1/10"], ["0"]])
>>> M, s = snap(N, 2)
>>> print(s.largest_change, s.changed, s.total)
1/8 3 7
>>> outside(M, Alphabet.grid(2))
()
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx

from exactnet.exceptions import InvalidArgument
from exactnet.network import Network
from exactnet.numbers import ZERO, Q, QLike, frac_bits, is_dyadic, q

__all__ = [
    "MAX_GRID_BITS",
    "Alphabet",
    "Memory",
    "Snap",
    "as_alphabet",
    "memory",
    "outside",
    "round_half_even",
    "snap",
    "snap_value",
    "weight_bits",
]

MAX_GRID_BITS = 1100
"""The largest grid exponent k accepted for 2^-k (2^-1074 is the smallest double)."""


def round_half_even(x: QLike) -> int:
    """The integer nearest to `x`, ties to the even one (exact).

    Examples
    --------
    >>> [round_half_even(q(v)) for v in ("1/2", "3/2", "-1/2", "-3/2", "5/3", "-5/3")]
    [0, 2, 0, -2, 2, -2]
    """
    v = q(x)
    num, den = int(v.numerator), int(v.denominator)
    f, r = divmod(num, den)  # num = f * den + r with 0 <= r < den: f = floor(v)
    if 2 * r > den or (2 * r == den and f % 2):
        f += 1
    return f


def snap_value(x: QLike, k: int) -> Q:
    """`x` rounded to the nearest multiple of 2^-k, ties to an even multiple.

    Examples
    --------
    >>> print(snap_value(q("1/3"), 4), snap_value(q("3/32"), 4), snap_value(q("5/32"), 4))
    5/16 1/8 1/8
    """
    scale = Q(2) ** k
    return Q(round_half_even(q(x) * scale)) / scale


def _check_k(k: object, what: str = "k") -> int:
    if isinstance(k, bool) or not isinstance(k, int):
        raise InvalidArgument(f"{what}={k!r} must be an integer (the grid 2^-{what})")
    if not 0 <= k <= MAX_GRID_BITS:
        raise InvalidArgument(f"{what}={k} must be between 0 and {MAX_GRID_BITS} (the grid 2^-{what})")
    return k


@dataclass(frozen=True, slots=True)
class Alphabet:
    """A set of admissible weight values; build one with :meth:`grid`, :meth:`fixed_point` or :meth:`finite`.

    Attributes
    ----------
    kind : str
        ``"grid"`` (multiples of 2^-k, all of them or those with |w| <= bound),
        ``"fixed"`` (``bits``-bit sign-magnitude fixed point with k fractional bits)
        or ``"finite"`` (an explicit set).
    k : int or None
        Fractional bits of a grid or fixed-point alphabet.
    bound : Q or None
        The largest magnitude (None: an unbounded grid).
    values : tuple of Q
        The elements of a finite alphabet, sorted (empty for the other kinds).
    name : str
        A short human-readable description.

    Examples
    --------
    >>> A = Alphabet.fixed_point(3, frac_bits=1)
    >>> print(A.name, A.size, A.bits, sorted(str(v) for v in A.elements()))
    3-bit fixed point m/2^1, |m| <= 3 7 3 ['-1', '-1/2', '-3/2', '0', '1', '1/2', '3/2']
    >>> "3/4" in Alphabet.grid(2), "1/3" in Alphabet.grid(2), 2 in A
    (True, False, False)
    """

    kind: str
    k: int | None
    bound: Q | None
    values: tuple[Q, ...]
    name: str

    @classmethod
    def grid(cls, k: int, *, bound: QLike | None = None) -> Alphabet:
        """The dyadic grid 2^-k Z, or its elements with |w| <= `bound`.

        Examples
        --------
        >>> A = Alphabet.grid(1, bound=1)
        >>> print(A.name, A.size, A.bits)
        2^-1 Z, |w| <= 1 5 3
        >>> print(Alphabet.grid(3).size)
        None
        """
        k = _check_k(k)
        b = None if bound is None else q(bound)
        if b is not None and b < 0:
            raise InvalidArgument(f"bound={b} must be >= 0")
        name = f"2^-{k} Z" + ("" if b is None else f", |w| <= {b}")
        return cls("grid", k, b, (), name)

    @classmethod
    def fixed_point(cls, bits: int, *, frac_bits: int) -> Alphabet:
        """Signed ``bits``-bit fixed point: m / 2^frac_bits with |m| <= 2^(bits-1) - 1.

        One bit is the sign, ``bits - 1`` the magnitude (sign and magnitude, so
        the set is symmetric and has 2^bits - 1 elements).

        Examples
        --------
        >>> A = Alphabet.fixed_point(2, frac_bits=0)
        >>> sorted(int(v) for v in A.elements()), A.bits
        ([-1, 0, 1], 2)
        """
        if isinstance(bits, bool) or not isinstance(bits, int) or bits < 1:
            raise InvalidArgument(f"bits={bits!r} must be an integer >= 1 (sign bit included)")
        f = _check_k(frac_bits, "frac_bits")
        top = Q(2 ** (bits - 1) - 1) / Q(2) ** f
        return cls("fixed", f, top, (), f"{bits}-bit fixed point m/2^{f}, |m| <= {2 ** (bits - 1) - 1}")

    @classmethod
    def finite(cls, values: Iterable[QLike]) -> Alphabet:
        """An explicit finite set of exact values (at least one).

        Examples
        --------
        >>> A = Alphabet.finite(["1/2", -1, 1, "-1/2"])
        >>> print(A.name, A.bits)
        {-1, -1/2, 1/2, 1} 2
        """
        vals = tuple(sorted({q(v) for v in values}))
        if not vals:
            raise InvalidArgument("a finite alphabet needs at least one value")
        return cls("finite", None, max(abs(v) for v in vals), vals, "{" + ", ".join(map(str, vals)) + "}")

    @property
    def size(self) -> int | None:
        """The number of elements (None for an unbounded grid)."""
        if self.kind == "finite":
            return len(self.values)
        if self.bound is None:
            return None
        assert self.k is not None
        return 2 * int((self.bound * Q(2) ** self.k).__floor__()) + 1

    @property
    def bits(self) -> int | None:
        """ceil(log2 size): bits of a code word indexing the alphabet (None if unbounded)."""
        n = self.size
        return None if n is None else ((n - 1).bit_length() if n > 1 else 0)

    def elements(self) -> tuple[Q, ...]:
        """All elements, sorted (refused for an unbounded grid)."""
        if self.kind == "finite":
            return self.values
        if self.bound is None:
            raise InvalidArgument(f"the alphabet {self.name} is infinite")
        assert self.k is not None
        m = int((self.bound * Q(2) ** self.k).__floor__())
        return tuple(Q(i) / Q(2) ** self.k for i in range(-m, m + 1))

    def __contains__(self, x: object) -> bool:
        v = q(x)
        if self.kind == "finite":
            return v in self.values
        assert self.k is not None
        if self.bound is not None and abs(v) > self.bound:
            return False
        return (v * Q(2) ** self.k).denominator == 1

    def nearest(self, x: QLike) -> Q:
        """The element nearest to `x`.

        Ties: on a grid, to the even multiple of 2^-k (round half to even);
        in a finite set, to the smaller magnitude, then to the smaller value.
        Beyond the bound of a bounded grid or fixed-point set the result
        saturates at the largest element of the same sign.

        Examples
        --------
        >>> A = Alphabet.finite([-1, "-1/2", "1/2", 1])
        >>> print(A.nearest("3/4"), A.nearest(0), A.nearest(5))
        1/2 -1/2 1
        >>> print(Alphabet.fixed_point(3, frac_bits=1).nearest("-7/3"))
        -3/2
        """
        v = q(x)
        if self.kind == "finite":
            return min(self.values, key=lambda a: (abs(a - v), abs(a), a))
        assert self.k is not None
        r = snap_value(v, self.k)
        if self.bound is not None and abs(r) > self.bound:
            scale = Q(2) ** self.k
            top = Q(int((self.bound * scale).__floor__())) / scale
            r = top if r > 0 else -top
        return r


def as_alphabet(alphabet: Alphabet | int) -> Alphabet:
    """An :class:`Alphabet`, or an integer k read as the unbounded grid 2^-k Z.

    Examples
    --------
    >>> as_alphabet(3).name
    '2^-3 Z'
    """
    if isinstance(alphabet, Alphabet):
        return alphabet
    return Alphabet.grid(_check_k(alphabet, "bits"))


@dataclass(frozen=True, slots=True)
class Snap:
    """What :func:`snap` did: the alphabet and the largest change ``max |w - snap(w)|``, exactly.

    ``changed`` of the ``total`` numbers (weights and, if snapped, biases) moved.
    """

    alphabet: Alphabet
    largest_change: Q
    changed: int
    total: int


def snap(net: Network, alphabet: Alphabet | int, *, biases: bool = True) -> tuple[Network, Snap]:
    """Round every weight (and bias) of `net` to the nearest element of `alphabet`.

    Parameters
    ----------
    net : Network
    alphabet : Alphabet or int
        An integer k means the dyadic grid 2^-k Z (round half to even).
    biases : bool, default True
        Round the biases too; with False they are kept exact.

    Returns
    -------
    (Network, Snap)
        The rounded network (its metadata records ``snap``: the alphabet, the
        rounding rule, the largest change and how many numbers changed) and a
        :class:`Snap` with the exact largest change.

    Raises
    ------
    InvalidArgument
        If an integer grid exponent is outside 0..1100.

    Examples
    --------
    >>> from exactnet.network import Network
    >>> N = Network.from_layers([[["1/3"], ["1/2"]], [["3/4", "-5/8"]]], [["0", "1/10"], ["0"]])
    >>> M, s = snap(N, 2)
    >>> print(M.weight("x1", "h1_1"), M.bias("h1_2"), M.weight("h1_2", "y1"), s.largest_change)
    1/4 0 -1/2 1/8
    >>> M, s = snap(N, Alphabet.finite([-1, "-1/2", "1/2", 1]), biases=False)
    >>> print(M.weight("x1", "h1_1"), M.bias("h1_2"), s.largest_change, s.total)
    1/2 1/10 1/4 4

    Notes
    -----
    Zero is always admissible, also for a finite alphabet without 0: a zero
    weight is an absent connection and a zero bias is no bias, so a value
    nearer to 0 than to every element (or tied) becomes 0.
    """
    A = as_alphabet(alphabet)
    g = nx.DiGraph()
    largest, changed, total = ZERO, 0, 0

    def nearest(v: Q) -> Q:
        # zero is always admissible (an absent connection or bias), also for a
        # finite alphabet without 0; a tie with zero goes to zero
        r = A.nearest(v)
        return ZERO if abs(v) <= abs(v - r) else r

    for n in net.nodes:
        g.add_node(n)
    for n in net.neurons:
        b = net.bias(n)
        if biases:
            r = nearest(b)
            largest, changed, total = max(largest, abs(b - r)), changed + (r != b), total + 1
        else:
            r = b
        g.nodes[n].update(bias=r, act=net.activation(n))
    for u, v, w in net.edges():
        r = nearest(w)
        largest, changed, total = max(largest, abs(w - r)), changed + (r != w), total + 1
        g.add_edge(u, v, weight=r)
    info = Snap(A, largest, changed, total)
    meta = dict(net.metadata)
    meta["snap"] = {
        "grid" if A.kind == "grid" and A.bound is None else "alphabet": (
            f"2^-{A.k}" if A.kind == "grid" and A.bound is None else A.name
        ),
        "rounding": "round half to even on the exact values"
        if A.kind != "finite"
        else "nearest element, ties to the smaller magnitude",
        "largest_change": str(largest),
        "changed": changed,
        "numbers": total,
    }
    if not biases:
        meta["snap"]["biases"] = "kept exact"
    return Network.from_graph(g, net.inputs, net.outputs, metadata=meta), info


def outside(net: Network, alphabet: Alphabet | int, *, biases: bool = True) -> tuple[tuple[str, Q], ...]:
    """The weights (``"u->v"``) and biases (node id) of `net` not in `alphabet`, in a stable order.

    Empty means every number of the network is in the alphabet.  Zeros are
    never listed: a zero weight is an absent connection (see :func:`snap`).

    Examples
    --------
    >>> from exactnet.network import Network
    >>> N = Network.from_layers([[["1/3"], ["1/2"]], [["3/4", "-5/8"]]], [["0", "1/10"], ["0"]])
    >>> [(where, str(v)) for where, v in outside(N, 2)]
    [('h1_2', '1/10'), ('h1_2->y1', '-5/8'), ('x1->h1_1', '1/3')]
    """
    A = as_alphabet(alphabet)
    bad: list[tuple[str, Q]] = []
    if biases:
        bad += [(n, b) for n in net.neurons if (b := net.bias(n)) != 0 and b not in A]
    bad += [(f"{u}->{v}", w) for u, v, w in net.edges() if w != 0 and w not in A]
    return tuple(bad)


def weight_bits(w: QLike) -> int:
    """Bits of the shortest sign-magnitude fixed-point word holding the dyadic `w` exactly.

    One sign bit, the bits of the integer part floor(|w|), and the fractional
    bits k of w = m / 2^k in lowest terms: 3/8 = 0.011b needs 1 + 0 + 3 = 4.

    Raises
    ------
    InvalidArgument
        If `w` is not dyadic (no finite binary word holds it).

    Examples
    --------
    >>> [weight_bits(v) for v in ("3/8", 1, -2, "5/2", 0)]
    [4, 2, 3, 4, 1]
    """
    v = q(w)
    if not is_dyadic(v):
        raise InvalidArgument(f"weight {v} is not dyadic: no fixed-point word holds it exactly")
    return 1 + int(abs(v).__floor__()).bit_length() + frac_bits(v)


@dataclass(frozen=True, slots=True)
class Memory:
    """Bit accounting of a network's weights; see :func:`memory`.

    Attributes
    ----------
    numbers : int
        Nonzero weights counted (and nonzero biases, if asked).
    distinct : int
        lambda, the number of distinct nonzero values among them.
    codebook_bits : int
        ceil(log2 lambda): bits per weight as an index into the distinct values.
    int_bits, frac_bits : int or None
        The smallest fixed-point format holding every value (None if some value
        is not dyadic).
    fixed_point_bits : int or None
        1 + int_bits + frac_bits: the uniform sign-magnitude word per weight.
    alphabet_bits : int or None
        ceil(log2 |alphabet|) when an alphabet was given and is finite.
    total_codebook, total_fixed_point, total_alphabet : int or None
        numbers x the corresponding bits per weight.
    """

    numbers: int
    distinct: int
    codebook_bits: int
    int_bits: int | None
    frac_bits: int | None
    fixed_point_bits: int | None
    alphabet_bits: int | None
    total_codebook: int
    total_fixed_point: int | None
    total_alphabet: int | None

    def as_dict(self) -> dict[str, int | None]:
        """JSON-ready (every field is an int or None)."""
        return {name: getattr(self, name) for name in self.__slots__}


def memory(net: Network, *, biases: bool = False, alphabet: Alphabet | int | None = None) -> Memory:
    """Bits per weight and total memory of `net` in three readings.

    Parameters
    ----------
    net : Network
    biases : bool, default False
        Count the nonzero biases as numbers to store too.
    alphabet : Alphabet or int, optional
        Also report the cost of coding every number as an element of this
        (finite) alphabet; every number must belong to it.

    Raises
    ------
    InvalidArgument
        If a number of `net` is not in `alphabet`, or the alphabet is infinite.

    Examples
    --------
    >>> from exactnet.constructions.yarotsky2017 import tent_net
    >>> m = memory(tent_net())          # weights 1, 1, 2, -4
    >>> m.numbers, m.distinct, m.codebook_bits, m.int_bits, m.frac_bits, m.fixed_point_bits
    (4, 3, 2, 3, 0, 4)
    >>> m.total_codebook, m.total_fixed_point
    (8, 16)
    >>> memory(tent_net(), alphabet=Alphabet.grid(0, bound=4)).total_alphabet
    16
    """
    nums = [w for _, _, w in net.edges() if w != 0]
    if biases:
        nums += [net.bias(n) for n in net.neurons if net.bias(n) != 0]
    lam = len(set(nums))
    code = (lam - 1).bit_length() if lam > 1 else 0
    if all(is_dyadic(v) for v in nums):
        ib = max((int(abs(v).__floor__()).bit_length() for v in nums), default=0)
        fb = max((frac_bits(v) for v in nums), default=0)
        fx: int | None = 1 + ib + fb
        ib_: int | None = ib
        fb_: int | None = fb
    else:
        fx = ib_ = fb_ = None
    ab: int | None = None
    if alphabet is not None:
        A = as_alphabet(alphabet)
        ab = A.bits
        if ab is None:
            raise InvalidArgument(f"the alphabet {A.name} is infinite: give a bound to count its bits")
        bad = outside(net, A, biases=biases)
        if bad:
            where, v = bad[0]
            raise InvalidArgument(f"{where} = {v} is not in the alphabet {A.name} ({len(bad)} numbers outside)")
    n = len(nums)
    return Memory(
        numbers=n,
        distinct=lam,
        codebook_bits=code,
        int_bits=ib_,
        frac_bits=fb_,
        fixed_point_bits=fx,
        alphabet_bits=ab,
        total_codebook=n * code,
        total_fixed_point=None if fx is None else n * fx,
        total_alphabet=None if ab is None else n * ab,
    )
