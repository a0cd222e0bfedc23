"""InternHost: host high-school interns in manufacturing, within the law."""

__version__ = "0.1.0"
