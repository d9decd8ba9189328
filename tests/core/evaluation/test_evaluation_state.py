"""The session measures its models against the faces' factors: what `evaluate` prints; stale results dropped."""

import numpy as np
import pytest
from trained import digits_pair, write_model

from vae_explorer.core.attributes.spec import parse_groups
from vae_explorer.core.attributes.vectors import build_vector
from vae_explorer.core.data import load_dataset, load_digits
from vae_explorer.core.evaluation.effects import vector_effect
from vae_explorer.core.evaluation.ground_truth import measure_model
from vae_explorer.core.evaluation.predictor import load_predictor
from vae_explorer.core.latent.codes import encode_images
from vae_explorer.core.session import SLOTS, Session

FACES = (3, 32, 32)


@pytest.fixture(scope="module")
def faces():
    return load_dataset("faces", "test")


@pytest.fixture(scope="module")
def faces_pair(tmp_path_factory):
    folder = tmp_path_factory.mktemp("faces")
    ae = write_model(folder / "ae.pt", "ae", 4, seed=0, shape=FACES, data="faces")
    return ae, write_model(folder / "vae.pt", "vae", 4, seed=1, shape=FACES, data="faces")


class Jobs:
    """What the evaluation asks workers to do, collected instead of run."""

    def __init__(self, session):
        self.measures, self.effects = [], []
        session.evaluation.measure_needed.connect(self.measures.append)
        session.evaluation.effect_needed.connect(self.effects.append)


def encode(session):
    for slot in SLOTS:
        session.set_codes(slot, encode_images(session.slots[slot].model, session.dataset.images))


def test_each_model_is_measured_with_the_mig_evaluate_prints(faces, faces_pair):
    session = Session("cpu")
    jobs = Jobs(session)
    session.open_pair(*faces_pair, faces)
    assert jobs.measures == [] and session.evaluation.measurable
    encode(session)
    assert [job.slot for job in jobs.measures] == list(SLOTS)
    for job in jobs.measures:
        assert session.evaluation.apply_measure(job, job.run())
    for slot in SLOTS:
        expected = measure_model(session.slots[slot].codes.mu, faces)
        got = session.evaluation.measures[slot]
        assert got.mig == pytest.approx(expected.mig)
        assert [f.dim for f in got.factors] == [f.dim for f in expected.factors]


def test_the_active_vector_is_measured_in_each_models_space_as_evaluate_measures_it(faces, faces_pair):
    session = Session("cpu")
    jobs = Jobs(session)
    session.open_pair(*faces_pair, faces)
    encode(session)
    models = {slot: session.model_codes(slot) for slot in SLOTS}
    session.attributes.add(build_vector("", parse_groups("column:Smiling"), faces, models))
    assert [(job.vector, job.slot, job.target) for job in jobs.effects] == [("Smiling", s, "smile") for s in SLOTS]
    predictor = load_predictor()[0]
    for job in jobs.effects:
        assert session.evaluation.apply_effect(job, job.run(predictor))
    for slot in SLOTS:
        s = session.slots[slot]
        v = session.attributes.entry("Smiling", slot).values
        expected = vector_effect(s.model, predictor, s.codes.mu[:1000], v, 1.0, "smile")
        np.testing.assert_allclose(session.evaluation.effects[slot].changes, expected.changes, atol=1e-5)
    session.attributes.remove("Smiling")
    assert session.evaluation.effects == {} and session.evaluation.vector is None


def test_a_result_for_codes_since_replaced_is_dropped(faces, faces_pair):
    session = Session("cpu")
    jobs = Jobs(session)
    session.open_pair(*faces_pair, faces)
    encode(session)
    old = jobs.measures[0]
    encode(session)  # the same models encoded again: new codes
    assert not session.evaluation.apply_measure(old, old.run())
    assert SLOTS[0] not in session.evaluation.measures
    session.set_dataset(load_dataset("faces", "test"))
    assert session.evaluation.measures == {}


def test_data_without_known_factors_is_not_measured(tmp_path_factory):
    session = Session("cpu")
    jobs = Jobs(session)
    session.open_pair(*digits_pair(tmp_path_factory, latent_dim=4, epochs=1), load_digits("test"))
    encode(session)
    assert not session.evaluation.measurable and jobs.measures == [] and session.evaluation.measures == {}
