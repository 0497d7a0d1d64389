"""Unit tests of the trace layer: shingles, MinHash, LSH banding, alignment, direction,
stories and graph export. Synthetic texts only (no shared data)."""

from __future__ import annotations

import numpy as np
import pytest

from newstrace.data import Article, Block, Meta
from newstrace.trace.align import align
from newstrace.trace.direction import infer_direction
from newstrace.trace.minhash import (
    EMPTY,
    MinHasher,
    agreement,
    available_backend,
    band_keys,
    bucket_pairs,
    optimal_bands,
)
from newstrace.trace.shingles import paragraphs, passage_units, shingle_article
from newstrace.trace.stories import classify_pair, story_labels

WORDS = [
    "council",
    "budget",
    "river",
    "bridge",
    "mayor",
    "vote",
    "school",
    "teacher",
    "union",
    "strike",
    "hospital",
    "nurse",
    "court",
    "judge",
    "appeal",
    "ruling",
    "police",
    "report",
    "witness",
    "market",
    "price",
    "energy",
    "grid",
    "storm",
    "flood",
    "farmer",
    "harvest",
    "export",
    "tariff",
    "minister",
    "treaty",
    "border",
    "army",
    "drone",
    "village",
    "election",
    "poll",
    "senator",
    "campaign",
    "donor",
    "rally",
    "speech",
    "museum",
    "artist",
    "gallery",
    "festival",
    "stadium",
    "coach",
    "player",
]


def prose(seed: int, paragraphs_: int = 6, words: int = 45) -> list[str]:
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(paragraphs_):
        ws = [WORDS[i] for i in rng.integers(len(WORDS), size=words)]
        out.append(" ".join(ws).capitalize() + ".")
    return out


def article(
    paras: list[str],
    headline: str = "A headline here",
    *,
    id: str = "x",
    published: str | None = None,
    domain: str | None = None,
    furniture: tuple[str, str] | None = None,
    notes: list[tuple[str, str]] = (),
) -> Article:
    """Build a structured Article: [navigation], headline, [notes], body…, [footer]."""
    pieces: list[tuple[str, str]] = []
    if furniture:
        pieces.append((furniture[0], "navigation"))
    pieces.append((headline, "headline"))
    pieces += list(notes)
    pieces += [(p, "body") for p in paras]
    if furniture:
        pieces.append((furniture[1], "boilerplate"))
    text, blocks = "", []
    for body, role in pieces:
        if text:
            text += "\n\n"
        blocks.append(Block(role, len(text), len(text) + len(body)))
        text += body
    return Article(
        text=text,
        id=id,
        blocks=blocks,
        meta=Meta(published=published, domain=domain, publisher=domain),
    )


# --- shingles and units -------------------------------------------------------------------


def test_excluded_roles_never_shingled() -> None:
    art = article(prose(1, 2), furniture=("Home | World | Subscribe", "All rights reserved."))
    roles = {p.role for p in paragraphs(art)}
    assert roles == {"headline", "body"}


def test_shingles_do_not_cross_paragraphs() -> None:
    a = article(["alpha beta gamma delta epsilon", "zeta eta theta iota kappa"])
    b = article(["zeta eta theta iota kappa", "alpha beta gamma delta epsilon"])
    sa, sb = shingle_article(a), shingle_article(b)
    # Same paragraphs in another order: the same shingle multiset.
    assert sorted(sa.shingles.tolist()) == sorted(sb.shingles.tolist())


def test_passage_units_pair_short_paragraphs() -> None:
    art = article(["one two three", " ".join(["word"] * 20), "short para here"])
    sh = shingle_article(art)
    units = passage_units(sh, min_words=15)
    # headline(3 words)+short → pair units; the long paragraph is a unit of its own.
    assert (2, 3) in units
    assert all(j - i in (1, 2) for i, j in units)


# --- MinHash and LSH ----------------------------------------------------------------------


