"""Each kind of failure logged once, then counted: a client that repeats a refused request, or
makes the server fail the same way thousands of times, costs the log one line a minute.

(One probe of the Voilà server logged 5,972 task tracebacks, 77,601 lines, for one websocket.)
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import os
import re
from contextlib import suppress

from tornado.ioloop import IOLoop


class FailureLog:
    """The first failure of each kind is logged as it comes; later ones are counted, and the
    count logged once per `interval` seconds while they keep coming."""

    def __init__(self, logger: logging.Logger, interval: float = 60.0):
        self.logger = logger
        self.interval = interval
        self._seen: set[str] = set()
        self._counts: dict[str, int] = {}

    def first(self, kind: str) -> bool:
        """True the first time `kind` is seen (the caller logs it); else counts it."""
        if kind not in self._seen:
            self._seen.add(kind)
            return True
        count = self._counts.get(kind, 0)
        self._counts[kind] = count + 1
        if count == 0:
            self._flush_later(kind)
        return False

    def note(self, kind: str, message: str, *args) -> None:
        """Log `message % args` as a failure of `kind`, once."""
        if self.first(kind):
            self.logger.warning(f"{kind}: {message} (more of these are counted)", *args)

    def count(self, kind: str) -> int:
        """How many failures of `kind` are counted and not yet logged."""
        return self._counts.get(kind, 0)

    def flush(self, kind: str) -> None:
        count = self._counts.pop(kind, 0)
        if count:
            self.logger.warning("%s: %d more in the last %.0f s", kind, count, self.interval)

    def _flush_later(self, kind: str) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # no event loop (a unit test): the count waits for the next failure
        # In a context of its own: not the request's that happened to fail first.
        loop.call_later(self.interval, self.flush, kind, context=contextvars.Context())


FAILURES = FailureLog(logging.getLogger("Voila"))


def debugging(logger: logging.Logger) -> bool:
    """Whether `logger` shows debug records (`voila --debug`): its own level is DEBUG whatever
    the command line says; its handlers' levels follow `--debug`/`--log-level`."""
    return any(handler.level <= logging.DEBUG for handler in logger.handlers)


# Lines of a kernel's stderr that continue the record above them (a traceback, its frames).
_CONTINUATION = re.compile(
    r"\s|Traceback \(most recent call last\):|During handling of|The above exception"
)
# Runs of digits and ids, which differ between two records of one kind.
_VARIABLE = re.compile(r"0x[0-9a-f]+|[0-9a-f]{8,}|\d+")
MAX_RECORD_LINES = 200
MAX_LINE_BYTES = 65536


class KernelStderr:
    """A kernel's stderr, read by the server and logged through `FAILURES`: each kind of record
    (a log line and the traceback under it) once, as one line, then counted. The kernel logged
    a traceback to the server's log for every message it refused (a replayed frame).

    `write_fd` is the kernel's stderr; `close()` (when the kernel is gone) closes both ends."""

    def __init__(self, kernel_id: str, logger: logging.Logger | None = None):
        self.kernel_id = kernel_id
        self.logger = logger or FAILURES.logger
        self.read_fd, self.write_fd = os.pipe()
        os.set_blocking(self.read_fd, False)
        self._partial = b""
        self._record: list[str] = []
        self._in_traceback = False
        IOLoop.current().add_handler(self.read_fd, self._readable, IOLoop.READ)

    def _readable(self, fd: int, _events: int) -> None:
        try:
            data = os.read(fd, 65536)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:
            self.close()
            return
        *lines, self._partial = (self._partial + data).split(b"\n")
        if len(self._partial) > MAX_LINE_BYTES:
            lines.append(self._partial)
            self._partial = b""
        for line in lines:
            self._line(line.decode("utf-8", "replace"))
        if not self._in_traceback and not self._partial:
            self._flush()

    def _line(self, line: str) -> None:
        if self._in_traceback:
            self._record.append(line)
            if line and not _CONTINUATION.match(line):
                self._in_traceback = False  # the exception's own line ends the traceback
        elif self._record and (not line or _CONTINUATION.match(line)):
            self._record.append(line)
        else:
            self._flush()
            self._record.append(line)
        if line.startswith("Traceback (most recent call last):"):
            self._in_traceback = True
        if len(self._record) >= MAX_RECORD_LINES:
            self._flush()

    def _flush(self) -> None:
        record, self._record, self._in_traceback = self._record, [], False
        lines = [line for line in record if line.strip()]
        if not lines or not FAILURES.first("kernel stderr: " + _VARIABLE.sub("#", lines[0])[:120]):
            return
        if debugging(self.logger):  # `voila --debug`: the whole record
            text = "\n".join(lines)
        else:  # its first line and, for a traceback, the exception
            text = lines[0] if len(lines) == 1 else f"{lines[0]} ... {lines[-1].strip()}"
        self.logger.warning("Kernel %s stderr: %s (more like it are counted)", self.kernel_id, text)

    def close(self) -> None:
        if self.read_fd < 0:
            return
        self._flush()
        IOLoop.current().remove_handler(self.read_fd)
        for fd in (self.read_fd, self.write_fd):
            with suppress(OSError):
                os.close(fd)
        self.read_fd = self.write_fd = -1
