"""The learned cue detector: shipped weights, their features, and what its cues mean."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from newstrace.analyze import cue_model
from newstrace.errors import ResourceMissing
from test_nlp_support import plain_article, run_pipeline


def test_the_shipped_model_names_its_data_and_features() -> None:
    model = cue_model.load_model()
    assert model.header["feature_version"] == cue_model.FEATURE_VERSION
    assert "PolNeAR train" in model.header["data"]
    assert model.weights.shape == (cue_model.N_FEATURES,)
    assert 0.0 < model.threshold < 1.0


def test_a_model_of_other_features_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "old.npz"
    cue_model.save_model(path, np.zeros(cue_model.N_FEATURES), 0.0, 0.5, {})
    assert cue_model.load_model(path).threshold == 0.5
    np.savez_compressed(path, weights=np.zeros(16, dtype=np.float32), bias=0.0,
                        threshold=0.5, header=np.array('{"feature_version": 0}'))
    with pytest.raises(ResourceMissing):
        cue_model.load_model(path)
    broken = tmp_path / "broken.npz"
    broken.write_bytes(b"PK\x03\x04 not really a zip file")
    with pytest.raises(ResourceMissing):
        cue_model.load_model(broken)


def test_verbs_outside_the_lexicon_become_cues_and_stances_source_nothing() -> None:
    art = run_pipeline(plain_article(
        "Notes",
        "Senator Jane Roe has pushed for a vote on the bill before the recess.",
        "The mayor lamented that the plan was reckless.",
    ), upto="claims")
    atts = {s.attrs["cue"].text_of(art.text): s.attrs for s in art.layer("attributions")}
    claims = {c.text_of(art.text)[:12]: c.attrs for c in art.layer("claims")}
    pushed = next(a for cue, a in atts.items() if cue.endswith("pushed"))
    assert pushed.get("stance") and pushed["speaker"] == "Jane Roe"
    assert claims["Senator Jane"]["status"] == "unsourced"  # the writer's account
    lamented = atts["lamented"]  # not in the lexicon: the model's cue, a statement
    assert not lamented.get("stance")
    assert lamented["content"].text_of(art.text) == "that the plan was reckless"
    assert claims["The mayor la"]["status"] == "attributed"
