"""exactnet.certificate: Verdict, Certificate (a lossless JSON value) and exit codes."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exactnet.certificate import Certificate, Verdict, exit_code
from exactnet.numbers import Q

from tests.strategies import json_metadata, rationals


def cert(verdict: Verdict = Verdict.HOLDS, **kw: Any) -> Certificate:
    args: dict[str, Any] = dict(claim="c", verdict=verdict, value=None, witness=None, method="m", details={})
    if verdict is Verdict.VIOLATED:
        args["witness"] = (Q(1, 2),)
    args.update(kw)
    return Certificate(**args)


def test_verdict_values() -> None:
    assert [v.value for v in Verdict] == ["holds", "violated", "unknown"]


def test_violated_requires_a_witness() -> None:
    with pytest.raises(ValueError, match="VIOLATED certificate needs an exact witness"):
        Certificate("c", Verdict.VIOLATED, Q(1), None, "m", {})
    # holds and unknown do not
    Certificate("c", Verdict.HOLDS, Q(0), None, "m", {})
    Certificate("c", Verdict.UNKNOWN, None, None, "m", {})


def test_to_dict() -> None:
    c = Certificate(
        "g(1/3) = 2/3",
        Verdict.VIOLATED,
        Q(-1, 3),
        (Q(1, 3), Q(-2)),
        "exhaustive exact evaluation",
        {"points": 9, "bound": Q(1, 64), "nested": {"xs": [Q(1, 2), 3]}},
    )
    assert c.to_dict() == {
        "format": "exactnet.certificate",
        "version": 1,
        "claim": "g(1/3) = 2/3",
        "verdict": "violated",
        "value": "-1/3",
        "witness": ["1/3", "-2"],
        "method": "exhaustive exact evaluation",
        # exact numbers inside details become "p/q" strings, lists stay lists
        "details": {"points": 9, "bound": "1/64", "nested": {"xs": ["1/2", 3]}},
    }
    text = c.to_json()
    assert json.loads(text) == c.to_dict()
    assert text == json.dumps(c.to_dict(), indent=1, sort_keys=True)  # deterministic


def test_json_round_trip_keeps_exact_values() -> None:
    c = cert(Verdict.VIOLATED, value=Q(7, 16), witness=(Q(1, 4),), details={"n": 5})
    back = Certificate.from_json(c.to_json())
    assert back == c and hash(back) == hash(c)
    assert back.value == Q(7, 16) and type(back.value) is Q
    assert back.witness == (Q(1, 4),) and all(type(w) is Q for w in back.witness)
    assert back.verdict is Verdict.VIOLATED


@given(
    st.text(max_size=20),
    st.sampled_from(list(Verdict)),
    st.one_of(st.none(), rationals(bound=10**6, max_denominator=10**6)),
    st.one_of(st.none(), st.lists(rationals(), min_size=1, max_size=3).map(tuple)),
    json_metadata,
)
@settings(max_examples=60, deadline=None)
def test_json_round_trip(claim: str, verdict: Verdict, value: Q | None, witness: tuple | None, details: dict) -> None:
    if verdict is Verdict.VIOLATED and witness is None:
        witness = (Q(0),)
    c = Certificate(claim, verdict, value, witness, "method", details)
    back = Certificate.from_json(c.to_json())
    assert back == c
    assert back.to_json() == c.to_json()
    assert (back.claim, back.verdict, back.value, back.witness) == (claim, verdict, value, witness)
    assert Certificate.from_dict(c.to_dict()) == c


def test_from_dict_without_details() -> None:
    c = Certificate.from_dict({"claim": "c", "verdict": "holds", "method": "m"})
    assert (c.value, c.witness, dict(c.details)) == (None, None, {})


def test_from_dict_refuses_float_values() -> None:
    with pytest.raises(TypeError, match="refusing the float"):
        Certificate.from_dict({"claim": "c", "verdict": "holds", "method": "m", "value": 0.5})


def test_from_dict_refuses_unknown_verdicts() -> None:
    with pytest.raises(ValueError):
        Certificate.from_dict({"claim": "c", "verdict": "maybe", "method": "m"})


def test_certificate_is_frozen() -> None:
    c = cert(details={"a": [1, 2], "b": {"c": 1}})
    with pytest.raises(dataclasses.FrozenInstanceError):
        c.claim = "other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        c.details["a"] = 3  # type: ignore[index]
    with pytest.raises(TypeError):
        c.details["b"]["c"] = 2
    assert c.details["a"] == (1, 2)  # lists frozen into tuples
    assert c.to_dict()["details"] == {"a": [1, 2], "b": {"c": 1}}  # and thawed back


def test_details_are_copied_in() -> None:
    d = {"a": [1]}
    c = cert(details=d)
    d["a"].append(2)
    d["b"] = 1
    assert c.to_dict()["details"] == {"a": [1]}


def test_equality() -> None:
    assert cert(value=Q(1)) == cert(value=Q(1))
    assert cert(value=Q(1)) != cert(value=Q(2))
    assert cert() != cert(Verdict.UNKNOWN)
    assert cert() != "c"


@pytest.mark.parametrize(
    "verdicts, code",
    [
        ([], 0),
        ([Verdict.HOLDS], 0),
        ([Verdict.HOLDS, Verdict.HOLDS], 0),
        ([Verdict.UNKNOWN], 3),
        ([Verdict.HOLDS, Verdict.UNKNOWN], 3),
        ([Verdict.VIOLATED], 1),
        ([Verdict.UNKNOWN, Verdict.VIOLATED, Verdict.HOLDS], 1),  # a violation wins
    ],
)
def test_exit_code(verdicts: list[Verdict], code: int) -> None:
    assert exit_code([cert(v) for v in verdicts]) == code
    assert exit_code(tuple(cert(v) for v in verdicts)) == code
