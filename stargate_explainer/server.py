"""What keeps one Voilà server up for every reader: the kernel websocket and the kernel manager.

Voilà is configured to use both in `voila.json`, so every way of starting it from this repository
(`make serve`, the tests, `voila dashboards/stargate.ipynb` by hand) gets them:

- `SafeKernelConnection` (`Voila.kernel_websocket_connection_class`) refuses kernel websockets that
  do not speak the `v1.kernel.websocket.jupyter.org` subprotocol, and frames whose offset table
  does not fit the frame. Either froze the whole server with jupyter_server 2.x and Voilà 0.5.13
  (see `docs/voila-legacy-websocket.md`). It lets only the messages a Voilà page sends reach the
  kernel, each small (`STARGATE_WS_HEADER_BYTES`, `STARGATE_WS_CONTENT_BYTES`) and at a page's
  pace (`STARGATE_WS_MESSAGES_PER_SECOND`, else the websocket is closed); answers a widget's
  state once per comm and websocket (each answer was the whole page model, so a few kB in asked
  for a GB out); closes a websocket whose unsent output passes `STARGATE_WS_UNSENT_BYTES`; lets
  only the browser that opened a kernel join it (`stargate_explainer.kernel_slots`); and sends
  readers no tracebacks and no stderr: those stay in the server log, once per kind of failure.
- `CappedKernelManager` (`VoilaConfiguration.multi_kernel_manager_class`) starts at most
  `STARGATE_MAX_KERNELS` kernels, and none when the machine (or the service's cgroup) has less
  than `STARGATE_KERNEL_MB` of memory available, nor more than `STARGATE_KERNELS_PER_ADDRESS`
  for one client address. A reader above a limit, or whose kernel does not answer within
  `STARGATE_KERNEL_START_SECONDS`, keeps the page, drawn without a kernel, instead of an open
  request. It also sets the `_xsrf` cookie that Voilà's page
  needs to shut its kernel down when it closes, and keeps kernels only for readers who are there
  (`stargate_explainer.kernel_slots`: a connect deadline, a grace after the page leaves, idle and
  session limits, kernels per client address, and shutdown only by the page that opened the
  kernel). It bounds Voilà's HTTP server too (`stargate_explainer.http_limits`).
"""

from __future__ import annotations

import asyncio
import contextvars
import json
import logging
import re
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

from jupyter_client.session import DELIM
from jupyter_server.base.call_context import CallContext
from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection
from jupyter_server.services.kernels.handlers import KernelHandler
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado import web
from tornado.ioloop import PeriodicCallback
from tornado.websocket import WebSocketClosedError
from voila.app import Voila
from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler

from . import http_limits, settings
from .kernel_slots import KernelSlots
from .quiet_log import FAILURES, KernelStderr, debugging

WS_PROTOCOL = "v1.kernel.websocket.jupyter.org"
# A Voilà page sends header, parent header, metadata and content, and binary buffers only for
# widget state that holds bytes; 16 buffers is far above anything this dashboard sends.
MAX_BUFFERS = 16
# The messages a Voilà page sends; Voilà's own allowed_message_types lets comm_open through
# for any target, but a page only opens the widget manager's control comm.
COMM_TARGETS = frozenset({"jupyter.widget.control"})
# What a page's widget manager asks of a widget (ipywidgets 8); the kernel logged an error
# for any other method.
COMM_METHODS = frozenset({"update", "request_state", "request_states", "custom"})
# Comm requests whose answer is a widget's whole state (for the dashboard, the page model).
STATE_REQUESTS = frozenset({"request_state", "request_states"})
# Distinct comms one websocket may ask the state of: a page has a handful of widgets.
MAX_STATE_REQUESTS = 64
HIDDEN_TRACEBACK = "An error occurred in the kernel; the server log has the details."
# The kernel id Voilà is given for a page served without a kernel.
NO_KERNEL = "no-kernel"

ANSI = re.compile(r"\x1b\[[0-9;]*m")


class BadFrame(ValueError):
    """A websocket frame this server does not pass on to a kernel; `kind` names the rule it
    broke (the log has each kind once)."""

    def __init__(self, message: str, kind: str = "malformed"):
        super().__init__(message)
        self.kind = kind


