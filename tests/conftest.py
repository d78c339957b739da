from __future__ import annotations

from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent


@pytest.fixture
def minimal_path() -> Path:
    """A small valid dataset that does not change when the curated data does."""
    return TESTS / "data" / "minimal.yaml"


@pytest.fixture
def real_path() -> Path:
    return ROOT / "data" / "stargate.yaml"
