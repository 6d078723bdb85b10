"""The built-in claims of ``exactnet verify``, one module per paper.

Importing this package registers them in :mod:`exactnet.catalogue`.
"""

from exactnet.claims import yarotsky2017  # noqa: F401
from exactnet.claims import ding2019  # noqa: F401
from exactnet.claims import weightquant  # noqa: F401
from exactnet.claims import gonon2023  # noqa: F401
from exactnet.claims import ou2024_regimes  # noqa: F401
from exactnet.claims import ding2019_cached  # noqa: F401
from exactnet.claims import ou2024  # noqa: F401
