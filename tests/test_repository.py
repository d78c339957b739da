"""The set-up contract: dependencies declared once, environment.yml installing the package,
CI running the README's test command."""

from __future__ import annotations

import tomllib

import yaml

from .conftest import ROOT


def test_environment_yml_installs_the_package_through_pip():
    environment = yaml.safe_load((ROOT / "environment.yml").read_text("utf-8"))
    pip_sections = [d["pip"] for d in environment["dependencies"] if isinstance(d, dict)]
    assert pip_sections, "environment.yml has no pip: section"
    assert any(entry.split()[-1] == "." for entry in pip_sections[0]), pip_sections
    conda_names = {d.split("=")[0] for d in environment["dependencies"] if isinstance(d, str)}
    assert conda_names <= {"python", "pip"}, "dependencies belong in pyproject.toml, not here"


def test_pyproject_declares_the_stack():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    assert project["name"] == "stargate-explainer"
    names = {d.split(">")[0].split("=")[0].split("[")[0] for d in project["dependencies"]}
    assert {"jupyterlab", "voila", "ipywidgets", "plotly", "pandas", "pyyaml"} <= names
    test_names = {d.split(">")[0] for d in project["optional-dependencies"]["test"]}
    assert {"pytest", "playwright", "ruff"} <= test_names


def test_ci_installs_browser_and_fonts_then_runs_make_test():
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert "apt-get update" in ci
    assert "chromium" in ci and "fonts-noto-cjk" in ci
    assert ci.rstrip().splitlines()[-1] == "make test"


def test_every_voila_setting_is_explained_in_the_deploy_guide():
    import json

    settings = json.loads((ROOT / "voila.json").read_text("utf-8"))
    guide = (ROOT / "docs" / "deploy.md").read_text("utf-8")
    table = [line for line in guide.splitlines() if line.startswith("| `")]
    for section, values in settings.items():
        for key in values:
            assert any(section in row and key in row for row in table), f"{section}.{key}"
