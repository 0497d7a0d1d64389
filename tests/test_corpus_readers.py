"""Corpus readers on real samples: FakeNewsCorpus CSV, extraction-benchmark HTML pages as a
folder, and JSONL / Parquet / WARC files built from them here."""

from __future__ import annotations

import csv
import gzip
import io
import json
import sys
from pathlib import Path

import pytest

from newstrace.corpus.readers import (
    ChainReader,
    CsvReader,
    FolderReader,
    JsonlReader,
    ParquetReader,
    WarcReader,
    make_reader,
)
from newstrace.errors import InputNotFound, UnsupportedFormat

pytestmark = pytest.mark.data


def _all(reader, world_size: int = 1):
    return [list(reader.run(None, rank, world_size)) for rank in range(world_size)]


def _fnc_rows(shared: Path) -> list[dict[str, str]]:
    csv.field_size_limit(sys.maxsize)
    with (shared / "fakenewscorpus-sample" / "news_sample.csv").open(newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def fnc_csv(shared_data: Path) -> Path:
    return shared_data / "fakenewscorpus-sample" / "news_sample.csv"


@pytest.fixture(scope="module")
def html_dir(shared_data: Path) -> Path:
    return shared_data / "article-extraction" / "html"


def test_csv_reader_reads_fakenewscorpus_unmapped_and_shards_it(fnc_csv, shared_data):
    rows = _fnc_rows(shared_data)
    shards = _all(CsvReader([fnc_csv]), world_size=3)
    ids = [r.id for shard in shards for r in shard]
    # Every row once, across shards that do not overlap, each roughly a third.
    assert sorted(ids) == sorted(r["id"] for r in rows)
    assert all(70 <= len(shard) <= 97 for shard in shards)
    by_id = {r.id: r for shard in shards for r in shard}
    row = rows[0]
    record = by_id[row["id"]]
    assert record.content == row["content"]
    assert record.hints["title"] == row["title"]
    assert record.hints["url"] == row["url"]
    assert record.hints["domain"] == row["domain"]
    assert record.location.endswith("news_sample.csv#row=0")
    authored = next(r for r in rows if "," in r["authors"])
    assert by_id[authored["id"]].hints["authors"] == [
        a.strip() for a in authored["authors"].split(",") if a.strip()
    ]


def test_csv_reader_takes_fields_larger_than_the_csv_default(tmp_path):
    big = "word " * 60_000  # 300 kB in one field; csv's default limit is 128 kB
    path = tmp_path / "big.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "content"])
        writer.writerow(["a", big])
    (record,) = _all(CsvReader([path]))[0]
    assert record.content == big


def test_folder_reader_reads_gzipped_html_pages(html_dir):
    shards = _all(FolderReader([html_dir]), world_size=2)
    records = shards[0] + shards[1]
    names = sorted(p.name.removesuffix(".html.gz") for p in html_dir.glob("*.html.gz"))
    assert sorted(r.id for r in records) == names
    assert {r.format for r in records} == {"html"}
    assert all(b"<" in r.content[:2000] for r in records)
    # Whole files per task, alternating in sorted order.
    assert [r.id for r in shards[0]] == names[0::2]


def test_folder_reader_formats_and_glob(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.md").write_text("# A\n\nBody.")
    (tmp_path / "sub" / "b.txt").write_text("B\n\nBody.")
    (tmp_path / "notes.csv").write_text("x,y\n")
    records = _all(FolderReader([tmp_path]))[0]
    assert {(r.id, r.format) for r in records} == {("a", "markdown"), ("sub/b", "text")}
    only_md = _all(FolderReader([tmp_path], glob="**/*.md"))[0]
    assert [r.id for r in only_md] == ["a"]


def test_jsonl_reader_default_and_custom_mapping(tmp_path, shared_data):
    rows = _fnc_rows(shared_data)[:12]
    path = tmp_path / "articles.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        for row in rows:
            handle.write(
                json.dumps(
                    {
                        "id": row["id"],
                        "text": row["content"],
                        "title": row["title"],
                        "url": row["url"],
                    }
                )
                + "\n"
            )
        handle.write("\n")  # blank lines are not documents
        handle.write("{not json\n")
    records = [r for shard in _all(JsonlReader([path]), world_size=2) for r in shard]
    good = [r for r in records if r.error is None]
    bad = [r for r in records if r.error is not None]
    assert sorted(r.id for r in good) == sorted(r["id"] for r in rows)
    assert good[0].hints["url"] in {r["url"] for r in rows}
    assert len(bad) == 1 and bad[0].error.reason == "malformed_data"
    assert bad[0].location.endswith("#line=12")

    custom = tmp_path / "custom.jsonl"
    custom.write_text(
        json.dumps({"doc": "x1", "page": "<html><body><p>Hi</p></body></html>", "headline": "Hi"})
        + "\n"
    )
    (record,) = _all(JsonlReader([custom], mapping={"id": "doc", "content": "page"}))[0]
    assert (record.id, record.format, record.hints["title"]) == ("x1", "html", "Hi")
    (missing,) = _all(JsonlReader([custom], mapping={"content": "nope"}))[0]
    assert missing.error is not None and missing.error.reason == "malformed_data"


def test_parquet_reader_on_extraction_pages(tmp_path, html_dir, shared_data):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    truth = json.loads((shared_data / "article-extraction" / "ground-truth.json").read_text())
    pages = sorted(html_dir.glob("*.html.gz"))[:20]
    ids = [p.name.removesuffix(".html.gz") for p in pages]
    table = pa.table(
        {
            "id": ids,
            "html": [gzip.decompress(p.read_bytes()).decode("utf-8") for p in pages],
            "url": [truth[i]["url"] for i in ids],
            "ignored": list(range(len(ids))),
        }
    )
    path = tmp_path / "pages.parquet"
    pq.write_table(table, path, row_group_size=7)
    shards = _all(ParquetReader([path]), world_size=3)
    records = [r for shard in shards for r in shard]
    assert sorted(r.id for r in records) == sorted(ids)
    assert {r.format for r in records} == {"html"}
    assert all(r.hints["url"] == truth[r.id]["url"] for r in records)
    assert len(shards[0]) == 7  # rows 0, 3, … 18 of the one file


def _build_warc(path: Path, pages: list[Path], urls: list[str]) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for page, url in zip(pages, urls, strict=True):
            request = writer.create_warc_record(
                url,
                "request",
                payload=io.BytesIO(b""),
                http_headers=StatusAndHeaders("GET / HTTP/1.1", [], is_http_request=True),
            )
            writer.write_record(request)
            body = gzip.decompress(page.read_bytes())
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            writer.write_record(
                writer.create_warc_record(
                    url, "response", payload=io.BytesIO(body), http_headers=headers
                )
            )
        image = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                "https://example.org/logo.png",
                "response",
                payload=io.BytesIO(b"\x89PNG...."),
                http_headers=image,
            )
        )


