"""What keeps one Voilà server up for every reader: the kernel websocket and the kernel manager.

Voilà is configured to use both in `voila.json`, so every way of starting it from this repository
(`make serve`, the tests, `voila dashboards/stargate.ipynb` by hand) gets them:

- `SafeKernelConnection` (`Voila.kernel_websocket_connection_class`) refuses kernel websockets that
  do not speak the `v1.kernel.websocket.jupyter.org` subprotocol, and frames whose offset table
  does not fit the frame. Either froze the whole server with jupyter_server 2.x and Voilà 0.5.13
  (see `docs/voila-legacy-websocket.md`). It also lets only the messages a Voilà page sends
  reach the kernel, and sends readers no tracebacks and no stderr: those stay in the server log.
- `CappedKernelManager` (`VoilaConfiguration.multi_kernel_manager_class`) starts at most
  `STARGATE_MAX_KERNELS` kernels, and none when the machine (or the service's cgroup) has less
  than `STARGATE_KERNEL_MB` of memory available. A reader above the limit, or whose kernel does
  not answer within `STARGATE_KERNEL_START_SECONDS`, gets the template's translated `503.html`
  page at once instead of an open request. It also sets the `_xsrf` cookie that Voilà's page
  needs to shut its kernel down when it closes.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from pathlib import Path
from urllib.parse import parse_qs

from jupyter_client.session import DELIM
from jupyter_server.base.call_context import CallContext
from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado import web

from . import settings
from .i18n import LANGUAGES

WS_PROTOCOL = "v1.kernel.websocket.jupyter.org"
# A Voilà page sends header, parent header, metadata and content, and binary buffers only for
# widget state that holds bytes; 16 buffers is far above anything this dashboard sends.
MAX_BUFFERS = 16
# The messages a Voilà page sends; Voilà's own allowed_message_types lets comm_open through
# for any target, but a page only opens the widget manager's control comm.
COMM_TARGETS = frozenset({"jupyter.widget.control"})
HIDDEN_TRACEBACK = "An error occurred in the kernel; the server log has the details."
# The kernel id Voilà is given for a page served without a kernel.
NO_KERNEL = "no-kernel"

ANSI = re.compile(r"\x1b\[[0-9;]*m")


class BadFrame(ValueError):
    """A websocket frame this server does not pass on to a kernel."""


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


def check_incoming(frame: bytes, allowed_types: list[str]) -> tuple[str, str]:
    """(channel, msg_type) of a frame a Voilà page may send; `BadFrame` for anything else."""
    channel, parts = parse_v1_frame(frame)
    if channel not in {"shell", "control", "stdin"}:
        raise BadFrame(f"channel {channel[:40]!r}")
    header = _json_object(parts[0])
    msg_type = header.get("msg_type")
    if not isinstance(msg_type, str) or (allowed_types and msg_type not in allowed_types):
        raise BadFrame(f"message type {str(msg_type)[:40]!r}")
    if msg_type in {"comm_open", "comm_msg", "comm_close"}:
        content = _json_object(parts[3])
        if not isinstance(content.get("comm_id"), str):
            raise BadFrame(f"{msg_type} without a comm_id")
        if msg_type == "comm_open" and content.get("target_name") not in COMM_TARGETS:
            raise BadFrame(f"comm_open for target {str(content.get('target_name'))[:40]!r}")
    return channel, msg_type


class SafeKernelConnection(ZMQChannelsWebsocketConnection):
    """The kernel websocket of a public Voilà page (see the module docstring)."""

    # Messages a client can make the server log, per websocket: enough to diagnose a page,
    # too few to flood the log.
    log_budget = 5

    async def prepare(self):
        handler = self.websocket_handler
        offered = handler.request.headers.get("Sec-WebSocket-Protocol", "")
        if WS_PROTOCOL not in {part.strip() for part in offered.split(",")}:
            # Refused before the upgrade: without the subprotocol, jupyter_server falls back to
            # the legacy protocol, whose binary frames Voilà 0.5.13 parses as v1 frames. (An
            # HTTPError here would go through jupyter_server's error page, which needs a
            # static_path that Voilà does not set.)
            handler.set_status(400)
            handler.set_header("Content-Type", "text/plain; charset=utf-8")
            raise web.Finish(f"Kernel websockets must offer the {WS_PROTOCOL} subprotocol.\n")
        await super().prepare()

    def _log_limited(self, level: int, message: str, *args) -> None:
        self.log_budget -= 1
        if self.log_budget >= 0:
            self.log.log(level, "Kernel %s: " + message, self.kernel_id, *args)
        if self.log_budget == 0:
            self.log.log(
                level, "Kernel %s: further messages of this page are not logged", self.kernel_id
            )

    def handle_incoming_message(self, incoming_msg) -> None:
        try:
            check_incoming(incoming_msg, self.multi_kernel_manager.allowed_message_types)
        except BadFrame as error:
            self._log_limited(logging.WARNING, "ignored a websocket message: %s", error)
            return
        super().handle_incoming_message(incoming_msg)

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
            self._log_limited(
                logging.WARNING,
                "traceback kept from its page: %s: %s\n%s",
                content.get("ename"),
                content.get("evalue"),
                ANSI.sub("", str(last)),
            )
        screened = {"ename": "Error", "evalue": "", "traceback": [HIDDEN_TRACEBACK]}
        parts = [*parts[:4], self.session.pack(screened), *parts[5:]]
        parts[0] = self.session.sign(parts[1:5])
        return [*idents, DELIM, *parts]


class Unavailable(web.HTTPError):
    """A 503 that Voilà renders with the template's `503.html` (`kind`: busy or failed)."""

    def __init__(self, kind: str, handler, log_message: str):
        super().__init__(503, log_message.replace("%", "%%"))
        self.kind = kind
        self.lang = reader_language(handler)
        self.site_url = settings.SITE_URL.value()
        query = handler.request.query if handler is not None else ""
        self.retry_url = ("?" + query) if query else "."