@pytest.mark.parametrize("backend", ["numpy", available_backend()])
def test_minhash_estimates_jaccard(backend: str) -> None:
    rng = np.random.default_rng(0)
    x = rng.integers(0, 2**32, size=2000, dtype=np.uint64).astype(np.uint32)
    a, b = x[:1200], x[600:1800]  # Jaccard = 600 / 1800
    sig = MinHasher(256, 3, backend).signatures([a, b, np.empty(0, np.uint32)])
    est = float(np.mean(sig[0] == sig[1]))
    assert abs(est - 1 / 3) < 0.1
    assert (sig[2] == EMPTY).all()


def test_optimal_bands_fit_and_move_with_threshold() -> None:
    lo, hi = optimal_bands(0.3, 128), optimal_bands(0.9, 128)
    assert lo[0] * lo[1] <= 128 and hi[0] * hi[1] <= 128
    assert lo[1] < hi[1]  # a higher target needs more rows per band


def test_bucket_pairs_finds_equal_signatures_only() -> None:
    rng = np.random.default_rng(1)
    sigs = rng.integers(0, 2**32, size=(6, 20), dtype=np.uint64).astype(np.uint32)
    sigs[4] = sigs[1]
    sigs[5, :4] = sigs[2, :4]  # shares one band of 4 rows only
    keys = band_keys(sigs, 5, 4)
    pairs = bucket_pairs(keys, np.ones(6, dtype=bool))
    assert {tuple(p) for p in pairs.tolist()} == {(1, 4), (2, 5)}
    assert agreement(sigs, np.array([[1, 4]]))[0] == 1.0


def test_bucket_cap_keeps_pairs_linear() -> None:
    sigs = np.zeros((500, 8), dtype=np.uint32)
    pairs = bucket_pairs(band_keys(sigs, 2, 4), np.ones(500, dtype=bool), max_bucket=50)
    assert len(pairs) < 3 * 500


# --- alignment ----------------------------------------------------------------------------


def test_alignment_finds_quoted_paragraphs_with_offsets() -> None:
    source = prose(2)
    host = prose(3)
    quoting = host[:2] + source[2:4] + host[2:]
    a, b = article(source, id="src"), article(quoting, id="host")
    al = align(a, b)
    assert len(al.shared) == 1
    p = al.shared[0]
    assert a.text[p.a_start : p.a_end] == source[2] + "\n\n" + source[3][:-1]
    assert b.text[p.b_start : p.b_end].startswith(source[2][:30])
    assert 0.25 < al.shared_fraction_a < 0.4


def test_alignment_robust_to_typos_whitespace_punctuation() -> None:
    src = prose(4, 3)
    noisy = [p.replace(" ", "  ", 3).replace("council", "counc1l").replace(".", "!") for p in src]
    al = align(article(src), article(noisy))
    assert al.shared_fraction_a > 0.9
    assert sum(r.kind == "wording" for r in al.rewrites) >= 1


def test_boilerplate_never_counts_as_shared() -> None:
    footer = (
        "Sign up for our newsletter to get the top stories of the day delivered to "
        "your inbox every morning and evening all rights reserved contact us privacy"
    )
    a = article(prose(5), furniture=("Home | World", footer))
    b = article(prose(6), furniture=("Home | World", footer))
    assert align(a, b).shared == []
    # Without roles the same footer is (correctly, for plain text) seen as shared.
    plain_a, plain_b = Article(a.text), Article(b.text)
    assert align(plain_a, plain_b).shared


def test_rewrites_classify_numbers_names_hedges() -> None:
    base = (
        "The mayor said the council approved 42 new buses on Monday after a long vote "
        "and the river bridge will open in June according to the transport office."
    )
    changed = (
        "The mayor said the council reportedly approved 57 new buses on Monday after "
        "a long vote and the river bridge will open in June according to the Ministry "
        "office."
    )
    al = align(article([base, *prose(7, 2)]), article([changed, *prose(7, 2)]))
    kinds = {r.kind for r in al.rewrites}
    assert {"number", "hedge_added"} <= kinds
    assert "name" in kinds


