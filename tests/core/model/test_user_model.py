"""A user's model file: run only when trusted, checked on opening, and then a model like any other."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import user_models
from fashion import needs_fashion
from user_models import BROKEN_DECODE, TINY, TRUST_ALL, write_model_file

import vae_explorer
from vae_explorer.core.errors import CheckpointError, ModelFileError
from vae_explorer.core.io.trust import TrustPolicy, file_key
from vae_explorer.core.latent.codes import decode_codes, encode_images
from vae_explorer.core.latent.cursor import decode_cursor
from vae_explorer.core.model.opening import open_model
from vae_explorer.core.model.user_model import read_model_file


def tiny(folder, decode="torch.sigmoid(self.dec(z))", output="probabilities", extra="", name="tiny.py"):
    return write_model_file(folder, TINY.format(decode=decode, output=output, extra=extra), name)


def line_of(path, text):
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def test_a_trusted_model_file_is_a_model_like_any_other(tmp_path):
    m = open_model(tiny(tmp_path, extra=", name='tiny VAE', data='digits'"), "cpu", TRUST_ALL)
    assert (m.kind, m.latent_dim, m.image_shape, m.origin) == ("vae", 3, (1, 8, 8), "model file")
    assert m.title == "VAE · tiny VAE" and m.short_name == "tiny VAE" and m.metadata["data"] == "digits"
    images = np.random.default_rng(0).integers(0, 256, (5, 1, 8, 8), dtype=np.uint8)
    codes = encode_images(m, images)
    assert codes.mu.shape == codes.logvar.shape == (5, 3)
    decoded = decode_codes(m, codes.mu)
    assert decoded.shape == (5, 1, 8, 8) and decoded.min() >= 0 and decoded.max() <= 1
    # what it decodes is the user's own decode, reshaped
    expected = torch.sigmoid(m.net.obj.module.dec(torch.from_numpy(codes.mu))).reshape(5, 1, 8, 8)
    assert np.allclose(decoded, expected.detach().numpy(), atol=1e-6)


@needs_fashion  # the model file's weights are trained on it
def test_the_readme_model_file_opens_the_pytorch_examples_vae(tmp_path_factory):
    path = user_models.examples_vae(tmp_path_factory)
    m = open_model(path, "cpu", TRUST_ALL)
    assert (m.kind, m.latent_dim, m.image_shape, m.name) == ("vae", 20, (1, 28, 28), "PyTorch examples VAE")
    assert m.metadata["parameters"] == 784 * 400 + 400 + 2 * (400 * 20 + 20) + 20 * 400 + 400 + 400 * 784 + 784


def test_nothing_runs_without_trust(tmp_path):
    marker = tmp_path / "ran"
    path = write_model_file(tmp_path, f"open({str(marker)!r}, 'w').close()\n")
    with pytest.raises(ModelFileError, match=r"model.py: a model file runs the Python code in it; add --trust"):
        open_model(path, "cpu")
    source = read_model_file(path)
    trusted_before = TrustPolicy(approved={file_key(path): "0" * 64})
    with pytest.raises(ModelFileError, match=r"model.py: changed since you trusted it"):
        open_model(path, "cpu", trusted_before)
    assert not marker.exists()
    with pytest.raises(ModelFileError, match="defines no function vae_explorer_model"):
        open_model(path, "cpu", TrustPolicy(approved={file_key(path): source.sha256}))
    assert marker.exists()  # the content said yes to ran


@pytest.mark.parametrize(
    ("decode", "output", "message"),
    [
        ("torch.sigmoid(self.dec(z))[:, :10]", "probabilities", r"decode returns shape \(N, 10\) where \(N, 1, 8, 8\)"),
        ("self.dec(z) * 10", "probabilities", r"decode returns values from -\d.* outside \[0, 1\].*output='logits'"),
        ("self.dec(z) * float('nan')", "logits", r"what it decodes holds NaN or infinite values on random test images"),
        ("[self.dec(z)]", "logits", r"what decode returns is a list of 1 values, not a tensor"),
    ],
)
def test_a_decode_that_breaks_its_promise_is_refused_in_one_line(tmp_path, decode, output, message):
    path = tiny(tmp_path, decode=decode, output=output)
    with pytest.raises(CheckpointError, match=rf"^{tmp_path}/tiny.py: {message}") as info:
        open_model(path, "cpu", TRUST_ALL)
    assert "\n" not in str(info.value)


def test_the_broken_decode_says_which_shape_was_expected(tmp_path):
    path = write_model_file(tmp_path, BROKEN_DECODE, "broken.py")
    with pytest.raises(ModelFileError) as info:
        open_model(path, "cpu", TRUST_ALL)
    assert str(info.value).startswith(f"{path}: decode returns shape (N, 784) where (N, 1, 28, 28) was expected")


def test_codes_must_be_flat_and_of_one_batch(tmp_path):
    unwrapped = BROKEN_DECODE.replace(
        "return self.enc(x.flatten(1))", "return self.enc(x.flatten(1))[:, :, None, None]"
    )
    with pytest.raises(ModelFileError, match=r"encode returns mu of shape \(N, 4, 1, 1\) where \(N, d\) was expected"):
        open_model(write_model_file(tmp_path, unwrapped, "codes.py"), "cpu", TRUST_ALL)
    # .squeeze() drops the batch of one image, as a cursor decodes it
    squeezed = BROKEN_DECODE.replace("return self.enc(x.flatten(1))", "return self.enc(x.flatten(1)).squeeze()")
    squeezed = squeezed.replace("torch.sigmoid(self.dec(z))", "torch.sigmoid(self.dec(z)).view(-1, 1, 28, 28)")
    with pytest.raises(ModelFileError, match=r"encode returns mu of shape \(4,\) where \(N, 4\) was expected"):
        open_model(write_model_file(tmp_path, squeezed, "squeezed.py"), "cpu", TRUST_ALL)


def test_an_exception_in_the_users_code_names_its_line(tmp_path):
    path = tiny(tmp_path, decode="self.dec(z.t())")
    with pytest.raises(ModelFileError) as info:
        open_model(path, "cpu", TRUST_ALL)
    line = line_of(path, "self.dec(z.t())")
    assert str(info.value).startswith(f"{path}: decode failed at {path}:{line}: RuntimeError: mat1 and mat2 shapes")
    assert isinstance(info.value.__cause__, RuntimeError)  # the traceback, for the Details


def test_an_exception_in_a_module_beside_it_names_that_line(tmp_path):
    (tmp_path / "mynet.py").write_text("def build():\n    raise ValueError('no weights found')\n")
    path = write_model_file(tmp_path, "import mynet\n\n\ndef vae_explorer_model():\n    return mynet.build()\n")
    with pytest.raises(ModelFileError) as info:
        open_model(path, "cpu", TRUST_ALL)
    assert str(info.value) == (
        f"{path}: vae_explorer_model() failed at {tmp_path / 'mynet.py'}:2: ValueError: no weights found"
    )


def test_model_files_in_two_folders_each_get_their_own_modules_beside_them(tmp_path):
    paths = []
    for width in (2, 3):
        folder = tmp_path / f"w{width}"
        folder.mkdir()
        (folder / "net.py").write_text(f"WIDTH = {width}\n")
        paths.append(write_model_file(folder, TINY.replace("import torch\n", "import torch\nimport net\n", 1)))
        paths[-1].write_text(
            paths[-1]
            .read_text()
            .format(decode="torch.sigmoid(self.dec(z))", output="probabilities", extra=", name=f'width {net.WIDTH}'")
        )
    assert [open_model(p, "cpu", TRUST_ALL).name for p in paths] == ["width 2", "width 3"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("def vae_explorer_model(:\n", r"model.py:1: not valid Python"),
        ("x = 1\n", r"model.py: defines no function vae_explorer_model\(\)"),
        (
            "import sys\n\n\ndef vae_explorer_model():\n    sys.exit(3)\n",
            r"vae_explorer_model\(\) failed at .*model.py:5: SystemExit: 3",
        ),
        ("def vae_explorer_model():\n    return 42\n", r"returned int, which has no encode\(\) method"),
        ("x = 1\0\n", r"model.py: not valid Python \(source code string cannot contain null bytes\)"),
        (
            "class M:\n    encode = decode = print\n\n    @property\n    def image_shape(self):\n"
            "        return 1 / 0\n\n\ndef vae_explorer_model():\n    return M()\n",
            r"reading the model's attributes failed at .*model.py:6: ZeroDivisionError: division by zero",
        ),
    ],
)
def test_a_model_file_that_gives_no_model_is_one_line(tmp_path, text, message):
    with pytest.raises(ModelFileError, match=message):
        open_model(write_model_file(tmp_path, text), "cpu", TRUST_ALL)


def test_declarations_are_checked(tmp_path):
    bad_shape = BROKEN_DECODE.replace("image_shape = (1, 28, 28)", "image_shape = (28, 28)")
    with pytest.raises(ModelFileError, match=r"image_shape is \(28, 28\), not \(channels, height, width\)"):
        open_model(write_model_file(tmp_path, bad_shape, "shape.py"), "cpu", TRUST_ALL)
    with pytest.raises(ModelFileError, match=r"output must be one of 'probabilities', 'logits', not 'pixels'"):
        open_model(tiny(tmp_path, output="pixels"), "cpu", TRUST_ALL)


def test_the_digest_follows_the_code_and_the_weights(tmp_path):
    text = TINY.format(decode="torch.sigmoid(self.dec(z))", output="probabilities", extra="")
    weights = tmp_path / "w.pth"
    loading = "tiny = Tiny()\n    tiny.load_state_dict(torch.load(__file__.replace('model.py', 'w.pth')))"
    path = write_model_file(tmp_path, text.replace("tiny = Tiny()", loading))
    torch.manual_seed(1)
    module = user_models.import_file(path).Tiny()
    torch.save(module.state_dict(), weights)
    first = open_model(path, "cpu", TRUST_ALL).digest
    assert open_model(path, "cpu", TRUST_ALL).digest == first  # the same for the same file and weights
    with torch.no_grad():
        module.dec.bias.add_(0.5)
    torch.save(module.state_dict(), weights)
    assert open_model(path, "cpu", TRUST_ALL).digest != first  # retrained weights: codes cached before are stale


def test_it_runs_under_inference_mode_and_decodes_the_cursor(tmp_path):
    recording = "(seen.append(torch.is_inference_mode_enabled()), torch.sigmoid(self.dec(z)))[1]"
    path = tiny(tmp_path, decode=recording)
    path.write_text("seen = []\n" + path.read_text())
    m = open_model(path, "cpu", TRUST_ALL)
    seen = m.net.obj.module.decode.__globals__["seen"]
    seen.clear()
    result = decode_cursor(m, np.zeros(3, np.float32))
    assert result.image.shape == (1, 8, 8) and seen == [True]
    assert m.device == torch.device("cpu")


def test_wrap_adapts_shapes_and_checks_what_it_is_told():
    module = torch.nn.Linear(4, 4)
    w = vae_explorer.wrap(module, (1, 2, 2), encode=lambda x: x[:, :, None], decode=lambda z: z * 2, flatten=True)
    x = torch.arange(8.0).reshape(2, 1, 2, 2)
    assert torch.equal(w.encode(x), x.flatten(1))  # (N, 4, 1) codes flattened
    assert w.decode(torch.ones(2, 4)).shape == (2, 1, 2, 2)
    assert (w.output, w.likelihood, w.sigma) == ("probabilities", "bernoulli", 1.0)
    with pytest.raises(ValueError, match=r"Linear has no encode\(\) method: give encode=... to wrap"):
        vae_explorer.wrap(module, (1, 2, 2))
    with pytest.raises(ValueError, match="likelihood must be one of 'bernoulli', 'gaussian', 'mse', not 'l1'"):
        vae_explorer.wrap(module, (1, 2, 2), likelihood="l1")
    with pytest.raises(ValueError, match=r"image_shape must be \(channels, height, width\), not \(4, 4\)"):
        vae_explorer.wrap(module, (4, 4))
