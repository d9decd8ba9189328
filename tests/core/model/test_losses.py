import math

import torch

from vae_explorer.core.model.losses import kl_divergence, kl_per_dim, loss_terms, reconstruction


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