def parse_v1_frame(frame: bytes) -> tuple[str, list[bytes]]:
    """The channel and message parts of a v1 kernel-websocket frame.

    jupyter_server's `deserialize_msg_from_ws_v1` trusts the frame's first eight bytes as the
    number of offsets and builds that list before looking at the frame's length: 40 bytes can
    ask for 2**62 offsets and freeze the server. This reads the same layout, bounded by the
    frame: `count` (8 bytes, little-endian), `count` offsets (8 bytes each), then the channel
    name and the parts, each running from its offset to the next one.
    """
    if not isinstance(frame, bytes) or len(frame) < 8:
        raise BadFrame("not a binary v1 frame")
    count = int.from_bytes(frame[:8], "little")
    # channel + header, parent header, metadata, content + buffers, plus the end offset
    if not 6 <= count <= 6 + MAX_BUFFERS or 8 * (count + 1) > len(frame):
        raise BadFrame(f"offset table of {count} entries")
    offsets = [int.from_bytes(frame[8 * i : 8 * (i + 1)], "little") for i in range(1, count + 1)]
    if offsets[0] != 8 * (count + 1) or offsets[-1] != len(frame):
        raise BadFrame("offsets do not span the frame")
    if any(end < start for start, end in zip(offsets, offsets[1:], strict=False)):
        raise BadFrame("offsets go backwards")
    channel = frame[offsets[0] : offsets[1]].decode("utf-8", "replace")
    parts = [frame[offsets[i] : offsets[i + 1]] for i in range(1, count - 1)]
    return channel, parts


def _json_object(raw: bytes) -> dict:
    try:
        value = json.loads(raw)
    except (ValueError, RecursionError) as error:
        raise BadFrame(f"a message part is not JSON ({type(error).__name__})") from None
    if not isinstance(value, dict):
        raise BadFrame("a message part is not a JSON object")
    return value


class Incoming(NamedTuple):
    """What the server needs to know of a message a page sent."""

    channel: str
    msg_type: str
    comm_id: str | None = None
    method: str | None = None  # a comm_msg's data.method


def check_incoming(frame: bytes, allowed_types: list[str]) -> Incoming:
    """What a frame a Voilà page may send holds; `BadFrame` for anything else."""
    channel, parts = parse_v1_frame(frame)
    if channel not in {"shell", "control", "stdin"}:
        raise BadFrame(f"channel {channel[:40]!r}")
    header_limit = settings.WS_HEADER_BYTES.value()
    for name, part in zip(("header", "parent header", "metadata"), parts, strict=False):
        if len(part) > header_limit:
            raise BadFrame(f"a {name} of {len(part)} bytes (limit {header_limit})", "too large")
    content_bytes = sum(len(part) for part in parts[3:])
    if content_bytes > (content_limit := settings.WS_CONTENT_BYTES.value()):
        raise BadFrame(f"a content of {content_bytes} bytes (limit {content_limit})", "too large")
    header = _json_object(parts[0])
    msg_type = header.get("msg_type")
    if not isinstance(msg_type, str) or (allowed_types and msg_type not in allowed_types):
        raise BadFrame(f"message type {str(msg_type)[:40]!r}", "not a page's")
    if msg_type not in {"comm_open", "comm_msg", "comm_close"}:
        return Incoming(channel, msg_type)
    content = _json_object(parts[3])
    comm_id = content.get("comm_id")
    if not isinstance(comm_id, str):
        raise BadFrame(f"{msg_type} without a comm_id")
    if msg_type == "comm_open" and content.get("target_name") not in COMM_TARGETS:
        target = str(content.get("target_name"))[:40]
        raise BadFrame(f"comm_open for target {target!r}", "not a page's")
    data = content.get("data")
    method = data.get("method") if isinstance(data, dict) else None
    if method is not None and method not in COMM_METHODS:
        raise BadFrame(f"comm method {str(method)[:40]!r}", "not a page's")
    return Incoming(channel, msg_type, comm_id, method)


class MessageBudget:
    """A token bucket: `per_second` messages a second, in bursts of up to two seconds' worth."""

    def __init__(self, per_second: int, clock=time.monotonic):
        self.per_second = per_second
        self.clock = clock
        self.tokens = 2.0 * per_second
        self.at = clock()

    def take(self) -> bool:
        now = self.clock()
        self.tokens = min(2.0 * self.per_second, self.tokens + (now - self.at) * self.per_second)
        self.at = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


