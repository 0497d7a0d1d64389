"""The shared spaCy parse: one Doc over the article, sentences inside blocks."""

from __future__ import annotations

import pytest

from newstrace.analyze.nlp import masked_text
from newstrace.config import Settings
from newstrace.data import Article, Block
from newstrace.errors import ResourceMissing
from test_nlp_support import example_article, plain_article, run_pipeline


def test_sentences_never_cross_blocks_and_carry_roles(example_text: str) -> None:
    art = run_pipeline(example_article(example_text), upto="nlp")
    sentences = art.layer("sentences")
    assert sentences
    for sent in sentences:
        block = art.block_at(sent.start)
        assert block is not None and block.end >= sent.end
        assert sent.attrs["role"] == block.role
    roles = {s.attrs["role"] for s in sentences}
    assert {"headline", "dek", "body", "editor_note", "caption"} <= roles
    assert "boilerplate" not in roles and "navigation" not in roles


def test_headline_without_final_stop_is_its_own_sentence() -> None:
    art = plain_article("Minister resigns after vote", "The minister said he would go.")
    art = run_pipeline(art, upto="nlp")
    texts = [s.text_of(art.text) for s in art.layer("sentences")]
    assert texts == ["Minister resigns after vote", "The minister said he would go."]


def test_doc_offsets_are_article_offsets(example_text: str) -> None:
    art = run_pipeline(example_article(example_text), upto="nlp")
    doc = art.cache["doc"]
    assert len(doc.text) == len(art.text)
    for tok in doc[:200]:
        if not tok.is_space:
            assert art.text[tok.idx : tok.idx + len(tok.text)] == tok.text


def test_furniture_is_blanked_not_parsed() -> None:
    text = "Title here\n\nSubscribe now to our newsletter!\n\nThe mayor said it rained."
    sub, body = text.index("Subscribe"), text.index("The mayor")
    blocks = [
        Block("headline", 0, 10),
        Block("boilerplate", sub, body - 2),
        Block("body", body, len(text)),
    ]
    masked = masked_text(text, [(0, 10, "headline"), (body, len(text), "body")])
    assert masked[sub : body - 2].strip() == "" and masked[body:] == text[body:]
    art = run_pipeline(Article(text=text, blocks=blocks), upto="nlp")
    assert [s.attrs["role"] for s in art.layer("sentences")] == ["headline", "body"]


def test_article_without_blocks_is_read_as_body() -> None:
    art = run_pipeline(Article(text="Officials said the bridge is closed. It may reopen."),
                       upto="nlp")
    assert [s.attrs["role"] for s in art.layer("sentences")] == ["body", "body"]


def test_missing_model_is_a_typed_error() -> None:
    from newstrace.analyze import nlp

    with pytest.raises(ResourceMissing, match="not installed"):
        nlp.build(Settings(spacy_model="no_such_model_xyz"))


def test_a_name_at_a_paragraph_start_is_not_cut_from_its_surname() -> None:
    from test_nlp_support import plain_article, run_pipeline

    art = run_pipeline(plain_article("Notes", "Saeb Erekat said it was only the latest "
                                     "move.", "The mayor said no."), upto="nlp")
    sentences = [s.text_of(art.text) for s in art.layer("sentences")]
    assert sentences[1:] == ["Saeb Erekat said it was only the latest move.",
                             "The mayor said no."]
