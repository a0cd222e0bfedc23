"""Subcommands of the ``internhost`` command, one module each: ``add_parser`` and ``run``."""

from __future__ import annotations

import argparse
from typing import TypeAlias

#: What each module's ``add_parser`` adds its command to (``build_parser``'s subparsers);
#: generic only in typeshed, hence the string.
Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
