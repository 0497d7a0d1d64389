"""Each Analyzer owns its models: two Analyzers never share a spaCy ``Language`` (the
service's pool relies on it: a pipeline, and the vocabulary memory_zone changes, is never
used from two threads), while one Analyzer's annotators share the one it loaded."""

from __future__ import annotations

import threading

import newstrace
from newstrace.analyze.analyzer import Analyzer


def _languages(analyzer: Analyzer) -> list[object]:
    return [a.nlp for a in analyzer.annotators if getattr(a, "nlp", None) is not None]


def test_two_analyzers_never_share_a_language() -> None:
    first, second = Analyzer.default(), Analyzer.default()
    ours, theirs = _languages(first), _languages(second)
    assert ours and theirs
    assert not {id(n) for n in ours} & {id(n) for n in theirs}
    assert not {id(n.vocab) for n in ours} & {id(n.vocab) for n in theirs}
    # Within one Analyzer the parse and the headline audit use the one pipeline it loaded.
    assert len({id(n) for n in ours}) == 1


def test_analyzers_built_in_threads_are_independent() -> None:
    built: list[Analyzer] = []
    threads = [threading.Thread(target=lambda: built.append(Analyzer.default())) for _ in "ab"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(built) == 2
    assert not {id(n) for n in _languages(built[0])} & {id(n) for n in _languages(built[1])}


def test_a_word_learnt_by_one_analyzer_is_unknown_to_the_other() -> None:
    first, second = Analyzer.default(), Analyzer.default()
    word = "Zorblaxquint"
    newstrace.analyze(f"Council meets\n\nThe mayor said {word} closed.", analyzer=first)
    assert word in _languages(first)[0].vocab.strings
    assert word not in _languages(second)[0].vocab.strings
