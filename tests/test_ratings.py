"""Rating lists read in their original formats; the index, the band rule, the user file."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from newstrace.config import Settings
from newstrace.datasets.index import build_index, get_index, summarise
from newstrace.datasets.ratings import Rating
from newstrace.errors import MalformedData


@pytest.fixture(scope="module")
def index(shared_data: Path):
    started = time.perf_counter()
    built = get_index(Settings(data_dir=shared_data))
    elapsed = time.perf_counter() - started
    print(f"rating index: {len(built.by_host)} hosts, built in {elapsed:.2f}s")
    assert elapsed < 20  # measured ~0.6 s on the dev machine
    return built


def test_all_six_lists_load(index) -> None:
    assert index.lists_loaded == ["idiap", "cred1", "iffy", "lasser", "lin2023", "opensources"]
    assert len(index.by_host) > 20000
    assert index.note() is None


def test_index_is_cached_per_process(index, shared_data: Path) -> None:
    assert get_index(Settings(data_dir=shared_data)) is index


@pytest.mark.parametrize("domain", ["globalresearch.ca", "sott.net", "southfront.org"])
def test_low_rated_outlets(index, domain: str) -> None:
    summary = index.lookup(domain)
    assert (summary.band, summary.basis) == ("low", "observed")
    lists = {r.list for r in summary.ratings}
    assert {"idiap", "cred1", "iffy", "lasser", "lin2023"} <= lists
    assert all(r.verdict == "low" for r in summary.ratings if not r.imputed)


@pytest.mark.parametrize("domain", ["spiegel.de", "www.spiegel.de", "https://dpa.com/en"])
def test_high_rated_outlets(index, domain: str) -> None:
    summary = index.lookup(domain)
    assert (summary.band, summary.basis) == ("high", "observed")
    assert not any(r.list in ("cred1", "iffy") for r in summary.ratings)


def test_imputed_only_outlet(index) -> None:
    summary = index.lookup("deutsche-wirtschafts-nachrichten.de")
    assert summary.basis == "imputed"
    assert summary.ratings and all(r.imputed for r in summary.ratings)
    lin = next(r for r in summary.ratings if r.list == "lin2023")
    assert lin.detail["observed_components"] == []


def test_lin_observed_components(index) -> None:
    lin = next(r for r in index.lookup("globalresearch.ca").ratings if r.list == "lin2023")
    assert not lin.imputed and "mbfc" in lin.detail["observed_components"]


def test_absence_from_low_credibility_lists_is_not_a_rating(index) -> None:
    assert index.lookup("reuters.com").band == "high"
    assert index.lookup("no-such-outlet-newstrace.org").band == "unrated"
    assert index.lookup("no-such-outlet-newstrace.org").ratings == []


def test_subdomain_falls_back_to_registered_domain(index) -> None:
    summary = index.lookup("edition.spiegel.de")
    assert summary.matched == "spiegel.de" and summary.band == "high"


def test_user_file_overrides_and_is_named(shared_data: Path, tmp_path: Path) -> None:
    user = tmp_path / "mine.csv"
    user.write_text(
        "domain,band,label,source,date\n"
        "globalresearch.ca,high,checked by our desk,,2024-01-02\n"
        "my-local-paper-newstrace.org,mixed,,Newsroom list,\n",
        encoding="utf-8",
    )
    index = build_index(shared_data, user)
    summary = index.lookup("globalresearch.ca")
    assert (summary.band, summary.basis) == ("high", "user")
    first = summary.ratings[0]
    assert (first.source, first.label, first.date) == (
        "user ratings (mine.csv)",
        "checked by our desk",
        "2024-01-02",
    )
    assert len(summary.ratings) > 1  # the public ratings stay visible
    only_user = index.lookup("my-local-paper-newstrace.org")
    assert only_user.band == "mixed" and only_user.ratings[0].source == "Newsroom list"


def test_user_file_alone_counts_as_installed(tmp_path: Path) -> None:
    user = tmp_path / "r.csv"
    user.write_text("domain,band\nexample-news-newstrace.org,low\n", encoding="utf-8")
    index = build_index(None, user)
    assert index.installed and index.note() is None
    assert index.lookup("example-news-newstrace.org").band == "low"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("site,rating\nx.org,low\n", "missing column"),
        ("domain,band\nx.org,excellent\n", "line 2: band must be one of"),
        ("domain,band\nnot a domain,low\n", "line 2"),
    ],
)
def test_bad_user_file(tmp_path: Path, content: str, message: str) -> None:
    user = tmp_path / "bad.csv"
    user.write_text(content, encoding="utf-8")
    with pytest.raises(MalformedData, match=message):
        build_index(None, user)


def test_missing_user_file(tmp_path: Path) -> None:
    with pytest.raises(MalformedData, match="does not exist"):
        build_index(None, tmp_path / "absent.csv")


def test_no_ratings_installed(tmp_path: Path) -> None:
    index = build_index(tmp_path)
    assert not index.installed and index.lists_loaded == []
    assert "No outlet ratings are installed" in (index.note() or "")
    assert index.lookup("globalresearch.ca").band == "unrated"


def _write(root: Path, rel: str, text: str) -> None:
    path = root / "source-ratings" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_original_formats_small_copies(tmp_path: Path) -> None:
    """Each loader reads its list's own format (no shared data needed)."""
    _write(
        tmp_path,
        "iffy-news/2024-08-01__iffy_list.txt",
        "https://www.bad-site.org/*\nhttps://big-portal.org/opinion/*\n",
    )
    _write(
        tmp_path,
        "iffy-news/2023-04-01__iffy_list_incl_mixed.txt",
        "https://www.bad-site.org/*\nhttps://meh-site.org/*\n",
    )
    _write(
        tmp_path,
        "cred1/cred1_current.csv",
        "domain,category,credibility_score,sources\nbad-site.org,conspiracy,0.1,2\n",
    )
    _write(tmp_path, "cred1/changelog.md", "# log\n\n## 2026-08-04\n- x\n")
    _write(
        tmp_path,
        "opensources/sources.json",
        '{"bad-site.org": {"type": "fake", "2nd type": "bias", "3rd type": ""},'
        ' "good-site.org": {"type": "reliable", "2nd type": "", "3rd type": ""}}',
    )
    _write(
        tmp_path,
        "lasser-misinformation-domains/clean/domain_list_clean.csv",
        "url,label,source,last_update,accuracy,transparency,type\n"
        "good-site.org,least biased,media_bias_fact_check,2021-05-17,5,3,reliable\n"
        "facebook.com/somepage,fake news,girnberg,2019,1,1,unreliable\n",
    )
    _write(
        tmp_path,
        "idiap-news-media-reliability/golden_truth_dataset.csv",
        "domain,reliability_label,newsguard_score,label_source\ngood-site.org,1,,mbfc\n",
    )
    index = build_index(tmp_path)
    assert set(index.lists_loaded) == {"idiap", "cred1", "iffy", "lasser", "opensources"}
    bad = index.lookup("bad-site.org")
    assert bad.band == "low"
    iffy = [r for r in bad.ratings if r.list == "iffy"]
    assert [(r.date, r.verdict) for r in iffy] == [("2024-08-01", "low")]
    assert next(r for r in bad.ratings if r.list == "cred1").date == "2026-08-04"
    assert next(r for r in bad.ratings if r.list == "opensources").verdict == "low"
    meh = index.lookup("meh-site.org")
    assert [(r.date, r.verdict) for r in meh.ratings] == [("2023-04-01", "mixed")]
    assert index.lookup("good-site.org").band == "high"
    # An entry for one page or section rates that page, not the platform it sits on.
    assert index.lookup("facebook.com").ratings == []
    assert index.lookup("big-portal.org").ratings == []


