"""The root ``typer`` application that command modules add their commands to.

Apart from ``cli/__init__.py`` (which assembles the commands and turns errors into exit
codes) so that command modules import it without importing the module that imports them.
"""

from __future__ import annotations

import typer

app = typer.Typer(
    name="newstrace",
    help="Read news critically: provenance, attribution, unsourced claims, headline audit, "
    "outlet ratings.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
