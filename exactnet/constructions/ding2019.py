"""Ding, Liu, Xiong and Shi (ICLR 2019): the quantized squaring, product and weight networks.

Y. Ding, J. Liu, J. Xiong, Y. Shi, "On the universal approximability and
complexity bounds of quantized ReLU neural networks", ICLR 2019,
arXiv:1802.03646.  Section 4 (Propositions 1-3, Theorems 1 and 2) and
Appendix A.1-A.3 (Figure 2, Figure 3, Table 1).

Every network here is strictly layered (each edge joins consecutive layers,
as the paper assumes in Section 3), pure ReLU except for one identity output,
and uses only the weights of the paper's alphabet; the biases are 0 or -1/2
unless a builder says otherwise.

Conventions used throughout
---------------------------
A *delivery* is a list of ``(unit, weight)`` pairs: a new unit connected to
all of them receives the sum ``sum weight * value(unit)``.  The paper's blocks
are described this way ("a connection from or to a block indicates
connections from or to all units in the block", Figure 2): a block of k units
holding the value a, read with weight 1/2, delivers k a / 2.  With weights of
magnitude at most 1/2 a single unit can never pass its value on unchanged, so
the paper "copies units to compensate the scaling caused by 1/2"; the builders
below make those copies explicit and count them.
"""

from __future__ import annotations

from typing import Iterable, Sequence

import networkx as nx

from exactnet.exceptions import InvalidArgument
from exactnet.network import Network
from exactnet.numbers import ONE, ZERO, Q, QLike, q

__all__ = [
    "HALF",
    "square_net",
    "square_error",
    "square_sizes",
    "product_net",
    "product_error",
    "product_error_exact",
    "product_sizes",
    "radix",
    "weight_alphabet",
    "quantize_weight",
    "weight_net",
    "weight_sizes",
    "weight_bounds",
]

HALF = Q(1, 2)
"""The weight 1/2 of Propositions 1 and 2 (with -1/2 the whole alphabet)."""

Delivery = list[tuple[str, Q]]


class _Graph:
    """A layered graph under construction: units know their layer."""

    def __init__(self, inputs: Sequence[str]) -> None:
        self.g = nx.DiGraph()
        self.layer: dict[str, int] = {}
        for x in inputs:
            self.g.add_node(x)
            self.layer[x] = 0

    def unit(self, name: str, feed: Iterable[tuple[str, Q]], bias: Q = ZERO, act: str = "relu") -> str:
        feed = list(feed)
        if name in self.layer:
            raise AssertionError(f"unit {name} built twice")
        layers = {self.layer[u] for u, _ in feed}
        if len(layers) > 1:  # the paper's networks are layered; so are ours
            raise AssertionError(f"unit {name} would skip a layer: {sorted(layers)}")
        self.g.add_node(name, bias=bias, act=act)
        self.layer[name] = (layers.pop() if layers else 0) + 1
        for u, w in feed:
            self.g.add_edge(u, name, weight=w)
        return name

    def network(self, inputs: Sequence[str], outputs: Sequence[str], metadata: dict) -> Network:
        return Network.from_graph(self.g, list(inputs), list(outputs), metadata=metadata)


