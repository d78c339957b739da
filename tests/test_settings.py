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


@pytest.mark.parametrize(
    "setting", [s for s in settings.ALL_SETTINGS if s.type is int], ids=lambda s: s.env
)
def test_every_limit_is_typed_with_a_usable_default_and_help(setting, monkeypatch):
    assert isinstance(setting.default, int) and setting.default >= max(setting.minimum, 1)
    assert setting.help.strip()
    for raw in ("", "lots", str(setting.minimum - 1), "-5"):
        monkeypatch.setenv(setting.env, raw)
        assert setting.value() == setting.default
    monkeypatch.setenv(setting.env, str(setting.minimum))
    assert setting.value() == setting.minimum


def test_the_record_ceiling_leaves_room_for_the_real_data_to_grow(real_path, monkeypatch):
    """The default refuses absurd files yet holds 100 times the curated data (the scale
    benchmark's file)."""
    import yaml

    monkeypatch.delenv("STARGATE_MAX_RECORDS", raising=False)
    data = yaml.safe_load(real_path.read_text("utf-8"))
    records = sum(len(rows) for table, rows in data.items() if table != "meta")
    assert 100 * records <= settings.MAX_RECORDS.value() <= 1_000_000
    monkeypatch.setenv("STARGATE_MAX_RECORDS", "250")
    assert settings.MAX_RECORDS.value() == 250
