"""The Voilà server under hostile and crowded use (stargate_explainer/server.py, voila.json and
the template's server blocks), against real servers on free ports.

Most tests serve a tiny notebook whose widget answers a custom message with a binary buffer and
raises on malformed content: the worst case for the websocket, whatever the dashboard's own
widgets send.
"""

from __future__ import annotations

import http.cookiejar
import json
import logging
import re
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from contextlib import suppress
from pathlib import Path

import nbformat
import pytest
import websocket
from jupyter_server.services.kernels.connection.base import (
    deserialize_msg_from_ws_v1,
    serialize_msg_to_ws_v1,
)

from stargate_explainer import server

from .browser import READY, open_local_page, voila_process
from .conftest import ROOT

PROBE = "/voila/static/voila.js"  # a static file of Voilà itself
WIDGET = '''
import ipywidgets


class Echo(ipywidgets.Widget):
    """Answers {"n": k} with {"echo": k + 1} and 64 bytes, as the reader tools answered a
    dataset request; any other content raises in the handler."""

    def __init__(self):
        super().__init__()
        self.on_msg(self._answer)

    def _answer(self, _widget, content, _buffers):
        self.send({"echo": content["n"] + 1}, [bytes(64)])


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

    def __init__(self, url: str, query: str = ""):
        self.url = url
        self.cookies = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))
        with opener.open(f"{url}/{query}", timeout=120) as response:
            html = response.read().decode("utf-8")
        self.opener = opener
        self.kernel = re.search(r'"kernelId": *"([^"]+)"', html).group(1)
        self.session = uuid.uuid4().hex
        self.ws = None

    def connect(self, v1: bool = True) -> None:
        self.ws = websocket.create_connection(
            self.url.replace("http", "ws", 1)
            + f"/api/kernels/{self.kernel}/channels?session_id={self.session}",
            subprotocols=[server.WS_PROTOCOL] if v1 else None,
            timeout=10,
        )

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

    def send(self, msg_type: str, content, channel: str = "shell", raw: bytes | None = None):
        message = self.message(msg_type, content)
        if self.ws.getsubprotocol() == server.WS_PROTOCOL:
            parts = [json.dumps(message[key]).encode() for key in ("header", "parent_header")]
            parts.append(b"{}")
            parts.append(raw if raw is not None else json.dumps(content).encode())
            self.ws.send_binary(serialize_msg_to_ws_v1(parts, channel))
        else:
            self.ws.send(json.dumps({**message, "channel": channel, "buffers": []}))

    def receive(self, seconds: float, until=None) -> list[dict]:
        """Every message that arrives within `seconds`, or until one satisfies `until`."""
        received, deadline = [], time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            self.ws.settimeout(left)
            try:
                frame = self.ws.recv()
            except (
                websocket.WebSocketTimeoutException,
                websocket.WebSocketConnectionClosedException,
            ):
                break
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

    def comms(self) -> dict:
        self.send("comm_info_request", {})
        replies = self.receive(30, until=lambda m: m["msg_type"] == "comm_info_reply")
        assert replies and replies[-1]["msg_type"] == "comm_info_reply", "no comm_info_reply"
        return replies[-1]["content"]["comms"]

    def close(self) -> int:
        """What Voilà's page does on unload: POST the xsrf cookie to the shutdown endpoint."""
        if self.ws is not None:
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
def test_the_busy_page_speaks_the_reader_language(query, accept, expected):
    assert server.reader_language(FakeHandler(query, accept)) == expected


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
        deadline = time.monotonic() + 60
        while (
            "jupyter-config-data"
            not in urllib.request.urlopen(running.url, timeout=60).read().decode()
        ):
            assert time.monotonic() < deadline, "the freed place was never given to a reader"
            time.sleep(0.5)


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
        deadline = time.monotonic() + 30
        while running.kernels() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not running.kernels()


def test_no_per_view_noise_in_the_log(echo_server):
    Page(echo_server.url).close()
    log = echo_server.log_text()
    assert "is not trusted" not in log
    assert "without encryption" not in log  # kernels talk to the server over IPC sockets


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
    page.wait_for_timeout(500)
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
    deadline = time.monotonic() + 40
    while f"Kernel shutdown: {kernel_id}" not in dashboard_server.log_text():
        assert time.monotonic() < deadline, "the kernel outlived its page"
        time.sleep(0.2)
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
