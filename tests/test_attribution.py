"""Who said what, on the example article and on short real-style sentences."""

from __future__ import annotations

import pytest

import newstrace
from newstrace.data import Article
from test_nlp_support import loaded_example, plain_article, run_pipeline


@pytest.fixture(scope="module")
def example(example_path, example_text: str) -> Article:
    return run_pipeline(loaded_example(example_path, example_text), upto="attributions")


def _find(art: Article, content_start: str) -> dict:
    """The attribution whose content starts with ``content_start``."""
    for span in art.layer("attributions"):
        content = span.attrs["content"]
        if content is not None and content.text_of(art.text).startswith(content_start):
            return span.attrs
    raise AssertionError(f"no attribution with content {content_start!r}")


def _t(art: Article, span) -> str | None:
    return None if span is None else span.text_of(art.text)


def test_reported_speech_via_a_medium(example: Article) -> None:
    a = _find(example, "that she welcomed president Putin")
    assert a["speaker"] == "Ursula von der Leyen" and a["speaker_kind"] == "person"
    assert _t(example, a["cue"]) == "told" and a["medium"] == "Der Spiegel"
    assert _t(example, a["medium_span"]) == "Der Spiegel" and not a["direct"]


def test_pronoun_source_resolves_to_the_last_speaker(example: Article) -> None:
    a = _find(example, "It would be a matter of mutual interests")
    assert _t(example, a["source"]) == "she" and a["speaker"] == "Ursula von der Leyen"
    b = _find(example, "Bundeswehr would be ready")
    assert b["speaker"] == "Ursula von der Leyen" and b["medium"] == "Der Spiegel"
    assert b["time"] == "on Saturday"


def test_anonymous_official_sources(example: Article) -> None:
    a = _find(example, "Germany would welcome additional efforts")
    assert a["speaker_kind"] == "anonymous" and a["speaker"] is None
    assert _t(example, a["source"]) == "A speaker of the Ministry of Foreign Affairs"
    b = _find(example, "The order was given to the troops a day before")
    assert b["speaker_kind"] == "anonymous" and b["time"] == "on Friday"
    assert b["medium"] == "Der Spiegel"  # "in response to a report by Der Spiegel"


def test_misspelt_and_inverted_sources_resolve_to_one_person(example: Article) -> None:
    said = _find(example, "Because both sides are actively invested")
    assert said["speaker"] == "Sergey Lavrov" and _t(example, said["source"]) == "Lavrov"
    assert said["time"] == "on Friday" and said["place"] == "in Moscow"
    explained = _find(example, "that Russia would keep delivering weapons")
    assert _t(example, explained["source"]) == "Larvov"
    assert explained["speaker"] == "Sergey Lavrov"


def test_statements_of_people_and_states(example: Article) -> None:
    assert _find(example, "the starting of a joint venture")["speaker"] == (
        "Frank-Walter Steinmeier"
    )
    assert _find(example, "upon the US-Ministry of Defence")["speaker"] == "Sergey Lavrov"
    spain = _find(example, "that a Russian participation in the battle")
    assert spain["speaker"] == "Austria and Spain" and spain["speaker_kind"] == "organisation"
    warned = _find(example, "precautionary of a worsening")
    assert warned["speaker_kind"] == "organisation" and "government" in warned["speaker"]


def test_continuations_of_reported_speech(example: Article) -> None:
    a = _find(example, "Russia’s military drills in the Mediterranean")
    assert a.get("continuation") and a["speaker"] == "Sergey Lavrov"


def test_second_hand_chain_in_the_translators_note(example: Article) -> None:
    stated = _find(example, "that concerned colleagues")
    assert stated["medium"] == "PNP magazine" and stated["speaker"] == "Sergey Lavrov"
    assert stated["role"] == "editor_note"
    informed = _find(example, "that the US-military did not give clearances")
    chain = [link["name"] for link in informed["chain"]]
    assert chain == ["PNP magazine", "Sergey Lavrov", "concerned colleagues"]
    assert informed["speaker_kind"] == "anonymous"
    reported = _find(example, "that Russian Foreign Minister Sergey Lavrov called")
    assert reported["speaker_kind"] == "anonymous"
    assert _t(example, reported["cue"]) == "has been reported"


def test_negated_cues_are_not_statements(example: Article) -> None:
    texts = [_t(example, s.attrs["cue"]) for s in example.layer("attributions")]
    assert "indicate" not in texts and "state" not in texts


