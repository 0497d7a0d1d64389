"""Whether a person the article names can be "he" or "she", from the article itself.

Evidence: a gendered title before a mention or among the entity's titles ("Mr.", "Ms.",
"Prince", "Queen"), else a given name on the given-name lists
(``resources/lexicons/given_names_*.txt``: "Emily Maitlis"). Nothing else is guessed: a
person without evidence, or with evidence both ways, agrees with either pronoun. The
speaker resolver uses it so that "he said" never resolves to a woman the article named,
nor "she said" to a man.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from newstrace.analyze.lexicon import terms
from newstrace.data import Article

_TITLES = {
    "m": frozenset({"mr", "sir", "lord", "king", "prince", "duke", "baron", "monsieur",
                    "herr", "señor"}),
    "f": frozenset({"mrs", "ms", "miss", "madam", "madame", "dame", "lady", "queen",
                    "princess", "duchess", "baroness", "frau", "señora"}),
}
_PRONOUNS = {"he": "m", "him": "m", "his": "m", "himself": "m",
             "she": "f", "her": "f", "hers": "f", "herself": "f"}


@cache
def _given_names() -> dict[str, str]:
    names = {n: "f" for n in terms("given_names_female")}
    names.update({n: "m" for n in terms("given_names_male")})
    return names


def pronoun_gender(word: str) -> str | None:
    """"m" for he/him/his, "f" for she/her, None for any other word."""
    return _PRONOUNS.get(word.lower())


def _word_before(text: str, start: int) -> str:
    words = text[max(0, start - 16) : start].split()
    return words[-1].lower().rstrip(".") if words else ""


def person_gender(article: Article, entity: dict[str, Any]) -> str | None:
    """"m", "f", or None when the article gives no evidence (or evidence both ways)."""
    seen: set[str] = set()
    text = article.text
    titles = {str(t).lower().rstrip(".") for t in entity.get("titles") or []}
    titles |= {_word_before(text, m.start) for m in entity.get("mentions") or []}
    for gender, words in _TITLES.items():
        if titles & words:
            seen.add(gender)
    if not seen:
        for name in [entity.get("name") or "", *(entity.get("variants") or [])]:
            parts = name.split()
            if len(parts) >= 2 and parts[0].lower() in _given_names():
                seen.add(_given_names()[parts[0].lower()])
    return seen.pop() if len(seen) == 1 else None


def agrees(article: Article, entity: dict[str, Any], pronoun: str) -> bool:
    """Whether ``pronoun`` can stand for the person ``entity``."""
    want = pronoun_gender(pronoun)
    if want is None:
        return True
    have = person_gender(article, entity)
    return have is None or have == want
