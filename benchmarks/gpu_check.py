"""What the accelerator of this machine does for the explorer, in one run of a few minutes.

    .venv/bin/python benchmarks/gpu_check.py      (after `make test` has made the virtual environment)

For the device it finds (CUDA, else the CPU, and it says so) it prints:
- decode latency of one code and of a batch of 64, as the explorer decodes
  (``decode_codes``: autocast and channels-last weights on CUDA), median and p95,
  and on CUDA the same without autocast and without channels-last, to show what they bring;
- encode throughput on the Fashion-MNIST test images;
- training throughput in float32 and with autocast (bfloat16 where the GPU has it,
  else float16), through ``core.training.train`` and its ``precision`` setting, as
  ``vae-explorer train --precision`` runs;
- the explorer's drag latency, offscreen, with the models on the device;
- the largest difference between images decoded on the CPU and on the device.
Fashion-MNIST is read from ``$VAE_EXPLORER_DATA`` or ``../shared``; without it the
figures use random images of the same size (and the digits for training).
"""

from __future__ import annotations

import contextlib
import copy
import os
import statistics
import tempfile
import threading
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
import torch  # noqa: E402
from common import SHARED_FASHION, fashion_pair, summary  # noqa: E402

from vae_explorer.core.data import Dataset, load_dataset  # noqa: E402
from vae_explorer.core.errors import VaeExplorerError  # noqa: E402
from vae_explorer.core.latent.codes import decode_codes, encode_images, sample_prior  # noqa: E402
from vae_explorer.core.model.checkpoint import load_model  # noqa: E402
from vae_explorer.core.training.loop import Callback, TrainConfig, train  # noqa: E402
from vae_explorer.core.training.setup import autocast_dtype  # noqa: E402

BATCH = 128


def fashion_test() -> tuple[Dataset, bool]:
    """The Fashion-MNIST test split, or 10,000 random images of its size -> ``(data, real)``."""
    try:
        return load_dataset("fashion-mnist", "test"), True
    except VaeExplorerError:
        images = np.random.default_rng(0).integers(0, 256, (10_000, 1, 28, 28), dtype=np.uint8)
        return Dataset("random", "test", images, None, [], "random images"), False


def sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def timed(fn, device: torch.device, runs: int, warmup: int = 10) -> list[float]:
    """Milliseconds of ``runs`` calls of ``fn()`` after ``warmup`` calls, each waited for."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        sync(device)
        t0 = time.perf_counter()
        fn()
        sync(device)
        times.append((time.perf_counter() - t0) * 1000)
    return times


@torch.inference_mode()
def decode_as(model, z: torch.Tensor, amp: bool) -> torch.Tensor:
    """Decode ``z`` (on the model's device) with or without autocast, to compare the two on CUDA."""
    context = torch.autocast("cuda", dtype=torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16)
    with context if amp else contextlib.nullcontext():
        return torch.sigmoid(model.decode(z).float())


def check_decoding(model, device: torch.device) -> None:
    z1, z64 = sample_prior(1, model.latent_dim, 1), sample_prior(64, model.latent_dim, 2)
    for name, z in (("one code", z1), ("a batch of 64", z64)):
        times = timed(lambda z=z: decode_codes(model, z), device, 200 if len(z) == 1 else 100)
        print(f"decode latency, {name:>13} (as the explorer decodes): {summary(times)}", flush=True)
    if device.type != "cuda":
        return
    contiguous = copy.deepcopy(model).to(memory_format=torch.contiguous_format)
    for label, net in (("channels-last", model), ("contiguous", contiguous)):
        for amp in (True, False):
            for name, z in (("one code", z1), ("a batch of 64", z64)):
                zt = torch.from_numpy(z).to(device)
                times = timed(lambda zt=zt, net=net, amp=amp: decode_as(net, zt, amp), device, 100)
                mode = "autocast" if amp else "float32"
                print(f"  {label:>13} weights, {mode:>8}, {name:>13}: {summary(times)}", flush=True)


def check_encoding(model, device: torch.device, images: np.ndarray) -> None:
    encode_images(model, images[:2000])  # warm up
    rates = []
    for _ in range(3):
        sync(device)
        t0 = time.perf_counter()
        encode_images(model, images)
        sync(device)
        rates.append(len(images) / (time.perf_counter() - t0))
    print(f"encode throughput: median {statistics.median(rates):,.0f} images/s ({len(images):,} images, 3 runs)")


class StepTimer(Callback):
    """Times ``steps`` training steps after ``warmup``, then asks the loop to stop."""

    def __init__(self, cancel: threading.Event, device: torch.device, warmup: int = 10, steps: int = 60) -> None:
        self.cancel, self.device, self.warmup, self.steps = cancel, device, warmup, steps
        self.count, self.t0, self.rate = 0, 0.0, 0.0

    def on_step(self, info) -> None:
        self.count += 1
        if self.count == self.warmup:
            sync(self.device)
            self.t0 = time.perf_counter()
        elif self.count == self.warmup + self.steps:
            sync(self.device)
            self.rate = self.steps * BATCH / (time.perf_counter() - self.t0)
            self.cancel.set()


def check_training(device: torch.device, fashion: bool) -> None:
    """Training throughput in float32 and, on CUDA, with autocast (fewer steps on the CPU, to stay within minutes).

    Both through the training's own ``precision`` setting, as ``vae-explorer train --precision`` runs.
    """
    data = "fashion-mnist" if fashion else "digits"
    precisions = ["float32", "auto"] if device.type == "cuda" else ["float32"]
    with tempfile.TemporaryDirectory() as tmp:
        for precision in precisions:
            cancel = threading.Event()
            timer = StepTimer(cancel, device) if device.type == "cuda" else StepTimer(cancel, device, 3, 15)
            cfg = TrainConfig(
                data=data, batch_size=BATCH, epochs=1000, device=str(device), out=f"{tmp}/m.pt", precision=precision
            )
            train(cfg, [timer], cancel)
            amp = autocast_dtype(precision, device)
            mode = "float32" if amp is None else f"autocast ({str(amp).removeprefix('torch.')})"
            print(f"training throughput ({data}, VAE, batch {BATCH}), {mode}: {timer.rate:,.0f} images/s", flush=True)
    if device.type != "cuda":
        print("training with autocast: CUDA only (the CPU trains in float32)")


@torch.inference_mode()
def check_difference(path, device: torch.device) -> None:
    """The largest difference between images decoded on the CPU and on ``device``, with and without autocast."""
    cpu, _ = load_model(path, "cpu")
    gpu, _ = load_model(path, device)
    z = sample_prior(256, cpu.latent_dim, 3)
    reference = decode_codes(cpu, z)
    as_decoded = np.abs(decode_codes(gpu, z) - reference).max()
    plain = np.abs(decode_as(gpu, torch.from_numpy(z).to(device), False).cpu().numpy() - reference).max()
    print(f"max abs difference of decoded pixels (0-1), CPU vs {device}: {as_decoded:.2e} as the explorer decodes, "
          f"{plain:.2e} in float32 (256 prior codes)")  # fmt: skip


def check_drag(left, right, dataset: Dataset, device: torch.device) -> None:
    """The drag benchmark's measure, in a window whose models are on ``device``."""
    from drag_latency import measure, open_window

    from vae_explorer.gui.shell.app import make_app

    app = make_app()
    window = open_window(app, left, right, dataset, str(device))
    latencies, _ = measure(app, window, 150)
    print(f"drag latency (explorer offscreen, {len(dataset):,} points per map): {summary(latencies)}", flush=True)
    window.close()


def main() -> None:
    start = time.perf_counter()
    if SHARED_FASHION.is_dir():
        os.environ.setdefault("VAE_EXPLORER_DATA", str(SHARED_FASHION))
    os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="vae-explorer-gpu-check-")  # nothing from earlier runs
    if torch.cuda.is_available():
        device = torch.device("cuda")
        name = torch.cuda.get_device_name(device)
        bf16 = "bfloat16" if torch.cuda.is_bf16_supported() else "float16"
        print(f"device: {name} (CUDA {torch.version.cuda}, torch {torch.__version__}); autocast uses {bf16}")
    else:
        device = torch.device("cpu")
        print(f"no CUDA device here: the CPU figures (torch {torch.__version__}, {os.cpu_count()} cores)")
    left, right, what = fashion_pair()
    dataset, fashion = fashion_test()
    print(f"models: {what}; data: {dataset.description if fashion else 'random images, 28x28'}", flush=True)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # as the explorer decodes and encodes (see gui/shell/app.py)
    model, _ = load_model(right, device)
    check_decoding(model, device)
    check_encoding(model, device, dataset.images)
    torch.set_num_threads(threads)  # as `vae-explorer train` runs, in a process of its own
    check_training(device, fashion)
    if device.type == "cuda":
        check_difference(right, device)
    else:
        print("max abs difference of decoded images, CPU vs GPU: no GPU here")
    check_drag(left, right, dataset, device)
    print(f"done in {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
