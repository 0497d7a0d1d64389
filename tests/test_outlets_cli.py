"""`newstrace outlets lookup NAME|DOMAIN`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newstrace.cli.outlets import EmptyQuery, app, lookup

runner = CliRunner()


def test_lookup_by_abbreviation_shows_ratings(shared_data: Path) -> None:
    result = runner.invoke(app, ["lookup", "SOTT", "--data-dir", str(shared_data)])
    assert result.exit_code == 0, result.output
    for expected in ("Sott.net", "sott.net", "band", "low", "CRED-1", "Iffy+"):
        assert expected in result.output


def test_lookup_json_by_url(shared_data: Path) -> None:
    result = runner.invoke(
        app, ["lookup", "https://www.spiegel.de/politik/", "--json", "--data-dir", str(shared_data)]
    )
    info = json.loads(result.output)
    assert info["domain"] == "spiegel.de" and info["band"] == "high"
    assert info["outlet"]["language"] == "de"
    assert {r["source"] for r in info["ratings"]} >= {"Media Bias/Fact Check (idiap scrape)"}


def test_unknown_name_is_an_answer_not_an_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["lookup", "Frobnitz Courier", "--data-dir", str(tmp_path)])
    assert result.exit_code == 0
    assert "Unknown outlet" in result.output and "Frobnitz Courier" in result.output


def test_unlisted_domain_is_unrated(tmp_path: Path) -> None:
    info = lookup("frobnitz-courier-newstrace.org", data_dir=tmp_path)
    assert (info["known"], info["domain"], info["band"]) == (
        False,
        "frobnitz-courier-newstrace.org",
        "unrated",
    )
    assert "No outlet ratings are installed" in info["note"]


def test_user_file_named_in_lookup(tmp_path: Path) -> None:
    user = tmp_path / "desk.csv"
    user.write_text("domain,band,label\nspiegel.de,mixed,desk review\n")
    info = lookup("Der Spiegel", data_dir=tmp_path / "none", ratings_file=user)
    assert (info["band"], info["band_basis"]) == ("mixed", "user")
    assert info["ratings"][0]["source"] == "user ratings (desk.csv)"


def test_empty_query_is_a_typed_error(monkeypatch, capsys) -> None:
    with pytest.raises(EmptyQuery):
        lookup("  ")
    from newstrace.cli import main

    monkeypatch.setattr(sys, "argv", ["newstrace", "outlets", "lookup", " "])
    with pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code == EmptyQuery.exit_code
    assert "give an outlet name or a domain" in capsys.readouterr().err
