"""Plain-language words for what the report says, shared by the HTML report and the page.

A reader who has never seen newstrace must understand each label as it stands: finding
kinds, sentence types, severities, headline stance and rating terms get a short label here
and a sentence in :data:`GLOSSARY`.
"""

from __future__ import annotations

#: Finding kind -> the heading its group gets.
FINDING_LABELS = {
    "unsourced_assertion": "Claims with no source",
    "speculation": "Speculation",
    "anonymous_source": "Unnamed sources",
    "second_hand_chain": "Second-hand reports",
    "loaded_language": "Loaded words",
    "inconsistent_name_spelling": "Names spelt more than one way",
    "headline_question": "Headline asked as a question",
    "headline_unsupported": "Headline not backed by the body",
    "headline_unsourced_support": "Headline backed only by unsourced sentences",
    "headline_stance": "How the body treats the headline",
    "earlier_copy": "Published earlier elsewhere",
    "translation_without_original_title": "Translation without its original title",
    "republisher_added_section": "Text added by a republisher",
    "low_reliability_publisher": "Publisher rated unreliable",
    "chain_through_low_reliability": "Passed through an unreliable outlet",
    "ratings_unavailable": "No rating lists installed",
    "imputed_rating_only": "Only estimated ratings",
    "layout_repair": "Page layout repaired",
    "disclaimer": "Disclaimer on the page",
}

#: Severity -> (visible word, shape). The shape is the marker that does not rely on colour.
SEVERITY = {
    "high": ("High", "▲"),
    "medium": ("Medium", "◆"),
    "low": ("Low", "●"),
    "info": ("Note", "○"),
}
SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2, "info": 3}

#: Sentence status -> the label shown before the sentence (read by screen readers too).
SENTENCE_LABELS = {
    "unsourced": "no source",
    "hedged": "speculative",
    "opinion": "opinion",
    "question": "question",
    "attributed": "sourced",
}

#: Headline stance label -> what it means for the reader.
STANCE_WORDS = {
    "agree": "the body agrees with the headline",
    "disagree": "the body contradicts the headline",
    "discuss": "the body discusses the headline's claim without taking a side",
    "unrelated": "the body is about something else than the headline",
}

BAND_WORDS = {
    "low": "low reliability",
    "mixed": "mixed reliability",
    "high": "high reliability",
    "unrated": "not rated by any list installed",
}
BAND_SHAPES = {"low": "▼", "mixed": "◆", "high": "▲", "unrated": "○"}

GLOSSARY = (
    ("No source", "A sentence that states something as fact without saying who says so."),
    ("Speculative", "A sentence that hedges (“it is likely”, “may”): a guess, not a fact."),
    ("Sourced", "Words the article attributes to someone (“the minister said …”)."),
    ("Unnamed source", "A source the article does not name (“officials said”)."),
    ("Second-hand", "Someone reporting what someone else said."),
    ("Loaded word", "A word that judges while it describes (“regime”, “slammed”)."),
    ("Stance", "How the body treats the headline (agrees, contradicts, discusses it, or is "
     "about something else), judged by a model trained on the FNC-1 news data set; the "
     "percentage is how sure the model is."),
    ("Reliability band", "What public rating lists say about an outlet: low, mixed or high; "
     "each rating below names its list."),
    ("Estimated rating", "A list's estimate for an outlet it did not rate by hand (for "
     "example from the links between sites), shown as “imputed” in the data."),
    ("pc1", "The combined score of Lin et al.'s outlet-quality data set (its first "
     "principal component, 0 to 1: higher is more reliable)."),
    ("Declared chain", "Where the page itself says the text came from (“originally "
     "appeared at …”), oldest first."),
    ("How far to trust a finding", "How often findings of this kind were right when "
     "checked against articles people had labelled."),
)


def finding_label(kind: str) -> str:
    return FINDING_LABELS.get(kind) or kind.replace("_", " ").capitalize()
