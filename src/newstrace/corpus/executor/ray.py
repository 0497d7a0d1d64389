"""RayExecutor: the same tasks as remote functions on a Ray cluster.

Connects to a running cluster (``address``: ``auto``, ``ray://host:10001`` or
``host:6379``) or, with no address, starts a local one with ``workers`` CPUs. Every task
is one remote call of :func:`~newstrace.corpus.executor.base.run_task`; the pipeline
travels as its light configuration, and each Ray worker process builds its Analyzer on
first use and keeps it for later tasks. The output folder must be a path every node sees
(shared storage); docs/scaling.md has the how-to.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator, Sequence
from typing import Any

from newstrace.corpus.executor.base import Executor, run_task
from newstrace.corpus.step import Step
from newstrace.errors import ResourceMissing


def import_ray() -> Any:
    """The ``ray`` module, or a typed error naming the extra that provides it."""
    try:
        import ray
    except ModuleNotFoundError as exc:
        raise ResourceMissing(
            "the Ray executor needs ray: pip install 'newstrace[cluster]'"
        ) from exc
    return ray


@contextlib.contextmanager
def ray_session(
    address: str | None = None, *, workers: int = 1, object_store_mb: int = 256
) -> Iterator[Any]:
    """Ray connected for the ``with`` block: to the cluster at ``address``, or a local
    instance of ``workers`` CPUs. A session already open (an outer ``with``, the caller's
    own ``ray.init``) is reused and left open, so a command that runs several stages
    (``trace run``) pays the start-up of a local cluster once."""
    ray = import_ray()
    if ray.is_initialized():
        yield ray
        return
    common = {
        "include_dashboard": False,
        "log_to_driver": True,
        "ignore_reinit_error": True,
        "configure_logging": False,
    }
    if address:
        ray.init(address=address, **common)
    else:
        ray.init(num_cpus=workers, object_store_memory=object_store_mb * 1024 * 1024, **common)
    try:
        yield ray
    finally:
        ray.shutdown()


def _progress_actor(ray: Any) -> Any:
    @ray.remote(num_cpus=0)
    class Progress:
        """Collects document counts from tasks; the driver polls it."""

        def __init__(self) -> None:
            self.count = 0

        def add(self, n: int) -> None:
            self.count += n

        def take(self) -> int:
            n, self.count = self.count, 0
            return n

    return Progress.remote()


def _remote_task(
    pipeline: Sequence[Step], output: str, rank: int, world_size: int, counter: Any
) -> dict[str, Any]:
    def progress(n: int) -> None:
        counter.add.remote(n)

    return run_task(pipeline, output, rank, world_size, progress)


class RayExecutor(Executor):
    """Run tasks as Ray remote functions (one CPU each)."""

    kind = "ray"

    def __init__(
        self,
        pipeline: Sequence[Step],
        output: Any,
        *,
        address: str | None = None,
        object_store_mb: int = 256,
        **kwargs: Any,
    ) -> None:
        super().__init__(pipeline, output, **kwargs)
        self.address = address
        self.object_store_mb = object_store_mb

    def run_tasks(self, ranks: list[int], progress: Any) -> dict[int, str]:
        with ray_session(
            self.address, workers=self.workers, object_store_mb=self.object_store_mb
        ) as ray:
            counter = _progress_actor(ray)
            remote = ray.remote(num_cpus=1, max_retries=2)(_remote_task)
            # The pipeline is put once into the object store, not pickled per task.
            pipeline_ref = ray.put(self.pipeline)
            refs = {
                remote.remote(pipeline_ref, str(self.output), rank, self.tasks, counter): rank
                for rank in ranks
            }
            failed: dict[int, str] = {}
            waiting = list(refs)
            while waiting:
                done, waiting = ray.wait(waiting, num_returns=1, timeout=0.5)
                progress.advance(ray.get(counter.take.remote()))
                for ref in done:
                    rank = refs[ref]
                    try:
                        stats = ray.get(ref)
                        progress.task_done(stats.get("documents"))
                    except Exception as exc:  # a task that failed after its retries
                        failed[rank] = f"{type(exc).__name__}: {exc}"[:2000]
                        progress.task_done()
            progress.advance(ray.get(counter.take.remote()))
            time.sleep(0)  # let the live display catch the last count
            return failed
