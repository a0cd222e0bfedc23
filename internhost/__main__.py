"""``python -m internhost``: the same entry point as the ``internhost`` command."""

import sys

from internhost.cli import main

sys.exit(main())
