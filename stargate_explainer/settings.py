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
        if isinstance(value, int) and value < self.minimum:
            return self.default  # e.g. a zero or negative limit would refuse every file
        return value


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
    help="Directory of built page models; empty means the user's cache directory (or a "
    "temporary one when that is not writable).",
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
SERVER_SETTINGS: tuple[Setting, ...] = (MAX_KERNELS, KERNEL_MB, KERNEL_START_SECONDS)
ALL_SETTINGS: tuple[Setting, ...] = (*_PACKAGE_SETTINGS, *SERVER_SETTINGS)
