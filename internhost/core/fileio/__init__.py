"""Every file the app reads or writes besides the database: the one output-path guard and
atomic owner-only writes, exports, CSV and strict JSON, and evidence attachments."""