def test_direct_quote_before_the_cue() -> None:
    art = plain_article(
        "Mayor defends budget",
        "“We will not raise taxes this year,” Mayor Ana Ortiz said on Monday. "
        "Critics said the plan relies on one-off savings.",
    )
    art = run_pipeline(art, upto="attributions")
    quote = _find(art, "“We will not raise taxes this year")
    assert quote["direct"] and quote["speaker"] == "Ana Ortiz" and quote["time"] == "on Monday"
    assert _t(art, quote["content"]).endswith(",”")
    critics = _find(art, "the plan relies")
    assert critics["speaker_kind"] == "anonymous"


def test_according_to_a_medium() -> None:
    art = plain_article(
        "Factory to close",
        "The factory will close in March, according to The Guardian.",
    )
    art = run_pipeline(art, upto="attributions")
    a = _find(art, "The factory will close in March")
    assert a["speaker_kind"] == "media" and a["medium"].endswith("Guardian")
    assert _t(art, a["content"]) == "The factory will close in March"


def test_descriptions_and_vague_sources() -> None:
    art = plain_article(
        "Port strike ends",
        "Transport Minister Jan de Vries met union leaders on Sunday. "
        "The minister said the agreement would hold until 2026.",
        "Officials said the port would reopen on Tuesday. "
        "It is understood that some ships were diverted.",
    )
    art = run_pipeline(art, upto="attributions")
    minister = _find(art, "the agreement would hold")
    assert minister["speaker"] == "Jan de Vries" and minister["speaker_kind"] == "person"
    officials = _find(art, "the port would reopen")
    assert officials["speaker_kind"] == "anonymous" and officials["speaker"] is None


def test_headline_colon_quotes_the_named_speaker() -> None:
    art = plain_article("Lagarde: Inflation will fall next year",
                        "Christine Lagarde spoke in Frankfurt on Thursday.")
    art = run_pipeline(art, upto="attributions")
    a = _find(art, "Inflation will fall next year")
    assert _t(art, a["cue"]) == ":" and a["speaker"] == "Christine Lagarde"


def test_cue_ending_in_a_colon_takes_the_next_paragraph() -> None:
    art = plain_article("Flood update", "Reporter Jane Doe says:",
                        "“The river has reached the old bridge and is still rising.”")
    art = run_pipeline(art, upto="attributions")
    a = _find(art, "“The river has reached")
    assert a["speaker"] == "Jane Doe" and a["direct"]


@pytest.mark.parametrize(("body", "source", "content"), [
    # The parser makes the name an appositive of the noun before it and leaves the cue
    # without a subject: the name right before the cue speaks.
    ("On the campaign trail for his wife, former president Bill Clinton said his wife was "
     "uniquely qualified to be president at this time.",
     "former president Bill Clinton", "his wife was uniquely qualified"),
    # A gerund subject parsed as the cue's xcomp carries the reported clause.
    ("He said legalizing it could put thousands of people to work in upstate New York.",
     "He", "legalizing it could put thousands"),
    # The that-clause hung on the nearest noun; only the cue's time and occasion between.
    ("Adelson said earlier on Friday during a news conference that he may wait.",
     "Adelson", "that he may wait"),
])
def test_statements_the_parser_misattaches(body: str, source: str, content: str) -> None:
    art = run_pipeline(plain_article("Campaign notes", body), upto="attributions")
    a = _find(art, content)
    assert _t(art, a["source"]) == source and _t(art, a["cue"]) == "said"


def test_a_that_clause_after_an_object_is_not_taken() -> None:
    # "said a prayer that …": the noun is what was said; the clause belongs to the noun.
    art = run_pipeline(plain_article("Service", "The bishop said a prayer that moved the "
                                     "crowd to tears."), upto="attributions")
    assert not [s for s in art.layer("attributions")
                if s.attrs["content"] is not None
                and s.attrs["content"].text_of(art.text).startswith("that moved")]


def test_a_pronoun_inside_a_statement_is_the_same_voice() -> None:
    # "… which it said crashed …" inside the group's own claim: no second-hand chain.
    body = ("The Taliban claimed responsibility for shooting down the helicopter, which it "
            "said crashed in Logar province south of the capital.")
    art = run_pipeline(plain_article("Helicopter down", body), upto="attributions")
    assert art.layer("attributions")
    assert not [s for s in art.layer("attributions") if s.attrs.get("chain")]