def unsent_bytes(websocket_handler) -> int:
    """Bytes written to a websocket and not yet taken by the client. (tornado keeps no public
    count: this reads its stream's write buffer, as `tests/test_server.py` checks.)"""
    connection = getattr(websocket_handler, "ws_connection", None)
    buffer = getattr(getattr(connection, "stream", None), "_write_buffer", None)
    return len(buffer) if buffer is not None else 0


def _retrieve(future) -> None:
    """Take a finished write's outcome: when a websocket closes, every write still queued fails,
    and asyncio logged a traceback for each one nobody looked at (5,972 in one probe)."""
    if not future.cancelled():
        future.exception()


class SafeKernelConnection(ZMQChannelsWebsocketConnection):
    """The kernel websocket of a public Voilà page (see the module docstring)."""

    _slots: KernelSlots | None = None  # the kernel manager's, once admitted
    _open = False
    _closing = False

    async def prepare(self):
        handler = self.websocket_handler
        offered = handler.request.headers.get("Sec-WebSocket-Protocol", "")
        if WS_PROTOCOL not in {part.strip() for part in offered.split(",")}:
            # Refused before the upgrade: without the subprotocol, jupyter_server falls back to
            # the legacy protocol, whose binary frames Voilà 0.5.13 parses as v1 frames. (An
            # HTTPError here would go through jupyter_server's error page.)
            self._refuse(400, f"Kernel websockets must offer the {WS_PROTOCOL} subprotocol.")
        slots = getattr(self.multi_kernel_manager, "slots", None)
        if slots is not None:
            reason = slots.admit(self.kernel_id, handler)
            if reason is not None:
                FAILURES.note("websocket refused", "kernel %s: %s", self.kernel_id, reason)
                self._refuse(403, "This kernel belongs to another page.")
            self._slots = slots
        self.budget = MessageBudget(settings.WS_MESSAGES_PER_SECOND.value())
        self.state_asked: set[tuple[str, str]] = set()
        try:
            await super().prepare()
        except BaseException:
            self._abandon()
            raise
        self._abandon()  # counted again when the websocket opens (`connect`)

    def _refuse(self, status: int, text: str):
        handler = self.websocket_handler
        handler.set_status(status)
        handler.set_header("Content-Type", "text/plain; charset=utf-8")
        raise web.Finish(text + "\n")

    def _abandon(self) -> None:
        if self._slots is not None:
            self._slots.abandoned(self.kernel_id)

    def connect(self):
        if self._slots is not None:
            self._slots.opened(self.kernel_id)
            self._open = True
        # A kernel answers with several small messages (busy, reply, idle): without this, each
        # after the first waited for the client's delayed ACK, 40 ms a round trip.
        self.websocket_handler.set_nodelay(True)
        return super().connect()

    def disconnect(self):
        # Called once when the websocket closes, and again if its kernel dies.
        if self._open:
            self._open = False
            self._slots.closed(self.kernel_id)
        super().disconnect()

    def handle_incoming_message(self, incoming_msg) -> None:
        if self._closing or self.subprotocol != WS_PROTOCOL:
            # A frame read while the websocket closes: jupyter_server, seeing no subprotocol
            # any more, parsed it as a legacy frame and raised.
            return
        if not self.budget.take():
            limit = settings.WS_MESSAGES_PER_SECOND.value()
            self._close("message rate", f"more than {limit} messages a second")
            return
        try:
            incoming = check_incoming(incoming_msg, self.multi_kernel_manager.allowed_message_types)
        except BadFrame as error:
            FAILURES.note(
                f"websocket message ignored ({error.kind})", "kernel %s: %s", self.kernel_id, error
            )
            return
        if incoming.method in STATE_REQUESTS:
            asked = (incoming.comm_id, incoming.method)
            if asked in self.state_asked or len(self.state_asked) >= MAX_STATE_REQUESTS:
                FAILURES.note(
                    "repeated state request ignored",
                    "kernel %s: %s for comm %s",
                    self.kernel_id,
                    incoming.method,
                    incoming.comm_id[:40],
                )
                return
            self.state_asked.add(asked)
        if self._slots is not None:
            self._slots.page_message(self.kernel_id)
        super().handle_incoming_message(incoming_msg)

    def _close(self, kind: str, why: str) -> None:
        """Close this websocket for abuse: at once, dropping whatever it has not been sent."""
        FAILURES.note(f"websocket closed ({kind})", "kernel %s: %s", self.kernel_id, why)
        self._closing = True
        if self._slots is not None:
            self._slots.abused(self.kernel_id)
        stream = getattr(self.websocket_handler.ws_connection, "stream", None)
        if stream is not None:
            stream.close()

    @property
    def write_message(self):
        return self._write

    def _write(self, message, binary: bool = False) -> None:
        """The websocket's write_message, for a client that may not read what it asked for."""
        handler = self.websocket_handler
        if self._closing or handler.ws_connection is None or handler.ws_connection.is_closing():
            return
        limit = settings.WS_UNSENT_BYTES.value()
        if unsent_bytes(handler) > limit:
            self._close("unsent output", f"over {limit} bytes of output not taken by the client")
            return
        try:
            written = handler.write_message(message, binary=binary)
        except WebSocketClosedError:
            return
        if written is not None:  # None: a message Voilà's handler does not forward
            written.add_done_callback(_retrieve)

    def handle_outgoing_message(self, stream, outgoing_msg) -> None:
        channel = stream if isinstance(stream, str) else getattr(stream, "channel", None)
        if channel == "iopub":
            outgoing_msg = self._screen_iopub(outgoing_msg)
            if outgoing_msg is None:
                return
        super().handle_outgoing_message(stream, outgoing_msg)

    def _on_error(self, channel, msg, msg_list) -> None:
        """Tracebacks are screened in `_screen_iopub`. jupyter_server's own screening (with
        `MappingKernelManager.allow_tracebacks = False`) reads an attribute its kernel managers
        lack, and the AttributeError stops the page's output stream."""

    def _screen_iopub(self, msg_list: list) -> list | None:
        """Drop stderr, replace an error's traceback; None drops the message."""
        idents, parts = self.session.feed_identities(msg_list)
        try:
            header = json.loads(parts[1])
            msg_type = header.get("msg_type")
            if msg_type not in {"stream", "error"}:
                return msg_list
            content = json.loads(parts[4])
        except (ValueError, RecursionError, IndexError, AttributeError):
            return msg_list  # not ours to judge: jupyter_server reports malformed messages
        if msg_type == "stream":
            if isinstance(content, dict) and content.get("name") == "stderr":
                self.log.debug("Kernel %s stderr: %s", self.kernel_id, content.get("text"))
                return None
            return msg_list
        if isinstance(content, dict):
            last = (content.get("traceback") or [""])[-1]
            FAILURES.note(
                "traceback kept from its page",
                "kernel %s: %s: %s\n%s",
                self.kernel_id,
                content.get("ename"),
                content.get("evalue"),
                ANSI.sub("", str(last)),
            )
        screened = {"ename": "Error", "evalue": "", "traceback": [HIDDEN_TRACEBACK]}
        parts = [*parts[:4], self.session.pack(screened), *parts[5:]]
        parts[0] = self.session.sign(parts[1:5])
        return [*idents, DELIM, *parts]