def test_malformed_list_file_is_a_typed_error(tmp_path: Path) -> None:
    _write(tmp_path, "cred1/cred1_current.csv", "site,score\nx.org,0.1\n")
    with pytest.raises(MalformedData, match=r"cred1_current\.csv"):
        build_index(tmp_path)
    _write(tmp_path, "cred1/cred1_current.csv", "domain,category,credibility_score\n")
    _write(tmp_path, "opensources/sources.json", "{not json")
    with pytest.raises(MalformedData, match=r"sources\.json"):
        build_index(tmp_path)


def test_band_rule() -> None:
    def r(verdict: str, imputed: bool = False, lst: str = "x") -> Rating:
        return Rating("s", lst, 0, "", verdict=verdict, imputed=imputed)

    assert summarise([]) == ("unrated", None)
    assert summarise([r("high"), r("high"), r("mixed")]) == ("high", "observed")
    assert summarise([r("high"), r("low")]) == ("mixed", "observed")
    assert summarise([r("low"), r("low"), r("mixed")]) == ("low", "observed")
    # Imputed ratings count only when nothing observed exists.
    assert summarise([r("low"), r("high", imputed=True)]) == ("low", "observed")
    assert summarise([r("high", imputed=True)]) == ("high", "imputed")
    assert summarise([r("low"), r("high", lst="user")]) == ("high", "user")
