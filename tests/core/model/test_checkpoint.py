import os

import numpy as np
import pytest
import torch
from trained import file_size_limit

from vae_explorer.core.errors import CheckpointError, VaeExplorerError
from vae_explorer.core.model.autoencoder import build_model, default_config
from vae_explorer.core.model.checkpoint import check_image_shape, load_checkpoint, load_model, save_checkpoint


@pytest.fixture
def model():
    torch.manual_seed(0)
    return build_model(default_config("vae", (1, 8, 8), 3)).eval()


def test_round_trip_keeps_weights_and_metadata(tmp_path, model):
    path = tmp_path / "m.pt"
    save_checkpoint(path, model, {"beta": 2.0, "data": "digits"}, {"epoch": 3})
    loaded, ckpt = load_model(path)
    assert ckpt.config == model.config
    assert ckpt.metadata == {"beta": 2.0, "data": "digits"}
    assert ckpt.train_state == {"epoch": 3}
    z = torch.randn(4, 3)
    with torch.inference_mode():
        assert torch.equal(loaded.decode(z), model.decode(z))


def test_half_storage_halves_the_file_and_stays_close(tmp_path, model):
    full, half = tmp_path / "full.pt", tmp_path / "half.pt"
    save_checkpoint(full, model)
    save_checkpoint(half, model, half=True)
    assert os.path.getsize(half) < 0.6 * os.path.getsize(full)
    loaded, _ = load_model(half)
    z = torch.randn(4, 3)
    with torch.inference_mode():
        assert torch.allclose(torch.sigmoid(loaded.decode(z)), torch.sigmoid(model.decode(z)), atol=2e-3)


def test_missing_file(tmp_path):
    with pytest.raises(CheckpointError, match=r"nope.pt: no such checkpoint file"):
        load_checkpoint(tmp_path / "nope.pt")


def test_truncated_file(tmp_path, model):
    path = tmp_path / "m.pt"
    save_checkpoint(path, model)
    path.write_bytes(path.read_bytes()[:1000])
    with pytest.raises(CheckpointError, match=r"m.pt: not a readable checkpoint \(truncated or corrupt\)"):
        load_checkpoint(path)


@pytest.mark.parametrize("seed", range(40))
def test_corrupt_bytes(tmp_path, seed):
    path = tmp_path / "noise.pt"
    path.write_bytes(np.random.default_rng(seed).bytes(5000))
    with pytest.raises(CheckpointError, match="noise.pt: not a readable checkpoint"):
        load_checkpoint(path)


def test_zip_with_garbage_inside(tmp_path, model):
    path = tmp_path / "m.pt"
    save_checkpoint(path, model)
    data = bytearray(path.read_bytes())
    rng = np.random.default_rng(0)
    for i in rng.integers(200, len(data) - 200, size=300):
        data[i] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(CheckpointError, match="m.pt: not a "):
        load_checkpoint(path)


def test_other_torch_file_is_not_a_checkpoint(tmp_path):
    path = tmp_path / "weights.pt"
    torch.save({"layer.weight": torch.zeros(3)}, path)
    with pytest.raises(CheckpointError, match="weights.pt: not a vae-explorer checkpoint"):
        load_checkpoint(path)


class Evil:
    def __reduce__(self):
        return (os.system, ("echo pwned",))


def test_pickled_code_is_never_run(tmp_path):
    path = tmp_path / "evil.pt"
    torch.save({"format": "vae-explorer-checkpoint", "payload": Evil()}, path)
    with pytest.raises(CheckpointError, match="evil.pt: not a vae-explorer checkpoint"):
        load_checkpoint(path)


def test_newer_format_version(tmp_path, model):
    path = tmp_path / "m.pt"
    save_checkpoint(path, model)
    blob = torch.load(path, weights_only=True)
    blob["format_version"] = 99
    torch.save(blob, path)
    with pytest.raises(CheckpointError, match="format 99 is newer"):
        load_checkpoint(path)


def test_weights_that_do_not_fit_the_config(tmp_path, model):
    path = tmp_path / "m.pt"
    save_checkpoint(path, model)
    blob = torch.load(path, weights_only=True)
    blob["config"]["latent_dim"] = 7
    torch.save(blob, path)
    with pytest.raises(CheckpointError, match="weights do not fit"):
        load_model(path)


def test_image_shape_mismatch_names_both(tmp_path, model):
    path = tmp_path / "m.pt"
    save_checkpoint(path, model)
    with pytest.raises(CheckpointError, match="m.pt: model takes images of shape 1x8x8, but fashion-mnist has 1x28x28"):
        check_image_shape(load_checkpoint(path), (1, 28, 28), "fashion-mnist")


def test_failed_save_keeps_the_old_file(tmp_path, model):
    path = tmp_path / "m.pt"
    save_checkpoint(path, model, {"version": "old"})
    before = path.read_bytes()
    with (
        file_size_limit(len(before) // 2),  # the disk fills half-way through the new file
        pytest.raises(CheckpointError, match="cannot write checkpoint .*m.pt: File too large"),
    ):
        save_checkpoint(path, model, {"version": "new"})
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["m.pt"]  # no temporary file left behind


def test_save_into_missing_folder(tmp_path, model):
    with pytest.raises(VaeExplorerError, match=r"m.pt: folder .*missing does not exist"):
        save_checkpoint(tmp_path / "missing" / "m.pt", model)


def test_saved_file_gets_ordinary_permissions(tmp_path, model):
    path = tmp_path / "m.pt"
    save_checkpoint(path, model)
    umask = os.umask(0)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask
    path.chmod(0o640)
    save_checkpoint(path, model)  # an existing file keeps its permissions
    assert path.stat().st_mode & 0o777 == 0o640
