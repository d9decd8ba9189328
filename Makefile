# `make run` launches the explorer, `make test` runs the tests. Either creates the
# virtual environment on first use; later runs reuse it (it is rebuilt only when
# pyproject.toml changes).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint bench lesson-pictures

$(STAMP): pyproject.toml
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet torch==2.14.1 torchvision==0.29.1
	$(VENV)/bin/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/vae-explorer $(ARGS)

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(VENV)/bin/python -m pytest -q $(ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check vae_explorer tests benchmarks
	$(VENV)/bin/ruff format --check vae_explorer tests benchmarks
	$(VENV)/bin/lint-imports

# The README's picture of each lesson, 256 colours so each stays small.
lesson-pictures: $(STAMP)
	for n in 1 2 3 4 5 6 7; do \
	  QT_QPA_PLATFORM=offscreen $(VENV)/bin/vae-explorer --lesson $$n --screenshot docs/lesson-$$n.png --theme light && \
	  $(VENV)/bin/python -c "import sys; from PIL import Image; p = sys.argv[1]; \
	    Image.open(p).convert('RGB').quantize(256).save(p, optimize=True)" docs/lesson-$$n.png || exit 1; \
	done
