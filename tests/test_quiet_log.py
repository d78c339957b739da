"""quiet_log: each kind of failure logged once as one line, then counted."""

from __future__ import annotations

import logging
import os

import pytest
from tornado.ioloop import IOLoop

from stargate_explainer import quiet_log
from stargate_explainer.quiet_log import FailureLog, KernelStderr


class Records(logging.Handler):
    def __init__(self):
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(record.getMessage())


@pytest.fixture
def logger():
    records = Records()
    log = logging.getLogger(f"test-quiet-log-{id(records)}")
    log.addHandler(records)
    log.propagate = False
    log.records = records
    return log


def test_a_kind_is_logged_once_then_counted(logger):
    failures = FailureLog(logger, interval=60)
    for n in range(1000):
        failures.note("websocket closed", "kernel %s: %s", "k1", n)
    failures.note("another kind", "once")
    assert logger.records.lines == [
        "websocket closed: kernel k1: 0 (more of these are counted)",
        "another kind: once (more of these are counted)",
    ]
    assert failures.count("websocket closed") == 999
    failures.flush("websocket closed")
    assert logger.records.lines[-1] == "websocket closed: 999 more in the last 60 s"
    assert failures.count("websocket closed") == 0


@pytest.fixture
def failures(logger, monkeypatch):
    """A fresh FailureLog in place of the process's one, for a server run without --debug
    (pytest's own log capture looks like a debug handler)."""
    fresh = FailureLog(logger)
    monkeypatch.setattr(quiet_log, "FAILURES", fresh)
    monkeypatch.setattr(quiet_log, "debugging", lambda _logger: False)
    return fresh


def feed(stderr: KernelStderr, text: bytes) -> None:
    """Write to the kernel's stderr and let the server read it."""
    os.write(stderr.write_fd, text)
    stderr._readable(stderr.read_fd, IOLoop.READ)


TRACEBACK = b"""[IPKernelApp] ERROR | Invalid message
Traceback (most recent call last):
  File "kernelbase.py", line 609, in shell_channel_thread_main
    msg3 = self.session.deserialize(msg2, content=False, copy=False)

During handling of the above exception, another exception occurred:

Traceback (most recent call last):
  File "session.py", line 1071, in deserialize
ValueError: Duplicate Signature: b'%s'
"""


def test_a_kernels_tracebacks_are_one_line_once(failures, logger):
    stderr = KernelStderr("k1", logger)
    try:
        for n in range(50):
            feed(stderr, TRACEBACK % (b"%064x" % n))
        feed(stderr, b"a warning of another kind\n")
    finally:
        stderr.close()
    assert logger.records.lines == [
        "Kernel k1 stderr: [IPKernelApp] ERROR | Invalid message ... ValueError: Duplicate "
        "Signature: b'0000000000000000000000000000000000000000000000000000000000000000' "
        "(more like it are counted)",
        "Kernel k1 stderr: a warning of another kind (more like it are counted)",
    ]
    assert failures.count("kernel stderr: [IPKernelApp] ERROR | Invalid message") == 49


def test_a_record_split_across_reads_is_one_record(failures, logger):
    stderr = KernelStderr("k1", logger)
    try:
        half = len(TRACEBACK) // 2
        feed(stderr, TRACEBACK[:half])
        assert logger.records.lines == []  # the traceback is not finished
        feed(stderr, (TRACEBACK % b"ab")[half:])
    finally:
        stderr.close()
    assert len(logger.records.lines) == 1
    assert logger.records.lines[0].endswith("Duplicate Signature: b'ab' (more like it are counted)")


def test_with_debug_logging_the_whole_traceback_is_kept(failures, logger, monkeypatch):
    monkeypatch.setattr(quiet_log, "debugging", lambda _logger: True)
    stderr = KernelStderr("k1", logger)
    try:
        feed(stderr, TRACEBACK % b"ab")
    finally:
        stderr.close()
    (line,) = logger.records.lines
    assert "During handling of the above exception" in line and line.count("\n") >= 6


def test_closing_closes_both_ends(failures, logger):
    stderr = KernelStderr("k1", logger)
    read_fd, write_fd = stderr.read_fd, stderr.write_fd
    stderr.close()
    stderr.close()
    for fd in (read_fd, write_fd):
        with pytest.raises(OSError):
            os.fstat(fd)
