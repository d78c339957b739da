"""The page model of a data file, built once per file content and then read from a cache.

A reader's kernel only hashes the data file and reads the cached JSON text: it never imports
pandas, pydantic or PyYAML. On a miss the model is built in a child process with bounded time
and memory (a hostile file cannot stall or swell the kernel), and written atomically. The key is
the file's SHA-256, the package version, a digest of the modules that build the model and the
model's format, so editing the data or that code gives a new entry. The cache directory is
`$STARGATE_CACHE`, else the user's cache directory, else one in the temporary directory: a
read-only checkout works.

The cache is private: what it holds reaches every reader, and its file names follow from the
public repository. A directory is used only when it is a real directory (not a symlink) owned by
this uid that no other user can write to, and a file only when it is a regular file of this uid
with one link, opened without following symlinks. Another local user who creates the temporary
directory's cache first, or plants a file or a symlink in a loose one, is ignored: the model is
then built in a new private temporary directory for this process.
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import json
import os
import secrets
import shutil
import stat
import subprocess
import sys
import tempfile
from contextlib import suppress
from pathlib import Path

from . import __version__, page_model, settings
from .problems import Problem


def cache_dir() -> Path | None:
    """The first private cache directory (see the module docstring), created if needed; None
    when there is none."""
    candidates = []
    configured = settings.CACHE_DIR.value()
    if configured:
        candidates.append(Path(configured))
    xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    candidates.append(Path(xdg) / "stargate-explainer")
    candidates.append(Path(tempfile.gettempdir()) / f"stargate-explainer-{os.getuid()}")
    for directory in candidates:
        try:
            directory.parent.mkdir(parents=True, exist_ok=True)
            with suppress(FileExistsError):
                directory.mkdir(mode=0o700)
            os.close(_open_private_dir(directory))
        except OSError:
            continue
        return directory
    return _process_dir()


# This process's own private temporary directory, made when no shared one is private.
_process_directory: Path | None = None


def _process_dir() -> Path | None:
    """This process's private temporary directory (removed when it exits): made the first
    time no shared cache directory is private; None when nothing is writable."""
    global _process_directory
    if _process_directory is None:
        try:
            _process_directory = Path(tempfile.mkdtemp(prefix="stargate-explainer-"))
        except OSError:
            return None
        atexit.register(shutil.rmtree, _process_directory, ignore_errors=True)
    return _process_directory


def _open_private_dir(directory: Path) -> int:
    """A file descriptor of `directory` when it is private to this uid; OSError otherwise."""
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    info = os.fstat(fd)
    if info.st_uid != os.geteuid() or info.st_mode & 0o022 or info.st_mode & 0o700 != 0o700:
        os.close(fd)
        raise PermissionError(f"{directory} is not private to uid {os.geteuid()}")
    return fd


def _read_private(directory: Path, name: str) -> str | None:
    """The text of `directory`/`name` when both are private to this uid, else None."""
    try:
        directory_fd = _open_private_dir(directory)
    except OSError:
        return None
    try:
        # O_NONBLOCK: a FIFO must not hang the reader before it is seen not to be a file.
        flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK
        fd = os.open(name, flags, dir_fd=directory_fd)
    except OSError:
        return None
    finally:
        os.close(directory_fd)
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid() or info.st_nlink != 1:
            return None
        try:
            return handle.read().decode("utf-8")
        except (OSError, UnicodeDecodeError):
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
    cached = _read_private(directory, target.name)
    if cached is not None:
        return entry, cached
    failure = _build_in_child(path, target)
    if failure is not None:
        return "", failure
    cached = _read_private(directory, target.name)
    return entry, cached if cached is not None else _build_here(path)


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
    """Write `out` through a new file in its (private) directory, then rename it into place:
    a reader never sees half a model, and nothing planted in the directory is followed."""
    out.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    directory_fd = _open_private_dir(out.parent)
    temporary = f".{out.name}.{secrets.token_hex(8)}.tmp"
    try:
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
        fd = os.open(temporary, flags, 0o600, dir_fd=directory_fd)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temporary, out.name, src_dir_fd=directory_fd, dst_dir_fd=directory_fd)
    except BaseException:
        with suppress(OSError):
            os.unlink(temporary, dir_fd=directory_fd)
        raise
    finally:
        os.close(directory_fd)


def dumps(model: dict) -> str:
    return json.dumps(model, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
