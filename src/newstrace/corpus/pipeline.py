"""The standard corpus pipeline, assembled in one place: read → load → analyse → write,
and its finalise hook (the DuckDB views over the written tables)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from newstrace.config import Settings
from newstrace.corpus.readers import ChainReader, FolderReader, ParquetReader, make_reader
from newstrace.corpus.step import Step
from newstrace.corpus.steps import Analyze, ToArticle
from newstrace.corpus.writers import ParquetWriter


class TableWriter(ParquetWriter):
    """The corpus writer plus what a finished run needs once: ``OUT/newstrace.duckdb``.

    The executor calls :meth:`finalise` in the driver after the tasks; it knows nothing
    of DuckDB or of the corpus tables."""

    def finalise(self, output: Path, summary: Any) -> None:
        from newstrace.corpus.query import write_database

        write_database(self.output)


def build_pipeline(
    inputs: Sequence[str | Path],
    output: str | Path,
    *,
    settings: Settings | None = None,
    format: str = "auto",
    mapping: Mapping[str, str] | None = None,
    analyzer: str = "default",
    glob: str | None = None,
    limit: int | None = None,
    batch_docs: int = 256,
) -> list[Step]:
    settings = settings or Settings()
    reader = make_reader(
        inputs, format=format, mapping=mapping, glob=glob, limit=limit, max_bytes=settings.max_bytes
    )
    return [
        reader,
        ToArticle(settings),
        Analyze(analyzer, settings),
        TableWriter(output, batch_docs=batch_docs),
    ]


def estimate_documents(pipeline: Sequence[Step]) -> int | None:
    """A cheap count of the documents when the inputs allow one (for the ETA), else None."""
    reader = pipeline[0]
    readers: list[Any] = reader.readers if isinstance(reader, ChainReader) else [reader]
    total = 0
    for r in readers:
        if isinstance(r, FolderReader):
            total += len(r.files())
        elif isinstance(r, ParquetReader):
            import pyarrow.parquet as pq

            total += sum(pq.ParquetFile(p).metadata.num_rows for p in r.files())
        else:
            return None
    return total
