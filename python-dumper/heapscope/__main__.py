"""`python -m heapscope …` (see _cli.py)."""

import sys

from ._cli import main

sys.exit(main(sys.argv[1:]))
