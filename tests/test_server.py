"""The Voilà server under hostile and crowded use (stargate_explainer/server.py, voila.json and
the template's server blocks), against real servers on free ports.

Most tests serve a tiny notebook whose widget answers a custom message with a binary buffer and
raises on malformed content: the worst case for the websocket, whatever the dashboard's own
widgets send.
"""

from __future__ import annotations

import copy
import http.cookiejar
import json
import logging
import multiprocessing
import os
import re
import shutil
import socket
import statistics
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from contextlib import suppress
from dataclasses import asdict, dataclass
from pathlib import Path

import nbformat
import psutil
import pytest
import websocket
from jupyter_server.services.kernels.connection.base import (
    deserialize_msg_from_ws_v1,
    serialize_msg_to_ws_v1,
)

from stargate_explainer import http_limits, model_cache, quiet_log, server, voila_page

from .browser import CHROMIUM, CHROMIUM_ARGS, READY, open_local_page, voila_process, wait_for
from .conftest import ROOT
from .test_model_cache import PLANT, SECRET, as_another_user

PROBE = "/voila/static/voila.js"  # a static file of Voilà itself
WIDGET = '''
import ipywidgets
import traitlets


class Echo(ipywidgets.Widget):
    """Answers {"n": k} with {"echo": k + 1} and 64 bytes (`size` bytes if the message says),
    as the reader tools answered a dataset request; any other content raises in the handler.
    Its state is half a megabyte, as the dashboard's was with the page model in it."""

    blob = traitlets.Unicode("x" * 500_000).tag(sync=True)

    def __init__(self):
        super().__init__()
        self.on_msg(self._answer)

    def _answer(self, _widget, content, _buffers):
        self.send({"echo": content["n"] + 1}, [bytes(content.get("size", 64))])


echo = Echo()
'''


# The machine's free memory is not what these tests are about (this machine's swings between
# 0 and 23 GB with other work): a kernel needs 1 MiB, except in the test of that guard.
ANY_MEMORY = {"STARGATE_KERNEL_MB": "1"}


def notebook(directory: Path, source: str, name: str) -> Path:
    book = nbformat.v4.new_notebook()
    book.cells = [nbformat.v4.new_code_cell(source)]
    book.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    path = directory / f"{name}.ipynb"
    nbformat.write(book, path)
    return path


def responsive(url: str) -> bool:
    """The server answers a static file: a frozen event loop answers nothing."""
    try:
        with urllib.request.urlopen(url + PROBE, timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


def assert_responsive(running) -> None:
    """A frozen server grows by about 40 MB/s and ignores SIGTERM: kill it at once."""
    if not responsive(running.url):
        running.process.kill()
        pytest.fail("the server stopped answering (frozen; killed)")


def kernel_process(running, kernel_id: str):
    """The process of one kernel: its command line names its connection file."""
    (process,) = [k for k in running.kernels() if kernel_id in " ".join(k.cmdline())]
    return process


class Page:
    """One reader: the page (which starts a kernel), its cookies, and its kernel websocket."""

    def __init__(self, url: str, query: str = "", address: str | None = None):
        """`address`: the client address a proxy would report (`STARGATE_PROXY_HEADERS`)."""
        self.url = url
        self.headers = {"X-Real-IP": address} if address else {}
        self.cookies = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))
        opener.addheaders = list(self.headers.items())
        with opener.open(f"{url}/{query}", timeout=120) as response:
            html = response.read().decode("utf-8")
        self.opener = opener
        self.html = html
        found = re.search(r'"kernelId": *"([^"]+)"', html)
        self.kernel = found.group(1) if found else None
        self.session = uuid.uuid4().hex
        self.ws = None

    def cookie(self) -> str:
        """The Cookie header a browser sends with this page's requests."""
        return "; ".join(f"{c.name}={c.value}" for c in self.cookies)

    def connect(self, v1: bool = True, cookie: str | None = None) -> None:
        self.ws = websocket.create_connection(
            self.url.replace("http", "ws", 1)
            + f"/api/kernels/{self.kernel}/channels?session_id={self.session}",
            subprotocols=[server.WS_PROTOCOL] if v1 else None,
            cookie=self.cookie() if cookie is None else cookie,
            header=[f"{name}: {value}" for name, value in self.headers.items()],
            # As a browser: without it, each round trip waits out a delayed ACK (40 ms).
            sockopt=((socket.IPPROTO_TCP, socket.TCP_NODELAY, 1),),
            timeout=10,
        )

    def another_websocket(self) -> Page:
        """The same page (cookies, kernel) with a websocket session of its own."""
        other = copy.copy(self)
        other.session, other.ws = uuid.uuid4().hex, None
        return other

    def message(self, msg_type: str, content: dict) -> dict:
        header = {
            "msg_id": uuid.uuid4().hex,
            "msg_type": msg_type,
            "session": self.session,
            "username": "",
            "date": "",
            "version": "5.3",
        }
        return {"header": header, "parent_header": {}, "metadata": {}, "content": content}

    def encode(self, msg_type: str, content, channel: str = "shell", raw: bytes | None = None):
        """A v1 frame of one message, as a page sends it."""
        message = self.message(msg_type, content)
        parts = [json.dumps(message[key]).encode() for key in ("header", "parent_header")]
        parts.append(b"{}")
        parts.append(raw if raw is not None else json.dumps(content).encode())
        return serialize_msg_to_ws_v1(parts, channel)

    def send(self, msg_type: str, content, channel: str = "shell", raw: bytes | None = None):
        if self.ws.getsubprotocol() == server.WS_PROTOCOL:
            self.ws.send_binary(self.encode(msg_type, content, channel, raw))
        else:
            message = self.message(msg_type, content)
            self.ws.send(json.dumps({**message, "channel": channel, "buffers": []}))

    def receive(self, seconds: float, until=None) -> list[dict]:
        """Every message that arrives within `seconds`, or until one satisfies `until`."""
        received, deadline = [], time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            self.ws.settimeout(left)
            try:
                # With control frames: the server's pings (every 5 s) would otherwise keep one
                # recv() waiting for data past the deadline.
                opcode, data = self.ws.recv_data_frame(control_frame=True)
            except (websocket.WebSocketException, OSError):
                break  # a timeout, or the server closed the websocket
            if opcode == websocket.ABNF.OPCODE_CLOSE:
                break
            if opcode not in (websocket.ABNF.OPCODE_TEXT, websocket.ABNF.OPCODE_BINARY):
                continue  # a ping (answered) or a pong
            frame = data.data.decode("utf-8") if opcode == websocket.ABNF.OPCODE_TEXT else data.data
            if isinstance(frame, bytes):
                channel, parts = deserialize_msg_from_ws_v1(frame)
                keys = ("header", "parent_header", "metadata", "content")
                message = {key: json.loads(part) for key, part in zip(keys, parts[:4], strict=True)}
                message.update(channel=channel, buffers=parts[4:])
            else:
                message = json.loads(frame)
            message["msg_type"] = message["header"]["msg_type"]
            received.append(message)
            if until is not None and until(message):
                break
        return received

    def alive(self) -> bool:
        """The kernel still answers on this websocket."""
        self.send("kernel_info_request", {})
        replies = self.receive(30, until=lambda m: m["msg_type"] == "kernel_info_reply")
        return any(m["msg_type"] == "kernel_info_reply" for m in replies)

    def round_trip(self) -> float:
        """Seconds from a kernel_info_request to its reply."""
        start = time.perf_counter()
        assert self.alive(), "the kernel did not answer"
        return time.perf_counter() - start

    def comms(self) -> dict:
        self.send("comm_info_request", {})
        replies = self.receive(30, until=lambda m: m["msg_type"] == "comm_info_reply")
        assert replies and replies[-1]["msg_type"] == "comm_info_reply", "no comm_info_reply"
        return replies[-1]["content"]["comms"]

    def close(self) -> int:
        """What Voilà's page does on unload: POST the xsrf cookie to the shutdown endpoint."""
        if self.ws is not None:
            with suppress(websocket.WebSocketException, OSError):
                self.ws.close()
        xsrf = next((c.value for c in self.cookies if c.name == "_xsrf"), "")
        request = urllib.request.Request(
            f"{self.url}/voila/api/shutdown/{self.kernel}",
            data=urllib.parse.urlencode({"_xsrf": xsrf}).encode(),
            method="POST",
        )
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            return 0  # no answer: the server is frozen


