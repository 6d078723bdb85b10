"""Verdict and Certificate: the frozen record every checker returns.

A certificate is a value: it serialises to JSON losslessly (exact numbers as
``"p/q"`` strings) and back.  Checkers create certificates; users read them.
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Mapping

from exactnet.algebraic import AlgebraicNumber, Enclosure, Real, real_from_json, real_to_json
from exactnet.numbers import Q, q  # noqa: F401  (q: used by the doctests)

__all__ = ["Verdict", "Certificate", "exit_code"]


class Verdict(enum.Enum):
    """The three outcomes of every check."""

    HOLDS = "holds"
    VIOLATED = "violated"
    UNKNOWN = "unknown"


def _freeze(value: Any) -> Any:
    if isinstance(value, Mapping):
        return MappingProxyType({k: _freeze(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return value


def _thaw(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _thaw(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return [_thaw(v) for v in value]
    if isinstance(value, (Q, AlgebraicNumber, Enclosure)):
        return real_to_json(value)
    return value


@dataclass(frozen=True, slots=True)
class Certificate:
    """The outcome of a check.

    Attributes
    ----------
    claim : str
        What was checked, in words and symbols.
    verdict : Verdict
    value : Q, AlgebraicNumber, Enclosure or None
        The exact quantity computed (e.g. the largest deviation), if any; an
        enclosure only where no exact value exists (transcendental targets).
    witness : tuple of Q or AlgebraicNumber, or None
        An exact point attaining `value`, or violating the claim.
    method : str
        How it was decided (e.g. ``"exhaustive exact evaluation"``).
    details : Mapping
        Counts, reasons (for UNKNOWN), timings and library versions; JSON-ready
        values, exact numbers as strings.

    Examples
    --------
    >>> c = Certificate("1 + 1 = 2", Verdict.HOLDS, q(2), None, "arithmetic", {})
    >>> Certificate.from_json(c.to_json()) == c
    True
    """

    claim: str
    verdict: Verdict
    value: "Real | Enclosure | None"
    witness: "tuple[Real, ...] | None"
    method: str
    details: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "details", _freeze(self.details))
        if self.verdict is Verdict.VIOLATED and self.witness is None:
            raise ValueError("a VIOLATED certificate needs an exact witness")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (exact numbers as strings)."""
        return {
            "format": "exactnet.certificate",
            "version": 1,
            "claim": self.claim,
            "verdict": self.verdict.value,
            "value": None if self.value is None else real_to_json(self.value),
            "witness": None if self.witness is None else [real_to_json(v) for v in self.witness],
            "method": self.method,
            "details": _thaw(self.details),
        }

    def to_json(self) -> str:
        """Deterministic JSON text."""
        return json.dumps(self.to_dict(), indent=1, sort_keys=True)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Certificate":
        """Inverse of :meth:`to_dict`."""
        return cls(
            claim=d["claim"],
            verdict=Verdict(d["verdict"]),
            value=None if d.get("value") is None else real_from_json(d["value"]),
            witness=None if d.get("witness") is None else tuple(real_from_json(v) for v in d["witness"]),  # type: ignore[misc]
            method=d["method"],
            details=d.get("details", {}),
        )

    @classmethod
    def from_json(cls, text: str) -> "Certificate":
        """Inverse of :meth:`to_json`."""
        return cls.from_dict(json.loads(text))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Certificate):
            return NotImplemented
        return self.to_dict() == other.to_dict()

    def __hash__(self) -> int:
        return hash(self.to_json())


def exit_code(certs: "list[Certificate] | tuple[Certificate, ...]") -> int:
    """0 if every certificate holds, 1 if one is violated, else 3 (unknown).

    Examples
    --------
    >>> exit_code([Certificate("c", Verdict.HOLDS, None, None, "m", {})])
    0
    """
    verdicts = {c.verdict for c in certs}
    if Verdict.VIOLATED in verdicts:
        return 1
    if Verdict.UNKNOWN in verdicts:
        return 3
    return 0
