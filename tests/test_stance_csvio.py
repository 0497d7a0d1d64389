"""FNC-1 CSV reading/writing: shape checks name the file, row and problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from newstrace.errors import InputNotFound, MalformedData
from newstrace.stance.csvio import read_bodies, read_stances, write_stances

BODIES = 'Body ID,articleBody\n1,"A body, with a comma\nand a line break."\n2,Second body.\n'


def _write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_reads_bodies_with_quoted_multiline_fields(tmp_path: Path) -> None:
    bodies = read_bodies(_write(tmp_path, "b.csv", BODIES))
    assert bodies == {"1": "A body, with a comma\nand a line break.", "2": "Second body."}


def test_bom_is_not_part_of_the_first_column(tmp_path: Path) -> None:
    path = _write(tmp_path, "b.csv", b"\xef\xbb\xbf" + BODIES.encode())
    assert set(read_bodies(path)) == {"1", "2"}


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("", "file is empty"),
        ("Body ID,articleBody\n", "no data rows"),
        ("Body,articleBody\n1,x\n", "row 1: missing column(s) Body ID"),
        ("Body ID,articleBody\n1,x\n1,y\n", "row 3: duplicate Body ID 1"),
        ("Body ID,articleBody\n1,x,extra\n", "row 2: 3 field(s), header has 2"),
        (b"Body ID,articleBody\n1,ok\n2,caf\xe9\n", "row 3: not UTF-8"),
    ],
)
def test_malformed_bodies(tmp_path: Path, content: str | bytes, problem: str) -> None:
    path = _write(tmp_path, "bodies.csv", content)
    with pytest.raises(MalformedData) as err:
        read_bodies(path)
    assert str(path) in err.value.message
    assert problem in err.value.message


def test_missing_file_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(InputNotFound):
        read_bodies(tmp_path / "nope.csv")


def test_unknown_body_id_and_bad_label_name_the_row(tmp_path: Path) -> None:
    bodies = read_bodies(_write(tmp_path, "b.csv", BODIES))
    unknown = _write(tmp_path, "s.csv", "Headline,Body ID\nok,1\nbad,7\n")
    with pytest.raises(MalformedData, match=r"s\.csv: row 3: unknown Body ID '7'"):
        read_stances(unknown, bodies)
    label = _write(tmp_path, "l.csv", "Headline,Body ID,Stance\nok,1,agrees\n")
    with pytest.raises(MalformedData, match=r"row 2: unknown Stance 'agrees'"):
        read_stances(label, bodies)
    missing = _write(tmp_path, "m.csv", "Headline,Body ID\nok,1\n")
    with pytest.raises(MalformedData, match=r"missing column\(s\) Stance"):
        read_stances(missing, bodies, require_stance=True)


def test_write_keeps_order_and_other_columns(tmp_path: Path) -> None:
    bodies = read_bodies(_write(tmp_path, "b.csv", BODIES))
    src = _write(
        tmp_path, "s.csv", 'Headline,Body ID,Note\n"Second, first",2,x\nFirst,1,"y ""q"""\n'
    )
    table = read_stances(src, bodies)
    out = tmp_path / "out.csv"
    write_stances(out, table, ["discuss", "unrelated"])
    assert out.read_text(encoding="utf-8").splitlines() == [
        "Headline,Body ID,Note,Stance",
        '"Second, first",2,x,discuss',
        'First,1,"y ""q""",unrelated',
    ]