# Without a server: the checks themselves.

VOILA_TYPES = [  # what Voilà allows (voila/app.py), which the server passes on
    "comm_open",
    "comm_close",
    "comm_msg",
    "comm_info_request",
    "kernel_info_request",
    "shutdown_request",
]


def frame(msg_type: str = "comm_msg", content: object = None, channel: str = "shell", **extra):
    header = json.dumps({"msg_type": msg_type, **extra}).encode()
    body = json.dumps({"comm_id": "c1"} if content is None else content).encode()
    return serialize_msg_to_ws_v1([header, b"{}", b"{}", body], channel)


def test_a_v1_frame_is_read_as_jupyter_server_writes_it():
    parts = [b'{"msg_type": "comm_msg"}', b"{}", b"{}", b'{"comm_id": "c1"}', b"\x00" * 3]
    assert server.parse_v1_frame(serialize_msg_to_ws_v1(parts, "shell")) == ("shell", parts)


def offsets(*values: int) -> bytes:
    return b"".join(value.to_bytes(8, "little") for value in values)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        bytes(7),
        "a text frame",
        (2**62).to_bytes(8, "little") + bytes(32),  # the frame that froze jupyter_server
        offsets(6, 56, 61, 62, 63, 64, 65) + b"shell",  # offsets past the end of the frame
        offsets(6, 56, 61, 60, 62, 63, 65) + b"shell{}{}",  # offsets going backwards
        offsets(1, 16),  # too few parts for a message
        offsets(99) + bytes(8 * 99),  # more buffers than a page sends
    ],
    ids=["empty", "short", "text", "2**62", "past-end", "backwards", "too-few", "too-many"],
)
def test_frames_that_do_not_fit_their_offset_table_are_refused(data):
    with pytest.raises(server.BadFrame):
        server.parse_v1_frame(data)


@pytest.mark.parametrize(
    "data",
    [
        frame("comm_msg"),
        frame("kernel_info_request", {}),
        frame("comm_open", {"comm_id": "c2", "target_name": "jupyter.widget.control"}),
        frame("shutdown_request", {}, channel="control"),
    ],
    ids=["comm_msg", "kernel_info", "control-comm", "shutdown"],
)
def test_the_messages_a_page_sends_pass(data):
    server.check_incoming(data, VOILA_TYPES)


@pytest.mark.parametrize(
    "data",
    [
        frame("execute_request", {"code": "1"}),
        frame("comm_msg", channel="iopub"),
        frame("comm_open", {"comm_id": "c2", "target_name": "jupyter.widget"}),
        frame("comm_msg", [1, 2]),
        frame("comm_msg", {"data": {}}),
        serialize_msg_to_ws_v1([b"[1]", b"{}", b"{}", b"{}"], "shell"),
        serialize_msg_to_ws_v1(
            [b'{"msg_type": "comm_msg"}', b"{}", b"{}", b"[" * 5000 + b"]" * 5000], "shell"
        ),
        serialize_msg_to_ws_v1([b"not json", b"{}", b"{}", b"{}"], "shell"),
    ],
    ids=[
        "execute",
        "iopub",
        "other-target",
        "content-list",
        "no-comm-id",
        "header-list",
        "deep",
        "not-json",
    ],
)
def test_anything_else_is_refused(data):
    with pytest.raises(server.BadFrame):
        server.check_incoming(data, VOILA_TYPES)


def padded(size: int) -> bytes:
    """A JSON object of exactly `size` bytes."""
    return b'{"x": "' + b"y" * (size - 9) + b'"}'


KERNEL_INFO = b'{"msg_type": "kernel_info_request"}'


def test_message_parts_beyond_their_limits_are_refused_before_parsing(monkeypatch):
    for name in ("STARGATE_WS_HEADER_BYTES", "STARGATE_WS_CONTENT_BYTES"):
        monkeypatch.delenv(name, raising=False)

    def check(*parts: bytes):
        return server.check_incoming(serialize_msg_to_ws_v1(list(parts), "shell"), VOILA_TYPES)

    check(KERNEL_INFO, padded(4096), padded(4096), padded(65536))
    for parts, error in [
        ((KERNEL_INFO[:-1] + b', "x": "' + b"y" * 5000 + b'"}', b"{}", b"{}", b"{}"), "a header"),
        ((KERNEL_INFO, padded(4097), b"{}", b"{}"), "a parent header of 4097 bytes"),
        ((KERNEL_INFO, b"{}", padded(4097), b"{}"), "a metadata of 4097 bytes"),
        ((KERNEL_INFO, b"{}", b"{}", padded(65537)), "a content of 65537 bytes"),
        ((KERNEL_INFO, b"{}", b"{}", padded(32768), bytes(32769)), "a content of 65537 bytes"),
    ]:
        with pytest.raises(server.BadFrame, match=error):
            check(*parts)


def test_the_largest_message_a_page_may_send_fits_a_websocket_frame():
    header = KERNEL_INFO[:-1] + b', "x": "' + b"y" * (4096 - len(KERNEL_INFO) - 9) + b'"}'
    parts = [header, padded(4096), padded(4096), padded(32768), bytes(32768)]
    largest = serialize_msg_to_ws_v1(parts, "shell")
    server.check_incoming(largest, VOILA_TYPES)
    assert len(largest) <= http_limits.websocket_max_message_size()


@pytest.mark.parametrize(
    ("content", "method"),
    [
        ({"comm_id": "c1", "data": {"method": "request_state"}}, "request_state"),
        ({"comm_id": "c1", "data": {"method": "update", "state": {}}}, "update"),
        ({"comm_id": "c1", "data": {"method": "custom", "content": {}}}, "custom"),
        ({"comm_id": "c1", "data": "not a mapping"}, None),
    ],
)
def test_a_comm_message_says_which_method_it_asks_for(content, method):
    incoming = server.check_incoming(frame("comm_msg", content), VOILA_TYPES)
    assert (incoming.comm_id, incoming.method) == ("c1", method)


