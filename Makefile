# Two commands on a fresh machine (python3 and make): `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
AS_OF ?= 2026-11-20

.PHONY: install demo test wheelhouse bench bench-links bench-docs bench-sites bench-render bench-ocr bench-loop bench-web clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	@# headless chromium + CJK fonts for tests/reports/test_browser.py; only when missing and apt-get exists
	command -v chromium >/dev/null || ! command -v apt-get >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk)
	@# antiword + catdoc read DOC/WPS attachments (crawler/documents/doc.py); only when missing and apt-get exists
	command -v antiword >/dev/null && command -v catdoc >/dev/null || ! command -v apt-get >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq antiword catdoc)
	@# tesseract + its chi_sim model read scanned documents under --ocr (crawler/documents/ocr.py); only when missing and apt-get exists
	command -v tesseract >/dev/null && tesseract --list-langs 2>/dev/null | grep -qx chi_sim || ! command -v apt-get >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tesseract-ocr tesseract-ocr-chi-sim)
	touch $(STAMP)

install: $(STAMP)

## Serve the bundled sample sites on loopback, audit them on SQLite, print where the report is.
demo: $(STAMP)
	$(BIN)/python scripts/demo.py --as-of $(AS_OF) --out out/demo --db out/demo.db

## Run the test suite (the same set-up as demo), after checking the floors: an upward import or a cycle fails it.
## TEST_WORKERS pytest-xdist workers, each given whole test files (a file's module fixtures are set up once), the
## slowest first (tests/conftest.py, SLOW_FIRST); TEST_WORKERS=0 runs everything in one process.
TEST_WORKERS ?= 2
test: $(STAMP)
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder $(PYTEST_ARGS)

## Offline install kit for a 政务内网 machine without internet: gkaudit and every dependency as wheels in wheelhouse/,
## made on a connected machine with the same OS and Python version. Copy wheelhouse/ across, then on the intranet:
##   python3 -m venv /opt/gkaudit && /opt/gkaudit/bin/pip install --no-index --find-links wheelhouse gkaudit
wheelhouse: $(STAMP)
	rm -rf wheelhouse
	$(BIN)/python -m pip wheel -q --wheel-dir wheelhouse .
	$(BIN)/python -m pip download -q --dest wheelhouse pip
	@echo "wheelhouse/：$$(ls wheelhouse | wc -l) 个文件。复制到内网机器后：pip install --no-index --find-links wheelhouse gkaudit"

## Benchmark gkaudit against a bare Scrapy spider on a generated province (BENCH_ARGS=--large for 150 × 2,000).
bench: $(STAMP)
	$(BIN)/python scripts/bench/run.py $(BENCH_ARGS)

## Link checking: gkaudit against LinkChecker (pip, into the venv) and linkinator (npm, into .bench/) on one generated site.
bench-links: $(STAMP)
	$(BIN)/python scripts/bench/links.py --install $(BENCH_LINKS_ARGS)

## Documents: gkaudit's readers against pdftotext (poppler) on 500 generated attachments, read_bounded, facts, audits.
bench-docs: $(STAMP)
	@# pdftotext (poppler-utils) and a TrueType CJK font to embed in the generated PDFs; only when missing and apt-get exists
	command -v pdftotext >/dev/null && test -f /usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf || ! command -v apt-get >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils fonts-droid-fallback)
	$(BIN)/python scripts/bench/docs.py --install $(BENCH_DOCS_ARGS)

## Many sites: the time after the crawl that records each site's pages (1,000 and 10,000 sites), old vs batched.
bench-sites: $(STAMP)
	$(BIN)/python scripts/bench/sites.py $(BENCH_SITES_ARGS)

## Rendering: share of pages rendered, pages rendered per second, audit wall time and peak RSS, render on against off.
bench-render: $(STAMP)
	$(BIN)/python scripts/bench/render.py $(BENCH_RENDER_ARGS)

## OCR: CPU per scanned page under --ocr against bare tesseract on the same pictures, confidence.
bench-ocr: $(STAMP)
	$(BIN)/python scripts/bench/ocr.py $(BENCH_OCR_ARGS)

## The loop: time from 「已整改」 to the ledger's decision with gkaudit serve's recheck worker, within politeness.
bench-loop: $(STAMP)
	$(BIN)/python scripts/bench/loop.py $(BENCH_LOOP_ARGS)

## gkaudit serve at province scale: p50/p95 of its pages, 20 concurrent clients, SQLite and PostgreSQL (127.0.0.1:5432).
bench-web: $(STAMP)
	$(BIN)/python scripts/bench/web.py $(BENCH_WEB_ARGS)

clean:
	rm -rf out .pytest_cache wheelhouse
