# Two commands on a fresh machine: `make serve` and `make test`. Both create .venv with this
# machine's python3 and install the package when .venv is missing or pyproject.toml changed.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-from-pyproject
# The browser tests' JavaScript (axe-core, pinned in package.json and package-lock.json).
NODE_STAMP := node_modules/.installed-from-lock
PORT   ?= 8866
DASHBOARD ?= dashboards/stargate.ipynb
# JupyterLab refuses to run as root without this flag; CI and these machines run as root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)

# Kernels run in dashboards/, so a relative data path is made absolute here.
ifdef STARGATE_DATA
export STARGATE_DATA := $(abspath $(STARGATE_DATA))
endif

.PHONY: serve test bench export lab validate schema export-data format clean

# pip's own output is the progress shown while the environment is built. setuptools prints an
# "Editable installation" notice (a general caution about folders named like the package) on
# every editable install of a flat layout; it does not apply here, so it is filtered out.
$(STAMP): pyproject.toml
	@echo "Building $(VENV): pip installs the package and its dependencies (about 700 MB on disk; a minute or two on a first run)."
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check --upgrade pip
	PYTHONWARNINGS="ignore:Editable installation" \
	  $(BIN)/python -m pip install --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

# `npm ci` installs exactly what package-lock.json names (its integrity hashes checked) into
# node_modules; npm prints each download (--loglevel=http) and what it added.
$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is missing: the browser tests need Node.js 20+ and npm (Debian: apt-get install nodejs npm)." >&2; exit 1; }
	@echo "Installing the test tools' JavaScript from package-lock.json (axe-core, the accessibility rules; about 3 MB)."
	npm ci --no-audit --no-fund --loglevel=http
	touch $(NODE_STAMP)

# voila.json (read from this directory) holds the server settings; JUPYTER_PATH lets Voilà find
# the repository's offline template in assets/jupyter.
serve: $(STAMP)
	$(BIN)/python -m stargate_explainer warm-cache
	JUPYTER_PATH=$(CURDIR)/assets/jupyter $(BIN)/voila $(DASHBOARD) --port=$(PORT)

test: $(STAMP) $(NODE_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python bench/run.py

lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=dashboards --no-browser $(ROOT_FLAG)

validate: $(STAMP)
	$(BIN)/python -m stargate_explainer validate

schema: $(STAMP)
	$(BIN)/python -m stargate_explainer schema > data/stargate.schema.json

export: $(STAMP)
	$(BIN)/python -m stargate_explainer export-site site

export-data: $(STAMP)
	$(BIN)/python -m stargate_explainer export-data site/data

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) node_modules site .pytest_cache .ruff_cache
