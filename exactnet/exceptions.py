"""The exception family: every exception exactnet raises on purpose.

Each class also derives from the matching built-in, so ``except ValueError``
still catches an :class:`InvalidArgument`.
"""

from __future__ import annotations

__all__ = [
    "ExactnetError",
    "InexactInputError",
    "InvalidNetworkError",
    "InvalidArgument",
    "NetworkFileError",
    "UnsupportedError",
]


class ExactnetError(Exception):
    """Base class of every exception exactnet raises on purpose."""


class InexactInputError(ExactnetError, TypeError):
    """A float (or another inexact number) reached code that accepts exact numbers only."""


class InvalidNetworkError(ExactnetError, ValueError):
    """The graph is not a valid network.

    ``problems`` lists every problem found (a cycle, a missing weight, ...),
    not just the first one.
    """

    def __init__(self, problems: list[str] | str) -> None:
        if isinstance(problems, str):
            problems = [problems]
        self.problems: tuple[str, ...] = tuple(problems)
        super().__init__("; ".join(self.problems))


class InvalidArgument(ExactnetError, ValueError):
    """An argument is outside its domain: an empty interval, eps <= 0, a wrong dimension."""


class NetworkFileError(ExactnetError, ValueError):
    """A network file cannot be read: not JSON, unknown format, a bad field.

    The message names the file and the field.
    """


class UnsupportedError(ExactnetError, NotImplementedError):
    """The input uses something exactnet does not model."""
