"""The default annotator order: one place that says what runs, and in which order.

Each entry names a module of ``newstrace.analyze`` and the factory in it that builds the
annotator from settings. Models load inside the factories, once per Analyzer, and are never
shared between Analyzers.
"""

from __future__ import annotations

from importlib import import_module

from newstrace.analyze.base import Annotator
from newstrace.analyze.nlp import model_scope
from newstrace.config import Settings

#: (module, factory) in run order. requires/assigns are checked by the Analyzer.
DEFAULT_ORDER: tuple[tuple[str, str], ...] = (
    ("newstrace.analyze.nlp", "build"),  # spaCy parse once: doc, sentences
    ("newstrace.analyze.entities", "build"),  # entities, name variants, titles
    ("newstrace.analyze.attribution", "build"),  # who said what
    ("newstrace.analyze.claims", "build"),  # sourcing of every sentence, hedges, loaded
    ("newstrace.analyze.provenance", "build"),  # declared chain of custody
    ("newstrace.analyze.outlets", "build"),  # outlets involved and their ratings
    ("newstrace.analyze.headline", "build"),  # headline audit and stance
)


def default_annotators(settings: Settings) -> list[Annotator]:
    """The default annotators, freshly built: the models they load belong to this list
    alone (one Analyzer's), shared between its annotators but with no other list."""
    annotators: list[Annotator] = []
    with model_scope():
        for module_name, factory in DEFAULT_ORDER:
            module = import_module(module_name)
            annotators.append(getattr(module, factory)(settings))
    return annotators
