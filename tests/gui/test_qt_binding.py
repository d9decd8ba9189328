"""The Qt binding must survive a long session: every drag and paint emits signals from Python."""

import sys

from PySide6.QtCore import QObject, Signal


class Emitter(QObject):
    sigValue = Signal(object)
    sigNothing = Signal()


def test_emitting_from_python_keeps_reference_counts(qapp):
    e = Emitter()
    got = []
    e.sigValue.connect(lambda v: got.append(v) if len(got) < 3 else None)
    e.sigNothing.connect(lambda: None)
    before = sys.getrefcount(True), sys.getrefcount(False), sys.getrefcount(None)
    for _ in range(5000):
        e.sigValue.emit(None)
        e.sigNothing.emit()
    after = sys.getrefcount(True), sys.getrefcount(False), sys.getrefcount(None)
    assert all(abs(a - b) < 50 for a, b in zip(after, before, strict=True)), (before, after)
