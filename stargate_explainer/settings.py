"""Every setting of the package, typed, with its default and help text, in one place.

Settings come from environment variables so that the same value reaches a Voilà kernel, a
notebook, the CLI and the tests without plumbing. `tests/test_docs.py` checks that the README
documents each one.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

T = TypeVar("T")

REPOSITORY_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_PATH = REPOSITORY_ROOT / "data" / "stargate.yaml"
# Voilà finds this template through JUPYTER_PATH=assets/jupyter (see the Makefile).
VOILA_TEMPLATE = REPOSITORY_ROOT / "assets" / "jupyter" / "voila" / "templates" / "stargate"


@dataclass(frozen=True)
class Setting(Generic[T]):
    env: str
    type: type
    default: T
    help: str
    minimum: int = 1  # of a number: below it, the default applies

    def value(self) -> T:
        raw = os.environ.get(self.env, "").strip()
        if not raw:
            return self.default
        try:
            value = self.type(raw)
        except ValueError:
            # A mistyped limit must not turn into a traceback in a dashboard: fall back to the
            # default, which is always safe.
            return self.default
        if isinstance(value, int) and not isinstance(value, bool) and value < self.minimum:
            return self.default  # e.g. a zero or negative limit would refuse every file
        return value


def flag(raw: str) -> bool:
    """A yes/no setting: 1/true/yes/on or 0/false/no/off (any case); ValueError otherwise."""
    word = raw.strip().lower()
    if word in {"1", "true", "yes", "on"}:
        return True
    if word in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"not a yes/no value: {raw!r}")


DATA_PATH = Setting(
    env="STARGATE_DATA",
    type=Path,
    default=DEFAULT_DATA_PATH,
    help="Dataset file the loader, CLI and dashboards read when no path is given.",
)
MAX_FILE_BYTES = Setting(
    env="STARGATE_MAX_BYTES",
    type=int,
    default=32 * 1024 * 1024,
    help="Largest data file accepted, in bytes; larger files are refused before parsing.",
)
MAX_NODES = Setting(
    env="STARGATE_MAX_NODES",
    type=int,
    default=2_000_000,
    help="Largest number of YAML nodes after alias expansion; stops alias bombs.",
)
MAX_DEPTH = Setting(
    env="STARGATE_MAX_DEPTH",
    type=int,
    default=32,
    help="Deepest nesting of lists and mappings accepted in a data file.",
)
MAX_RECORDS = Setting(
    env="STARGATE_MAX_RECORDS",
    type=int,
    default=100_000,
    help="Most records (rows of all tables together) a data file may hold; reading stops at "
    "the first one past it, before any record is validated.",
)
SITE_URL = Setting(
    env="STARGATE_SITE_URL",
    type=str,
    default="",
    help="Public address of the explainer, used in citations; empty means the page's own address.",
)

CACHE_DIR = Setting(
    env="STARGATE_CACHE",
    type=str,
    default="",
    help="Directory of built page models; empty means the user's cache directory (or one in "
    "the temporary directory when that is not writable). Used only when it is private to the "
    "service's uid (not a symlink, no group or other write); otherwise each process builds "
    "the model in a private temporary directory of its own.",
)
BUILD_SECONDS = Setting(
    env="STARGATE_BUILD_SECONDS",
    type=int,
    default=120,
    help="Longest a kernel waits for a page model to be built from a new data file, in seconds.",
)
BUILD_MEMORY_MB = Setting(
    env="STARGATE_BUILD_MEMORY_MB",
    type=int,
    default=2048,
    help="Limit on the memory the process that builds a page model writes to (its data: heap and private mappings), in MiB.",
)

_PACKAGE_SETTINGS: tuple[Setting, ...] = (
    DATA_PATH,
    MAX_FILE_BYTES,
    MAX_NODES,
    MAX_DEPTH,
    MAX_RECORDS,
    SITE_URL,
    CACHE_DIR,
    BUILD_SECONDS,
    BUILD_MEMORY_MB,
)

# The Voilà server's limits (stargate_explainer.server), read by the server process.
MAX_KERNELS = Setting(
    env="STARGATE_MAX_KERNELS",
    type=int,
    default=5,
    help="Most kernels one Voilà server runs at once; a reader above it gets the page without a "
    "kernel (everything on it works; only Python code that follows the page is off). 0 serves "
    "every reader without one.",
    minimum=0,
)
KERNEL_MB = Setting(
    env="STARGATE_KERNEL_MB",
    type=int,
    default=256,
    help="Memory a new kernel needs, in MiB: with less available (on the machine or under the "
    "service's memory limit) a reader gets the page without a kernel.",
)
KERNEL_START_SECONDS = Setting(
    env="STARGATE_KERNEL_START_SECONDS",
    type=int,
    default=30,
    help="Longest a new kernel may take to answer; after it the reader's page goes on without it.",
)
# Who keeps a kernel, and for how long (stargate_explainer.kernel_slots).
KERNELS_PER_ADDRESS = Setting(
    env="STARGATE_KERNELS_PER_ADDRESS",
    type=int,
    default=2,
    help="Most kernels one client address holds at once (behind a proxy, set "
    "STARGATE_PROXY_HEADERS so that the address is the reader's, not the proxy's).",
)
CONNECT_SECONDS = Setting(
    env="STARGATE_CONNECT_SECONDS",
    type=int,
    default=15,
    help="A kernel whose page has not opened its websocket this many seconds after the "
    "notebook ran (a crawler, a script, a page closed while loading) is stopped.",
)
RECONNECT_SECONDS = Setting(
    env="STARGATE_RECONNECT_SECONDS",
    type=int,
    default=10,
    help="Grace after a page's last websocket closed without the page saying goodbye (a "
    "lost network, a discarded tab) before its kernel is stopped; a page that reconnects "
    "within it keeps its kernel.",
)
IDLE_SECONDS = Setting(
    env="STARGATE_IDLE_SECONDS",
    type=int,
    default=1800,
    help="A kernel whose page has sent nothing for this many seconds is stopped, even with "
    "its websocket open.",
)
SESSION_SECONDS = Setting(
    env="STARGATE_SESSION_SECONDS",
    type=int,
    default=7200,
    help="Longest any kernel lives, in seconds, however active its page.",
)
PING_SECONDS = Setting(
    env="STARGATE_PING_SECONDS",
    type=int,
    default=5,
    help="The server pings each kernel websocket this often, in seconds; one that has answered "
    "no ping for twice as long is closed (a network that vanished without closing it).",
)
PROXY_HEADERS = Setting(
    env="STARGATE_PROXY_HEADERS",
    type=flag,
    default=False,
    help="Take the client's address from X-Real-IP / X-Forwarded-For: only behind a proxy "
    "that sets them (and overwrites what clients send).",
)

# What one kernel websocket may send and be sent (stargate_explainer.server).
WS_HEADER_BYTES = Setting(
    env="STARGATE_WS_HEADER_BYTES",
    type=int,
    default=4096,
    help="Largest header, parent header or metadata of a message a page sends, in bytes.",
)
WS_CONTENT_BYTES = Setting(
    env="STARGATE_WS_CONTENT_BYTES",
    type=int,
    default=65536,
    help="Largest content (with its binary buffers) of a message a page sends, in bytes.",
)
WS_MESSAGES_PER_SECOND = Setting(
    env="STARGATE_WS_MESSAGES_PER_SECOND",
    type=int,
    default=100,
    help="Messages per second a page may send, over any two seconds; a websocket that sends "
    "more is closed.",
)
WS_UNSENT_BYTES = Setting(
    env="STARGATE_WS_UNSENT_BYTES",
    type=int,
    default=8 * 1024 * 1024,
    help="A websocket whose output waiting to be sent passes this many bytes (a client that "
    "asks and does not read) is closed.",
)
WS_CLOSES_PER_KERNEL = Setting(
    env="STARGATE_WS_CLOSES_PER_KERNEL",
    type=int,
    default=3,
    help="A kernel whose websockets were closed this many times for breaking the limits above "
    "is stopped (a page never breaks them; what a kernel was asked keeps it busy after a "
    "close).",
)
WS_PER_KERNEL = Setting(
    env="STARGATE_WS_PER_KERNEL",
    type=int,
    default=2,
    help="Most websockets open on one kernel at once (a page opens one; a reload overlaps "
    "the old one briefly).",
)

# Voilà's HTTP server (stargate_explainer.http_limits).
MAX_BODY_BYTES = Setting(
    env="STARGATE_MAX_BODY_BYTES",
    type=int,
    default=65536,
    help="Largest request body, in bytes (a page posts only a few hundred bytes).",
)
REQUEST_SECONDS = Setting(
    env="STARGATE_REQUEST_SECONDS",
    type=int,
    default=10,
    help="Longest a client may take to send a request's headers, or its body, and longest an "
    "idle connection stays open, in seconds.",
)

SERVER_SETTINGS: tuple[Setting, ...] = (
    MAX_KERNELS,
    KERNEL_MB,
    KERNEL_START_SECONDS,
    KERNELS_PER_ADDRESS,
    CONNECT_SECONDS,
    RECONNECT_SECONDS,
    IDLE_SECONDS,
    SESSION_SECONDS,
    PING_SECONDS,
    PROXY_HEADERS,
    WS_HEADER_BYTES,
    WS_CONTENT_BYTES,
    WS_MESSAGES_PER_SECOND,
    WS_UNSENT_BYTES,
    WS_CLOSES_PER_KERNEL,
    WS_PER_KERNEL,
    MAX_BODY_BYTES,
    REQUEST_SECONDS,
)
ALL_SETTINGS: tuple[Setting, ...] = (*_PACKAGE_SETTINGS, *SERVER_SETTINGS)
