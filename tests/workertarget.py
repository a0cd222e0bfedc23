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


def steps(ctx: WorkerContext) -> dict[str, Any]:
    """Report ``ctx.args["steps"]`` steps; between steps, stop if asked to. With
    ``wait_for_cancel``, it waits (at most 30 s) at the second step until it is asked."""

    total = ctx.args["steps"]
    for done in range(total):
        ctx.stop_if_cancelled()
        ctx.progress(done, total, f"step {done + 1}")
        if ctx.args.get("wait_for_cancel") and done == 1:
            ctx.stop.wait(30)
    ctx.progress(total, total, "done")
    return {"niceness": os.nice(0) if hasattr(os, "nice") else None, "steps": total}
