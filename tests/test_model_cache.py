"""model_cache: a reader's kernel reads a cached page model, built once per data file."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from stargate_explainer import model_cache

from .conftest import ROOT


@pytest.fixture
def cache(tmp_path, monkeypatch):
    directory = tmp_path / "cache"
    monkeypatch.setenv("STARGATE_CACHE", str(directory))
    return directory


@pytest.fixture
def data_file(tmp_path):
    path = tmp_path / "stargate.yaml"
    shutil.copy(ROOT / "data" / "stargate.yaml", path)
    return path


def test_a_model_is_built_once_then_read(cache, data_file):
    first = model_cache.model_text(data_file)
    entries = sorted(p.name for p in cache.iterdir())
    assert len(entries) == 1
    assert model_cache.model_text(data_file) == first
    assert sorted(p.name for p in cache.iterdir()) == entries


def test_editing_the_data_makes_a_new_entry(cache, data_file):
    model_cache.model_text(data_file)
    data_file.write_text(data_file.read_text("utf-8").replace("updated: '", "updated: '", 1) + "\n")
    model_cache.model_text(data_file)
    assert len([p for p in cache.iterdir() if p.suffixes[-1:] == [".json"]]) == 2


def test_with_no_writable_cache_the_model_is_built_for_this_process(
    tmp_path, monkeypatch, data_file
):
    # A directory cannot be made under a file, whoever runs the test (root included).
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("STARGATE_CACHE", str(blocker / "cache"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker / "xdg"))
    monkeypatch.setattr(model_cache.tempfile, "tempdir", str(blocker / "tmp"))
    monkeypatch.setattr(model_cache, "_process_directory", None)
    assert model_cache.cache_dir() is None
    model = json.loads(model_cache.model_text(data_file))
    assert "data" in model


def test_a_build_that_takes_too_long_gives_a_readable_problem(cache, data_file, monkeypatch):
    monkeypatch.setenv("STARGATE_BUILD_SECONDS", "1")
    monkeypatch.setattr(model_cache.subprocess, "run", _timeout)
    model = json.loads(model_cache.model_text(data_file))
    assert "took over 1 s" in model["problems"]["items"][0]
    assert model["problems"]["file"] == "stargate.yaml"


def test_a_build_that_fails_in_its_limits_is_not_retried_without_them(
    cache, data_file, monkeypatch
):
    monkeypatch.setenv("STARGATE_BUILD_MEMORY_MB", "64")
    monkeypatch.setattr(model_cache, "_build_here", _must_not_run)
    model = json.loads(model_cache.model_text(data_file))
    assert "memory limit 64 MiB" in model["problems"]["items"][0]


def _must_not_run(path):
    raise AssertionError(f"built {path} in the reader's process")


def _timeout(*args, **kwargs):
    raise model_cache.subprocess.TimeoutExpired(args[0], kwargs.get("timeout"))


def test_a_missing_file_is_not_cached(cache, tmp_path):
    model = json.loads(model_cache.model_text(tmp_path / "nowhere.yaml"))
    assert "file not found" in model["problems"]["items"][0]
    assert not cache.exists() or not any(cache.iterdir())


def test_the_key_names_the_content_and_is_empty_for_an_unreadable_file(cache, data_file, tmp_path):
    key = model_cache.model_key(data_file)
    assert key.startswith("model-") and key == model_cache.model_key(data_file)
    data_file.write_text(data_file.read_text("utf-8") + "\n", encoding="utf-8")
    assert model_cache.model_key(data_file) not in ("", key)
    assert model_cache.model_key(tmp_path / "nowhere.yaml") == ""


# A private cache: what it holds reaches every reader, and its file names are public.

ANOTHER_UID = 65534  # "nobody"
PLANTED = '{"planted": "by another user"}'
SECRET = '{"secret": "only the service may read this"}'


@pytest.fixture
def shared_tmp(tmp_path, monkeypatch, request):
    """A world-writable temporary directory (like /tmp) as the only place left for the cache:
    STARGATE_CACHE unset and the user's cache directory not writable."""
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    # In the system's temporary directory, so that another user can reach it (pytest's own
    # directories are private to this uid).
    shared = Path(tempfile.mkdtemp(prefix="stargate-shared-tmp-"))
    shared.chmod(0o1777)
    request.addfinalizer(lambda: shutil.rmtree(shared, ignore_errors=True))
    monkeypatch.delenv("STARGATE_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker / "xdg"))
    monkeypatch.setattr(model_cache.tempfile, "tempdir", str(shared))
    monkeypatch.setattr(model_cache, "_process_directory", None)
    return shared


# What the other user runs (a shell: this uid's Python may not be theirs to run): make this
# uid's cache directory first, open to everyone, and put in it, as the model of the data, either
# a file of their own ($3 = file, $4 its text) or a symlink to a file only this uid can read
# ($3 = symlink, $4 its path).
PLANT = """
set -e
mkdir "$1" && chmod 777 "$1"
if [ "$3" = symlink ]; then ln -s "$4" "$1/$2.json"; else printf '%s' "$4" > "$1/$2.json"; fi
"""


def as_another_user(script: str, *args: str) -> None:
    subprocess.run(
        ["/bin/sh", "-c", script, "plant", *args],
        check=True,
        user=ANOTHER_UID,
        group=ANOTHER_UID,
        extra_groups=[],
        cwd="/",
        timeout=60,
    )


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to act as a second user")
@pytest.mark.parametrize("planted", ["file", "symlink"])
def test_a_cache_planted_by_another_user_is_never_served(shared_tmp, data_file, tmp_path, planted):
    """The attack of the issue, with two real uids: another user creates this uid's cache
    directory in the shared temporary directory first, with a model of their own, or with a
    symlink to a file only this uid can read."""
    secret = tmp_path / "secret.json"
    secret.write_text(SECRET)
    secret.chmod(0o600)
    planted_dir = shared_tmp / f"stargate-explainer-{os.getuid()}"
    entry = f"{model_cache.key(data_file.read_bytes())}-{data_file.name}"
    what = PLANTED if planted == "file" else str(secret)
    as_another_user(PLANT, str(planted_dir), entry, planted, what)
    assert planted_dir.stat().st_uid == ANOTHER_UID

    model = model_cache.model_text(data_file)
    assert "data" in json.loads(model)
    assert "planted" not in model and "secret" not in model
    # Built in a private directory of this process, not in the planted one.
    used = model_cache.cache_dir()
    assert used != planted_dir
    assert used.stat().st_uid == os.geteuid() and used.stat().st_mode & 0o077 == 0


def test_a_cache_directory_others_can_write_to_is_not_used(cache, data_file):
    cache.mkdir(mode=0o700)
    (cache / f"{model_cache.key(data_file.read_bytes())}-{data_file.name}.json").write_text(PLANTED)
    cache.chmod(0o777)
    assert model_cache.cache_dir() != cache
    assert "planted" not in model_cache.model_text(data_file)


def test_a_symlinked_cache_directory_is_not_used(cache, data_file, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    cache.symlink_to(elsewhere)
    assert model_cache.cache_dir() != cache
    assert "data" in json.loads(model_cache.model_text(data_file))
    assert not any(elsewhere.iterdir())


@pytest.mark.parametrize("kind", ["symlink", "hard-link", "fifo", "other-owner"])
def test_only_regular_files_of_this_uid_are_read_from_the_cache(cache, data_file, tmp_path, kind):
    """What could be left in a private directory that was once loose, or by a bug: nothing of
    it is read (the model is built again and replaces it)."""
    model_cache.model_text(data_file)  # the directory exists and is private
    name = f"{model_cache.key(data_file.read_bytes())}-{data_file.name}.json"
    entry = cache / name
    entry.unlink()
    secret = tmp_path / "secret.json"
    secret.write_text(SECRET)
    secret.chmod(0o600)
    if kind == "symlink":
        entry.symlink_to(secret)
    elif kind == "hard-link":
        os.link(secret, entry)
    elif kind == "fifo":
        os.mkfifo(entry)
    else:
        if os.geteuid() != 0:
            pytest.skip("needs root to give a file to another uid")
        entry.write_text(PLANTED)
        os.chown(entry, ANOTHER_UID, ANOTHER_UID)
    assert model_cache._read_private(cache, name) is None
    model = model_cache.model_text(data_file)  # returns at once: a FIFO is not waited on
    assert "secret" not in model and "planted" not in model
    assert "data" in json.loads(model)


def test_the_cache_directory_and_its_files_are_private(cache, data_file):
    model_cache.model_text(data_file)
    assert cache.stat().st_mode & 0o777 == 0o700
    for entry in cache.iterdir():
        assert entry.stat().st_mode & 0o077 == 0, entry.name
        assert not entry.name.endswith(".tmp")
