"""The events of a training run: callbacks in the training process, JSON lines across processes.

The loop calls a :class:`Callback` with :class:`StepInfo`, :class:`EpochInfo` and
:class:`TrainResult`. ``vae-explorer train --progress json`` writes each as one
JSON object per line (:class:`JsonPrinter`), and the Train tab reads them back
(:class:`LineSplitter`, :func:`parse_event`, :func:`decode`); both sides live here.

The lines, in order: ``start`` (settings, model config, device, data sizes),
``step`` (at most every 0.2 s, and the last of each epoch), ``epoch`` (train and
test metrics, the checkpoint written), ``end`` (``finished``, ``cancelled`` or
``failed`` with a one-line ``error``). A number that is not finite is written as
``null``, so every line is strict JSON.
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import asdict, dataclass, field, fields
from typing import Any, TextIO

EVENTS = ("start", "step", "epoch", "end")
MAX_LINE = 1 << 20  # a line longer than this is cut, so a runaway child cannot fill memory
STEP_INTERVAL = 0.2  # seconds between two step lines


@dataclass
class StepInfo:
    """One optimizer step: losses are the means over the step's (global) batch."""

    epoch: int  # 1-based
    epochs: int
    step: int  # 1-based, within the epoch
    steps: int
    loss: float
    recon: float
    kl: float
    beta: float
    elapsed: float
    eta: float
    images_per_sec: float


@dataclass
class EpochInfo:
    """One finished epoch: its mean train losses, the test metrics, and the checkpoint written."""

    epoch: int
    epochs: int
    train: dict[str, float]
    test: dict[str, Any]
    elapsed: float
    eta: float
    checkpoint: str


@dataclass
class TrainResult:
    """How a run ended: ``finished``, ``cancelled`` or ``failed`` (with ``error``)."""

    status: str
    epochs_done: int
    checkpoint: str | None
    history: list[dict[str, Any]] = field(default_factory=list)
    error: str = ""


class Callback:
    """Hooks the loop calls (in the process that writes the checkpoint); override what you need."""

    def on_train_start(self, info: dict[str, Any]) -> None: ...

    def on_step(self, info: StepInfo) -> None: ...

    def on_epoch_end(self, info: EpochInfo) -> None: ...

    def on_train_end(self, result: TrainResult) -> None: ...


def _finite(value: Any) -> Any:
    """``value`` with every non-finite float replaced by ``None`` (strict JSON has no NaN)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def encode(event: str, payload: dict[str, Any]) -> str:
    """One event as a line of strict JSON, without the newline."""
    return json.dumps({"event": event, **_finite(payload)}, allow_nan=False, default=str)


def step_line(info: StepInfo) -> str:
    return encode("step", asdict(info))


def epoch_line(info: EpochInfo) -> str:
    return encode("epoch", asdict(info))


def end_line(result: TrainResult) -> str:
    payload = {"status": result.status, "epochs_done": result.epochs_done, "checkpoint": result.checkpoint}
    if result.error:
        payload["error"] = result.error
    return encode("end", payload)


def parse_event(line: str) -> dict[str, Any] | None:
    """One progress event, or ``None`` for a line that is not one (a stray print, a cut line)."""
    try:
        obj = json.loads(line)
    except ValueError:
        return None
    return obj if isinstance(obj, dict) and obj.get("event") in EVENTS else None


def _number(value: Any) -> float:
    return float("nan") if value is None else float(value)


def decode(event: dict[str, Any]) -> StepInfo | EpochInfo | TrainResult | dict[str, Any]:
    """A parsed ``step``, ``epoch`` or ``end`` event as the object the loop reported; ``start`` stays a dict.

    Raises ``KeyError``, ``TypeError`` or ``ValueError`` for an event missing a field.
    """
    kind = event["event"]
    if kind == "step":
        ints = ("epoch", "epochs", "step", "steps")
        return StepInfo(
            **{f.name: int(event[f.name]) if f.name in ints else _number(event[f.name]) for f in fields(StepInfo)}
        )
    if kind == "epoch":
        return EpochInfo(
            int(event["epoch"]),
            int(event["epochs"]),
            dict(event["train"]),
            dict(event["test"]),
            _number(event["elapsed"]),
            _number(event["eta"]),
            str(event["checkpoint"]),
        )
    if kind == "end":
        checkpoint = event.get("checkpoint")
        return TrainResult(
            str(event["status"]),
            int(event["epochs_done"]),
            None if checkpoint is None else str(checkpoint),
            error=str(event.get("error", "")),
        )
    return {k: v for k, v in event.items() if k != "event"}


class JsonPrinter(Callback):
    """Writes the events to ``stream``, one JSON object per line, flushed at once."""

    def __init__(self, stream: TextIO) -> None:
        self.stream, self.last = stream, 0.0

    def _write(self, line: str) -> None:
        self.stream.write(line + "\n")
        self.stream.flush()

    def on_train_start(self, info: dict[str, Any]) -> None:
        self._write(encode("start", info))

    def on_step(self, s: StepInfo) -> None:
        now = time.monotonic()
        if now - self.last >= STEP_INTERVAL or s.step == s.steps:
            self.last = now
            self._write(step_line(s))

    def on_epoch_end(self, e: EpochInfo) -> None:
        self._write(epoch_line(e))

    def on_train_end(self, r: TrainResult) -> None:
        self._write(end_line(r))


class LineSplitter:
    """Bytes as they arrive from a pipe -> whole lines (text, without the newline)."""

    def __init__(self) -> None:
        self._buf = b""

    def feed(self, data: bytes) -> list[str]:
        self._buf += data
        *lines, self._buf = self._buf.split(b"\n")
        if len(self._buf) > MAX_LINE:
            lines.append(self._buf[:MAX_LINE])
            self._buf = b""
        return [line.decode("utf-8", "replace").rstrip("\r") for line in lines]

    def flush(self) -> list[str]:
        """The unfinished last line, at the end of the stream."""
        rest, self._buf = self._buf, b""
        return [rest.decode("utf-8", "replace")] if rest.strip() else []
