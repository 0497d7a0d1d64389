"""Corpus runs: many articles, streamed through steps, on local processes or a Ray cluster.

The shape follows datatrove: a pipeline is a list of :class:`~newstrace.corpus.step.Step`
generators (read → to-article → analyse → write); ``Executor.run_task(rank)`` chains them
for one shard and is written once; executors (:mod:`.executor.local`,
:mod:`.executor.ray`) only decide where tasks run. Per-task completion markers make a
killed run resumable without loss or duplication; documents that fail go to the
``rejects`` table with their reason.
"""

from __future__ import annotations

from newstrace.corpus.record import Doc, InputRecord, Reject

__all__ = ["Doc", "InputRecord", "Reject"]
