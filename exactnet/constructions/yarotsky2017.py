"""Yarotsky (2017): the tent map, the sawtooth and the squaring networks f_m.

D. Yarotsky, "Error bounds for approximations with deep ReLU networks",
Neural Networks 94 (2017) 103-114, arXiv:1610.01145, Section 3.1
(Proposition 2 and Figure 2).
"""

from __future__ import annotations

import networkx as nx

from exactnet.compose import sequential
from exactnet.exceptions import InvalidArgument
from exactnet.network import Network
from exactnet.numbers import ONE, ZERO, Q

__all__ = ["tent_net", "sawtooth_net", "square_net", "square_error"]

_HALF = Q(1, 2)


def tent_net() -> Network:
    """The tent map g(x) = 2 relu(x) - 4 relu(x - 1/2) (Yarotsky 2017, eq. (3)).

    On [0, 1], g(x) = 2x for x <= 1/2 and 2(1 - x) for x >= 1/2.

    Notes
    -----
    Yarotsky writes g with a third unit, ``+ 2 relu(x - 1)``, which vanishes on
    [0, 1]; it is left out here (as in exactnet's issue and in Ding et al.),
    so outside [0, 1] this g differs from the paper's (it keeps decreasing for
    x > 1).  Depth 2, width 2, 4 weights, 2 biases (one nonzero).

    Examples
    --------
    >>> from exactnet.evaluate import evaluate
    >>> g = tent_net()
    >>> print(*[evaluate(g, x)[0] for x in ["0", "1/4", "1/2", "3/4", "1"]])
    0 1/2 1 1/2 0
    """
    return Network.from_layers(
        [[[ONE], [ONE]], [[Q(2), Q(-4)]]],
        [[ZERO, -_HALF], [ZERO]],
        inputs=["x"],
        outputs=["y"],
        metadata={
            "construction": "tent",
            "paper": "Yarotsky 2017, arXiv:1610.01145, eq. (3)",
        },
    )


def sawtooth_net(s: int) -> Network:
    """The sawtooth g_s = g ∘ ... ∘ g (s copies of the tent map), depth s + 1.

    On [0, 1], g_s is the sawtooth with 2^(s-1) teeth: g_s(k / 2^s) = k mod 2
    for 0 <= k <= 2^s (Yarotsky 2017, Lemma 2 and Fig. 2(b)).

    Parameters
    ----------
    s : int, >= 1

    Examples
    --------
    >>> from exactnet.evaluate import evaluate
    >>> g3 = sawtooth_net(3)
    >>> [str(evaluate(g3, f"{k}/8")[0]) for k in range(9)]
    ['0', '1', '0', '1', '0', '1', '0', '1', '0']
    >>> len(g3.neurons), max(g3.depth_of(o) for o in g3.outputs)
    (7, 4)
    """
    if not isinstance(s, int) or s < 1:
        raise InvalidArgument(f"sawtooth_net needs an integer s >= 1, got {s=}")
    g = tent_net()
    net = g
    for _ in range(s - 1):
        net = sequential(net, g)
    return net.with_metadata(
        construction="sawtooth",
        s=s,
        paper="Yarotsky 2017, arXiv:1610.01145, Lemma 2 / Fig. 2(b)",
    )


def square_net(m: int) -> Network:
    """Yarotsky's f_m(x) = x - sum_{s=1..m} g_s(x) / 2^(2s), approximating x^2 on [0, 1].

    f_m is the piecewise-linear interpolation of x^2 at the points k/2^m
    (Yarotsky 2017, Proposition 2 and its proof), and
    sup_[0,1] |f_m(x) - x^2| = 2^(-2m-2).

    The network is the DAG of Fig. 2(c): a chain of tent-map units (two ReLUs
    per level) computing g_1, ..., g_m, and one identity output with skip
    connections from x and from every level.

    Parameters
    ----------
    m : int, >= 1

    Notes
    -----
    Yarotsky's Fig. 2(c) carries the running sum and x in extra neurons of each
    layer; here they are skip connections into the output neuron, which
    computes the same function with depth m + 1, width 2, 2m + 1 neurons.

    Examples
    --------
    >>> from exactnet.evaluate import evaluate
    >>> f2 = square_net(2)
    >>> [str(evaluate(f2, f"{k}/4")[0]) for k in range(5)]
    ['0', '1/16', '1/4', '9/16', '1']
    >>> print(evaluate(f2, "1/8")[0])   # between grid points: the chord of x^2
    1/32
    """
    if not isinstance(m, int) or m < 1:
        raise InvalidArgument(f"square_net needs an integer m >= 1, got {m=}")
    G = nx.DiGraph()
    G.add_node("x")
    G.add_node("y", bias=ZERO, act="identity")
    G.add_edge("x", "y", weight=ONE)
    prev = None  # the level s - 1 units (a, b); g_{s-1} = 2a - 4b, g_0 = x
    for s in range(1, m + 1):
        a, b = f"a{s}", f"b{s}"
        G.add_node(a, bias=ZERO, act="relu")
        G.add_node(b, bias=-_HALF, act="relu")
        if prev is None:
            G.add_edge("x", a, weight=ONE)
            G.add_edge("x", b, weight=ONE)
        else:
            pa, pb = prev
            for unit in (a, b):
                G.add_edge(pa, unit, weight=Q(2))
                G.add_edge(pb, unit, weight=Q(-4))
        # - g_s / 4^s = -(2a - 4b) / 4^s
        G.add_edge(a, "y", weight=Q(-2, 4**s))
        G.add_edge(b, "y", weight=Q(4, 4**s))
        prev = (a, b)
    return Network.from_graph(
        G,
        ["x"],
        ["y"],
        metadata={
            "construction": "square",
            "m": m,
            "paper": "Yarotsky 2017, arXiv:1610.01145, Proposition 2 / Fig. 2(c)",
        },
    )


def square_error(m: int) -> Q:
    """The stated error of f_m: sup_[0,1] |f_m(x) - x^2| = 2^(-2m-2) (Proposition 2).

    Examples
    --------
    >>> print(square_error(3))
    1/256
    """
    return Q(1, 2 ** (2 * m + 2))