def test_confirming_a_person_is_an_appointment_not_a_statement() -> None:
    art = run_pipeline(plain_article("Vote", "The Senate confirmed Alex Azar as health "
                                     "secretary on Wednesday. The ministry confirmed the "
                                     "deaths of three soldiers."), upto="attributions")
    cues = [(s.attrs["cue"].text_of(art.text), _t(art, s.attrs["source"]))
            for s in art.layer("attributions")]
    assert cues == [("confirmed", "The ministry")]


def test_transcript_lines_are_their_speakers() -> None:
    body = (
        "Senator Jane Roe spoke to the programme on Sunday. Partial transcript as follows:\n\n"
        "\"HOST: Will you vote for the budget on Tuesday?\n\n"
        "ROE: I will. The budget protects the hospitals in my state.\n\n"
        "NOTE: The vote was later postponed.\""
    )
    art = run_pipeline(plain_article("Roe backs budget", body), upto="attributions")
    labelled = {_t(art, s.attrs["source"]): s.attrs for s in art.layer("attributions")
                if _t(art, s.attrs["cue"]) == ":"}
    assert set(labelled) == {"HOST", "ROE"}  # "NOTE:" heads a note, not a speaker
    assert labelled["ROE"]["speaker"] == "Jane Roe"
    roe = labelled["ROE"]["content"].text_of(art.text)
    assert roe.startswith("I will.") and roe.endswith("in my state")
    # "I" inside Roe's own line is Roe: no second-hand chain.
    assert not [s for s in art.layer("attributions") if s.attrs.get("chain")]


def test_a_single_capitalised_label_is_not_a_transcript() -> None:
    art = run_pipeline(plain_article("Storm", "WASHINGTON: The storm closed roads on "
                                     "Monday, officials said."), upto="attributions")
    assert [_t(art, s.attrs["cue"]) for s in art.layer("attributions")] == ["said"]


def test_a_quoted_title_before_the_speaker_is_not_the_statement() -> None:
    body = ("On this weekend's broadcast of “Meet the Week,” Senator Jane Roe said the "
            "budget would pass.")
    art = run_pipeline(plain_article("Roe", body), upto="attributions")
    (a,) = [s.attrs for s in art.layer("attributions")]
    assert _t(art, a["content"]) == "the budget would pass"


def test_it_is_hard_to_say_reports_nobody() -> None:
    body = ("It's hard to believe the phone costs 399 dollars. The minister went on to say "
            "that the talks had failed.")
    art = run_pipeline(plain_article("Notes", body), upto="attributions")
    cues = [(_t(art, s.attrs["cue"]), _t(art, s.attrs["source"]))
            for s in art.layer("attributions")]
    assert cues == [("to say", "The minister")]


def test_nobody_in_particular_is_no_source() -> None:
    body = ("Graham said he would not let anybody tell him what to do. No one told the "
            "residents that the water was unsafe. Someone said the bridge was closed.")
    art = run_pipeline(plain_article("Notes", body), upto="attributions")
    assert [_t(art, s.attrs["source"]) for s in art.layer("attributions")] == [
        "Graham", "Someone"]


def test_it_is_called_names_something() -> None:
    body = "It's called a debt bubble, and it is bursting. It has been reported that rates rose."
    art = run_pipeline(plain_article("Debt", body), upto="attributions")
    assert [_t(art, s.attrs["cue"]) for s in art.layer("attributions")] == ["has been reported"]


def test_things_that_speak_only_in_a_figure_of_speech_are_not_anonymous_sources() -> None:
    body = ("Her eyes said she was tired. Search engines say the site is popular. Polls show "
            "the race is close. Residents said the road was closed.")
    art = run_pipeline(plain_article("Notes", body), upto="attributions")
    kinds = {_t(art, s.attrs["source"]): s.attrs["speaker_kind"]
             for s in art.layer("attributions")}
    assert kinds["Polls"] == kinds["Residents"] == "anonymous"
    assert kinds["Her eyes"] != "anonymous" and kinds["Search engines"] != "anonymous"


def test_embedded_post_is_the_posters(shared_data) -> None:
    """A saved page of The Hill with an embedded tweet: the extractor drops the embed's
    signature line; the reader keeps it and the tweet's text is the poster's."""
    import gzip

    page = shared_data / "article-extraction" / "html" / (
        "6ebac05f637ece8aa57c298a2a5e3a8047f546f855d0f29cc683cea60ce85c85.html.gz")
    report = newstrace.analyze(gzip.decompress(page.read_bytes()), format="html").to_dict()
    posts = [a for a in report["attributions"]
             if a["cue"]["text"].startswith("@") and not a.get("continuation")]
    assert len(posts) == 1 and posts[0]["speaker"].endswith("Omar")
    assert posts[0]["content"]["text"].startswith("Sharing my full letter")
    tweet = [c for c in report["claims"] if c["text"].startswith("We must apply a system")]
    assert tweet and tweet[0]["status"] == "attributed"


