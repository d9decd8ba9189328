"""On the faces the explorer shows what `evaluate` prints: each model's MIG, and the active vector's effect."""

import numpy as np
import pytest
from trained import write_model

from vae_explorer.core.attributes.spec import parse_groups
from vae_explorer.core.attributes.vectors import build_vector
from vae_explorer.core.data.faces import FACTOR_NAMES
from vae_explorer.core.evaluation.effects import vector_effect
from vae_explorer.core.evaluation.ground_truth import measure_model
from vae_explorer.core.evaluation.predictor import load_predictor
from vae_explorer.core.session import SLOTS

FACES = (3, 32, 32)


@pytest.fixture(scope="module")
def faces_pair(tmp_path_factory):
    folder = tmp_path_factory.mktemp("faces-gui")
    ae = write_model(folder / "faces-ae.pt", "ae", 4, seed=0, shape=FACES, data="faces")
    return ae, write_model(folder / "faces-vae.pt", "vae", 4, seed=1, shape=FACES, data="faces")


def test_the_models_mig_shows_in_their_titles_and_model_info(make_window, qtbot, faces_pair):
    window = make_window(faces_pair, data="faces")
    session = window.session
    qtbot.waitUntil(lambda: len(session.evaluation.measures) == 2 and window.is_settled(), timeout=60_000)
    info = window.show_model_info()
    for slot in SLOTS:
        expected = measure_model(session.slots[slot].codes.mu, session.dataset)
        assert f"MIG {expected.mig:.2f}" in window.explorer.maps[slot].title.text()
        assert info.cell("MIG", slot) == f"{expected.mig:.3f}"
        smile = expected.factors[FACTOR_NAMES.index("smile")]
        assert info.cell("smile", slot) == f"z{smile.dim}  {smile.info:.2f}  gap {smile.gap:.2f}"
        assert "smile: z" in window.explorer.maps[slot].title.toolTip()


def test_the_active_vector_is_measured_in_the_attributes_dock(make_window, qtbot, faces_pair):
    window = make_window(faces_pair, data="faces")
    session = window.session
    box = window.explorer.attributes.measured
    assert not box.isHidden() and box.cell("smile", SLOTS[0]) == ""  # the faces: measured once a vector is on
    models = {slot: session.model_codes(slot) for slot in SLOTS}
    session.attributes.add(build_vector("smile", parse_groups("column:Smiling"), session.dataset, models))
    qtbot.waitUntil(lambda: len(session.evaluation.effects) == 2 and window.is_settled(), timeout=60_000)
    predictor = load_predictor()[0]
    for slot in SLOTS:
        s = session.slots[slot]
        v = session.attributes.entry("smile", slot).values
        expected = vector_effect(s.model, predictor, s.codes.mu[:1000], v, 1.0, "smile")
        for name in ("smile", "Eyeglasses"):
            assert float(box.cell(name, slot)) == pytest.approx(expected.change(name), abs=2e-3)
        assert np.isfinite(float(box.cell("own / other", slot).split(" / ")[0]))
    assert "'smile', alpha 1, on the first 1000 faces" in box.note.text()


def test_data_without_known_factors_shows_no_measures(make_window, digits_pair):
    window = make_window(digits_pair)
    assert window.session.evaluation.measures == {}
    assert window.explorer.attributes.measured.isHidden()
    assert "no known factors" in window.show_model_info().note.text()
    assert "MIG" not in window.explorer.maps[SLOTS[0]].title.text()