def test_warc_reader_takes_html_responses_only(tmp_path, html_dir, shared_data):
    pytest.importorskip("warcio")
    truth = json.loads((shared_data / "article-extraction" / "ground-truth.json").read_text())
    pages = sorted(html_dir.glob("*.html.gz"))[:6]
    urls = [truth[p.name.removesuffix(".html.gz")]["url"] for p in pages]
    path = tmp_path / "crawl.warc.gz"
    _build_warc(path, pages, urls)
    shards = _all(WarcReader([path]), world_size=2)
    records = shards[0] + shards[1]
    assert sorted(r.hints["url"] for r in records) == sorted(urls)
    assert len({r.id for r in records}) == 6 and {r.format for r in records} == {"html"}
    assert all(r.content.lstrip().lower().startswith((b"<!doctype", b"<html")) for r in records)
    assert all("@" in r.location for r in records)
    reader = WarcReader([path])
    assert len(list(reader.run(None, 0, 1))) == 6
    assert reader.stats["skipped_not_html"] == 1


def test_make_reader_detects_kinds_and_refuses_unknown(tmp_path, fnc_csv, html_dir):
    chained = make_reader([html_dir, fnc_csv])
    assert isinstance(chained, ChainReader)
    assert [type(r) for r in chained.readers] == [FolderReader, CsvReader]
    odd = tmp_path / "corpus.bin"
    odd.write_bytes(b"x")
    with pytest.raises(UnsupportedFormat):
        make_reader([odd])
    with pytest.raises(InputNotFound):
        make_reader([tmp_path / "missing.csv"])
