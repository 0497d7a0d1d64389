"""The newstrace web service and page (``newstrace serve``); needs the ``service`` extra.

:func:`create_app` returns the FastAPI application; see docs/service.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["create_app"]


def create_app(*args: Any, **kwargs: Any) -> FastAPI:
    # Imported on call so `import newstrace.service` works without the extra installed.
    from newstrace.service.app import create_app as _create_app

    return _create_app(*args, **kwargs)