def test_hedges_come_from_the_shared_lexicon_phrases_included() -> None:
    # "seemingly" and "it is believed" are in resources/lexicons/hedges.txt (which the
    # claims annotator reads); the trace once kept its own shorter list without them.
    base = (
        "The mayor said the council approved the new buses on Monday after a long vote "
        "and the river bridge will open in June according to the transport office."
    )
    for hedged in (
        base.replace("approved", "seemingly approved"),
        base.replace("The mayor said", "It is believed the mayor said"),
    ):
        # Not the first paragraph: a changed first paragraph is reported as such.
        lead, *rest = prose(7, 2)
        al = align(article([lead, base, *rest]), article([lead, hedged, *rest]))
        assert "hedge_added" in {r.kind for r in al.rewrites}, hedged
        back = align(article([lead, hedged, *rest]), article([lead, base, *rest]))
        assert "hedge_removed" in {r.kind for r in back.rewrites}, hedged


def test_headline_rewrite_reported() -> None:
    body = prose(8, 3)
    al = align(
        article(body, "Council approves budget"), article(body, "Shock as council approves budget")
    )
    assert any(r.kind == "headline" for r in al.rewrites)


# --- direction ----------------------------------------------------------------------------


def test_direction_declared_beats_dates() -> None:
    body = prose(9, 4)
    a = article(body, id="a", published="2020-01-05", domain="first.example")
    b = article(body, id="b", published="2020-01-01", domain="second.example")
    a.results["provenance"] = {
        "declared": [{"order": 1, "outlet": "Second", "domain": "second.example", "role": "source"}]
    }
    d = infer_direction(a, b, align(a, b))
    assert (d.source, d.evidence) == ("b", "declared")


def test_direction_from_note_naming_other_outlet() -> None:
    body = prose(10, 4)
    a = article(body, id="a", domain="wire.example")
    b = article(
        body,
        id="b",
        domain="local.example",
        notes=[("This article originally appeared on wire.example.", "provenance_note")],
    )
    assert infer_direction(a, b, align(a, b)).source == "a"


def test_direction_by_date_then_containment() -> None:
    body = prose(11, 6)
    a = article(body, id="a", published="2020-03-01T10:00:00")
    b = article(body, id="b", published="2020-03-03T10:00:00")
    d = infer_direction(a, b, align(a, b))
    assert (d.source, d.evidence) == ("a", "date") and d.confidence >= 0.9
    # Undated: a truncated copy is the later one.
    full, cut = article(body, id="full"), article(body[:3], id="cut")
    d = infer_direction(full, cut, align(full, cut))
    assert (d.source, d.evidence) == ("a", "containment")


def test_direction_undecided_without_evidence() -> None:
    body = prose(12, 4)
    a, b = article(body, id="a"), article(body, id="b")
    assert infer_direction(a, b, align(a, b)).source is None


# --- stories ------------------------------------------------------------------------------


def test_partial_links_do_not_merge_stories() -> None:
    assert classify_pair(0.3, 0.4, 1.0) == "partial"
    assert classify_pair(1.0, 0.5, 1.0) == "near_duplicate"
    assert classify_pair(0.97, 0.96, 0.99) == "duplicate"
    labels = story_labels(5, [(0, 1), (1, 2)])
    assert labels[0] == labels[1] == labels[2] and len(set(labels)) == 3


def test_unknown_backend_is_a_config_error() -> None:
    from newstrace.errors import ConfigError

    with pytest.raises(ConfigError):
        MinHasher(64, 1, "fancy")


# --- a corpus's outputs without a Python object per article ---------------------------------


def test_story_label_array_equals_story_labels() -> None:
    from newstrace.trace.stories import story_label_array

    rng = np.random.default_rng(3)
    for _ in range(200):
        n = int(rng.integers(1, 40))
        links = [tuple(int(x) for x in rng.integers(0, n, 2)) for _ in range(rng.integers(0, 30))]
        assert story_label_array(n, links).tolist() == story_labels(n, links)
    assert story_label_array(0, []).tolist() == []


