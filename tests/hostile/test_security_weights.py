"""Every weight file goes through the checkpoint reader's guards, the predictor of ``evaluate --predictor`` too."""

import io
import os
import re
import tempfile
import zipfile
from pathlib import Path

import torch
from helpers import assert_one_line_error, run_cli
from hostile_files import SETTINGS, assert_one_line, make_char_device, time_limit
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vae_explorer.core.errors import CheckpointError
from vae_explorer.core.evaluation.predictor import FILE_NAME, load_predictor

HYPOTHESIS = settings(**{**SETTINGS, "max_examples": 12}, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _shipped(checkpoints_dir: Path) -> dict:
    return torch.load(checkpoints_dir / FILE_NAME, weights_only=True)


def _bomb(path: Path, checkpoints_dir: Path) -> None:
    """The shipped predictor with one part declaring a gigabyte it does not hold (a compressed bomb's header)."""
    data = bytearray((checkpoints_dir / FILE_NAME).read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = max(archive.infolist(), key=lambda i: i.file_size)
    at = info.header_offset + 22  # the local header's uncompressed size
    data[at : at + 4] = (1 << 30).to_bytes(4, "little")
    central = data.rfind(b"PK\x01\x02" + bytes(data[info.header_offset + 4 : info.header_offset + 6]))
    while central >= 0:  # and the central directory's, for that part
        if int.from_bytes(data[central + 42 : central + 46], "little") == info.header_offset:
            data[central + 24 : central + 28] = (1 << 30).to_bytes(4, "little")
            break
        central = data.rfind(b"PK\x01\x02", 0, central)
    path.write_bytes(bytes(data))


def _nan(path: Path, checkpoints_dir: Path) -> None:
    blob = _shipped(checkpoints_dir)
    first = next(iter(blob["state_dict"]))
    blob["state_dict"][first] = torch.full_like(blob["state_dict"][first], float("nan"))
    torch.save(blob, path)


def _huge(path: Path, checkpoints_dir: Path) -> None:
    with open(path, "wb") as fh:  # sparse: two gigabytes on paper
        fh.truncate(2 << 30)


KINDS = {
    "FIFO": (lambda p, c: os.mkfifo(p), "is a FIFO"),
    "device": (lambda p, c: make_char_device(p, minor=5), "is a character device"),
    "folder": (lambda p, c: p.mkdir(), "is a folder"),
    "2 GiB file": (_huge, "MiB is more than a factor predictor file may hold"),
    "compressed bomb": (_bomb, "declares .* MiB"),
    "NaN weights": (_nan, "weights hold NaN"),
    "a checkpoint's pickle": (lambda p, c: p.write_bytes((c / "digits-vae.pt").read_bytes()), "not a vae-explorer"),
}


@HYPOTHESIS
@given(kind=st.sampled_from(sorted(KINDS)))
def test_a_hostile_predictor_file_is_one_line_without_waiting(tmp_path, checkpoints_dir, kind):
    make, message = KINDS[kind]
    path = Path(tempfile.mkdtemp(dir=tmp_path)) / "predictor.pt"
    make(path, checkpoints_dir)
    with time_limit(20):
        try:
            load_predictor(path)
        except CheckpointError as exc:
            assert_one_line(str(exc), str(path))
            assert re.search(message, str(exc)), str(exc)
        else:
            raise AssertionError(f"{kind} was loaded")


def test_evaluate_refuses_a_fifo_predictor_before_any_work(capsys, tmp_path, checkpoints_dir):
    os.mkfifo(tmp_path / "p.pt")
    with time_limit(20):
        rc, _, err = run_cli(
            capsys,
            "evaluate",
            checkpoints_dir / "faces-vae.pt",
            "--vector",
            "column:Smiling",
            "--predictor",
            tmp_path / "p.pt",
        )
    assert_one_line_error(rc, err, r"p.pt: is a FIFO \(named pipe\), not a factor predictor file")
