import threading

import pytest
import torch

from vae_explorer.core.errors import VaeExplorerError
from vae_explorer.core.model.checkpoint import load_checkpoint
from vae_explorer.core.training.loop import Callback, TrainConfig, beta_at, lr_at, train
from vae_explorer.core.training.setup import autocast_dtype


def digits_config(tmp_path, **kw):
    base = dict(data="digits", kind="vae", latent_dim=4, epochs=1, batch_size=64, seed=3, out=str(tmp_path / "m.pt"))
    base.update(kw)
    return TrainConfig(**base)


class Recorder(Callback):
    def __init__(self, stop_at_step=None, cancel=None):
        self.steps, self.epochs, self.end = [], [], None
        self.stop_at_step, self.cancel = stop_at_step, cancel

    def on_step(self, info):
        self.steps.append(info)
        if self.stop_at_step is not None and len(self.steps) == self.stop_at_step:
            self.cancel.set()

    def on_epoch_end(self, info):
        self.epochs.append(info)

    def on_train_end(self, result):
        self.end = result


def weights(path):
    return load_checkpoint(path).state_dict


def test_one_epoch_writes_a_checkpoint_with_metrics(tmp_path):
    rec = Recorder()
    result = train(digits_config(tmp_path), [rec])
    assert result.status == "finished" and rec.end is result
    assert len(rec.epochs) == 1 and rec.steps[-1].step == rec.steps[-1].steps
    ckpt = load_checkpoint(tmp_path / "m.pt")
    test = ckpt.metadata["test"]
    assert test["neg_elbo"] == pytest.approx(test["recon"] + test["kl"])
    assert len(test["kl_per_dim"]) == 4
    assert ckpt.metadata["epochs"] == 1 and ckpt.train_state["epoch"] == 1


def test_training_improves_the_loss(tmp_path):
    rec = Recorder()
    train(digits_config(tmp_path, epochs=4), [rec])
    losses = [e.test["neg_elbo"] for e in rec.epochs]
    assert losses[-1] < 0.95 * losses[0]


def test_same_seed_same_weights(tmp_path):
    train(digits_config(tmp_path, out=str(tmp_path / "a.pt")))
    train(digits_config(tmp_path, out=str(tmp_path / "b.pt")))
    train(digits_config(tmp_path, out=str(tmp_path / "c.pt"), seed=4))
    a, b, c = (weights(tmp_path / f"{n}.pt") for n in "abc")
    assert all(torch.equal(a[k], b[k]) for k in a)
    assert not all(torch.equal(a[k], c[k]) for k in a)


def test_resume_continues_exactly(tmp_path):
    train(digits_config(tmp_path, epochs=2, out=str(tmp_path / "straight.pt")))
    train(digits_config(tmp_path, epochs=1, out=str(tmp_path / "split.pt")))
    result = train(digits_config(tmp_path, epochs=2, out=str(tmp_path / "split.pt"), resume=str(tmp_path / "split.pt")))
    assert result.epochs_done == 2
    a, b = weights(tmp_path / "straight.pt"), weights(tmp_path / "split.pt")
    assert all(torch.allclose(a[k], b[k], atol=1e-6) for k in a)
    assert [h["epoch"] for h in load_checkpoint(tmp_path / "split.pt").metadata["history"]] == [1, 2]


def test_cancel_in_first_epoch_writes_nothing(tmp_path):
    cancel = threading.Event()
    rec = Recorder(stop_at_step=3, cancel=cancel)
    result = train(digits_config(tmp_path, epochs=3), [rec], cancel)
    assert result.status == "cancelled" and result.epochs_done == 0
    assert len(rec.steps) == 3
    assert not (tmp_path / "m.pt").exists()


