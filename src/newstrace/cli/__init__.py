"""The ``newstrace`` command line (typer).

Each command group lives in its own module with its own ``typer.Typer``; this module
assembles them and is the one boundary where a :class:`NewstraceError` becomes one line on
stderr and its exit code. Nothing else in the package prints errors or exits.
"""

from __future__ import annotations

import os
import sys

from newstrace.cli.app import app
from newstrace.errors import NewstraceError

__all__ = ["app", "error_exit", "main"]


def _register() -> None:
    # Command modules add themselves to ``app`` (top-level commands) or are mounted as
    # groups here. Imported lazily so `newstrace --help` stays fast.
    from newstrace.cli import (
        analyze,  # noqa: F401  (analyze, extract)
        serve,  # noqa: F401  (serve)
    )

    # Group modules: (module, group name).
    groups = (
        ("newstrace.cli.stance", "stance"),
        ("newstrace.cli.outlets", "outlets"),
        ("newstrace.cli.data", "data"),
        ("newstrace.cli.corpus", "corpus"),
        ("newstrace.cli.trace", "trace"),
    )
    from importlib import import_module

    for module_name, group in groups:
        app.add_typer(import_module(module_name).app, name=group)


def error_exit(exc: NewstraceError) -> None:
    """Print ``exc`` as one line and exit with its code."""
    print(f"newstrace: error: {exc.one_line()}", file=sys.stderr)
    raise SystemExit(exc.exit_code)


def main() -> None:
    _register()
    try:
        app()
    except NewstraceError as exc:
        error_exit(exc)
    except KeyboardInterrupt:
        print("newstrace: interrupted", file=sys.stderr)
        raise SystemExit(130) from None
    except Exception as exc:
        # A bug, not bad input: still one line for the user, the traceback on request.
        if os.environ.get("NEWSTRACE_DEBUG"):
            raise
        name = type(exc).__name__
        print(
            f"newstrace: internal error: {name}: {exc} (set NEWSTRACE_DEBUG=1 for details)",
            file=sys.stderr,
        )
        raise SystemExit(1) from None
