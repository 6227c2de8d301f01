# The two commands a user needs: `make demo` and `make test`. Both install what they need.
VENV    := .venv
PY      := $(VENV)/bin/python
DOSSIER := $(VENV)/bin/dossier
SUDO    := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PKGS := poppler-utils qpdf fonts-noto-cjk fonts-wqy-zenhei fonts-arphic-uming fonts-arphic-ukai chromium
DEMO_SEED ?= 20240312
DEMO_PAGES ?= 80

.PHONY: install system demo test accuracy cross-generator checks speed fuzz fuzz-api train clean

install: system $(VENV)/.installed

# System packages: poppler for rasterizing, qpdf for checks, CJK fonts for the generator and the PDF,
# Chromium for the review page's browser tests (Playwright drives Debian's own build: nothing downloaded).
system:
	@missing=""; for p in $(APT_PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test,train,synth,bench,ray]'  # everything; `pip install .` alone compiles, serves, reviews
	@# Without their declared dependencies, on purpose: nvidia-pytriton is here for its tritonserver
	@# binary (the tests' real Triton), not its Python API, which pins numpy<2; onnx2torch (the torch
	@# backend) asks for torchvision, which has no build for the CPU torch pin and which our graphs
	@# never need.
	$(PY) -m pip install -q --no-deps nvidia-pytriton==0.7.0 onnx2torch==1.5.15
	touch $@

demo: install
	rm -rf demo
	$(DOSSIER) synth --pages $(DEMO_PAGES) --seed $(DEMO_SEED) --output demo/case
	$(DOSSIER) compile demo/case/scans --output demo/out
	$(DOSSIER) eval --truth demo/case/truth.json --catalog demo/out/catalog.json --pdf demo/out/dossier.pdf --json demo/eval.json
	$(DOSSIER) verify demo/out

test: install
	$(VENV)/bin/pytest -q -n 2  # two workers: the 2-core CI machine, under 12 minutes

# Accuracy on generated cases, rule baseline and page model side by side (about 6 minutes on
# 2 cores); HARD=1 for the hard split, INDEPENDENT=1 for the independent generator's cases, FORMS=1
# for the third generator's (each with its own seeds).
accuracy: install
	$(PY) -m benchmarks.accuracy $(if $(HARD),--hard --seeds 6201 6202 6203,) $(if $(INDEPENDENT),--independent --seeds 8101 8102 8103,) $(if $(FORMS),--forms --seeds 8101 8102 8103,)

# Every classifier on every generator, each page model scored on the generators it did not learn
# from (trains one on the independent generator first, cached in .cache/training; about an hour).
cross-generator: install
	$(PY) -m benchmarks.cross_generator --seeds 8101 8102 8103 --pages 70

# The quality checks: recall on injected defects, false findings, parties (benchmarks/RESULTS.md)
checks: install
	$(PY) -m benchmarks.checks --seeds 8301 8302 8303 --pages 60

# Speed: a generated case (PAGES, 200) compiled end to end, and the same pages through OCRmyPDF
# with Tesseract's chi_sim (installed here from Debian), timed in the same run with both CERs.
PAGES ?= 200
speed: install
	@dpkg -s ocrmypdf tesseract-ocr-chi-sim >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq ocrmypdf tesseract-ocr-chi-sim; }
	$(PY) -m benchmarks.speed --pages $(PAGES)

# Fuzz the ingest (any bytes under any name: read, or refused by name) for SECONDS; the summary
# goes to benchmarks/results/fuzz-ingest-DATE.json.
SECONDS ?= 600
fuzz: install
	$(PY) -m pip install -q -e '.[fuzz]'
	$(PY) -m benchmarks.fuzz_ingest -max_total_time=$(SECONDS)

# The HTTP API under Schemathesis for SECONDS: `dossier serve --no-ray` with a fresh data folder and
# key, on DB (sqlite, or postgresql: a throwaway server from Debian's postgresql package); the
# summary (requests, server errors, undocumented statuses, conformance failures) goes to
# benchmarks/results/fuzz-api-DATE-DB.json and .md.
DB ?= sqlite
fuzz-api: install
	@[ "$(DB)" != postgresql ] || dpkg -s postgresql >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq postgresql; }
	$(PY) -m benchmarks.fuzz_api --seconds $(SECONDS) --db $(DB)

# The shipped page model's recipe from scratch: 720 generated pages read once (cached in
# .cache/training), then 30 epochs; about 25 minutes on 2 cores. It writes a new version beside
# the shipped ones (VERSION, v2 by default) and refuses to replace an existing one: rebuilding
# v1 itself takes `make train VERSION=v1 FORCE=1`.
VERSION ?= v2
train: install
	$(DOSSIER) train --synth-pages 720 --output classification/page_models/$(VERSION) $(if $(FORCE),--force,)

clean:
	rm -rf $(VENV) demo *.egg-info
