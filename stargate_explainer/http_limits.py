"""Voilà's HTTP server, bounded for the open internet.

Voilà builds its tornado HTTP server with tornado's defaults: request bodies of up to 100 MB with
no time limit, an hour to send a request's headers or to keep an idle connection, websocket
frames of up to 10 MB, pings every 30 s, and the open-file limit the service was started with.
`install(app)` bounds all of it before Voilà listens (the kernel manager calls it: it is the one
class of ours Voilà builds first):

- request bodies at most `STARGATE_MAX_BODY_BYTES`; headers, bodies and idle connections each
  given `STARGATE_REQUEST_SECONDS`;
- the client's address from the proxy's `X-Real-IP` / `X-Forwarded-For` when
  `STARGATE_PROXY_HEADERS` is on (the per-address kernel bound needs the reader's address);
- websocket frames no larger than a page's largest message (`STARGATE_WS_HEADER_BYTES`,
  `STARGATE_WS_CONTENT_BYTES`), and a ping every `STARGATE_PING_SECONDS`: a websocket whose
  network vanished answers none and is closed within three times that;
- the open-file limit raised to the hard limit, and when descriptors run out anyway, accepting
  paused for a moment instead of retried at once (tornado spun on the listening socket and
  logged a traceback per try: 455 MB of log in one probe);
- jupyter_server's error pages given the `static_path` they need (without it every 404 or 405
  logged three tracebacks), and template paths that Voilà's handler cannot parse answered
  404 (they raised: a 500 and a traceback per request).
"""

from __future__ import annotations

import errno
import re
import socket
from collections.abc import Iterable
from pathlib import Path

import jupyter_server
from tornado import httputil
from tornado.httpserver import HTTPServer
from tornado.ioloop import IOLoop
from tornado.routing import AnyMatches, PathMatches, Rule, RuleRouter

from . import settings
from .quiet_log import FAILURES

# A v1 kernel-websocket frame: its offset table (8 bytes each for the count, at most 6 + 16
# parts and the end) and the channel name, around the message's parts.
FRAME_OVERHEAD = 8 * 24 + 16
# Seconds accepting stays paused when the process has no file descriptor left.
ACCEPT_PAUSE = 0.5


def websocket_max_message_size() -> int:
    """The largest frame a page may send: three small parts and one content with its buffers."""
    header = settings.WS_HEADER_BYTES.value()
    return 3 * header + settings.WS_CONTENT_BYTES.value() + FRAME_OVERHEAD


def install(app) -> None:
    """Bound Voilà application `app`'s HTTP server (see the module docstring)."""
    ping_ms = 1000 * settings.PING_SECONDS.value()
    app.tornado_settings = {
        **app.tornado_settings,
        "websocket_max_message_size": websocket_max_message_size(),
        "ws_ping_interval": ping_ms,
        # jupyter_server closes a websocket whose last pong is older than this when it pings;
        # it must be longer than the interval, or the first ping closes every websocket.
        "ws_ping_timeout": 2 * ping_ms,
        "static_path": str(Path(jupyter_server.__file__).parent / "static"),
    }
    seconds = settings.REQUEST_SECONDS.value()
    HTTPServer.configure(
        BoundedHTTPServer,
        base_url=getattr(app, "base_url", "/") or "/",
        xheaders=settings.PROXY_HEADERS.value(),
        max_body_size=settings.MAX_BODY_BYTES.value(),
        body_timeout=seconds,
        idle_connection_timeout=seconds,
    )
    raise_open_file_limit()


def raise_open_file_limit(ceiling: int = 65536) -> None:
    """Raise this process's soft limit on open files to its hard limit (at most `ceiling`):
    systemd starts services with a soft limit of 1,024, which a thousand idle connections
    exhaust. The deployment guide sets `LimitNOFILE` too."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = ceiling if hard == resource.RLIM_INFINITY else min(hard, ceiling)
    if soft != resource.RLIM_INFINITY and soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))


class BoundedHTTPServer(HTTPServer):
    """tornado's HTTP server in front of Voilà's application, with the requests it would
    answer with a 500 answered first and accepting paced when file descriptors run out."""

    def initialize(self, request_callback, base_url: str = "/", **kwargs) -> None:
        unparsable = re.escape(base_url) + r"voila/templates/(?![^/?]+/static/[^?]).*"
        screened = RuleRouter(
            [Rule(PathMatches(unparsable), _not_found), Rule(AnyMatches(), request_callback)]
        )
        super().initialize(screened, **kwargs)

    def add_sockets(self, sockets: Iterable[socket.socket]) -> None:
        super().add_sockets([PacedSocket.wrapping(sock) for sock in sockets])


def _not_found(request: httputil.HTTPServerRequest) -> None:
    request.connection.write_headers(
        httputil.ResponseStartLine("HTTP/1.1", 404, "Not Found"),
        httputil.HTTPHeaders({"Content-Length": "0"}),
    )
    request.connection.finish()


class PacedSocket(socket.socket):
    """A listening socket whose `accept` pauses the event loop's interest in it for
    `ACCEPT_PAUSE` when the process (or the system) has no file descriptor left, instead of
    failing: tornado's accept loop then stops until connections can be taken again."""

    @classmethod
    def wrapping(cls, sock: socket.socket) -> PacedSocket:
        return cls(sock.family, sock.type, sock.proto, fileno=sock.detach())

    def accept(self):
        try:
            return super().accept()
        except OSError as error:
            if error.errno not in (errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM):
                raise
            FAILURES.note("accept paused", "no file descriptor left: %s", error)
            loop = IOLoop.current()
            loop.update_handler(self, 0)
            loop.call_later(ACCEPT_PAUSE, loop.update_handler, self, IOLoop.READ)
            raise BlockingIOError(error.errno, error.strerror) from None
