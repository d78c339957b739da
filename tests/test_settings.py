from __future__ import annotations

import pytest

from stargate_explainer import settings


@pytest.mark.parametrize("raw", ["", "  ", "lots", "0", "-5", "3.5"])
def test_unusable_limits_fall_back_to_the_default(monkeypatch, raw):
    monkeypatch.setenv("STARGATE_MAX_DEPTH", raw)
    assert settings.MAX_DEPTH.value() == settings.MAX_DEPTH.default


def test_a_usable_limit_is_taken(monkeypatch):
    monkeypatch.setenv("STARGATE_MAX_DEPTH", "12")
    assert settings.MAX_DEPTH.value() == 12


def test_data_path_setting(monkeypatch, tmp_path):
    monkeypatch.setenv("STARGATE_DATA", str(tmp_path / "x.yaml"))
    assert settings.DATA_PATH.value() == tmp_path / "x.yaml"
