"""The JSON progress protocol: what the trainer writes is what the Train tab reads back."""

import io
import json
import math

from hypothesis import given
from hypothesis import strategies as st

from vae_explorer.core.training.protocol import (
    EpochInfo,
    JsonPrinter,
    LineSplitter,
    StepInfo,
    TrainResult,
    decode,
    parse_event,
)

numbers = st.floats(allow_nan=True, allow_infinity=True, width=64)
counts = st.integers(min_value=0, max_value=2**40)
steps = st.builds(
    StepInfo, counts, counts, counts, counts, numbers, numbers, numbers, numbers, numbers, numbers, numbers
)
metrics = st.dictionaries(st.sampled_from(["loss", "recon", "kl", "neg_elbo"]), st.floats(-1e9, 1e9))
epochs = st.builds(
    EpochInfo, counts, counts, metrics, metrics, st.floats(0, 1e9), st.floats(0, 1e9), st.text(max_size=40)
)
ends = st.builds(
    TrainResult,
    st.sampled_from(["finished", "cancelled", "failed"]),
    counts,
    st.none() | st.text(max_size=40),
    error=st.text(max_size=80),
)


def _same(a, b):
    """Equal, reading a non-finite number (sent as null) back as NaN."""
    if isinstance(a, float) and not math.isfinite(a):
        return isinstance(b, float) and math.isnan(b)
    return a == b


def _lines(callback_calls):
    stream = io.StringIO()
    printer = JsonPrinter(stream)
    for name, arg in callback_calls:
        getattr(printer, name)(arg)
    return stream.getvalue().splitlines()


@given(steps)
def test_a_step_round_trips(info):
    info.step = info.steps  # the last step of an epoch is always written
    (line,) = _lines([("on_step", info)])
    json.loads(line, parse_constant=lambda c: (_ for _ in ()).throw(ValueError(c)))  # strict JSON: no NaN
    back = decode(parse_event(line))
    assert isinstance(back, StepInfo)
    assert all(_same(getattr(info, k), getattr(back, k)) for k in info.__dataclass_fields__)


@given(epochs, ends)
def test_epochs_and_ends_round_trip(epoch, end):
    line_epoch, line_end = _lines([("on_epoch_end", epoch), ("on_train_end", end)])
    assert decode(parse_event(line_epoch)) == epoch
    back = decode(parse_event(line_end))
    assert (back.status, back.epochs_done, back.checkpoint, back.error) == (
        end.status,
        end.epochs_done,
        end.checkpoint,
        end.error,
    )


def test_start_is_read_back_as_written_and_stray_lines_are_not_events():
    (line,) = _lines([("on_train_start", {"model": {"kind": "vae"}, "n_train": 5, "lr": float("nan")})])
    assert decode(parse_event(line)) == {"model": {"kind": "vae"}, "n_train": 5, "lr": None}
    for stray in ("noise", "[1, 2]", '{"x": 1}', '{"event": "party"}', '{"event": "st'):
        assert parse_event(stray) is None


def test_steps_are_rate_limited_but_the_last_of_an_epoch_is_always_written():
    infos = [StepInfo(1, 1, k, 50, 1.0, 1.0, 0.0, 1.0, 0.0, 0.0, 1.0) for k in range(1, 51)]
    lines = _lines([("on_step", i) for i in infos])
    assert 1 <= len(lines) < 50 and decode(parse_event(lines[-1])).step == 50


def test_line_splitter_joins_partial_lines_and_cuts_runaway_ones():
    s = LineSplitter()
    assert s.feed(b'{"event": "st') == []
    assert s.feed(b'art"}\n{"event"') == ['{"event": "start"}']
    assert s.feed(b': "end"}\r\nnoise\n') == ['{"event": "end"}', "noise"]
    assert s.feed(b"tail without newline") == []
    assert s.flush() == ["tail without newline"]
    cut = s.feed(b"x" * (2 << 20))
    assert len(cut) == 1 and len(cut[0]) == 1 << 20
