"""exactnet.catalogue: the registry of claims and running them; the built-in Yarotsky claims."""

from __future__ import annotations

import dataclasses

import pytest

from exactnet import catalogue
from exactnet.catalogue import Claim, ClaimResult, claims, iter_results, register, run_claim
from exactnet.certificate import Certificate, Verdict
from exactnet.exceptions import InvalidArgument, UnsupportedError
from exactnet.numbers import Q, ZERO


def holds() -> Certificate:
    return Certificate("1 + 1 = 2", Verdict.HOLDS, ZERO, None, "arithmetic", {})


def violated() -> Certificate:
    return Certificate("1 + 1 = 3", Verdict.VIOLATED, Q(1), (Q(1),), "arithmetic", {})


@pytest.fixture
def empty_registry(monkeypatch: pytest.MonkeyPatch) -> dict[str, Claim]:
    """A fresh, empty registry (the built-in claims count as loaded)."""
    reg: dict[str, Claim] = {}
    monkeypatch.setattr(catalogue, "_REGISTRY", reg)
    monkeypatch.setattr(catalogue, "_LOADED", True)
    return reg


# -- the registry ------------------------------------------------------------------


def test_register_and_list_in_order(empty_registry: dict[str, Claim]) -> None:
    a = register(Claim("t/a", "A", "src", holds))
    b = register(Claim("t/b", "B", "src", violated, full_only=True))
    c = register(Claim("t/ab", "AB", "src", holds))
    assert a.id == "t/a" and empty_registry["t/b"] is b
    assert claims() == [a, c]  # full_only left out, registration order kept
    assert claims(full=True) == [a, b, c]
    assert claims(only="t/a") == [a, c]  # substring match
    assert claims(only="t/b", full=True) == [b]
    assert claims(only="nothing") == []


def test_register_twice_is_an_error(empty_registry: dict[str, Claim]) -> None:
    register(Claim("t/a", "A", "src", holds))
    with pytest.raises(InvalidArgument, match="claim id 't/a' is registered twice"):
        register(Claim("t/a", "other", "src", holds))


def test_claim_is_frozen() -> None:
    c = Claim("t/a", "A", "src", holds)
    with pytest.raises(dataclasses.FrozenInstanceError):
        c.id = "t/b"  # type: ignore[misc]
    assert c.full_only is False


# -- running claims ------------------------------------------------------------------


def test_run_claim_returns_the_certificate_and_time() -> None:
    c = Claim("t/a", "A", "src", holds)
    r = run_claim(c)
    assert isinstance(r, ClaimResult)
    assert r.claim is c and r.certificate == holds()
    assert r.seconds >= 0


def test_run_claim_turns_an_exactnet_error_into_unknown() -> None:
    def fails() -> Certificate:
        raise UnsupportedError("tanh is not modelled")

    r = run_claim(Claim("t/u", "the statement", "src", fails))
    cert = r.certificate
    assert cert.verdict is Verdict.UNKNOWN
    assert cert.claim == "the statement" and cert.method == "error"
    assert cert.details["reason"] == "tanh is not modelled"
    assert (cert.value, cert.witness) == (None, None)


def test_run_claim_does_not_hide_bugs() -> None:
    # anything that is not an ExactnetError is a bug in exactnet: it propagates
    def buggy() -> Certificate:
        raise ZeroDivisionError("oops")

    with pytest.raises(ZeroDivisionError):
        run_claim(Claim("t/bug", "s", "src", buggy))


def test_iter_results_in_order() -> None:
    items = [Claim("t/1", "1", "s", holds), Claim("t/2", "2", "s", violated)]
    results = list(iter_results(items))
    assert [r.claim.id for r in results] == ["t/1", "t/2"]
    assert [r.certificate.verdict for r in results] == [Verdict.HOLDS, Verdict.VIOLATED]


# -- the built-in catalogue ----------------------------------------------------------


def test_builtin_ids_are_unique_and_sourced() -> None:
    everything = claims(full=True)
    ids = [c.id for c in everything]
    assert len(ids) == len(set(ids))
    assert all(c.statement and c.source for c in everything)
    default = {c.id for c in claims()}
    assert default < set(ids)  # some instances are --full only


def test_builtin_yarotsky_grid_claims() -> None:
    # sawtooth s = 1..16 (s > 12 full only); square-grid m = 1..14 (m > 10 full only)
    saw = [c.id for c in claims(only="yarotsky2017/sawtooth-grid/")]
    assert saw == [f"yarotsky2017/sawtooth-grid/s={s}" for s in range(1, 13)]
    saw_full = [c.id for c in claims(full=True, only="yarotsky2017/sawtooth-grid/")]
    assert saw_full == [f"yarotsky2017/sawtooth-grid/s={s}" for s in range(1, 17)]
    sq = [c.id for c in claims(only="yarotsky2017/square-grid/")]
    assert sq == [f"yarotsky2017/square-grid/m={m}" for m in range(1, 11)]
    sq_full = [c.id for c in claims(full=True, only="yarotsky2017/square-grid/")]
    assert sq_full == [f"yarotsky2017/square-grid/m={m}" for m in range(1, 15)]
    assert all("Yarotsky 2017" in c.source for c in claims(only="yarotsky2017/"))


def test_only_matches_substrings() -> None:
    ids = [c.id for c in claims(only="sawtooth-grid/s=1")]
    assert ids == [f"yarotsky2017/sawtooth-grid/s={s}" for s in (1, 10, 11, 12)]


@pytest.mark.parametrize("claim_id", ["yarotsky2017/sawtooth-grid/s=2", "yarotsky2017/square-grid/m=3"])
def test_small_builtin_claims_hold(claim_id: str) -> None:
    (c,) = [c for c in claims() if c.id == claim_id]
    r = run_claim(c)
    assert r.certificate.verdict is Verdict.HOLDS
    assert r.certificate.value == ZERO
