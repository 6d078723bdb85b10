"""exactnet: exact verification of ReLU networks.

Networks with rational weights are evaluated exactly (gmpy2), never through
floats.  This package re-exports the core names only.
"""

from exactnet.exceptions import (
    ExactnetError,
    InexactInputError,
    InvalidArgument,
    InvalidNetworkError,
    NetworkFileError,
    UnsupportedError,
)
from exactnet.network import Network
from exactnet.numbers import Q, Box, Interval, from_float, q

__version__ = "0.1.0"

__all__ = [
    "Q",
    "q",
    "from_float",
    "Interval",
    "Box",
    "Network",
    "ExactnetError",
    "InexactInputError",
    "InvalidArgument",
    "InvalidNetworkError",
    "NetworkFileError",
    "UnsupportedError",
    "__version__",
]
