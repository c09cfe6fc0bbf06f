# The two commands a newcomer needs: `make build` and `make test`.
# Debian's python3, where it is 3.11 or newer (pressgen's oldest): Debian builds it with
# profile-guided and link-time optimisation, and pressgen's builds take 5-9 % less CPU on it
# than on a Python compiled without them (pyenv's default, which comes first on PATH on some
# machines). Elsewhere, the python3 on PATH; `make PYTHON=... build` chooses another.
SYSTEM_PYTHON := $(shell /usr/bin/python3 -c 'import sys; print(sys.version_info >= (3, 11))' 2>/dev/null)
PYTHON ?= $(if $(filter True,$(SYSTEM_PYTHON)),/usr/bin/python3,python3)
VENV   := .venv
BIN    := $(VENV)/bin
EDITOR_TOOLS := tests/editor/node_modules/.installed

.PHONY: build test system check catalogs bench gallery clean FORCE

build: system $(VENV)/.installed
	$(BIN)/pressgen build

# The quick benchmark prints the speed table for a small archive; it never fails on
# timing. It runs first so that pytest's summary is the last line of the log.
test: system $(VENV)/.installed $(EDITOR_TOOLS)
	$(BIN)/python bench/run.py --quick
	$(BIN)/pytest -q

check: $(VENV)/.installed
	$(BIN)/pressgen check

catalogs: $(VENV)/.installed
	$(BIN)/pressgen catalogs update

bench: $(VENV)/.installed
	$(BIN)/python bench/run.py

system:
	PYTHON='$(PYTHON)' bash .ci/install-system-packages

# Page 1 of every shipped release in every language, as PNG (linked from the README).
gallery: system $(VENV)/.installed
	rm -rf .gallery-out && $(BIN)/pressgen build -q --force -o .gallery-out
	mkdir -p gallery
	for pdf in .gallery-out/*/*.pdf; do \
	  lang=$$(basename $$(dirname $$pdf)); id=$$(basename $$pdf .pdf); \
	  pdftoppm -png -r 60 -f 1 -l 1 -singlefile $$pdf gallery/$$id-$$lang; \
	done
	rm -rf .gallery-out
	ls gallery

# Reinstall when the dependencies change. `system` runs before every build and
# test: it is quick and skips apt when everything is present.
$(VENV)/.installed: pyproject.toml .ci/install-system-packages $(VENV)/.python
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	@# An editable install leaves pressgen's bytecode to its first run, which an environment with
	@# PYTHONDONTWRITEBYTECODE never writes: every build would compile pressgen anew (0.1 s).
	$(BIN)/python -m compileall -q src/pressgen
	touch $@

# The interpreter the venv was made with: another one (PYTHON) makes it anew, from scratch.
$(VENV)/.python: FORCE
	@if [ "$$(cat $@ 2>/dev/null)" != '$(PYTHON)' ]; then rm -rf $(VENV) && mkdir -p $(VENV) && echo '$(PYTHON)' > $@; fi

FORCE:

# The YAML language server VS Code's YAML extension runs, for tests/test_editor.py:
# pinned by tests/editor/package-lock.json, installed from the npm registry.
$(EDITOR_TOOLS): tests/editor/package.json tests/editor/package-lock.json .ci/install-system-packages
	cd tests/editor && npm ci --no-audit --no-fund --loglevel=error
	touch $@

clean:
	rm -rf out .pressgen
