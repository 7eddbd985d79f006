# The two commands: `make run` opens the app on the bundled gazetteer, `make test` runs the suite.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test lint screenshot bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	@if [ -z "$$DISPLAY" ] && [ -z "$$WAYLAND_DISPLAY" ] && [ -z "$$QT_QPA_PLATFORM" ]; then \
	  echo "No display found (DISPLAY and WAYLAND_DISPLAY are empty)."; \
	  echo "Run the app on a desktop session, or try: xvfb-run -a make run"; \
	  echo "The command-line tool works without a display: .venv/bin/gazetteer --help"; \
	  exit 1; fi
	$(PY) -m ui.app

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q

# ruff over everything, mypy --strict over gazetteer/ and db/ (DESIGN.md's conventions).
lint: $(STAMP)
	$(PY) -m pip install --quiet ruff mypy
	$(PY) -m ruff check .
	$(PY) -m ruff format --check gazetteer db ui
	$(PY) -m mypy

screenshot: $(STAMP)
	@command -v xvfb-run >/dev/null && command -v xauth >/dev/null || { \
	  echo "make screenshot needs Xvfb: sudo apt-get install xvfb xauth"; exit 1; }
	xvfb-run -a -s "-screen 0 1400x900x24" $(PY) scripts/screenshot.py docs/screenshot.png

bench: $(STAMP)
	$(PY) -m pip install --quiet -e '.[test,bench]'
	$(PY) bench/search.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