def test_comm_methods_a_page_never_sends_are_refused():
    with pytest.raises(server.BadFrame, match="comm method 'bogus'"):
        server.check_incoming(
            frame("comm_msg", {"comm_id": "c1", "data": {"method": "bogus"}}), VOILA_TYPES
        )


def test_the_message_budget_allows_bursts_of_two_seconds_then_the_rate():
    now = [0.0]
    budget = server.MessageBudget(100, clock=lambda: now[0])
    assert all(budget.take() for _ in range(200))
    assert not budget.take()
    now[0] += 0.5
    assert sum(budget.take() for _ in range(100)) == 50


def test_a_traceback_in_the_log_is_one_line_once(monkeypatch):
    monkeypatch.setattr(server, "FAILURES", quiet_log.FailureLog(logging.getLogger("test-filter")))
    monkeypatch.setattr(server, "debugging", lambda _logger: False)  # as without --debug
    quiet = server.LogFilter()

    def failed(number: int) -> logging.LogRecord:
        try:
            raise ValueError(f"bad frame {number}")
        except ValueError:
            error = sys.exc_info()
        return logging.LogRecord(
            "tornado.application",
            logging.ERROR,
            __file__,
            1,
            "Uncaught exception GET %s",
            ("/x",),
            error,
        )

    first = failed(1)
    assert quiet.filter(first)
    assert (
        first.getMessage()
        == "Uncaught exception GET /x (ValueError: bad frame 1; more are counted)"
    )
    assert first.exc_info is None
    assert not any(quiet.filter(failed(n)) for n in range(2, 100))


class FakeRequest:
    def __init__(self, query: str = "", accept: str = ""):
        self.query = query
        self.headers = {"Accept-Language": accept} if accept else {}


class FakeHandler:
    def __init__(self, query: str = "", accept: str = ""):
        self.request = FakeRequest(query, accept)


@pytest.mark.parametrize(
    ("query", "accept", "expected"),
    [
        ("lang=ja", "", "ja"),
        ("lang=en", "ja,en;q=0.8", "en"),
        ("lang=fr", "ja", "ja"),
        ("", "en-GB,ja;q=0.5", "en"),
        ("", "", "en"),
    ],
)
def test_the_page_speaks_the_reader_language(query, accept, expected):
    assert voila_page.reader_language(FakeHandler(query, accept)) == expected


def test_only_the_untrusted_notice_is_dropped_from_the_log():
    def record(message: str):
        return logging.LogRecord("Voila", logging.WARNING, __file__, 1, message, ("x",), None)

    quiet = server.LogFilter()
    assert not quiet.filter(record("Notebook %s is not trusted"))
    assert quiet.filter(record("Kernel %s died, removing from map."))


def test_new_kernels_are_refused_at_the_cap_and_without_memory(monkeypatch):
    manager = server.CappedKernelManager()
    monkeypatch.setenv("STARGATE_MAX_KERNELS", "2")
    monkeypatch.setenv("STARGATE_KERNEL_MB", "100")
    monkeypatch.setattr(server, "available_memory_mb", lambda: 5000.0)
    assert manager.refusal() is None
    monkeypatch.setattr(manager, "list_kernel_ids", lambda: ["a", "b"])
    assert "2 kernels in use" in manager.refusal()
    monkeypatch.setattr(manager, "list_kernel_ids", lambda: [])
    monkeypatch.setattr(server, "available_memory_mb", lambda: 99.0)
    assert "99 MiB of memory available" in manager.refusal()
    monkeypatch.setattr(server, "available_memory_mb", lambda: None)  # not Linux: no check
    assert manager.refusal() is None


def test_available_memory_is_read_on_this_machine():
    """Linux gives MemAvailable in kB: the figure is it in MiB, read before and after, or less
    only where a cgroup v2 limit (memory.max) above this process leaves less."""
    meminfo = Path("/proc/meminfo")
    if not meminfo.exists():
        pytest.skip("no /proc/meminfo: not Linux, and no check is made there")

    def mem_available() -> float:
        return int(re.search(r"^MemAvailable:\s+(\d+) kB$", meminfo.read_text(), re.M)[1]) / 1024

    low, available, high = mem_available(), server.available_memory_mb(), mem_available()
    assert available is not None and 0 < available <= max(low, high) + 1
    cgroup = re.search(r"^0::(.*)$", Path("/proc/self/cgroup").read_text(), re.M)
    limits = []
    if cgroup:
        group = Path("/sys/fs/cgroup", cgroup[1].lstrip("/"))
        for directory in [group, *group.parents]:
            limit = directory / "memory.max"
            if limit.exists() and limit.read_text().strip() != "max":
                limits.append(directory)
    if not limits:
        assert available >= min(low, high) - 1


# With a server.


@pytest.fixture(scope="module")
def echo_server(tmp_path_factory):
    directory = tmp_path_factory.mktemp("echo")
    with voila_process(notebook(directory, WIDGET, "echo"), env=ANY_MEMORY) as running:
        yield running


@pytest.fixture
def page(echo_server):
    if not responsive(echo_server.url):
        pytest.fail("the server froze in an earlier test")
    opened = Page(echo_server.url)
    yield opened
    opened.close()


def test_a_legacy_websocket_is_refused_and_the_server_stays_responsive(echo_server, page):
    """The issue's freeze: the legacy protocol, then a message whose answer carries a buffer."""
    try:
        page.connect(v1=False)
    except websocket.WebSocketBadStatusException as error:
        assert error.status_code == 400
    else:  # the refusal is gone: replay the message that froze Voilà 0.5.13
        for comm_id in page.comms():
            page.send(
                "comm_msg", {"comm_id": comm_id, "data": {"method": "custom", "content": {"n": 1}}}
            )
        page.receive(2)
    assert_responsive(echo_server)


def test_buffers_reach_a_v1_websocket_and_the_server_stays_responsive(echo_server, page):
    page.connect()
    assert page.ws.getsubprotocol() == server.WS_PROTOCOL
    for comm_id in page.comms():
        page.send(
            "comm_msg", {"comm_id": comm_id, "data": {"method": "custom", "content": {"n": 1}}}
        )
    answers = page.receive(30, until=lambda m: m["msg_type"] == "comm_msg")
    answers = [m for m in answers if m["msg_type"] == "comm_msg"]
    assert answers and answers[0]["content"]["data"]["content"] == {"echo": 2}
    assert [len(buffer) for buffer in answers[0]["buffers"]] == [64]
    assert_responsive(echo_server)


def test_a_frame_claiming_two_to_the_62_offsets_is_ignored(echo_server, page):
    """jupyter_server's v1 parser built the whole offset list this frame asks for."""
    page.connect()
    page.ws.send_binary((2**62).to_bytes(8, "little") + bytes(32))
    assert_responsive(echo_server)
    assert page.alive()


