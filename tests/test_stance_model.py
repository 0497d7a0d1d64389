"""The shipped stance model: loads without pickles, predicts sensibly, fails cleanly."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier

from newstrace.errors import ResourceMissing
from newstrace.stance.model import StanceModel
from newstrace.stance.trees import export_hgb

HEADLINE = "Hospital confirms first case of bird flu in local farm worker"
AGREE_BODY = (
    "The county hospital confirmed on Tuesday that a farm worker has tested positive for "
    "bird flu, the first case in the region. Doctors said the worker, who handled poultry "
    "at a local farm, is in stable condition. Health officials confirmed the strain and "
    "said the risk to the public remains low. The hospital said it had isolated the patient."
)
DISAGREE_BODY = (
    "Reports that a local farm worker caught bird flu are false, the county hospital said "
    "on Tuesday. The hospital denied that any case of bird flu had been found and called "
    "the story a hoax spread on social media. Officials said tests on the farm worker came "
    "back negative. No case of bird flu has been confirmed in the region, they said."
)
UNRELATED_BODY = (
    "The city council approved a new budget for road repairs on Monday. The plan sets "
    "aside money for resurfacing the main avenue and for new cycle lanes near the station. "
    "Work is expected to begin in the spring and to last until the end of the year."
)


@pytest.fixture(scope="module")
def model() -> StanceModel:
    return StanceModel.load()


def test_shipped_model_is_small_and_loads(model: StanceModel) -> None:
    shipped = Path(__file__).resolve().parents[1] / "src/newstrace/resources/stance"
    assert (shipped / "fnc1-stance.npz").stat().st_size < 4 * 1024 * 1024
    assert (shipped / "NOTE.md").is_file()
    assert model.info["trained_bodies"] < 1683  # trained on the training part only


def test_predictions_on_clear_cases(model: StanceModel) -> None:
    assert model.predict(HEADLINE, UNRELATED_BODY).label == "unrelated"
    agree = model.predict(HEADLINE, AGREE_BODY)
    disagree = model.predict(HEADLINE, DISAGREE_BODY)
    assert agree.label in ("agree", "discuss")
    assert disagree.probabilities["disagree"] > agree.probabilities["disagree"]
    assert agree.probabilities["unrelated"] < 0.5
    assert sum(agree.probabilities.values()) == pytest.approx(1.0)


def test_batch_keeps_pair_order(model: StanceModel) -> None:
    bodies = {"a": AGREE_BODY, "u": UNRELATED_BODY}
    pairs = [(HEADLINE, "u"), (HEADLINE, "a"), (HEADLINE, "u")]
    labels = [p.label for p in model.predict_pairs(pairs, bodies)]
    single = [model.predict(HEADLINE, bodies[b]).label for _h, b in pairs]
    assert labels == single and labels[0] == "unrelated"


def test_missing_or_corrupt_model_is_resource_missing(tmp_path: Path) -> None:
    with pytest.raises(ResourceMissing, match="not found"):
        StanceModel.load(tmp_path / "absent.npz")
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a zip file")
    with pytest.raises(ResourceMissing, match="cannot be loaded"):
        StanceModel.load(bad)
    other = tmp_path / "other.npz"
    np.savez(other, header=np.array('{"format": "something-else/9"}'))
    with pytest.raises(ResourceMissing, match="format"):
        StanceModel.load(other)


def test_exported_trees_equal_sklearn() -> None:
    rng = np.random.default_rng(0)
    X = rng.random((600, 4))
    X[::9, 1] = np.nan  # missing values take the learnt side
    y = (X[:, 0] > 0.5).astype(int) + (np.nan_to_num(X[:, 1]) > 0.6)
    for target in (y, y > 0):
        clf = HistGradientBoostingClassifier(max_iter=20, random_state=0).fit(X, target)
        np.testing.assert_allclose(export_hgb(clf).proba(X), clf.predict_proba(X), atol=1e-12)
