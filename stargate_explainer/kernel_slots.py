"""Who holds each kernel of the Voilà server, and when it is let go.

A kernel belongs to the reader whose page opened it, for as long as that reader is there:

- It is stopped when its page never opens its websocket (a crawler, a script, a page closed while
  loading): `STARGATE_CONNECT_SECONDS` after the notebook last ran, not a minute later.
- It is stopped when the page's last websocket has been closed for `STARGATE_RECONNECT_SECONDS`,
  however the reader left (tab closed, navigated away, network lost, phone discarding the tab):
  the server's view of the websocket decides, not only the page's unload beacon. A page that
  reconnects within that grace keeps its kernel. (A network that vanishes without closing the
  websocket is noticed by the pings of `stargate_explainer.http_limits`.)
- It is stopped when its page has sent nothing for `STARGATE_IDLE_SECONDS`, and after
  `STARGATE_SESSION_SECONDS` at most, so websockets that only answer pings hold no kernel forever.
- It is stopped when its websockets were closed `STARGATE_WS_CLOSES_PER_KERNEL` times for
  breaking the limits of `stargate_explainer.server` (a page never does): what the kernel was
  asked before each close keeps it answering, and a client that comes back for more holds it.
- One client address holds at most `STARGATE_KERNELS_PER_ADDRESS` kernels.
- Only the browser that opened a kernel (its `stargate_reader` cookie, set with the page) may
  join its websocket, read its model or shut it down: kernel ids appear in server and proxy logs.
"""

from __future__ import annotations

import hmac
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

from . import settings

OWNER_COOKIE = "stargate_reader"
_COOKIE_VALUE = re.compile(r"[A-Za-z0-9_-]{16,64}")


def client_address(handler) -> str:
    """The reader's address (the proxy's headers decide it when `STARGATE_PROXY_HEADERS` is on,
    see `stargate_explainer.http_limits`)."""
    return handler.request.remote_ip or ""


def reader_id(handler) -> str:
    """The browser's `stargate_reader` cookie, set with the page when it has none. HttpOnly and
    SameSite=Lax: the page's own websocket and unload beacon carry it, other sites' pages do not."""
    current = handler.get_cookie(OWNER_COOKIE)
    if current and _COOKIE_VALUE.fullmatch(current):
        return current
    value = secrets.token_urlsafe(24)
    handler.set_cookie(
        OWNER_COOKIE,
        value,
        path=getattr(handler, "base_url", "/") or "/",
        httponly=True,
        samesite="Lax",
        secure=handler.request.protocol == "https",
    )
    return value


@dataclass
class Slot:
    """One kernel's holder and what its page did, in `clock` seconds."""

    owner: str
    address: str
    claimed: float
    last_message: float
    opening: int = 0  # websockets admitted and not yet open
    sockets: int = 0  # websockets open
    connected: bool = False  # a websocket has opened at least once
    left: float | None = None  # when the last websocket closed
    abuse: int = 0  # websockets closed for breaking the limits
    stopping: bool = False


class KernelSlots:
    """The slots of one kernel manager (see the module docstring)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self.clock = clock
        self._slots: dict[str, Slot] = {}

    def claim(self, kernel_id: str, handler) -> None:
        """`kernel_id` now belongs to the page `handler` serves (to no page when None: a kernel
        started outside a request, which no websocket may join)."""
        now = self.clock()
        if handler is None:
            self._slots[kernel_id] = Slot("", "", now, now)
        else:
            self._slots[kernel_id] = Slot(reader_id(handler), client_address(handler), now, now)

    def release(self, kernel_id: str) -> None:
        self._slots.pop(kernel_id, None)

    def refusal(self, handler) -> str | None:
        """Why the client `handler` serves may not have another kernel now, or None."""
        address = client_address(handler)
        limit = settings.KERNELS_PER_ADDRESS.value()
        held = sum(slot.address == address for slot in self._slots.values())
        if held >= limit:
            return f"{address} holds {held} kernels ({settings.KERNELS_PER_ADDRESS.env}={limit})"
        return None

    def owns(self, kernel_id: str, handler) -> bool:
        """Whether the request `handler` serves comes from the browser that opened the kernel."""
        slot = self._slots.get(kernel_id)
        cookie = handler.get_cookie(OWNER_COOKIE) or ""
        return slot is not None and bool(cookie) and hmac.compare_digest(slot.owner, cookie)

    def admit(self, kernel_id: str, handler) -> str | None:
        """Let a websocket onto `kernel_id`, or say why not. An admitted websocket is counted
        until `opened` (then until `closed`) or `abandoned`."""
        if not self.owns(kernel_id, handler):
            return "not the page that opened this kernel"
        slot = self._slots[kernel_id]
        limit = settings.WS_PER_KERNEL.value()
        if slot.opening + slot.sockets >= limit:
            return f"{limit} websockets already open on this kernel ({settings.WS_PER_KERNEL.env})"
        slot.opening += 1
        return None

    def abandoned(self, kernel_id: str) -> None:
        """An admitted websocket that never opened (its upgrade failed)."""
        if slot := self._slots.get(kernel_id):
            slot.opening = max(0, slot.opening - 1)

    def opened(self, kernel_id: str) -> None:
        if slot := self._slots.get(kernel_id):
            now = self.clock()
            slot.opening = max(0, slot.opening - 1)
            slot.sockets += 1
            slot.connected, slot.left, slot.last_message = True, None, now

    def closed(self, kernel_id: str) -> None:
        if slot := self._slots.get(kernel_id):
            slot.sockets = max(0, slot.sockets - 1)
            if slot.sockets == 0:
                slot.left = self.clock()

    def abused(self, kernel_id: str) -> None:
        """A websocket of `kernel_id` was closed for breaking the limits."""
        if slot := self._slots.get(kernel_id):
            slot.abuse += 1

    def page_message(self, kernel_id: str) -> None:
        if slot := self._slots.get(kernel_id):
            slot.last_message = self.clock()

    def expired(self, quiet_for: Callable[[str], float | None]) -> list[tuple[str, str]]:
        """(kernel id, why) for each kernel to stop now, each given once. `quiet_for(id)` is
        how long the kernel has had nothing to do (None while it starts or runs something)."""
        now = self.clock()
        stop = []
        for kernel_id, slot in self._slots.items():
            if not slot.stopping and (why := _why(slot, now, quiet_for(kernel_id))):
                slot.stopping = True
                stop.append((kernel_id, why))
        return stop


def _why(slot: Slot, now: float, quiet: float | None) -> str | None:
    session = settings.SESSION_SECONDS.value()
    if now - slot.claimed > session:
        return f"open for more than {session} s ({settings.SESSION_SECONDS.env})"
    if slot.abuse >= (closes := settings.WS_CLOSES_PER_KERNEL.value()):
        return f"its websockets were closed {closes} times for abuse ({settings.WS_CLOSES_PER_KERNEL.env})"
    if slot.opening or slot.sockets:
        idle = settings.IDLE_SECONDS.value()
        if now - slot.last_message > idle:
            return f"its page sent nothing for {idle} s ({settings.IDLE_SECONDS.env})"
        return None
    if not slot.connected:
        deadline = settings.CONNECT_SECONDS.value()
        if quiet is not None and quiet > deadline:
            return f"its page did not connect within {deadline} s ({settings.CONNECT_SECONDS.env})"
        return None
    grace = settings.RECONNECT_SECONDS.value()
    if slot.left is not None and now - slot.left > grace:
        return (
            f"its page left {grace} s ago and did not come back ({settings.RECONNECT_SECONDS.env})"
        )
    return None
