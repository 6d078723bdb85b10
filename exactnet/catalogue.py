"""The catalogue of claims that ``exactnet verify`` decides: a registry.

Each :class:`Claim` names its statement and source and knows how to decide
itself (by calling a checker, which returns a
:class:`~exactnet.certificate.Certificate`).  Later work extends the
catalogue with :func:`register`.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass
from typing import Callable, Iterator, Sequence

from exactnet.certificate import Certificate, Verdict
from exactnet.exceptions import ExactnetError, InvalidArgument

__all__ = [
    "FINDINGS",
    "Claim",
    "ClaimResult",
    "register",
    "claims",
    "run_claim",
    "annotate",
    "finding",
    "verify_exit_code",
]

FINDINGS = ("holds", "holds, loose", "violated", "ill-posed")
"""How a paper's statement fares, beyond the bare verdict: a bound that holds with
room to spare is *loose* (the exact constant is given); a statement with several
readings is *ill-posed* (each reading is then a claim of its own)."""


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
    paper_statement : str
        The paper's own words (quoted or closely paraphrased), where
        `statement` is the instance exactnet decides.
    erratum : str
        Non-empty when the catalogue records that the paper's statement is
        wrong as written: the text says what is wrong.  A VIOLATED verdict then
        reproduces the recorded finding (``exactnet verify`` exits 0); a HOLDS
        verdict means the finding no longer reproduces (exit 1).
    """

    id: str
    statement: str
    source: str
    check: Callable[[], Certificate]
    full_only: bool = False
    paper_statement: str = ""
    erratum: str = ""


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


def annotate(cert: Certificate, *, finding: str, note: str) -> Certificate:
    """A copy of `cert` that records how the paper's statement fares.

    Parameters
    ----------
    finding : str
        One of :data:`FINDINGS`; it must agree with the verdict (``"holds"`` and
        ``"holds, loose"`` need HOLDS, ``"violated"`` needs VIOLATED).
    note : str
        The exact constant of a loose bound, the readings of an ill-posed one,
        or what is wrong.

    Examples
    --------
    >>> from exactnet.numbers import q
    >>> c = Certificate("1/8 <= 1/4", Verdict.HOLDS, q("1/8"), None, "arithmetic", {})
    >>> a = annotate(c, finding="holds, loose", note="exact value 1/8, stated 1/4")
    >>> print(a.verdict.value, "|", a.details["finding"], "|", a.details["finding_note"])
    holds | holds, loose | exact value 1/8, stated 1/4
    """
    if finding not in FINDINGS:
        raise InvalidArgument(f"finding {finding!r}: use one of {FINDINGS}")
    if finding.startswith("holds") and cert.verdict is not Verdict.HOLDS:
        raise InvalidArgument(f"finding {finding!r} needs a HOLDS verdict, not {cert.verdict.value}")
    if finding == "violated" and cert.verdict is not Verdict.VIOLATED:
        raise InvalidArgument(f"finding 'violated' needs a VIOLATED verdict, not {cert.verdict.value}")
    details = dict(cert.details)
    details["finding"] = finding
    details["finding_note"] = note
    return dataclasses.replace(cert, details=details)


def finding(result: ClaimResult) -> str:
    """How the claim fared: the recorded finding, else the bare verdict.

    An erratum claim that came out VIOLATED reads ``"violated (known erratum)"``.
    """
    cert = result.certificate
    text = str(cert.details.get("finding", cert.verdict.value))
    if result.claim.erratum and cert.verdict is Verdict.VIOLATED:
        text += " (known erratum)"
    return text


def verify_exit_code(results: Sequence[ClaimResult]) -> int:
    """0 when every claim reproduced the catalogue's finding, 1 when one did not,
    3 when one is unknown (and none failed).

    A claim reproduces its finding when it HOLDS, or when it is a recorded
    erratum and came out VIOLATED.
    """
    code = 0
    for r in results:
        v = r.certificate.verdict
        if v is Verdict.UNKNOWN:
            code = code or 3
        elif (v is Verdict.VIOLATED) != bool(r.claim.erratum):
            return 1
    return code


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