def available_memory_mb() -> float | None:
    """Memory a new kernel can still use: the smaller of the machine's `MemAvailable` and the
    headroom under any cgroup limit around this process (systemd `MemoryMax`, a container);
    None where neither can be read."""
    candidates = []
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                candidates.append(int(line.split()[1]) / 1024)
    except OSError:
        pass
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
        relative = next(line.split(":", 2)[2] for line in lines if line.startswith("0::"))
        group = Path("/sys/fs/cgroup") / relative.lstrip("/")
        root = Path("/sys/fs/cgroup")
        while True:
            limit = (group / "memory.max").read_text().strip() if group != root else "max"
            if limit != "max":
                used = int((group / "memory.current").read_text())
                candidates.append((int(limit) - used) / 2**20)
            if group == root or group.parent == group:
                break
            group = group.parent
    except (OSError, StopIteration, ValueError):
        pass
    return min(candidates) if candidates else None


# The requests that act on a kernel by its id: only the page that opened it may make them.
OWNED_ENDPOINTS = (KernelHandler, VoilaShutdownKernelHandler)


class CappedKernelManager(AsyncMappingKernelManager):
    """Voilà's kernel manager, with a cap, and a start that never holds the page back (see the
    module docstring)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # `start_kernel` returns as soon as the kernel's process is on its way, so that Voilà
        # streams the page (which draws the explainer at once) while the kernel starts.
        self.use_pending_kernels = True
        self.slots = KernelSlots()
        self._reaper: PeriodicCallback | None = None
        self._stderr: dict[str, KernelStderr] = {}
        if isinstance(self.parent, Voila):  # not a Jupyter server's (JupyterLab, a hub)
            http_limits.install(self.parent)

    def kernels_in_use(self) -> int:
        """Kernels running, starting or shutting down: each holds its memory until it is gone."""
        return len(self.list_kernel_ids())

    def refusal(self, handler=None) -> str | None:
        """Why a new kernel would be refused now (to the client `handler` serves), or None."""
        limit = settings.MAX_KERNELS.value()
        in_use = self.kernels_in_use()
        if in_use >= limit:
            return f"{in_use} kernels in use ({settings.MAX_KERNELS.env}={limit})"
        needed = settings.KERNEL_MB.value()
        available = available_memory_mb()
        if available is not None and available < needed:
            return (
                f"{available:.0f} MiB of memory available, a kernel needs "
                f"{needed} ({settings.KERNEL_MB.env})"
            )
        return self.slots.refusal(handler) if handler is not None else None

    async def start_kernel(self, *args, **kwargs):
        """The reader's kernel, on its way (`wait_ready` waits for it), or `NO_KERNEL` when none
        can be had: the page is then served without one, and works."""
        handler = CallContext.get(CallContext.JUPYTER_HANDLER)
        if handler is not None:
            # Voilà's page posts this cookie's value to /voila/api/shutdown/<id> when it
            # closes; Voilà renders the page without ever setting it, so every close got a 403.
            handler.xsrf_token  # noqa: B018 - the property sets the cookie
        reason = self.refusal(handler)
        if reason is not None:
            self.log.info("A page served without a kernel: %s", reason)
            return NO_KERNEL
        kernel_id = await super().start_kernel(*args, **kwargs)
        self._claim(kernel_id, handler)
        if handler is not None:
            handler.stargate_kernel = kernel_id
        return kernel_id

    def get_kernel(self, kernel_id):
        # Voilà looks up the kernel it was given before it renders the page; the page of a
        # reader without one never uses it.
        if kernel_id == NO_KERNEL:
            return None
        return super().get_kernel(kernel_id)

    async def wait_ready(self, kernel_id: str) -> bool:
        """Until the kernel answers a kernel_info request: False (and the kernel stopped) if it
        dies or stays silent for `STARGATE_KERNEL_START_SECONDS`, and the page goes on without
        it. (Voilà itself kept the reader's request open, with a heartbeat every 10 s: still
        open after 300 s in a test.)"""
        try:
            await asyncio.wait_for(self._answered(kernel_id), settings.KERNEL_START_SECONDS.value())
            return True
        except Exception as error:  # noqa: BLE001 - any failed start leaves the page kernel-free
            self.log.error(
                "Kernel %s did not start: %s", kernel_id, str(error) or type(error).__name__
            )
            await self._discard(kernel_id)
            return False

    async def _answered(self, kernel_id: str) -> None:
        kernel = self.get_kernel(kernel_id)
        ready = kernel.ready
        await (ready if isinstance(ready, asyncio.Future) else asyncio.wrap_future(ready))
        client = kernel.client()
        client.start_channels()
        try:
            await client.wait_for_ready(timeout=settings.KERNEL_START_SECONDS.value())
        finally:
            client.stop_channels()

    async def _discard(self, kernel_id: str) -> None:
        try:
            if kernel_id in self:
                await self.shutdown_kernel(kernel_id, now=True)
        except Exception as error:  # noqa: BLE001 - the reader's page matters more
            self.log.warning("Kernel %s could not be shut down: %s", kernel_id, error)
        self.remove_kernel(kernel_id)

    # Who holds each kernel, and when it is let go (stargate_explainer.kernel_slots).

    def _claim(self, kernel_id: str, handler) -> None:
        """`kernel_id` is the page `handler` serves; start watching kernels if not yet."""
        self.slots.claim(kernel_id, handler)
        if self._reaper is None:
            self._reaper = PeriodicCallback(self._reap, 1000)
            # In a context of its own: not the request's that happened to start it.
            contextvars.Context().run(self._reaper.start)

    async def _reap(self) -> None:
        for kernel_id, why in self.slots.expired(self._quiet_for):
            self.log.info("Kernel %s stopped: %s", kernel_id, why)
            await self._discard(kernel_id)

    def _quiet_for(self, kernel_id: str) -> float | None:
        """Seconds since the kernel last did anything; None while it starts or runs."""
        kernel = self._kernels.get(kernel_id)
        ready = getattr(kernel, "ready", None)
        if kernel is None or (ready is not None and not ready.done()):
            return None
        last = getattr(kernel, "last_activity", None)
        if last is None or getattr(kernel, "execution_state", None) in {"busy", "starting"}:
            return None
        return (datetime.now(UTC) - last).total_seconds()

    def _check_owner(self, kernel_id: str) -> None:
        """A request that acts on a kernel by its id comes from the page that opened it, or is
        answered as if the kernel did not exist."""
        handler = CallContext.get(CallContext.JUPYTER_HANDLER)
        if isinstance(handler, OWNED_ENDPOINTS) and not self.slots.owns(kernel_id, handler):
            FAILURES.note(
                "kernel request refused",
                "%s %s: not from the page that opened the kernel",
                handler.request.method,
                handler.request.path,
            )
            raise web.HTTPError(404, "Kernel does not exist: %s", kernel_id)

    async def shutdown_kernel(self, kernel_id, *args, **kwargs):
        self._check_owner(kernel_id)
        return await super().shutdown_kernel(kernel_id, *args, **kwargs)

    def kernel_model(self, kernel_id):
        self._check_owner(kernel_id)
        return super().kernel_model(kernel_id)

    def pre_start_kernel(self, kernel_name, kwargs):
        """Each kernel's stderr goes through the failure log (`quiet_log.KernelStderr`)."""
        manager, kernel_name, kernel_id = super().pre_start_kernel(kernel_name, kwargs)
        self._stderr[kernel_id] = KernelStderr(kernel_id, self.log)
        kwargs["stderr"] = self._stderr[kernel_id].write_fd
        return manager, kernel_name, kernel_id

    def remove_kernel(self, kernel_id):
        self.slots.release(kernel_id)
        if stderr := self._stderr.pop(kernel_id, None):
            stderr.close()
        return super().remove_kernel(kernel_id)