def _check_int(name: str, value: object, least: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < least:
        raise InvalidArgument(f"{name} must be an integer >= {least}, got {value!r}")
    return value


# -- Proposition 1: squaring with weights +-1/2, the pre-scale form --------------------------


def _square_core(G: _Graph, pre: str, feed: Delivery, r: int, chain: int) -> str:
    """Blocks B_m, B_g (r layers) and a scaling chain of `chain` units; returns the last unit.

    `feed` delivers u in [0, 1].  Layer k (1..r) holds B_m^k (8 units, value
    v_k) and B_g^k (4 units relu(g^(k-1)(u)), 8 units relu(g^(k-1)(u) - 1/2));
    v_1 = u, v_(k+1) = 4 v_k - g^k(u).  The first chain unit receives
    4 v_r - g^r(u) = 4^r f_s^r(u), each further unit halves, so the last one
    holds 4^r f_s^r(u) / 2^(chain - 1).
    """
    m_feed: Delivery = feed
    g_feed: Delivery = feed
    for k in range(1, r + 1):
        ms = [G.unit(f"{pre}m{k}_{i}", m_feed) for i in range(8)]
        As = [G.unit(f"{pre}g{k}a{i}", g_feed) for i in range(4)]
        Bs = [G.unit(f"{pre}g{k}b{i}", g_feed, -HALF) for i in range(8)]
        # B_g delivers g(.) = 2 relu(.) - 4 relu(. - 1/2): 4 x (1/2) and 8 x (-1/2)
        g_out = [(a, HALF) for a in As] + [(b, -HALF) for b in Bs]
        # B_m delivers 4 v_k (8 x 1/2); the next B_m gets 4 v_k - g^k
        m_feed = [(m, HALF) for m in ms] + [(u, -w) for u, w in g_out]
        g_feed = g_out
    s = G.unit(f"{pre}s1", m_feed)
    for j in range(2, chain + 1):
        s = G.unit(f"{pre}s{j}", [(s, HALF)])
    return s


def square_net(r: int) -> Network:
    """f_s^r of Proposition 1: x^2 on [0, 1] with the weights 1/2 and -1/2 only.

    f_s^r(x) = x - sum_{i=1..r} 2^(-2i) g^i(x) (eq. (9)), the piecewise-linear
    interpolation of x^2 at k/2^r, built in the "pre-scale" form of Appendix
    A.1 / Figure 2: the blocks B_m (scale by 4) and B_g (the tent map g)
    compute 2^(2r) x - sum_i 2^(2(r-i)) g^i(x), which a chain of 2r halvings
    scales back.

    Parameters
    ----------
    r : int, >= 1
        The design parameter; the error is 2^(-2(r+1)).

    Returns
    -------
    Network
        One input ``x``, one output ``y``; metadata ``construction``, ``r``,
        ``paper``, ``blocks``.

    Notes
    -----
    Layers (the paper's Figure 2 is a picture; this is our reading of it):

    1. an input block of 4 units relu(x/2) (a single input unit read with weight
       +-1/2 delivers only x/2; 4 copies read with 1/2 deliver x again; this is
       the role B_abs plays inside Proposition 2);
    2. r layers, each B_m (8 units, "scales the input by 4": 8 x 1/2 = 4) beside
       B_g (12 units: 4 x relu(u) read with 1/2 and 8 x relu(u - 1/2) read with
       -1/2 deliver 2 relu(u) - 4 relu(u - 1/2) = g(u)); width 20, which is
       Table 1's width 60 of B_x' divided by its three squarings;
    3. a chain of 2r single units, each read with 1/2;
    4. the identity output, read from the last chain unit with 1/2.

    Exact sizes (count them from the list): depth 3r + 2 affine layers (3r + 1
    hidden), width 20, 22r + 5 neurons (output included), 306r - 200 weights
    (4 + 80 + 304(r - 1) + 20 + (2r - 1) + 1), biases 0 or -1/2 (8r nonzero).
    All ReLUs outside B_g see nonnegative values on [0, 1] (the partial sums
    f_s^k(x) >= x^2 >= 0), so they act as identities there.

    Examples
    --------
    >>> from exactnet.evaluate import evaluate
    >>> f2 = square_net(2)
    >>> [str(evaluate(f2, f"{k}/4")[0]) for k in range(5)]
    ['0', '1/16', '1/4', '9/16', '1']
    >>> print(evaluate(f2, "1/8")[0])   # the chord of x^2 between 0 and 1/4
    1/32
    """
    _check_int("r", r, 1)
    G = _Graph(["x"])
    ins = [G.unit(f"in{i}", [("x", HALF)]) for i in range(4)]
    s = _square_core(G, "", [(u, HALF) for u in ins], r, 2 * r)
    G.unit("y", [(s, HALF)], act="identity")
    return G.network(["x"], ["y"], {
        "construction": "ding2019-square",
        "r": r,
        "paper": "Ding et al. 2019, arXiv:1802.03646, Prop. 1, App. A.1, Fig. 2",
        "blocks": "input 4 | r x (B_m 8 + B_g 12) | chain 2r | output",
    })


def square_error(r: int) -> Q:
    """The error bound of Proposition 1 (ii): 2^(-2(r+1)).

    Examples
    --------
    >>> print(square_error(1), square_error(3))
    1/16 1/256
    """
    _check_int("r", r, 1)
    return Q(1, 4 ** (r + 1))


def square_sizes(r: int) -> dict[str, int]:
    """The exact sizes of :func:`square_net` (r) in :class:`~exactnet.metrics.Metrics` names.

    Derived by counting the layers listed in :func:`square_net`'s Notes.

    Examples
    --------
    >>> square_sizes(1)
    {'depth': 5, 'width': 20, 'neurons': 27, 'weights': 106, 'biases_nonzero': 8}
    """
    _check_int("r", r, 1)
    return {"depth": 3 * r + 2, "width": 20, "neurons": 22 * r + 5,
            "weights": 306 * r - 200, "biases_nonzero": 8 * r}


# -- Proposition 2: the product x' from three squarings --------------------------------------


def product_net(r: int) -> Network:
    """x'(x, y) of Proposition 2, eq. (2): 2 (f_s^r(|x+y|/2) - f_s^r(|x|/2) - f_s^r(|y|/2)).

    Approximates xy on [-1, 1]^2 with the weights 1/2 and -1/2 only.

    Parameters
    ----------
    r : int, >= 1

    Notes
    -----
    Layer 1 is B_abs for x, y and x + y (Table 1: width 4 each): 2 units
    relu(z/2) and 2 units relu(-z/2), read with 1/2, deliver |z|/2.  Then three
    copies of Proposition 1's blocks B_m, B_g (r layers, width 3 x 20 = 60, as
    Table 1 states for B_x'), three halving chains of 2r - 1 units, and the
    identity output reading the chains with +1/2, -1/2, -1/2, which gives
    (V_s - V_x - V_y) / 2^(2r - 1) = 2 (f_s^r(|x+y|/2) - f_s^r(|x|/2) - f_s^r(|y|/2)).

    Exact sizes: depth 3r + 1 (Table 1's depth of B_x'), width 60 (12 for
    r = 1 is in layer 1; the B_m/B_g layers have 60), 66r + 10 neurons,
    918r - 599 weights (16 + 240 + 912(r - 1) + 60 + 3(2r - 2) + 3).

    Examples
    --------
    >>> from exactnet.evaluate import evaluate
    >>> p = product_net(2)
    >>> print(evaluate(p, ["1/2", "-1"])[0])          # nodes of all three squarings: exact
    -1/2
    >>> print(evaluate(p, ["1/4", "1/4"])[0])         # the worst case: 1/16 - 4/64
    0
    """
    _check_int("r", r, 1)
    G = _Graph(["x", "y"])
    sources = {"x": [("x", ONE)], "y": [("y", ONE)], "s": [("x", ONE), ("y", ONE)]}
    feeds: dict[str, Delivery] = {}
    for name, src in sources.items():
        pos = [G.unit(f"abs_{name}+{i}", [(u, HALF * c) for u, c in src]) for i in range(2)]
        neg = [G.unit(f"abs_{name}-{i}", [(u, -HALF * c) for u, c in src]) for i in range(2)]
        feeds[name] = [(u, HALF) for u in pos + neg]
    ends = {name: _square_core(G, f"{name}.", feeds[name], r, 2 * r - 1) for name in sources}
    G.unit("p", [(ends["s"], HALF), (ends["x"], -HALF), (ends["y"], -HALF)], act="identity")
    return G.network(["x", "y"], ["p"], {
        "construction": "ding2019-product",
        "r": r,
        "paper": "Ding et al. 2019, arXiv:1802.03646, Prop. 2, eq. (2), Table 1",
        "blocks": "B_abs 3 x 4 | 3 x r x (B_m 8 + B_g 12) | 3 chains 2r - 1 | output",
    })


def product_error(r: int) -> Q:
    """The error bound of Proposition 2 (ii): 6 * 2^(-2(r+1)).

    Examples
    --------
    >>> print(product_error(1))
    3/8
    """
    _check_int("r", r, 1)
    return 6 * square_error(r)


def product_error_exact(r: int) -> Q:
    """The exact sup of |x'(x, y) - xy| on [-1, 1]^2: 4 * 2^(-2(r+1)) = 2^(-2r).

    Derivation: f_s^r(u) = u^2 + e(u) with 0 <= e <= E = 2^(-2(r+1)) on [0, 1]
    (Proposition 1), so x' - xy = 2 (e(|x+y|/2) - e(|x|/2) - e(|y|/2)) lies in
    [-4E, 2E]; -4E is attained at x = y = 2^(-r), where |x|/2 = |y|/2 = 2^(-r-1)
    are midpoints (e = E) and |x+y|/2 = 2^(-r) is a node (e = 0).

    Examples
    --------
    >>> print(product_error_exact(1), product_error_exact(2))
    1/4 1/16
    """
    _check_int("r", r, 1)
    return 4 * square_error(r)


def product_sizes(r: int) -> dict[str, int]:
    """The exact sizes of :func:`product_net` (r), counted from its Notes.

    Examples
    --------
    >>> product_sizes(1)
    {'depth': 4, 'width': 60, 'neurons': 76, 'weights': 319, 'biases_nonzero': 24}
    """
    _check_int("r", r, 1)
    return {"depth": 3 * r + 1, "width": 60, "neurons": 66 * r + 10,
            "weights": 918 * r - 599, "biases_nonzero": 24 * r}


# -- Proposition 3: any weight from lambda distinct weights ----------------------------------


def radix(lam: int, t: int) -> int:
    """The radix b of eq. (4): the smallest integer b >= 2 with b^(lam - 1) >= t.

    The paper assumes t^(1/(lam-1)) is an integer ("without loss of
    generality"); then b = t^(1/(lam-1)) whenever that is >= 2.  Otherwise we
    round the root up, which keeps every exponent 0..t-1 a (lam - 1)-digit
    base-b number.

    Examples
    --------
    >>> radix(2, 5), radix(3, 9), radix(3, 10), radix(4, 1)
    (5, 3, 4, 2)
    """
    _check_int("lam", lam, 2)
    _check_int("t", t, 1)
    b = 2
    while b ** (lam - 1) < t:
        b += 1
    return b


def weight_alphabet(lam: int, t: int) -> tuple[Q, ...]:
    """The lam weights of eq. (4): -1/2 and W = {2^(-b^j) : j = 0..lam-2}, b = radix(lam, t).

    Examples
    --------
    >>> [str(w) for w in weight_alphabet(3, 9)]
    ['-1/2', '1/2', '1/8']
    """
    b = radix(lam, t)
    return (-HALF,) + tuple(Q(1, 2 ** (b**j)) for j in range(lam - 1))


def quantize_weight(w: QLike, t: int) -> Q:
    """w' of Proposition 3 (i): the integral multiple of 2^(-t) nearest to w in [-1, 1].

    Ties (w an odd multiple of 2^(-t-1)) round towards zero.  So
    |w' - w| <= 2^(-t-1) < 2^(-t).

    Examples
    --------
    >>> print(quantize_weight("1/3", 3), quantize_weight("3/16", 3), quantize_weight("-1", 2))
    3/8 1/8 -1
    """
    _check_int("t", t, 1)
    v = q(w)
    if not -1 <= v <= 1:
        raise InvalidArgument(f"Proposition 3 needs w in [-1, 1], got {v}")
    scaled = abs(v) * 2**t
    a = int(scaled)  # floor for v >= 0
    if scaled - a > HALF:
        a += 1
    return Q(a if v >= 0 else -a, 2**t)


def _digits(e: int, b: int, n: int) -> list[int]:
    out = []
    for _ in range(n):
        out.append(e % b)
        e //= b
    assert e == 0
    return out


def _weight_block(
    G: _Graph, pre: str, feed: Delivery, w: Q, lam: int, t: int, *, signed: bool
) -> Delivery:
    """B_w reading `feed` (delivering v); returns a delivery of 2 w' v (w' = quantize_weight(w, t)).

    Gate layer: 2 units relu(v) and (if `signed`) 2 units relu(-v); then, for
    every set bit of |w'| 2^t and each sign, a 2-unit chain of L = (lam - 1)(b - 1)
    steps: "x omega" (unit i reads unit i with omega in W; 2 edges) for each
    base-b digit of the exponent, then "identity" steps (each unit reads both
    with 1/2; 4 edges).  A chain ending at p 2^(-e) read with +-1/2 from both
    units delivers +-p 2^(-e).
    """
    b = radix(lam, t)
    L = (lam - 1) * (b - 1)
    wq = quantize_weight(w, t)
    a = int(abs(wq) * 2**t)
    sign = ONE if wq >= 0 else -ONE
    # 2 w' = a 2^(1-t) = sum_k a_k 2^(k+1-t): exponents e = t - 1 - k; a = 2^t is 2 x 2^0
    exps = [0, 0] if a == 2**t else [t - 1 - k for k in range(t) if a >> k & 1]
    out: Delivery = []
    if not exps:
        return out
    gates = [(+1, "p")] + ([(-1, "n")] if signed else [])
    for s, tag in gates:
        gate = [G.unit(f"{pre}{tag}{i}", [(u, c * s) for u, c in feed]) for i in range(2)]
        for ci, e in enumerate(exps):
            digits = _digits(e, b, lam - 1)
            steps = [Q(1, 2 ** (b**j)) for j, c in enumerate(digits) for _ in range(c)]
            steps += [None] * (L - len(steps))
            bus = gate
            for k, om in enumerate(steps):
                if om is None:
                    fe = [[(u, HALF) for u in bus]] * 2
                else:
                    fe = [[(bus[0], om)], [(bus[1], om)]]
                bus = [G.unit(f"{pre}{tag}c{ci}_{k}_{i}", fe[i]) for i in range(2)]
            out += [(u, s * sign * HALF) for u in bus]
    return out


def weight_net(w: QLike, lam: int, t: int, *, signed_input: bool = True) -> Network:
    """B_w of Proposition 3: a connection of weight w' (|w' - w| < 2^(-t)) from lam weights.

    The network computes y = w' x for every real x (``signed_input=True``) or
    for x >= 0 (``signed_input=False``, the paper's first case before it
    "relaxes x >= 0" by duplicating the sub-network).

    Parameters
    ----------
    w : rational in [-1, 1]
        The target weight; w' = :func:`quantize_weight` (w, t) is realised exactly.
    lam : int, >= 2
        The number of distinct weights: the alphabet is :func:`weight_alphabet`.
    t : int, >= 1
        The precision: |w' - w| <= 2^(-t-1) < 2^(-t).

    Returns
    -------
    Network
        Input ``x``, output ``y``; metadata ``w``, ``w_realised`` (w' as a
        string), ``lam``, ``t``, ``radix``, ``chain_steps``, ``chains``.

    Notes
    -----
    Our reading of the proof of Proposition 3 (the paper draws no picture of
    B_w):

    - layer 1, the sign gate: 2 units relu(x/2) (weight 1/2) and, when signed,
      2 units relu(-x/2) (weight -1/2): "the weights in the first layer [are]
      1/2 for one and -1/2 for the other";
    - x = 2 relu(x/2) - 2 relu(-x/2), so w' x = sum over the set bits k of
      a = |w'| 2^t of 2^(-(t-1-k)) (relu(x/2) - relu(-x/2)); each term is a
      2-unit chain from the gate multiplying by 2^(-e), e = t - 1 - k, with the
      base-b digits of e as in eq. (4)-(5) ("concatenating weights from W"),
      padded to the common length L = (lam - 1)(b - 1) with identity steps
      (a 2-unit bus read with 1/2 from both units passes its value on: this
      is why chains are 2 units wide; a 1-unit chain can only halve);
    - w' = +-1 (a = 2^t) uses two chains with e = 0 ("4 units with weight 1/2");
    - the output reads every chain's two last units with +-1/2 (the paper's
      "connections in the last layer ... use weight 1/2"); the sign of w
      flips these signs; w' = 0 gives the empty sub-network (y = 0).

    Depth L + 2, width 2 x (#chains) (4 t at most when signed, 2 t when not),
    weights 2 g + sum over chains of (2 m + 4 (L - m) + 2), g the number of gate
    units, m the chain's multiplications.  Biases are all 0.

    Examples
    --------
    >>> from exactnet.evaluate import evaluate
    >>> n = weight_net("1/3", 3, 4)           # w' = 5/16, from {-1/2, 1/2, 1/4}
    >>> print(n.metadata["w_realised"], evaluate(n, "16")[0], evaluate(n, "-16")[0])
    5/16 5 -5
    >>> from exactnet.metrics import distinct_weights
    >>> sorted(str(v) for v in distinct_weights(n))
    ['-1/2', '1/2', '1/4']
    """
    _check_int("lam", lam, 2)
    _check_int("t", t, 1)
    v = q(w)
    G = _Graph(["x"])
    out = _weight_block(G, "", [("x", HALF)], v, lam, t, signed=signed_input)
    G.unit("y", out, act="identity")
    wq = quantize_weight(v, t)
    b = radix(lam, t)
    return G.network(["x"], ["y"], {
        "construction": "ding2019-weight",
        "w": str(v),
        "w_realised": str(wq),
        "lam": lam,
        "t": t,
        "radix": b,
        "chain_steps": (lam - 1) * (b - 1),
        "chains": len(out) // 2,
        "signed_input": signed_input,
        "paper": "Ding et al. 2019, arXiv:1802.03646, Prop. 3, eq. (4)-(5)",
    })


def weight_sizes(w: QLike, lam: int, t: int, *, signed_input: bool = True) -> dict[str, int]:
    """The exact sizes of :func:`weight_net`, computed from w's bits (not from the network).

    Examples
    --------
    >>> weight_sizes("3/4", 2, 2)    # a = 3: e = 0 and e = 1; b = 2, L = 1
    {'depth': 3, 'width': 8, 'neurons': 13, 'weights': 24, 'biases_nonzero': 0}
    """
    _check_int("lam", lam, 2)
    _check_int("t", t, 1)
    b = radix(lam, t)
    L = (lam - 1) * (b - 1)
    a = int(abs(quantize_weight(w, t)) * 2**t)
    exps = [0, 0] if a == 2**t else [t - 1 - k for k in range(t) if a >> k & 1]
    signs = 2 if signed_input else 1
    if not exps:
        return {"depth": 1, "width": 0, "neurons": 1, "weights": 0, "biases_nonzero": 0}
    chain_w = sum(2 * sum(_digits(e, b, lam - 1)) + 4 * (L - sum(_digits(e, b, lam - 1))) + 2 for e in exps)
    return {
        "depth": L + 2,
        "width": 2 * signs * len(exps),
        "neurons": signs * (2 + 2 * L * len(exps)) + 1,
        "weights": signs * (2 + chain_w),
        "biases_nonzero": 0,
    }


def weight_bounds(lam: int, t: int) -> dict[str, int]:
    """The explicit sizes stated in the proof of Proposition 3 and in Table 1 (b = radix).

    depth <= lam (b - 1) + 1 ("no greater than ... layers"), weights <=
    4 t lam (b - 1) + 8 t + 4, width t (Table 1, block B_w).

    Examples
    --------
    >>> weight_bounds(2, 4)     # b = 4: 2 x 3 + 1; 4 x 4 x 2 x 3 + 32 + 4
    {'depth': 7, 'weights': 132, 'width': 4}
    """
    b = radix(lam, t)
    return {"depth": lam * (b - 1) + 1, "weights": 4 * t * lam * (b - 1) + 8 * t + 4, "width": t}
