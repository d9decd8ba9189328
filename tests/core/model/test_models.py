import pytest
import torch

from vae_explorer.core.model.autoencoder import ModelConfig, build_model, default_config, stage_sizes


@pytest.mark.parametrize(
    "shape",
    [(1, 28, 28), (1, 8, 8), (3, 64, 64), (3, 32, 32), (1, 30, 30), (3, 17, 23), (1, 5, 5)],
)
@pytest.mark.parametrize("kind", ["ae", "vae"])
def test_encode_decode_shapes(shape, kind):
    model = build_model(default_config(kind, shape, 5))
    x = torch.rand(3, *shape)
    mu, logvar = model.encode(x)
    assert mu.shape == (3, 5)
    assert (logvar is None) == (kind == "ae")
    if logvar is not None:
        assert logvar.shape == (3, 5)
    assert model.decode(mu).shape == (3, *shape)


def test_stage_sizes_halve_until_four_pixels():
    assert stage_sizes(28, 28, 5) == [(14, 14), (7, 7), (4, 4)]
    assert stage_sizes(8, 8, 5) == [(4, 4)]
    assert stage_sizes(64, 64, 5) == [(32, 32), (16, 16), (8, 8), (4, 4)]
    assert stage_sizes(28, 28, 1) == [(14, 14)]
    assert stage_sizes(5, 5, 3) == []


def test_vae_forward_samples_only_in_training_pass():
    torch.manual_seed(0)
    model = build_model(default_config("vae", (1, 28, 28), 4)).eval()
    x = torch.rand(2, 1, 28, 28)
    mu, _ = model.encode(x)
    # encode is deterministic: mu, never a sample
    assert torch.equal(mu, model.encode(x)[0])
    g1, g2 = torch.Generator().manual_seed(1), torch.Generator().manual_seed(2)
    logits1, mu1, _ = model(x, generator=g1)
    logits2, _, _ = model(x, generator=g2)
    assert torch.equal(mu1, mu)
    assert not torch.allclose(logits1, logits2)


def test_ae_forward_is_deterministic():
    model = build_model(default_config("ae", (1, 8, 8), 3)).eval()
    x = torch.rand(4, 1, 8, 8)
    assert torch.equal(model(x)[0], model.decode(model.encode(x)[0]))


def test_config_round_trip_and_validation():
    cfg = ModelConfig("vae", (3, 32, 32), 8, (16, 32), 64, True)
    assert ModelConfig.from_dict(cfg.to_dict()) == cfg
    with pytest.raises(ValueError, match="kind"):
        ModelConfig("gan")
    with pytest.raises(ValueError, match="latent size"):
        ModelConfig("ae", latent_dim=0)
    with pytest.raises(ValueError, match="image shape"):
        ModelConfig("ae", image_shape=(2, 28, 28))


def test_default_fashion_model_fits_a_small_file():
    # shipped checkpoints are stored as float16 and must stay under 3 MB
    n = sum(p.numel() for p in build_model(default_config("vae", (1, 28, 28), 16)).parameters())
    assert n * 2 < 2_900_000
