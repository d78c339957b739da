"""model_cache: a reader's kernel reads a cached page model, built once per data file."""

from __future__ import annotations

import json
import shutil

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