@pytest.mark.parametrize(
    "content",
    [
        b'{"comm_id": "%s", "data": {"method": "custom", "content": [1, 2]}}',
        b'{"comm_id": "%s", "data": {"method": "custom", "content": {"n": NaN}}}',
        b'{"comm_id": "%s", "data": {"method": "update", "state": {"x": NaN}, "buffer_paths": []}}',
        b'{"comm_id": "%s", "data": {"method": "custom", "content": {"m": 1}}}',
        b'{"comm_id": "%s", "data": [1]}',
        b'{"comm_id": "%s", "data": {"method": "custom", "content": '
        + b"[" * 5000
        + b"]" * 5000
        + b"}}",
        b"[1, 2, 3]",
    ],
    ids=["content-list", "nan", "nan-update", "missing-key", "data-list", "deep", "not-a-mapping"],
)
def test_malformed_messages_send_the_reader_no_traceback(echo_server, page, content):
    page.connect()
    (comm_id,) = page.comms()
    page.send("comm_msg", {}, raw=content.replace(b"%s", comm_id.encode()))
    received = page.receive(3)
    text = json.dumps([m["content"] for m in received])
    for leak in ("Traceback", str(ROOT), "site-packages", ".py"):
        assert leak not in text, f"{leak!r} reached the reader: {text[:400]}"
    errors = [m for m in received if m["msg_type"] == "error"]
    assert all(m["content"]["traceback"] == [server.HIDDEN_TRACEBACK] for m in errors)
    assert not [
        m for m in received if m["msg_type"] == "stream" and m["content"]["name"] == "stderr"
    ]
    assert page.alive(), "the kernel stopped answering"


def test_a_reader_cannot_run_code_or_open_other_comms(echo_server, page, tmp_path):
    witness = tmp_path / "ran"
    code = f"open({str(witness)!r}, 'w').close()"
    page.connect()
    for channel in ("shell", "control"):
        page.send("execute_request", {"code": code, "silent": False}, channel=channel)
    opened = uuid.uuid4().hex
    state = {"_model_name": "WidgetModel", "_model_module": "@jupyter-widgets/base"}
    page.send(
        "comm_open",
        {"comm_id": opened, "target_name": "jupyter.widget", "data": {"state": state}},
    )
    received = page.receive(3)
    assert not [m for m in received if m["msg_type"] == "execute_reply"]
    assert not witness.exists()
    assert opened not in page.comms()


def test_closing_the_page_shuts_its_kernel_down(echo_server):
    """Voilà's page posts the _xsrf cookie's value when it unloads; the cookie is now set."""
    opened = Page(echo_server.url)
    assert any(cookie.name == "_xsrf" for cookie in opened.cookies)
    kernel = kernel_process(echo_server, opened.kernel)
    assert opened.close() == 204
    kernel.wait(timeout=60)
    assert "'_xsrf' argument missing" not in echo_server.log_text()


def _served_without_a_kernel(url: str, query: str = "") -> str:
    """The page a reader gets when no kernel can be had: complete, with no kernel in it."""
    with urllib.request.urlopen(f"{url}/{query}", timeout=120) as response:
        assert response.status == 200
        html = response.read().decode("utf-8")
    assert 'data-sg-kernel="off"' in html and "jupyter-config-data" not in html
    assert 'stargateExplainer.kernelState("off")' in html
    assert "voila.js" not in html  # none of Voilà's scripts: the page needs none
    return html


def test_above_the_cap_readers_get_the_page_without_a_kernel_in_their_language(tmp_path):
    book = notebook(tmp_path, "print('hello')", "hello")
    with voila_process(book, env={"STARGATE_MAX_KERNELS": "1", **ANY_MEMORY}) as running:
        first = Page(running.url)
        for query, language in (("?lang=ja&view=funding", "ja"), ("?view=org", "en")):
            html = _served_without_a_kernel(running.url, query)
            assert f'data-sg-lang="{language}"' in html
        assert len(running.kernels()) == 1
        assert "served without a kernel: 1 kernels in use" in running.log_text()
        assert first.close() == 204
        # The freed place is given to the next reader, once the kernel is gone.
        wait_for(
            lambda: (
                "jupyter-config-data"
                in urllib.request.urlopen(running.url, timeout=60).read().decode()
            ),
            60,
            "the freed place was never given to a reader",
        )


def test_without_the_memory_for_a_kernel_readers_get_the_page_without_one(tmp_path):
    book = notebook(tmp_path, "print('hello')", "hello")
    with voila_process(book, env={"STARGATE_KERNEL_MB": str(2**40)}) as running:
        _served_without_a_kernel(running.url)
        assert "MiB of memory available" in running.log_text()
        assert not running.kernels()


@pytest.mark.parametrize(
    ("argv", "env"),
    [
        (["{python}", "-c", "import sys; sys.exit(3)", "{{connection_file}}"], {}),
        (
            ["{python}", "-c", "import time; time.sleep(300)", "{{connection_file}}"],
            {"STARGATE_KERNEL_START_SECONDS": "2"},
        ),
    ],
    ids=["dies", "never-answers"],
)
def test_a_kernel_that_does_not_start_leaves_a_page_that_works(tmp_path, argv, env):
    """Voilà itself kept the reader's request open (still open after 300 s in a test)."""
    spec = tmp_path / "kernels" / "python3"
    spec.mkdir(parents=True)
    python = str(ROOT / ".venv" / "bin" / "python")
    spec.joinpath("kernel.json").write_text(
        json.dumps(
            {
                "argv": [part.format(python=python) for part in argv],
                "display_name": "broken",
                "language": "python",
            }
        )
    )
    book = notebook(tmp_path, "print('hello')", "hello")
    with voila_process(book, env={**env, **ANY_MEMORY}, kernel_paths=(tmp_path,)) as running:
        with urllib.request.urlopen(running.url + "/", timeout=120) as response:
            html = response.read().decode("utf-8")
        assert 'data-sg-kernel="pending"' in html  # drawn before the kernel was known to fail
        assert 'stargateExplainer.kernelState("off")' in html and "Traceback" not in html
        assert "did not start" in running.log_text()
        wait_for(lambda: not running.kernels(), 30, "the failed kernel was never removed")


def test_no_per_view_noise_in_the_log(echo_server):
    Page(echo_server.url).close()
    log = echo_server.log_text()
    assert "is not trusted" not in log
    assert "without encryption" not in log  # kernels talk to the server over IPC sockets


# Hostile readers (issue 22): every probe of the issue, against a real server on 127.0.0.1,
# asserting what another reader meets while it runs (a page GET and a websocket round trip
# within 3x of the same figures measured quietly in the same test) and that the server's memory
# comes back. The figures go to test-artifacts/hostile-readers.jsonl.

ATTACKER = "203.0.113.7"  # documentation addresses, as a proxy reports them
READER = "198.51.100.20"
GUARDED = {
    **ANY_MEMORY,
    "STARGATE_PROXY_HEADERS": "1",
    "STARGATE_MAX_KERNELS": "16",
    "STARGATE_KERNELS_PER_ADDRESS": "4",
    "STARGATE_REQUEST_SECONDS": "3",
}
FIGURES = ROOT / "test-artifacts" / "hostile-readers.jsonl"


def record(probe: str, **figures) -> None:
    """Keep a probe's figures for the report (test-artifacts/hostile-readers.jsonl)."""
    FIGURES.parent.mkdir(exist_ok=True)
    with FIGURES.open("a") as out:
        out.write(json.dumps({"probe": probe, **figures}) + "\n")


def rss_mb(running) -> float:
    return psutil.Process(running.process.pid).memory_info().rss / 2**20


