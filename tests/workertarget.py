"""A worker-process target for tests (``workers.start_worker("workertarget:inspect")``
with ``cwd`` the tests folder): what the child got, and one row it read."""

from __future__ import annotations

import os
import sys
from typing import Any

from internhost.core.workers import WorkerContext


def inspect(ctx: WorkerContext) -> dict[str, Any]:
    from sqlalchemy import text

    with ctx.engine.connect() as conn:
        rows = conn.execute(text(f"SELECT count(*) FROM {ctx.args['table']}")).scalar()
        first = conn.execute(text("SELECT legal_last_name FROM interns ORDER BY id")).scalar()
    print("this goes to stderr, not into the result")
    return {
        "rows": rows,
        "first_intern": first,
        "actor": [ctx.actor.role.value, ctx.actor.name, ctx.actor.user_id],
        "passphrase_in_env": "INTERNHOST_PASSPHRASE" in os.environ,
        "argv": sys.argv,
        "environ": dict(os.environ),
    }
