"""exactnet.counts: stated sizes against counted metrics."""

from __future__ import annotations

import pytest

from exactnet.certificate import Verdict
from exactnet.compose import affine_net
from exactnet.counts import certify_sizes
from exactnet.constructions.yarotsky2017 import tent_net
from exactnet.exceptions import InvalidArgument
from exactnet.numbers import Q


def test_tent_counts_by_hand() -> None:
    # g(x) = 2 relu(x) - 4 relu(x - 1/2): edges x->h1 (1), x->h2 (1), h1->y (2), h2->y (-4)
    # = 4 weights, distinct {1, 2, -4} = 3, one nonzero bias (-1/2), depth 2
    c = certify_sizes(
        tent_net(),
        {"weights": 4, "distinct_weights": 3, "weights_with_biases": 5, "depth": 2},
        claim="tent",
        parameters={"m": 1},
    )
    assert c.verdict is Verdict.HOLDS
    assert c.details["parameters"] == {"m": "1"}
    assert c.details["sizes"]["depth"] == {"counted": "2", "stated": "2", "relation": "==", "slack": "0"}


def test_relations_and_slack() -> None:
    net = tent_net()
    c = certify_sizes(net, {"weights": Q(9, 2), "depth": 1}, claim="bounds", relation={"weights": "<=", "depth": ">="})
    assert c.verdict is Verdict.HOLDS
    assert c.details["sizes"]["weights"]["slack"] == "1/2"  # 9/2 - 4
    c = certify_sizes(net, {"weights": 3, "depth": 2}, claim="too few", relation="<=")
    assert c.verdict is Verdict.VIOLATED
    assert c.value == 3 and c.witness == (4,)  # stated 3, counted 4
    assert c.details["violated"] == ("weights",)


def test_a_single_affine_layer() -> None:
    # y = x1 - x2 + 1: two weights, one bias, no hidden layer
    net = affine_net([[1, -1]], [1])
    c = certify_sizes(net, {"weights": 2, "biases_nonzero": 1, "hidden_layers": 0, "width": 0}, claim="affine")
    assert c.verdict is Verdict.HOLDS


@pytest.mark.parametrize(
    "stated, relation, message",
    [({"nope": 1}, "==", "unknown metric"), ({"depth": 1}, "<", "relation"), ({"dyadic": 1}, "==", "not a number")],
)
def test_refusals(stated: dict, relation: str, message: str) -> None:
    with pytest.raises(InvalidArgument, match=message):
        certify_sizes(tent_net(), stated, claim="x", relation=relation)