def test_cancel_keeps_the_last_completed_epoch(tmp_path):
    cancel = threading.Event()
    steps_per_epoch = -(-1437 // 64)
    rec = Recorder(stop_at_step=steps_per_epoch + 2, cancel=cancel)
    result = train(digits_config(tmp_path, epochs=3), [rec], cancel)
    assert result.status == "cancelled" and result.epochs_done == 1
    assert load_checkpoint(tmp_path / "m.pt").train_state["epoch"] == 1


def test_beta_warmup_is_linear():
    cfg = TrainConfig(beta=4.0, beta_warmup=2)
    assert [beta_at(cfg, e) for e in (0, 0.5, 1, 2, 3)] == [0, 1, 2, 4, 4]
    assert beta_at(TrainConfig(beta=4.0), 0) == 4.0


def test_ae_has_no_kl(tmp_path):
    rec = Recorder()
    train(digits_config(tmp_path, kind="ae"), [rec])
    assert rec.epochs[0].test["kl"] == 0 and "kl_per_dim" not in rec.epochs[0].test


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("epochs", 0, "--epochs must be at least 1, not 0"),
        ("latent_dim", -2, "--latent-dim must be at least 1, not -2"),
        ("kind", "gan", "--kind must be one of ae, vae"),
        ("device", "cuda:9", "no CUDA device|only"),
    ],
)
def test_bad_settings(tmp_path, field, value, message):
    with pytest.raises(VaeExplorerError, match=message):
        train(digits_config(tmp_path, **{field: value}))


def test_resume_from_a_finished_run_asks_for_more_epochs(tmp_path):
    train(digits_config(tmp_path))
    with pytest.raises(VaeExplorerError, match="already trained for 1 epochs"):
        train(digits_config(tmp_path, resume=str(tmp_path / "m.pt")))


def test_half_stores_the_finished_model_small(tmp_path):
    full, half = tmp_path / "full.pt", tmp_path / "half.pt"
    train(digits_config(tmp_path, epochs=2, out=str(full)))
    train(digits_config(tmp_path, epochs=2, out=str(half), half=True))
    small = load_checkpoint(half)
    assert small.train_state is None and small.metadata["weights"] == "float16"
    assert half.stat().st_size < 0.4 * full.stat().st_size
    with pytest.raises(VaeExplorerError, match="holds no training state"):
        train(digits_config(tmp_path, epochs=3, resume=str(half)))


def test_cosine_schedule_decays_to_zero():
    cfg = TrainConfig(lr=1e-3, epochs=10, lr_schedule="cosine")
    assert lr_at(cfg, 0) == pytest.approx(1e-3)
    assert lr_at(cfg, 5) == pytest.approx(5e-4)
    assert lr_at(cfg, 10) == pytest.approx(0, abs=1e-12)
    assert lr_at(TrainConfig(lr=1e-3), 7) == 1e-3


@pytest.mark.parametrize("precision", ["bfloat16", "float16"])
def test_autocast_trains_keeps_float32_weights_and_resumes(tmp_path, precision):
    rec = Recorder()
    train(digits_config(tmp_path, epochs=2, precision=precision), [rec])
    ckpt = load_checkpoint(tmp_path / "m.pt")
    assert ckpt.metadata["precision"] == precision
    assert all(v.dtype == torch.float32 for v in ckpt.state_dict.values() if v.is_floating_point())
    assert rec.epochs[-1].test["neg_elbo"] < rec.epochs[0].test["neg_elbo"]
    assert ("scaler" in ckpt.train_state) == (precision == "float16")  # loss scaling only for float16
    result = train(digits_config(tmp_path, epochs=3, precision=precision, resume=str(tmp_path / "m.pt")))
    assert result.status == "finished" and load_checkpoint(tmp_path / "m.pt").train_state["epoch"] == 3


def test_the_cpu_trains_in_float32_unless_asked():
    assert autocast_dtype("auto", torch.device("cpu")) is None
    assert autocast_dtype("float32", torch.device("cuda")) is None
    assert autocast_dtype("float16", torch.device("cpu")) == torch.float16