@dataclass
class Figures:
    get: float  # seconds for a page GET: a kernel started and the notebook run
    round_trip: float  # seconds for a kernel_info round trip on that page's websocket


def another_reader(url: str, count: int = 3) -> Figures:
    """What another reader meets: the median of `count` page GETs, and of five round trips on
    each page's websocket."""
    gets, trips = [], []
    for _ in range(count):
        start = time.perf_counter()
        page = Page(url, address=READER)
        gets.append(time.perf_counter() - start)
        page.connect()
        trips.extend(page.round_trip() for _ in range(5))
        page.close()
    return Figures(statistics.median(gets), statistics.median(trips))


class Attack:
    """Runs `step(attack)` over and over in a process of its own until the block ends (a remote
    attacker shares no interpreter with the reader being measured), while this process keeps
    the server's peak memory in `rss["peak"]`."""

    def __init__(self, running, rss: dict, step):
        context = multiprocessing.get_context("fork")
        self.running, self.rss, self.step = running, rss, step
        self.stop = context.Event()
        self.steps = context.Value("i", 0)
        self.closed = context.Value("i", 0)  # times the server closed the attacker's websocket
        self.process = context.Process(target=self._run, daemon=True)
        self._done = threading.Event()
        self._sampler = threading.Thread(target=self._sample, daemon=True)

    def _run(self):
        while not self.stop.is_set():
            self.step(self)
            with self.steps.get_lock():
                self.steps.value += 1

    def _sample(self):
        while True:
            with suppress(psutil.Error):
                self.rss["peak"] = max(self.rss.get("peak", 0), rss_mb(self.running))
            if self._done.wait(0.1):
                return

    def __enter__(self):
        self._sampler.start()
        self.process.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.process.join(timeout=30)
        if self.process.is_alive():
            self.process.kill()
        self._done.set()
        self._sampler.join()

    def hammer(self, attacker: Page, frames: list[bytes]) -> None:
        """Send `frames` without reading anything; when the server has closed the websocket,
        count it and connect again, as a persistent attacker would."""
        try:
            for data in frames:
                attacker.ws.send_binary(data)
        except (websocket.WebSocketException, OSError):
            with self.closed.get_lock():
                self.closed.value += 1
            try:
                attacker.connect()
            except (websocket.WebSocketException, OSError):
                self.stop.wait(0.2)


# A quiet round trip on loopback takes 2-4 ms; with the attacker's process and the test on the
# same two cores, the scheduler alone moves that by several ms (10.4 ms against 2.7 ms once in a
# full run, with nothing wrong). 3x of this floor still fails the probes' 1.28 s round trips.
ROUND_TRIP_FLOOR = 0.010


def assert_unhurt(running, name: str, quiet: Figures, during: Figures, rss: dict) -> None:
    """Another reader met at most 3x the quiet figures (round trips against at least
    `ROUND_TRIP_FLOOR`), and the server's memory stayed within 100 MB of where it was and came
    back within 50 MB of it within 10 s."""
    with suppress(AssertionError):
        wait_for(lambda: rss_mb(running) <= rss["before"] + 50, 10, "")
    rss["after"] = rss_mb(running)
    record(name, quiet=asdict(quiet), during=asdict(during), rss_mb=rss)
    assert during.get <= 3 * quiet.get, (
        f"another reader's page took {during.get:.2f} s, {quiet.get:.2f} s quietly"
    )
    assert during.round_trip <= 3 * max(quiet.round_trip, ROUND_TRIP_FLOOR), (
        f"another reader's round trip took {1000 * during.round_trip:.1f} ms, "
        f"{1000 * quiet.round_trip:.1f} ms quietly"
    )
    assert rss["peak"] <= rss["before"] + 100, f"server memory {rss}"
    assert rss["after"] <= rss["before"] + 50, f"server memory not given back: {rss}"
    log = running.log_text()
    assert "Traceback" not in log and "Task exception" not in log, log[-3000:]


def peak_rss(running, rss: dict) -> None:
    rss["peak"] = max(rss.get("peak", 0), rss_mb(running))


@pytest.fixture(scope="module")
def guarded_server(tmp_path_factory):
    """The echo notebook behind a (pretend) proxy that reports each client's address."""
    directory = tmp_path_factory.mktemp("guarded")
    with voila_process(notebook(directory, WIDGET, "echo"), env=GUARDED) as running:
        yield running


def attacker_page(running) -> tuple[Page, str]:
    """A connected page of the attacker's own and its widget's comm id."""
    attacker = Page(running.url, address=ATTACKER)
    attacker.connect()
    (comm_id,) = attacker.comms()
    return attacker, comm_id


def test_a_flood_of_state_requests_is_answered_once_then_closed(guarded_server):
    """The probe: 2,000 request_state messages to the widget (~300 bytes each; each answer is
    its whole state, ~0.5 MB), never reading the answers. RSS went 96 -> 1,216 MB and stayed."""
    running = guarded_server
    quiet = another_reader(running.url)
    rss = {"before": rss_mb(running)}
    attacker, comm_id = attacker_page(running)
    state = {"comm_id": comm_id, "data": {"method": "request_state"}}
    # Each its own message, as a client would send them (the kernel refuses a repeated one).
    asks = [attacker.encode("comm_msg", state) for _ in range(2000)]
    # Within the rate limit: one answer, however often it is asked.
    for data in asks[:150]:
        attacker.ws.send_binary(data)
    answers = attacker.receive(5)
    states = [m for m in answers if m["msg_type"] == "comm_msg" and "state" in m["content"]["data"]]
    assert len(states) == 1 and len(states[0]["content"]["data"]["state"]["blob"]) == 500_000
    # Then all at once, as probed, again and again: closed each time, never answered again.
    with Attack(running, rss, lambda attack: attack.hammer(attacker, asks)) as attack:
        during = another_reader(running.url)
    assert attack.closed.value >= 1
    attacker.close()
    log = running.log_text()
    assert "more than 100 messages a second" in log
    assert log.count("repeated state request ignored: ") == 1
    assert_unhurt(running, "request_state flood", quiet, during, rss)


def test_a_client_that_does_not_read_its_answers_is_closed(guarded_server):
    """Custom messages whose answers are 400 kB each, never read: the server closes the
    websocket once 8 MB wait unsent, instead of holding them all."""
    running = guarded_server
    quiet = another_reader(running.url)
    rss = {"before": rss_mb(running)}
    attacker, comm_id = attacker_page(running)
    big = {"comm_id": comm_id, "data": {"method": "custom", "content": {"n": 1, "size": 400_000}}}
    asks = [attacker.encode("comm_msg", big) for _ in range(90 * 60)]

    def unread(attack):  # 90 a second: within the message rate, 36 MB of answers a second
        start = 90 * (attack.steps.value % 60)
        attack.hammer(attacker, asks[start : start + 90])
        attack.stop.wait(1)

    with Attack(running, rss, unread):
        wait_for(
            lambda: "bytes of output not taken by the client" in running.log_text(),
            60,
            "the websocket that reads nothing was not closed",
        )
        during = another_reader(running.url)
    attacker.close()
    assert_unhurt(running, "unread answers", quiet, during, rss)