def reader_language(handler) -> str:
    """`?lang=` if it names a language of the explainer, else the browser's first choice."""
    if handler is None:
        return "en"
    asked = parse_qs(handler.request.query).get("lang", [""])[0]
    if asked in LANGUAGES:
        return asked
    accept = handler.request.headers.get("Accept-Language", "")
    return "ja" if accept.strip().lower().startswith("ja") else "en"


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


class CappedKernelManager(AsyncMappingKernelManager):
    """Voilà's kernel manager, with a cap, and a start that never holds the page back (see the
    module docstring)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # `start_kernel` returns as soon as the kernel's process is on its way, so that Voilà
        # streams the page (which draws the explainer at once) while the kernel starts.
        self.use_pending_kernels = True

    def kernels_in_use(self) -> int:
        """Kernels running, starting or shutting down: each holds its memory until it is gone."""
        return len(self.list_kernel_ids())

    def refusal(self) -> str | None:
        """Why a new kernel would be refused now, or None."""
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
        return None

    async def start_kernel(self, *args, **kwargs):
        """The reader's kernel, on its way (`wait_ready` waits for it), or `NO_KERNEL` when none
        can be had: the page is then served without one, and works."""
        handler = CallContext.get(CallContext.JUPYTER_HANDLER)
        if handler is not None:
            # Voilà's page posts this cookie's value to /voila/api/shutdown/<id> when it
            # closes; Voilà renders the page without ever setting it, so every close got a 403.
            handler.xsrf_token  # noqa: B018 - the property sets the cookie
        reason = self.refusal()
        if reason is not None:
            self.log.info("A page served without a kernel: %s", reason)
            return NO_KERNEL
        kernel_id = await super().start_kernel(*args, **kwargs)
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


async def reader_kernel_ready(_notebook) -> bool:
    """The template's test (a Jinja filter, see voila.json): whether this page's reader has a
    kernel that answered. The page is already drawn when the template asks."""
    handler = CallContext.get(CallContext.JUPYTER_HANDLER)
    kernel_id = getattr(handler, "stargate_kernel", None)
    if handler is None or kernel_id is None:
        return False
    return await handler.kernel_manager.wait_ready(kernel_id)


class LogFilter(logging.Filter):
    """Drops "Notebook … is not trusted", logged on every page view: Voilà runs the notebook
    itself and trusts its own outputs, so notebook signatures do not apply (`Voila.logging_config`
    in voila.json installs this filter)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.msg != "Notebook %s is not trusted"