def test_annotators_keep_no_per_document_state(example_path) -> None:
    """Annotators are shared by every document an Analyzer reads: what one document needs
    lives in locals or on the Article, never on the annotator."""
    analyzer = newstrace.Analyzer.default()
    before = {a.name: dict(vars(a)) for a in analyzer.annotators}
    newstrace.analyze(example_path, analyzer=analyzer)
    after = {a.name: dict(vars(a)) for a in analyzer.annotators}
    assert before.keys() == after.keys()
    for name in before:
        assert before[name].keys() == after[name].keys(), name
        for key, value in before[name].items():
            assert after[name][key] is value, (name, key)


def test_parenthetical_cue_reports_its_clause() -> None:
    body = "The plan failed, critics say, because it was rushed. The road is closed."
    art = run_pipeline(plain_article("Notes", body), upto="attributions")
    got = [(_t(art, s.attrs["source"]), _t(art, s.attrs["content"]))
           for s in art.layer("attributions")]
    assert got == [("critics", "The plan failed, critics say, because it was rushed")]


def _statements(*body: str) -> list[dict]:
    art = run_pipeline(plain_article("Notes", *body), upto="attributions")
    return [dict(s.attrs, source_text=_t(art, s.attrs["source"]),
                 cue_text=_t(art, s.attrs["cue"])) for s in art.layer("attributions")]


def test_a_date_describing_the_speaker_stays_in_the_source() -> None:
    got = _statements(
        "Tim Pawlenty, the former governor of Minnesota and a Republican presidential "
        "candidate in 2012, said the race was over.",
        "A spokesman for the ministry on Friday said the talks had failed.",
    )
    by_cue = {a["content"].start: a for a in got}
    first, second = (by_cue[k] for k in sorted(by_cue))
    assert first["source_text"].endswith("candidate in 2012") and first["time"] is None
    assert second["source_text"] == "A spokesman for the ministry"
    assert second["time"] == "on Friday"


def test_quoted_as_saying_reports_the_one_quoted() -> None:
    got = _statements("Kerry is quoted as saying that he could present his ideas if the "
                      "Palestinians pledge they will support the framework.")
    saying = next(a for a in got if a["cue_text"] == "saying")
    assert saying["source_text"] == "Kerry" and saying["speaker"] == "Kerry"


def test_a_name_in_a_clause_describing_the_source_is_not_the_speaker() -> None:
    got = _statements("Israeli settlers, who overwhelmingly form part of Netanyahu's "
                      "right-wing constituency, said the policy change paved the way.")
    said = next(a for a in got if a["cue_text"] == "said")
    assert said["speaker"] != "Benjamin Netanyahu" and "Netanyahu" not in (said["speaker"] or "")


def _claim_speakers(*body: str) -> dict[str, str | None]:
    """Each body sentence's speaker as the claims layer links it."""
    art = run_pipeline(plain_article("Notes", *body), upto="claims")
    atts = art.layer("attributions")
    out = {}
    for claim in art.layer("claims"):
        idx = claim.attrs["attribution"]
        out[claim.text_of(art.text)] = None if idx is None else atts[idx].attrs["speaker"]
    return out


def test_a_citation_after_a_block_quote_names_whose_words_they_are() -> None:
    speakers = _claim_speakers(
        "The council has been busy this month.",
        "“Members of the advisory council decided to jump ship for the day. They sided "
        "with the opposition on the budget.” (Reuters, Jan. 18, 2018)",
        "“Members of the board met in secret. Nobody was told. (Associated Press, "
        "March 3, 2017)",
    )
    assert speakers["The council has been busy this month."] is None
    for sentence, speaker in speakers.items():
        if sentence.startswith(("“Members of the advisory", "They sided")):
            assert speaker == "Reuters", sentence
        if sentence.startswith(("“Members of the board", "Nobody was told")):
            assert speaker == "Associated Press", sentence


def test_a_statement_inside_a_quotation_leaves_the_sentence_to_the_quoted_speaker() -> None:
    speakers = _claim_speakers(
        "“The minister was at the meeting. Jane Roe stated that the plan was dead. We "
        "were not surprised,” said John Smith, the union's leader."
    )
    inner = next(s for s in speakers if s.startswith("Jane Roe stated"))
    assert speakers[inner] == "John Smith"