def test_oversized_message_parts_are_refused_before_they_are_parsed(guarded_server):
    """The probe: kernel_info_request messages whose header holds 258,000 floats (~1 MB frames):
    parsed twice by the server, echoed by the kernel as a 2.5 MB parent header, another
    reader's GET took 24.5 s."""
    running = guarded_server
    quiet = another_reader(running.url)
    rss = {"before": rss_mb(running)}
    attacker, _ = attacker_page(running)
    huge = serialize_msg_to_ws_v1(
        [json.dumps({"msg_type": "kernel_info_request", "x": [0.5] * 258_000}).encode()]
        + [b"{}", b"{}", b"{}"],
        "shell",
    )
    padded = [  # under the frame limit, over the header limit
        serialize_msg_to_ws_v1(
            [json.dumps({"msg_type": "kernel_info_request", "x": "y" * 50_000}).encode()]
            + [b"{}", b"{}", b"{}"],
            "shell",
        )
    ] * 20

    def oversized(attack):
        attack.hammer(attacker, [huge])  # closes the websocket
        attack.hammer(attacker, padded)  # each ignored

    with Attack(running, rss, oversized) as attack:
        during = another_reader(running.url)
    assert attack.closed.value >= 1, "a 1 MB frame was not refused"
    attacker.connect()
    assert attacker.alive()
    attacker.close()
    assert running.log_text().count("websocket message ignored (too large): ") == 1
    assert_unhurt(running, "oversized headers", quiet, during, rss)


def test_unfinished_large_bodies_are_refused_at_once(guarded_server):
    """The probe: 5 unfinished 95 MB POST bodies held 500 MB while the connections stayed open."""
    running = guarded_server
    quiet = another_reader(running.url)
    rss = {"before": rss_mb(running)}
    port = int(running.url.rsplit(":", 1)[1])
    request = (
        "POST /voila/api/shutdown/x HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Content-Type: application/octet-stream\r\nContent-Length: {length}\r\n\r\n"
    )
    sockets = []
    for length in (95 * 2**20,) * 5 + (1000,) * 5:  # too large; small but never finished
        sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        with suppress(OSError):  # a 95 MB one may be refused before its first megabyte is sent
            sock.sendall(request.format(length=length).encode() + bytes(min(length - 1, 2**20)))
        sockets.append(sock)
    peak_rss(running, rss)
    during = another_reader(running.url)
    peak_rss(running, rss)
    for sock in sockets:  # each is answered or dropped: a 95 MB one at once, a slow one in 3 s
        try:
            sock.recv(1024)
            while sock.recv(65536):
                pass
        except OSError:
            pass
        sock.close()
    assert_unhurt(running, "unfinished bodies", quiet, during, rss)


def test_a_page_opens_at_most_two_websockets_on_its_kernel(guarded_server):
    """The probe: 111 idle websockets at the default open-file limit made the server spin."""
    page = Page(guarded_server.url, address=READER)
    page.connect()
    second = page.another_websocket()
    second.connect()
    with pytest.raises(websocket.WebSocketBadStatusException) as refused:
        page.another_websocket().connect()
    assert refused.value.status_code == 403
    assert page.alive() and second.alive()
    second.ws.close()
    page.close()


