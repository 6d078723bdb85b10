"""The catalogue of claims that ``exactnet verify`` decides: a registry.

Each :class:`Claim` names its statement and source and knows how to decide
itself (by calling a checker, which returns a
:class:`~exactnet.certificate.Certificate`).  Later work extends the
catalogue with :func:`register`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable, Iterator

from exactnet.certificate import Certificate, Verdict
from exactnet.exceptions import ExactnetError, InvalidArgument

__all__ = ["Claim", "ClaimResult", "register", "claims", "run_claim"]


@dataclass(frozen=True, slots=True)
class Claim:
    """A checkable statement from a paper.

    Attributes
    ----------
    id : str
        Short unique name, e.g. ``"yarotsky2017/sawtooth-grid/s=3"``.
    statement : str
        The claim in words and symbols.
    source : str
        Paper and theorem.
    check : callable () -> Certificate
    full_only : bool
        Larger instances, run only by ``exactnet verify --full``.
    """

    id: str
    statement: str
    source: str
    check: Callable[[], Certificate]
    full_only: bool = False


@dataclass(frozen=True, slots=True)
class ClaimResult:
    """A claim, its certificate and the wall time it took."""

    claim: Claim
    certificate: Certificate
    seconds: float


_REGISTRY: dict[str, Claim] = {}


def register(claim: Claim) -> Claim:
    """Add a claim to the catalogue (ids are unique)."""
    if claim.id in _REGISTRY:
        raise InvalidArgument(f"claim id {claim.id!r} is registered twice")
    _REGISTRY[claim.id] = claim
    return claim


def claims(*, full: bool = False, only: str | None = None) -> list[Claim]:
    """The registered claims, in registration order.

    Parameters
    ----------
    full : bool
        Include the larger instances.
    only : str, optional
        Keep claims whose id contains this text.

    Examples
    --------
    >>> ids = [c.id for c in claims(only="sawtooth-grid/s=1")]
    >>> ids[:2]
    ['yarotsky2017/sawtooth-grid/s=1', 'yarotsky2017/sawtooth-grid/s=10']
    """
    _load_builtin()
    out = [c for c in _REGISTRY.values() if full or not c.full_only]
    if only:
        out = [c for c in out if only in c.id]
    return out


def run_claim(claim: Claim) -> ClaimResult:
    """Decide one claim; an error inside a checker becomes an UNKNOWN verdict with its reason."""
    start = time.perf_counter()
    try:
        cert = claim.check()
    except ExactnetError as exc:
        cert = Certificate(
            claim.statement, Verdict.UNKNOWN, None, None, "error", {"reason": str(exc)}
        )
    return ClaimResult(claim, cert, time.perf_counter() - start)


def iter_results(items: list[Claim]) -> Iterator[ClaimResult]:
    """Run claims one by one (for progress display)."""
    for c in items:
        yield run_claim(c)


_LOADED = False


def _load_builtin() -> None:
    global _LOADED
    if _LOADED:
        return
    _LOADED = True
    import exactnet.claims  # noqa: F401  (registers the built-in claims on import)