def test_a_bare_cue_after_a_closed_quotation_reports_it() -> None:
    got = _statements("“Russia, if you are listening, I hope you are able to find the "
                      "emails that are missing.” Trump said.")
    said = next(a for a in got if a["cue_text"] == "said")
    assert said["speaker"] == "Trump" and said["direct"]


def test_statements_the_parser_hides() -> None:
    got = _statements(
        "Never mind that Trump denies using the term.",
        "The best antidote to falsehoods aren't strategies, he stated, but people.",
    )
    cues = {a["cue_text"]: a for a in got}
    assert cues["denies"]["source_text"] == "Trump"
    assert cues["stated"]["source_text"] == "he" and cues["stated"]["content"] is not None


def test_told_in_the_passive_names_the_sender_or_nobody() -> None:
    got = _statements(
        "In a company email sent by chairman Marcelo Claure, employees were told that "
        "layoffs will begin this week.",
        "Residents were told that the water was safe.",
    )
    first, second = (a for a in got if a["cue_text"] == "were told")
    assert first["speaker"] == "Marcelo Claure" and first["medium"] is None
    assert second["source"] is None and second["speaker_kind"] == "anonymous"


def test_speech_without_content_is_still_the_sources() -> None:
    body = ("Kurt Volker, former special envoy to Kyiv, testified before the House "
            "committee.", "The ministry declined to comment.")
    got = _statements(*body)
    assert [(a["cue_text"], a["content"]) for a in got] == [
        ("testified", None), ("declined to comment", None)]
    assert got[0]["speaker"] == "Kurt Volker"
    art = run_pipeline(plain_article("Notes", *body), upto="claims")
    assert {c.attrs["status"] for c in art.layer("claims") if c.attrs["role"] == "body"} \
        == {"attributed"}
    report = newstrace.analyze("\n\n".join(("Notes", *body)), format="text").to_dict()
    assert [a["content"] for a in report["attributions"]] == [None, None]


def test_what_is_promised_and_a_claim_made_in_an_interview() -> None:
    got = _statements(
        "The senator reached out to donors, promising them “rewards” if they gave early.",
        "This contradicts his claim in the same interview that the pair were not close.",
    )
    cues = {a["cue_text"]: a for a in got}
    assert cues["promising"]["content"] is not None
    assert cues["claim"]["source_text"] == "his"
    assert cues["claim"]["content"] is not None


def test_the_statement_is_its_issuers_and_it_is_the_organisation_that_spoke() -> None:
    got = _statements(
        "Two service members were killed in a crash, the US military said in a statement "
        "on Wednesday. “The cause of the crash is under investigation,” the statement "
        "said. It did not reveal the crash location and said it was withholding the names.")
    by_source = {a["source_text"]: a["speaker"] for a in got}
    assert by_source["the statement"] == by_source["It"] == by_source["the US military"]
    assert by_source["the US military"] is not None


def test_figures_found_in_a_poll_are_the_polls() -> None:
    got = _statements("Trump leads by 57 percent to 33 percent in the 50-state poll.",
                      "He was interested in a study of the Bible.")
    (poll,) = got
    assert poll["cue_text"] == "in" and poll["source_text"] == "the 50-state poll"


def test_a_quoted_paragraph_after_a_reported_statement_is_that_speakers() -> None:
    art = run_pipeline(plain_article(
        "Notes",
        "John Kerry said it was only the latest move to force the Palestinians to give up.",
        "“They wanted us on our knees. We stand tall and we will stand tall.”",
        "The embassy did not respond.",
    ), upto="claims")
    atts = art.layer("attributions")
    speakers = {c.text_of(art.text)[:9]: (atts[c.attrs["attribution"]].attrs["speaker"]
                                         if c.attrs["attribution"] is not None else None)
                for c in art.layer("claims")}
    assert speakers["“They wan"] == speakers["We stand "] == "John Kerry"
    assert speakers["The embas"] is None


def test_sources_pointing_back_and_descriptions_are_not_hidden_sources() -> None:
    got = _statements(
        "Both witnesses testified the transcript was accurate.",
        "Those include 1,000 workers who have been informed that their jobs will go, "
        "according to a group of employees.",
    )
    cues = {a["cue_text"]: a for a in got}
    assert cues["testified"]["speaker_kind"] != "anonymous"
    assert "have been informed" not in cues
