"""kernel_slots: who holds each kernel and when it is let go, on a clock the test moves
(tests/test_server.py replays the same rules on a real server)."""

from __future__ import annotations

import pytest

from stargate_explainer.kernel_slots import OWNER_COOKIE, KernelSlots


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Request:
    def __init__(self, address: str, protocol: str = "http"):
        self.remote_ip = address
        self.protocol = protocol


class Handler:
    """What a slot needs of a tornado handler: the client's address and cookies."""

    base_url = "/"

    def __init__(self, address: str = "192.0.2.1", cookie: str | None = None):
        self.request = Request(address)
        self.cookies = {OWNER_COOKIE: cookie} if cookie else {}
        self.set = {}

    def get_cookie(self, name: str):
        return self.cookies.get(name)

    def set_cookie(self, name: str, value: str, **options):
        self.set[name] = (value, options)


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def slots(clock):
    return KernelSlots(clock)


def reader_of(handler: Handler) -> Handler:
    """A later request from the same browser: it sends the cookie the page set."""
    value = (
        handler.set[OWNER_COOKIE][0]
        if OWNER_COOKIE in handler.set
        else handler.cookies[OWNER_COOKIE]
    )
    return Handler(handler.request.remote_ip, value)


def test_the_page_sets_a_private_owner_cookie_once(slots):
    page = Handler()
    slots.claim("k1", page)
    value, options = page.set[OWNER_COOKIE]
    assert len(value) >= 16
    assert options["httponly"] and options["samesite"] == "Lax" and options["path"] == "/"
    again = reader_of(page)
    slots.claim("k2", again)
    assert not again.set  # the browser's cookie is kept: both tabs are the same reader
    assert slots.owns("k1", again) and slots.owns("k2", again)


def test_only_the_browser_that_opened_a_kernel_owns_it(slots):
    page = Handler()
    slots.claim("k1", page)
    assert slots.owns("k1", reader_of(page))
    assert not slots.owns("k1", Handler())  # no cookie
    assert not slots.owns("k1", Handler(cookie="x" * 32))  # someone else's
    assert not slots.owns("k2", reader_of(page))  # a kernel it did not open


def test_a_malformed_cookie_is_replaced(slots):
    page = Handler(cookie="<script>")
    slots.claim("k1", page)
    assert page.set[OWNER_COOKIE][0] != "<script>"


def test_a_kernel_started_outside_a_request_belongs_to_no_page(slots):
    slots.claim("k1", None)
    assert not slots.owns("k1", Handler(cookie="x" * 32))


def test_one_address_holds_at_most_its_share(slots, monkeypatch):
    monkeypatch.setenv("STARGATE_KERNELS_PER_ADDRESS", "2")
    for kernel in ("k1", "k2"):
        assert slots.refusal(Handler("192.0.2.1")) is None
        slots.claim(kernel, Handler("192.0.2.1"))
    assert "192.0.2.1 holds 2 kernels" in slots.refusal(Handler("192.0.2.1"))
    assert slots.refusal(Handler("192.0.2.2")) is None
    slots.release("k1")
    assert slots.refusal(Handler("192.0.2.1")) is None


def test_websockets_only_for_the_owner_and_at_most_two(slots, monkeypatch):
    monkeypatch.delenv("STARGATE_WS_PER_KERNEL", raising=False)
    page = Handler()
    slots.claim("k1", page)
    owner = reader_of(page)
    assert slots.admit("k1", Handler()) == "not the page that opened this kernel"
    assert slots.admit("k1", owner) is None
    slots.opened("k1")
    assert slots.admit("k1", owner) is None  # a reload overlapping the old websocket
    assert "2 websockets already open" in slots.admit("k1", owner)
    slots.abandoned("k1")  # the second never opened
    assert slots.admit("k1", owner) is None


def quiet(seconds: float | None):
    return lambda _kernel: seconds


def test_a_page_that_never_connects_loses_its_kernel(slots, clock, monkeypatch):
    monkeypatch.setenv("STARGATE_CONNECT_SECONDS", "15")
    slots.claim("k1", Handler())
    assert slots.expired(quiet(None)) == []  # still starting or running the notebook
    assert slots.expired(quiet(14)) == []
    ((kernel, why),) = slots.expired(quiet(16))
    assert kernel == "k1" and "did not connect within 15 s" in why
    assert slots.expired(quiet(16)) == []  # given once


def test_a_page_that_left_keeps_its_kernel_for_the_grace_only(slots, clock, monkeypatch):
    monkeypatch.setenv("STARGATE_RECONNECT_SECONDS", "10")
    page = Handler()
    slots.claim("k1", page)
    slots.admit("k1", reader_of(page))
    slots.opened("k1")
    clock.now += 100
    assert slots.expired(quiet(100)) == []  # connected: no connect deadline
    slots.closed("k1")
    clock.now += 9
    assert slots.expired(quiet(100)) == []
    slots.admit("k1", reader_of(page))
    slots.opened("k1")  # it came back in time
    slots.closed("k1")
    clock.now += 11
    ((_, why),) = slots.expired(quiet(100))
    assert "left 10 s ago" in why


def test_a_silent_page_and_a_long_session_end(slots, clock, monkeypatch):
    monkeypatch.setenv("STARGATE_IDLE_SECONDS", "60")
    monkeypatch.setenv("STARGATE_SESSION_SECONDS", "600")
    page = Handler()
    slots.claim("k1", page)
    slots.admit("k1", reader_of(page))
    slots.opened("k1")
    for _ in range(9):
        clock.now += 59
        slots.page_message("k1")
        assert slots.expired(quiet(0)) == []
    clock.now += 61
    ((_, why),) = slots.expired(quiet(0))
    assert "sent nothing for 60 s" in why
    slots.claim("k2", page)
    slots.admit("k2", reader_of(page))
    slots.opened("k2")
    clock.now += 601
    slots.page_message("k2")
    ((_, why),) = slots.expired(quiet(0))
    assert "open for more than 600 s" in why


def test_a_kernel_whose_websockets_were_closed_for_abuse_is_stopped(slots, monkeypatch):
    monkeypatch.setenv("STARGATE_WS_CLOSES_PER_KERNEL", "3")
    page = Handler()
    slots.claim("k1", page)
    slots.admit("k1", reader_of(page))
    slots.opened("k1")
    slots.abused("k1")
    slots.abused("k1")
    assert slots.expired(quiet(0)) == []
    slots.abused("k1")
    ((_, why),) = slots.expired(quiet(0))
    assert "closed 3 times for abuse" in why
