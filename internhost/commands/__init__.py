"""Subcommands of the ``internhost`` command, one module each: ``add_parser`` and ``run``."""