async def reader_kernel_ready(_notebook) -> bool:
    """The template's test (a Jinja filter, see voila.json): whether this page's reader has a
    kernel that answered. The page is already drawn when the template asks."""
    handler = CallContext.get(CallContext.JUPYTER_HANDLER)
    kernel_id = getattr(handler, "stargate_kernel", None)
    if handler is None or kernel_id is None:
        return False
    return await handler.kernel_manager.wait_ready(kernel_id)


class LogFilter(logging.Filter):
    """The console's filter (`Voila.logging_config` in voila.json installs it on the console
    handler, which also takes tornado's and asyncio's records there):

    - drops "Notebook … is not trusted", logged on every page view: Voilà runs the notebook
      itself and trusts its own outputs, so notebook signatures do not apply;
    - drops tornado's "The websocket_ping_timeout (…) cannot be longer than the
      websocket_ping_interval": jupyter_server gives tornado its ping settings in milliseconds
      where tornado expects seconds, so tornado never pings (jupyter_server does) and its
      comparison means nothing;
    - lets through the first record with a traceback of each kind (logger, message, exception),
      as one line (the whole traceback with `voila --debug`), and the first "Got events for
      closed stream" of pyzmq, and counts the others (`stargate_explainer.quiet_log`): a client
      that makes the server fail the same way a thousand times costs the log one line."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.msg == "Notebook %s is not trusted":
            return False
        if str(record.msg).startswith("The websocket_ping_timeout ("):
            return False
        if record.msg == "Got events for closed stream %s":  # pyzmq, per abruptly closed page
            return FAILURES.first("events for a closed kernel channel")
        if not record.exc_info or record.exc_info[0] is None:
            return True
        first_line = str(record.msg).split("\n", 1)[0]
        kind, error = record.exc_info[:2]
        if not FAILURES.first(f"{record.name}: {first_line} ({kind.__name__})"):
            return False
        if not debugging(FAILURES.logger):  # `voila --debug` keeps tracebacks
            summary = f"{kind.__name__}: {error}".splitlines()[0][:300]
            record.msg = f"{record.getMessage().splitlines()[0]} ({summary}; more are counted)"
            record.args, record.exc_info, record.exc_text = None, None, None
        return True
