"""Story tracing across a corpus: every copy of a story, what the copies share, what each
changed, and who copied whom.

Stages (each a small module):

- :mod:`~newstrace.trace.shingles`   article → paragraphs of countable text → word shingles
- :mod:`~newstrace.trace.minhash`    vectorised MinHash signatures, LSH banding, candidates
- :mod:`~newstrace.trace.align`      shared passages, one-sided passages, rewrites per pair
- :mod:`~newstrace.trace.direction`  who is the source: declared provenance, dates, containment
- :mod:`~newstrace.trace.stories`    story families from strong shared-passage links
- :mod:`~newstrace.trace.graph`      provenance graph (GraphML, JSON), per-outlet summary
- :mod:`~newstrace.trace.index`      persisted LSH index for ``newstrace trace find``
- :mod:`~newstrace.trace.pipeline`   the whole trace over a list of articles

Only reading and structure are needed (no spaCy), so the trace scales to large corpora.
"""

from __future__ import annotations

from newstrace.trace.candidates import LSHConfig
from newstrace.trace.pipeline import PairResult, TraceConfig, TraceResult, trace_articles

__all__ = ["LSHConfig", "PairResult", "TraceConfig", "TraceResult", "trace_articles"]
