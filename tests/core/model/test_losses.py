import math

import torch

from vae_explorer.core.model.losses import image_nll, kl_divergence, kl_per_dim, loss_terms, reconstruction


def test_kl_matches_hand_computed_value():
    mu = torch.tensor([[0.0, 1.0], [2.0, -1.0]])
    logvar = torch.tensor([[0.0, math.log(4.0)], [math.log(0.25), 0.0]])
    # 0.5 * (mu^2 + sigma^2 - 1 - log sigma^2), per dimension
    expected = torch.tensor(
        [
            [0.0, 0.5 * (1 + 4 - 1 - math.log(4.0))],
            [0.5 * (4 + 0.25 - 1 - math.log(0.25)), 0.5 * (1 + 1 - 1 - 0)],
        ]
    )
    assert torch.allclose(kl_per_dim(mu, logvar), expected)
    assert torch.allclose(kl_divergence(mu, logvar), expected.sum(dim=1))
    assert kl_divergence(torch.zeros(1, 3), torch.zeros(1, 3)).item() == 0.0


def test_reconstruction_is_bce_summed_over_pixels():
    x = torch.tensor([[[[1.0, 0.0], [0.5, 1.0]]]])
    logits = torch.zeros_like(x)  # p = 0.5 everywhere: log 2 per pixel
    assert torch.allclose(reconstruction(logits, x), torch.tensor([4 * math.log(2.0)]))


def test_a_models_reconstruction_is_scored_as_it_declares():
    x = torch.tensor([[[[1.0, 0.0], [0.5, 1.0]]]])
    half = torch.full_like(x, 0.5)
    # Bernoulli: probabilities score as their logits do (log 2 per pixel at p = 0.5)
    assert torch.allclose(image_nll(half, x, "probabilities"), torch.tensor([4 * math.log(2.0)]))
    assert torch.allclose(image_nll(torch.zeros_like(x), x, "logits"), image_nll(half, x, "probabilities"))
    # Gaussian with a fixed sigma: 0.5 ((x - mean) / sigma)^2 + log sigma + 0.5 log 2 pi, summed over pixels
    squares = 0.25 + 0.25 + 0.0 + 0.25
    expected = 0.5 * squares / 0.1**2 + 4 * (math.log(0.1) + 0.5 * math.log(2 * math.pi))
    assert torch.allclose(image_nll(half, x, "probabilities", "gaussian", 0.1), torch.tensor([expected]))
    # squared error: no likelihood, the summed squares; logits become means first
    assert torch.allclose(image_nll(torch.zeros_like(x), x, "logits", "mse"), torch.tensor([squares]))


def test_loss_terms_apply_beta_and_handle_ae():
    x = torch.full((2, 1, 2, 2), 0.5)
    logits = torch.zeros_like(x)
    mu = torch.ones(2, 3)
    logvar = torch.zeros(2, 3)
    t = loss_terms(logits, x, mu, logvar, beta=4.0)
    assert math.isclose(t["kl"].item(), 1.5)
    assert math.isclose(t["loss"].item(), t["recon"].item() + 4 * 1.5, rel_tol=1e-6)
    ae = loss_terms(logits, x, mu, None, beta=4.0)
    assert ae["kl"].item() == 0.0 and ae["loss"].item() == ae["recon"].item()
