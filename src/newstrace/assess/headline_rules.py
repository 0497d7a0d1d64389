"""Findings about the headline against the body (from ``article.results["headline"]``).

Each rule reads the headline audit's result and yields nothing when it is absent, so a
pipeline without the audit still reports.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from newstrace.assess.report import evidence
from newstrace.data import Article, Finding, Span


def _audit(article: Article) -> dict[str, Any] | None:
    result = article.results.get("headline")
    return result if isinstance(result, dict) else None


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _headline_span(article: Article) -> tuple[int, int] | None:
    """The headline the audit read (the page's real title where its headline block is
    site furniture), else the headline block."""
    audit = _audit(article) or {}
    if isinstance(audit.get("start"), int) and isinstance(audit.get("end"), int):
        return audit["start"], audit["end"]
    block = article.headline
    return (block.start, block.end) if block is not None else None


def question_headline(article: Article) -> Iterator[Finding]:
    span = _headline_span(article)
    if span is None:
        return
    head = article.text[span[0] : span[1]]
    if not head.rstrip().endswith("?"):
        return
    audit = _audit(article) or {}
    clauses = audit.get("clauses", [])
    asserted = [c for c in clauses if c.get("made_by_body") and c.get("claim", True)]
    if clauses and not any(c.get("claim", True) for c in clauses):
        # "How does X work?": a question that announces an explainer, not a claim.
        severity, message = "info", "The headline is a question that announces a topic."
    else:
        # A yes/no question headline puts a claim in the reader's mind without asserting it.
        severity = "medium"
        message = "The headline is a question: it raises a claim without asserting it."
    if asserted:
        message += " The body states part of it as fact (see the headline's clauses)."
    yield Finding(
        "headline_question",
        severity,
        message,
        [evidence(article, *span)],
        {"asserted_in_body": [c["text"] for c in asserted]},
    )


def clause_rests_on_unsourced(article: Article) -> Iterator[Finding]:
    """A clause the body makes, but only in sentences no source is given for."""
    for clause in (_audit(article) or {}).get("clauses", []):
        support = clause.get("support") or []
        if clause.get("supported") or not support or not clause.get("claim", True):
            continue
        statuses = sorted({s["status"] for s in support})
        spans = [evidence(article, clause["start"], clause["end"])]
        spans += [evidence(article, s["start"], s["end"]) for s in support]
        yield Finding(
            "headline_unsourced_support",
            "high",
            f'The headline clause "{_short(clause["text"])}" rests only on body sentences '
            f"that give no source ({', '.join(statuses)}): "
            + "; ".join(f'"{_short(s["text"])}"' for s in support),
            spans,
            {"clause": _ref(clause), "statuses": statuses},
        )


#: A clause whose words the body holds at least this share of, anywhere, is not called
#: "never made": the body may well say it in words the audit does not match.
ABSENT_BELOW = 0.5


def _absent(clause: dict[str, Any], stance: dict[str, Any] | None) -> bool:
    """Whether the body truly does not state ``clause``: no sentence makes it, the body
    as a whole holds less than half of its words, and the stance model does not read
    the body as agreeing with the headline."""
    if clause.get("support") or float(clause.get("coverage", 0.0)) >= ABSENT_BELOW:
        return False
    return not stance or stance.get("label") != "agree"


def clause_without_attributed_support(article: Article) -> Iterator[Finding]:
    """A clause no body sentence makes. Proposed high only where the body truly does not
    state it (:func:`_absent`); where its words are in the body but spread out, the body
    may say it in words the audit does not match, and the finding is a low pointer."""
    audit = _audit(article) or {}
    for clause in audit.get("clauses", []):
        if clause.get("supported") or clause.get("support") or not clause.get("claim", True):
            continue  # supported, reported by clause_rests_on_unsourced, or no claim
        nearest = clause.get("nearest_attributed") or []
        coverage = float(clause.get("coverage", 0.0))
        if _absent(clause, audit.get("stance")):
            severity = "high"
            message = (
                f'The body never states the headline clause "{_short(clause["text"])}": '
                f"no sentence makes it and the body holds only {coverage:.0%} of its words."
            )
        else:
            severity = "low"
            message = (
                f'No body sentence, attributed or not, states the headline clause '
                f'"{_short(clause["text"])}", though {coverage:.0%} of its words are in '
                "the body: it may say it in other words."
            )
        if nearest:
            message += " Closest attributed statements: " + "; ".join(
                f'"{_short(s["text"])}"' for s in nearest
            )
        spans = [evidence(article, clause["start"], clause["end"])]
        spans += [evidence(article, s["start"], s["end"]) for s in nearest]
        yield Finding(
            "headline_unsupported",
            severity,
            message,
            spans,
            {"clause": _ref(clause), "nearest_attributed": [_ref(s) for s in nearest]},
        )


#: Below this probability a "disagree" or "unrelated" verdict is reported as medium.
CONFIDENT_STANCE = 0.8


def body_stance(article: Article) -> Iterator[Finding]:
    audit = _audit(article)
    span = _headline_span(article)
    stance = (audit or {}).get("stance")
    if not stance or span is None:
        return
    label, p = stance["label"], float(stance["probability"])
    messages = {
        "disagree": ("high", "The body disputes the headline (stance model: disagree, p={p})."),
        "unrelated": ("high", "The body is not about what the headline says "
                      "(stance model: unrelated, p={p})."),
        "discuss": ("info", "The body reports on the headline's claim without taking a "
                    "position (stance model: discuss, p={p})."),
    }
    if label not in messages:
        return
    severity, template = messages[label]
    if severity == "high" and p < CONFIDENT_STANCE:
        # A doubtful model verdict (figurative headlines, essays) is worth a look, not an
        # alarm.
        severity = "medium"
    yield Finding(
        "headline_stance",
        severity,
        template.format(p=f"{p:.2f}"),
        [evidence(article, *span)],
        {"stance": label, "probability": p},
    )


def loaded_headline_terms(article: Article) -> Iterator[Finding]:
    for span in (_audit(article) or {}).get("loaded_terms", []):
        if not isinstance(span, Span):
            continue
        term = span.text_of(article.text)
        yield Finding(
            "headline_loaded_term",
            "low",
            f'The headline uses loaded wording: "{term}".',
            [Span(span.start, span.end)],
            {"term": span.attrs.get("term", term.lower())},
        )


def _ref(item: dict[str, Any]) -> dict[str, Any]:
    return {"text": item["text"], "start": item["start"], "end": item["end"]}


RULES: tuple[Callable[[Article], Iterable[Finding]], ...] = (
    question_headline,
    clause_rests_on_unsourced,
    clause_without_attributed_support,
    body_stance,
    loaded_headline_terms,
)


def findings(article: Article) -> Iterable[Finding]:
    for rule in RULES:
        yield from rule(article)
