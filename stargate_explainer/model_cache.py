"""The page model of a data file, built once per file content and then read from a cache.

A reader's kernel only hashes the data file and reads the cached JSON text: it never imports
pandas, pydantic or PyYAML. On a miss the model is built in a child process with bounded time
and memory (a hostile file cannot stall or swell the kernel), and written atomically. The key is
the file's SHA-256, the package version, a digest of the modules that build the model and the
model's format, so editing the data or that code gives a new entry. The cache directory is
`$STARGATE_CACHE`, else the user's cache directory, else a temporary one: a read-only checkout
works, and if nothing is writable the model is built for this process only.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from . import __version__, page_model, settings
from .problems import Problem


def cache_dir() -> Path | None:
    """The first usable cache directory, created if needed; None when nothing is writable."""
    candidates = []
    configured = settings.CACHE_DIR.value()
    if configured:
        candidates.append(Path(configured))
    xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    candidates.append(Path(xdg) / "stargate-explainer")
    candidates.append(Path(tempfile.gettempdir()) / f"stargate-explainer-{os.getuid()}")
    for directory in candidates:
        try:
            directory.mkdir(parents=True, exist_ok=True)
            if os.access(directory, os.W_OK):
                return directory
        except OSError:
            continue
    return None


@functools.cache
def _code_digest() -> str:
    """A digest of every module of the package and of the layout engine it vendors: the model is
    built from many of them (the schema, the validator, the words, the funding rules, the org
    chart's layout…), so any change to that code gives a new cache entry rather than a model
    built by the code before it."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for module in sorted([*package.glob("*.py"), *package.glob("vendor/**/*.js")]):
        digest.update(module.name.encode() + b"\0" + module.read_bytes())
    return digest.hexdigest()[:12]


def key(data: bytes) -> str:
    digest = hashlib.sha256(data).hexdigest()[:24]
    return f"model-{digest}-{__version__}-{_code_digest()}-f{page_model.FORMAT}"


def model_key(path: Path | str | None = None) -> str:
    """The cache key of the data file's page model: pages that carry a model say which one, so a
    widget can find it there instead of asking its kernel. "" when the file cannot be read."""
    data = _read(_resolve(path))
    return "" if data is None else key(data)


def model_text(path: Path | str | None = None) -> str:
    """The page model (JSON text) of the data file at `path` (default: the configured data)."""
    return model_entry(path)[1]


def model_entry(path: Path | str | None = None) -> tuple[str, str]:
    """The key and the page model of the data file, read at once (a file edited meanwhile
    cannot give one's key with the other's model)."""
    path = _resolve(path)
    data = _read(path)
    # A file that cannot be read fails at once in the validator: nothing worth caching.
    directory = cache_dir() if data is not None else None
    if directory is None:
        return "", _build_here(path)
    entry = key(data)
    target = directory / f"{entry}-{path.name}.json"
    try:
        return entry, target.read_text("utf-8")
    except OSError:
        pass
    failure = _build_in_child(path, target)
    if failure is not None:
        return "", failure
    try:
        return entry, target.read_text("utf-8")
    except OSError:
        return entry, _build_here(path)


def _resolve(path: Path | str | None) -> Path:
    return Path(path) if path is not None else settings.DATA_PATH.value()


def _read(path: Path) -> bytes | None:
    """The file's bytes, or None when it cannot be read or is over the size limit."""
    try:
        readable = path.is_file() and path.stat().st_size <= settings.MAX_FILE_BYTES.value()
        return path.read_bytes() if readable else None
    except OSError:
        return None


def _build_in_child(path: Path, target: Path) -> str | None:
    """Build in a child process limited to `settings.BUILD_SECONDS` and
    `settings.BUILD_MEMORY_MB`; a problems model when it ran out of time or failed (a build
    that fails inside the limits must not be retried outside them), else None."""
    try:
        subprocess.run(
            [sys.executable, "-m", "stargate_explainer", "page-model", str(path), str(target)],
            check=True,
            capture_output=True,
            timeout=settings.BUILD_SECONDS.value(),
            preexec_fn=_limit_memory if os.name == "posix" else None,  # noqa: PLW1509
        )
    except subprocess.TimeoutExpired:
        return _failed(path, f"building the views took over {settings.BUILD_SECONDS.value()} s")
    except subprocess.CalledProcessError:
        return _failed(
            path, f"building the views failed (memory limit {settings.BUILD_MEMORY_MB.value()} MiB)"
        )
    except OSError:
        pass
    return None


def _limit_memory() -> None:
    """Limits the memory the build writes to (RLIMIT_DATA: the heap and private writable
    mappings, where every allocation of Python, pydantic and V8 lands), not its address space:
    V8, which lays out the org chart, reserves far more address space than it ever uses, and
    RLIMIT_AS made it abort."""
    import resource

    limit = settings.BUILD_MEMORY_MB.value() * 2**20
    resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))


def _failed(path: Path, message: str) -> str:
    return dumps(page_model.problems_model(path, [Problem(str(path), 1, "(file)", message)]))


def _build_here(path: Path) -> str:
    return dumps(page_model.build_for_file(path))


def write(path: Path, out: Path) -> None:
    """Build the page model of `path` and write it to `out`, atomically (the `page-model`
    command, which the cache runs in a child process)."""
    _write_atomic(out, _build_here(path))


def _write_atomic(out: Path, text: str) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=out.parent, delete=False, suffix=".tmp"
    ) as handle:
        handle.write(text)
    os.replace(handle.name, out)


def dumps(model: dict) -> str:
    return json.dumps(model, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