def test_only_the_page_that_opened_a_kernel_can_join_read_or_stop_it(guarded_server):
    """The probe: with a kernel's id (server and proxy logs have it), DELETE /api/kernels/<id>
    or the shutdown endpoint with one's own _xsrf stopped it, and joining its websocket set the
    reader's traits."""
    url = guarded_server.url
    victim = Page(url, address=READER)
    victim.connect()
    attacker = Page(url, address=ATTACKER)
    xsrf = next(c.value for c in attacker.cookies if c.name == "_xsrf")

    def attempt(method: str, path: str, data: bytes | None = None) -> int:
        request = urllib.request.Request(
            url + path, data=data, method=method, headers={"X-XSRFToken": xsrf}
        )
        try:
            with attacker.opener.open(request, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    shutdown = urllib.parse.urlencode({"_xsrf": xsrf}).encode()
    assert attempt("POST", f"/voila/api/shutdown/{victim.kernel}", shutdown) == 404
    assert attempt("DELETE", f"/api/kernels/{victim.kernel}") == 404
    assert attempt("GET", f"/api/kernels/{victim.kernel}") == 404
    intruder = attacker.another_websocket()
    intruder.kernel = victim.kernel
    with pytest.raises(websocket.WebSocketBadStatusException) as refused:
        intruder.connect()
    assert refused.value.status_code == 403
    assert victim.alive()
    with victim.opener.open(f"{url}/api/kernels/{victim.kernel}", timeout=30) as response:
        assert json.load(response)["id"] == victim.kernel  # what Voilà's page asks first
    assert victim.close() == 204
    assert attacker.close() == 204
    assert guarded_server.log_text().count("kernel request refused: ") == 1


@pytest.mark.parametrize("method", ["HEAD", "GET", "POST", "PUT", "DELETE", "OPTIONS"])
def test_no_request_gets_a_500_or_a_traceback(guarded_server, method):
    """The probe: `HEAD /voila/templates/x` and `HEAD /logout` answered 500; any 404 or 405 of
    jupyter_server's handlers logged three tracebacks (their error page could not render)."""
    paths = [
        "/voila/templates/x",
        "/voila/templates/stargate/x/y",
        "/voila/templates/stargate/static/nothing.js",
        "/logout",
        "/login",
        "/voila/static/nothing",
        "/voila/labextensions/x",
        "/voila/api/themes/x",
        "/voila/api/shutdown/x",
        "/api/kernels/x",
        "/api/kernels/00000000-0000-0000-0000-000000000000/channels",
        "/voila/files/x",
    ]
    for path in paths:
        request = urllib.request.Request(guarded_server.url + path, method=method)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        assert status < 500, f"{method} {path}: {status}"
    assert "Traceback" not in guarded_server.log_text()


def test_a_thousand_slow_connections_at_systemds_default_open_file_limit(tmp_path):
    """The probe: with the soft limit at 1,024, 1,000 connections that never finish their
    headers got every reader a 503 "Too many open files"."""
    book = notebook(tmp_path, WIDGET, "echo")
    env = {**GUARDED, "STARGATE_REQUEST_SECONDS": "10"}
    with voila_process(book, env=env, open_files=(1024, 8192)) as running:
        limits = Path(f"/proc/{running.process.pid}/limits").read_text()
        assert re.search(r"Max open files\s+8192\s+8192", limits), limits
        quiet = another_reader(running.url)
        rss = {"before": rss_mb(running)}
        port = int(running.url.rsplit(":", 1)[1])
        slow = []
        for _ in range(1000):
            sock = socket.create_connection(("127.0.0.1", port), timeout=30)
            sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            slow.append(sock)
        peak_rss(running, rss)
        during = another_reader(running.url)
        peak_rss(running, rss)
        # The server drops them when their time to send headers is up.
        for sock in slow:
            sock.settimeout(30)
            with suppress(OSError):
                assert sock.recv(1) == b""
            sock.close()
        assert_unhurt(running, "1,000 slow-header connections", quiet, during, rss)


def test_when_file_descriptors_run_out_the_server_pauses_then_recovers(tmp_path):
    """With a hard limit the server cannot raise, connections beyond it wait: tornado's accept
    loop spun on the listening socket instead, logging a traceback per try."""
    book = notebook(tmp_path, WIDGET, "echo")
    env = {**GUARDED, "STARGATE_REQUEST_SECONDS": "4"}
    with voila_process(book, env=env, open_files=(256, 256)) as running:
        port = int(running.url.rsplit(":", 1)[1])
        slow = []
        for _ in range(400):  # connections that send nothing: each holds a descriptor
            sock = socket.socket()
            sock.setblocking(False)
            sock.connect_ex(("127.0.0.1", port))  # beyond the backlog, they wait in SYN
            slow.append(sock)
        wait_for(lambda: "accept paused" in running.log_text(), 30, "descriptors never ran out")
        busy = psutil.Process(running.process.pid).cpu_percent(interval=2)
        assert busy < 50, f"the server spun at {busy:.0f}% CPU with no descriptor left"
        for sock in slow:
            sock.close()
        Page(running.url, address=READER).close()  # served again
        log = running.log_text()
        assert "Traceback" not in log and log.count("accept paused: ") == 1, log[-2000:]


def crawl(url: str, count: int) -> list[bool]:
    """`count` GETs of the page that never open its websocket: whether each came with a kernel
    (a page above a limit is served without one)."""
    kernels = []
    for _ in range(count):
        request = urllib.request.Request(url + "/", headers={"X-Real-IP": ATTACKER})
        with urllib.request.urlopen(request, timeout=120) as response:
            kernels.append("jupyter-config-data" in response.read().decode("utf-8"))
    return kernels


def reader_with_kernel(url: str, seconds: float) -> Page:
    """A reader who reloads until the page comes with a kernel that answers (a page above a
    limit is served without one)."""
    deadline = time.monotonic() + seconds
    while True:
        page = Page(url, address=READER)
        if page.kernel is not None:
            page.connect()
            assert page.alive()
            return page
        assert time.monotonic() < deadline, f"no kernel for a reader within {seconds} s"
        time.sleep(0.5)


def test_page_gets_that_never_connect_cost_their_kernels_seconds(tmp_path):
    """The probe: 5 GETs without a websocket (a crawler) took all 5 kernel places; the first
    real page came 53.8 s later. Now their kernels are stopped 15 s after the notebook ran."""
    book = notebook(tmp_path, WIDGET, "echo")
    env = {**ANY_MEMORY, "STARGATE_PROXY_HEADERS": "1", "STARGATE_MAX_KERNELS": "5"}
    env["STARGATE_KERNELS_PER_ADDRESS"] = "5"  # one crawler can fill the server, as probed
    with voila_process(book, env=env) as running:
        assert crawl(running.url, 5) == [True] * 5
        start = time.monotonic()
        reader = reader_with_kernel(running.url, 20)
        waited = time.monotonic() - start
        reader.close()
        freed = wait_for(
            lambda: running.log_text().count("did not connect within 15 s") == 5,
            20,
            "the crawler's kernels were not all stopped",
        )
        record("5 GETs without websocket", reader_kernel_s=waited, all_freed_s=waited + freed)


def test_websockets_that_only_answer_pings_hold_no_kernel_for_ever(tmp_path):
    """The probe: 5 websockets that only answer pings held every place, still at 150 s. Now a
    page that sends nothing for STARGATE_IDLE_SECONDS loses its kernel (5 s here)."""
    book = notebook(tmp_path, WIDGET, "echo")
    env = {**ANY_MEMORY, "STARGATE_PROXY_HEADERS": "1", "STARGATE_MAX_KERNELS": "5"}
    env.update(
        STARGATE_KERNELS_PER_ADDRESS="5", STARGATE_IDLE_SECONDS="5", STARGATE_PING_SECONDS="1"
    )
    with voila_process(book, env=env) as running:
        silent = [Page(running.url, address=ATTACKER) for _ in range(5)]
        for page in silent:
            page.connect()
        stop = threading.Event()

        def answer_pings(page):  # websocket-client answers each ping inside recv()
            while not stop.is_set():
                try:
                    page.ws.settimeout(0.5)
                    page.ws.recv()
                except websocket.WebSocketTimeoutException:
                    continue
                except (websocket.WebSocketException, OSError):
                    return  # the server closed it: what the test waits for

        threads = [threading.Thread(target=answer_pings, args=(p,), daemon=True) for p in silent]
        for thread in threads:
            thread.start()
        start = time.monotonic()
        try:
            reader = reader_with_kernel(running.url, 20)
        finally:
            stop.set()
        waited = time.monotonic() - start
        reader.close()
        assert running.log_text().count("its page sent nothing for 5 s") >= 1
        record("5 ping-only websockets", reader_kernel_s=waited)


def test_one_address_holds_at_most_its_share_of_kernels(tmp_path):
    book = notebook(tmp_path, WIDGET, "echo")
    env = {**ANY_MEMORY, "STARGATE_PROXY_HEADERS": "1", "STARGATE_MAX_KERNELS": "5"}
    env["STARGATE_KERNELS_PER_ADDRESS"] = "2"  # the default (tests/browser.py raises it)
    with voila_process(book, env=env) as running:
        assert crawl(running.url, 5) == [True, True, False, False, False]
        assert len(running.kernels()) == 2
        reader = Page(running.url, address=READER)  # another address: a kernel at once
        reader.connect()
        assert reader.alive()
        reader.close()
        assert "holds 2 kernels (STARGATE_KERNELS_PER_ADDRESS=2)" in running.log_text()


class DeadNetwork:
    """A TCP relay to the server that can go silent: both ends stay open and nothing passes,
    as when a phone loses its network (no FIN, no RST, no beacon)."""

    def __init__(self, port: int):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.target = port
        self.cut = threading.Event()
        self.held: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            client, _ = self.listener.accept()
            upstream = socket.create_connection(("127.0.0.1", self.target))
            self.held += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    def _pipe(self, source, sink):
        with suppress(OSError):
            while data := source.recv(65536):
                if self.cut.is_set():
                    return  # stop reading: the other side's writes stall unanswered
                sink.sendall(data)


def test_a_reader_whose_network_vanishes_frees_the_kernel_after_the_grace(tmp_path):
    """No beacon, no close: the websocket stops answering pings, is closed after three ping
    intervals, and the kernel is stopped after the reconnect grace."""
    book = notebook(tmp_path, WIDGET, "echo")
    env = {**ANY_MEMORY, "STARGATE_PING_SECONDS": "1", "STARGATE_RECONNECT_SECONDS": "3"}
    with voila_process(book, env=env) as running:
        relay = DeadNetwork(int(running.url.rsplit(":", 1)[1]))
        page = Page(running.url)
        page.url = f"http://127.0.0.1:{relay.port}"
        page.connect()
        assert page.alive()

        def read_for_ever():  # and so answer every ping, until the network goes
            with suppress(websocket.WebSocketException, OSError):
                page.ws.settimeout(None)
                while True:
                    page.ws.recv()

        threading.Thread(target=read_for_ever, daemon=True).start()
        relay.cut.set()
        took = wait_for(
            lambda: f"Kernel shutdown: {page.kernel}" in running.log_text(),
            30,
            "the kernel of a vanished reader was not stopped",
        )
        log = running.log_text()
        assert "WebSocket ping timeout" in log
        assert "its page left 3 s ago and did not come back" in log
        assert not re.search(rf"Culling .*{page.kernel}", log)
        record("network lost (ping 1 s, grace 3 s)", freed_s=took)


def test_a_page_that_reconnects_within_the_grace_keeps_its_kernel(guarded_server):
    page = Page(guarded_server.url, address=READER)
    page.connect()
    page.ws.close()  # a dropped connection, no beacon
    page.connect()  # the page's widget manager reconnects at once
    assert page.alive()
    page.close()


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to act as a second user")
def test_a_cache_planted_by_another_user_never_reaches_a_reader(tmp_path, request):
    """The probe: with $HOME not writable and STARGATE_CACHE unset, the cache fell back to
    stargate-explainer-<uid> in the temporary directory, which another local user could create
    first with the model every reader received (file names follow from the public repository)."""
    shared = Path(tempfile.mkdtemp(prefix="stargate-shared-tmp-"))
    shared.chmod(0o1777)
    request.addfinalizer(lambda: shutil.rmtree(shared, ignore_errors=True))
    data = ROOT / "data" / "stargate.yaml"
    planted = shared / f"stargate-explainer-{os.getuid()}"
    secret = tmp_path / "secret.json"
    secret.write_text(SECRET)
    secret.chmod(0o600)
    entry = f"{model_cache.key(data.read_bytes())}-{data.name}"
    as_another_user(PLANT, str(planted), entry, "symlink", str(secret))
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    environment = {k: v for k, v in os.environ.items() if k != "STARGATE_CACHE"}
    environment.update(XDG_CACHE_HOME=str(blocker / "cache"), TMPDIR=str(shared))
    with voila_process(base_env=environment, env=ANY_MEMORY) as running:
        page = Page(running.url)
        page.connect()
        comms = page.comms()
        for comm_id in comms:
            page.send("comm_msg", {"comm_id": comm_id, "data": {"method": "request_state"}})
        answered: set[str] = set()

        def all_answered(message) -> bool:
            if message["msg_type"] == "comm_msg":
                answered.add(message["content"]["comm_id"])
            return answered == set(comms)

        states = [m for m in page.receive(60, until=all_answered) if m["msg_type"] == "comm_msg"]
        page.close()
    served = page.html + json.dumps([m["content"] for m in states])
    assert "planted" not in served and "secret" not in served
    assert "SoftBank" in served, "no page model"  # in the page, or in the widget's state


# The browser side: Voilà's own page, on the real dashboard.

# The dashboard's widget has taken over the drawing the page made before its kernel.
DRAWN = "() => document.querySelector('[data-sg-kernel=attached] .sg-app') !== null"


def wait_drawn(page) -> None:
    page.wait_for_function(DRAWN, timeout=90_000, polling=100)


@pytest.fixture(scope="module")
def dashboard_server():
    with voila_process(env=ANY_MEMORY) as running:
        yield running


def kernel_of(page) -> str:
    return page.evaluate(
        "JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"
    )


def test_a_page_load_logs_no_console_warnings(browser, dashboard_server):
    page, record = open_local_page(browser, dashboard_server.url + "/?view=org")
    messages = []
    page.on("console", lambda message: messages.append((message.type, message.text)))
    wait_drawn(page)
    # The widget manager's bundles, where the warnings came from, have run once it took over.
    page.wait_for_selector("[data-sg-kernel=attached]", state="attached", timeout=90_000)
    assert not record.external
    assert [text for kind, text in messages if kind in ("warning", "error")] == []
    page.goto("about:blank")
    page.close()


def test_leaving_the_page_shuts_its_kernel_down(browser, dashboard_server):
    page, record = open_local_page(browser, dashboard_server.url + "/?view=org")
    wait_drawn(page)
    assert not record.external
    kernel_id = kernel_of(page)
    page.goto("about:blank")  # beforeunload: Voilà's page sends its shutdown beacon
    # Well before culling could stop it (50 s idle), and not by culling.
    wait_for(
        lambda: f"Kernel shutdown: {kernel_id}" in dashboard_server.log_text(),
        40,
        "the kernel outlived its page",
    )
    log = dashboard_server.log_text()
    assert not re.search(rf"Culling .*{kernel_id}", log)
    assert "'_xsrf' argument missing" not in log
    page.close()


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_lost_kernel_is_said_quietly_and_the_page_still_works(browser, dashboard_server, lang):
    page, _ = open_local_page(browser, dashboard_server.url + f"/?view=org&lang={lang}")
    wait_drawn(page)
    kernel = kernel_process(dashboard_server, kernel_of(page))
    note = page.locator(".sg-kernel-note")
    assert note.is_hidden()
    kernel.kill()
    page.wait_for_selector("[data-sg-kernel=lost]", timeout=60_000)
    assert page.locator("[role=alert]").count() == 0  # nothing the reader needs has stopped
    page.locator(".sg-tools-button").click()
    expected = {"en": "Python session has ended", "ja": "Pythonセッションは終了しました"}[lang]
    assert expected in note.inner_text()
    page.locator(".sg-tab[data-view=funding]").click()
    page.wait_for_function(READY, arg="funding", timeout=30_000)
    with suppress(Exception):
        page.close()


@pytest.fixture(scope="module")
def offline_browser(browser):
    """Chromium whose network is cut by a dead proxy (it still reaches 127.0.0.1, which
    Chromium never sends through a proxy): unlike `page.route()`, it lets Voilà's unload beacon
    leave the page, as a real browser does."""
    args = [*CHROMIUM_ARGS, "--proxy-server=http://127.0.0.1:9"]
    offline = browser.browser_type.launch(executable_path=str(CHROMIUM), args=args)
    yield offline
    offline.close()


@pytest.mark.parametrize(
    "leave", ["navigate away, then close", "close the tab", "the browser is gone (no beacon)"]
)
def test_a_reader_who_leaves_frees_the_kernel_within_15_s(offline_browser, dashboard_server, leave):
    """However the reader leaves (issue 18's target: within 15 s). Without the unload beacon
    (a browser killed, a phone discarding the tab: here the whole browser context closes, which
    sends none) the server sees the websocket close and waits STARGATE_RECONNECT_SECONDS."""
    context = offline_browser.new_context()
    context.new_page()  # another tab: closing the reader's tab does not close the browser
    page = context.new_page()
    page.goto(dashboard_server.url + "/?view=org", wait_until="commit")
    wait_drawn(page)
    kernel_id = kernel_of(page)
    if leave == "close the tab":
        page.close(run_before_unload=True)
    elif leave == "navigate away, then close":
        page.goto("about:blank")
        page.close()
    else:
        context.close()
    took = wait_for(
        lambda: f"Kernel shutdown: {kernel_id}" in dashboard_server.log_text(),
        15,
        f"the kernel outlived its page by 15 s ({leave})",
    )
    record(f"reader leaves: {leave}", freed_s=took)
    context.close()
    assert "'_xsrf' argument missing" not in dashboard_server.log_text()
