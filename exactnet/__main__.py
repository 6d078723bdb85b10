"""``python -m exactnet``: the command line."""

import sys

from exactnet.cli import main

sys.exit(main())
