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


# The modules whose code shapes the model: editing any of them makes a new cache entry, so a
# changed label or rule is never hidden behind an old model.
_MODEL_CODE = (
    "page_model.py",
    "originals.py",
    "i18n.py",
    "citation.py",
    "schema.py",
    "validate.py",
    "yaml_reader.py",
    "data_export.py",
    "dataset.py",
)


@functools.cache
def _code_digest() -> str:
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for name in _MODEL_CODE:
        digest.update((package / name).read_bytes())
    return digest.hexdigest()[:12]


def key(data: bytes) -> str:
    digest = hashlib.sha256(data).hexdigest()[:24]
    return f"model-{digest}-{__version__}-{_code_digest()}-f{page_model.FORMAT}"


def model_text(path: Path | str | None = None) -> str:
    """The page model (JSON text) of the data file at `path` (default: the configured data)."""
    return _cached(path, ".json", _build_here)


def csv_files(path: Path | str | None = None) -> dict[str, str]:
    """The dataset as CSV texts, one per table (empty for invalid data), from the same cache."""
    return json.loads(_cached(path, ".csv.json", lambda p: json.dumps(_csv_here(p))))


def _cached(path: Path | str | None, suffix: str, build_here) -> str:
    path = Path(path) if path is not None else settings.DATA_PATH.value()
    try:
        readable = path.is_file() and path.stat().st_size <= settings.MAX_FILE_BYTES.value()
        data = path.read_bytes() if readable else None
    except OSError:
        data = None
    # A file that cannot be read fails at once in the validator: nothing worth caching.
    directory = cache_dir() if data is not None else None
    if directory is None:
        return build_here(path)
    entry = directory / f"{key(data)}-{path.name}"
    target = entry.with_name(entry.name + suffix)
    try:
        return target.read_text("utf-8")
    except OSError:
        pass
    failure = _build_in_child(path, entry)
    if failure is not None:
        return failure if suffix == ".json" else "{}"
    try:
        return target.read_text("utf-8")
    except OSError:
        return build_here(path)


def _build_in_child(path: Path, entry: Path) -> str | None:
    """Build in a child process limited to `settings.BUILD_SECONDS` and
    `settings.BUILD_MEMORY_MB`; a problems model when it ran out of time or failed (a build
    that fails inside the limits must not be retried outside them), else None."""
    try:
        subprocess.run(
            [sys.executable, "-m", "stargate_explainer", "page-model", str(path), str(entry)],
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
    import resource

    limit = settings.BUILD_MEMORY_MB.value() * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _failed(path: Path, message: str) -> str:
    return dumps(page_model.problems_model(path, [Problem(str(path), 1, "(file)", message)]))


def _build_here(path: Path) -> str:
    return dumps(page_model.build_for_file(path))


def _csv_here(path: Path) -> dict[str, str]:
    from .data_export import csv_texts
    from .dataset import load
    from .problems import DataError

    try:
        return csv_texts(load(path))
    except DataError:
        return {}


def write(path: Path, entry: Path) -> None:
    """Build the model and the CSV texts of `path` and write them next to `entry`, atomically
    (the `page-model` command, which the cache runs in a child process)."""
    from .data_export import csv_texts
    from .dataset import from_document
    from .validate import validate_file

    # Validated once for both: the model and the CSV texts.
    document, problems = validate_file(path)
    model = page_model.model_of(path, document, problems)
    _write_atomic(entry.with_name(entry.name + ".json"), dumps(model))
    files = {} if "problems" in model else csv_texts(from_document(document, path))
    _write_atomic(entry.with_name(entry.name + ".csv.json"), json.dumps(files, ensure_ascii=False))


def _write_atomic(out: Path, text: str) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=out.parent, delete=False, suffix=".tmp"
    ) as handle:
        handle.write(text)
    os.replace(handle.name, out)


def dumps(model: dict) -> str:
    return json.dumps(model, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