def test_unique_ids_over_arrow_equal_the_list_version() -> None:
    pa = pytest.importorskip("pyarrow")
    from newstrace.trace.sharded import _unique, _unique_ids

    rng = np.random.default_rng(5)
    choices = ["a", "b", "", None, "doc1", "doc3", "a~1"]
    for _ in range(200):
        ids = [choices[int(k)] for k in rng.integers(0, len(choices), rng.integers(0, 12))]
        column = pa.chunked_array([pa.array(ids[:4], pa.string()), pa.array(ids[4:], pa.string())])
        unique, renamed = _unique_ids(column)
        expected = _unique(ids)  # type: ignore[arg-type]
        assert unique.to_pylist() == expected
        changed = enumerate(zip(ids, expected, strict=True))
        assert renamed == {k: new for k, (old, new) in changed if old != new}


def test_streamed_graph_files_equal_the_in_memory_ones(tmp_path) -> None:
    from newstrace.trace.graph import (
        article_nodes,
        build_graph,
        copied_edges,
        outlet_edges,
        outlet_nodes,
        outlet_pairs,
        outlet_summary,
        published_edges,
        write_graph_streams,
        write_graphml,
        write_json,
    )

    articles = [
        {"id": "a", "outlet": "x.com", "published": "2020-01-01"},
        {"id": "b", "outlet": "y.com", "published": None},
        {"id": 'c"<&', "outlet": None, "published": None},
        {"id": "d", "outlet": "x.com", "published": "2020-01-02"},
    ]
    edge = {
        "source": "a", "target": "b", "directed": True, "kind": "duplicate",
        "similarity": 0.9, "shared_fraction_source": 0.9, "shared_fraction_target": 0.8,
        "gap_hours": 3.0, "evidence": "date", "confidence": 0.9, "detail": "line\nbreak",
    }  # fmt: skip
    for edges in ([], [edge, {**edge, "source": "d", "gap_hours": None}]):
        graph = build_graph(articles, edges)
        write_graphml(graph, tmp_path / "whole.graphml")
        write_json(graph, tmp_path / "whole.json")
        summary = outlet_pairs(edges, {a["id"]: a["outlet"] for a in articles})
        outlets = sorted({a["outlet"] for a in articles if a["outlet"]})
        nodes = [*article_nodes(articles), *outlet_nodes(outlets)]
        links = [*published_edges(articles), *copied_edges(edges), *outlet_edges(summary)]
        write_graph_streams(
            lambda: iter(nodes),  # noqa: B023 (called before the next iteration)
            lambda: iter(links),  # noqa: B023
            outlet_summary(summary),
            summary,
            tmp_path,
        )
        for name in ("graphml", "json"):
            whole = (tmp_path / f"whole.{name}").read_bytes()
            assert (tmp_path / f"graph.{name}").read_bytes() == whole


def test_partial_pairs_of_boilerplate_only_are_dropped() -> None:
    from newstrace.trace.boilerplate import boilerplate_pairs

    css = "font family arial sans serif font size fifteen line height twenty padding bottom ten"
    quote = "the council voted on the river bridge budget after the mayor spoke to the union"
    # 30 articles share the stock run pairwise; two stories share a quoted passage.
    stock = [(i, i + 1, "partial", [css]) for i in range(0, 30, 2)]
    stock += [(i, i + 2, "partial", [css]) for i in range(0, 28, 2)]
    pairs = [*stock, (100, 101, "partial", [quote]), (102, 103, "near_duplicate", [css])]
    dropped = boilerplate_pairs(lambda: pairs, max_docs=20)
    assert dropped == {(a, b) for a, b, _, _ in stock}
    # A pair with one passage of its own keeps every passage.
    more = [*pairs, (0, 1, "partial", [css, quote])]
    assert (0, 1) not in boilerplate_pairs(lambda: more, 20)
    assert boilerplate_pairs(lambda: [], 20) == set()
