"""Command-line options shared by the commands that run tasks on an executor
(`corpus run`, `trace run`): one definition, so both say and accept the same."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer


class ExecutorKind(StrEnum):
    local = "local"
    ray = "ray"


ExecutorOpt = Annotated[ExecutorKind, typer.Option("--executor", "-e")]
WorkersOpt = Annotated[int, typer.Option("--workers", "-w", help="Worker processes.")]
TasksOpt = Annotated[
    int | None,
    typer.Option(
        "--tasks", "-t", help="Shards (default: 4 × workers). Resume with the same number."
    ),
]
RayAddressOpt = Annotated[
    str | None,
    typer.Option(
        "--ray-address",
        help="Ray cluster to join (auto, host:6379, ray://host:10001); "
        "default starts a local one.",
    ),
]
DocTimeoutOpt = Annotated[
    float,
    typer.Option(
        "--doc-timeout",
        help="Local executor: seconds a document may hold its worker "
        "before the worker is killed and the document rejected as timeout (0: never).",
    ),
]
MemoryLimitOpt = Annotated[
    int | None,
    typer.Option(
        "--memory-limit",
        help="Local executor: address-space limit per worker in MiB; a "
        "document that needs more is rejected as memory.",
    ),
]
ProgressOpt = Annotated[bool, typer.Option("--progress/--no-progress")]
