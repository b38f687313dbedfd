# make demo   — bootstrap, then scan the bundled sample portal and write its report
# make test   — bootstrap, then run the test suite
# make bench  — bootstrap, then run the benchmarks (needs nginx-light; bench/peers.py needs npm
#               and Node.js 20 or newer for linkinator)
# make docker-check — build the Dockerfile (with Docker, else in a clean Debian root) and start it
VENV   := .venv
PYTHON := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
# Debian packages the scans, the tests and the benchmarks use.
BROWSER_DEBS := chromium chromium-headless-shell fonts-noto-cjk
TEST_DEBS    := $(BROWSER_DEBS) postgresql redis-server
BENCH_DEBS   := $(BROWSER_DEBS) nginx-light postgresql redis-server

.PHONY: demo test bench lint docker-check clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	-scripts/ensure-debs $(BROWSER_DEBS)  # without a browser the demo still runs, minus 无障碍
	$(VENV)/bin/govscan demo --out demo-report

test: $(STAMP)
	scripts/ensure-debs $(TEST_DEBS)
	$(PYTHON) -m pytest -q -n auto --dist loadfile  # a worker per core; a module's tests together

# Docker when a daemon answers; else the steps run in a Debian root mmdebstrap builds (as root)
docker-check: $(STAMP)
	docker info >/dev/null 2>&1 || scripts/ensure-debs mmdebstrap
	$(PYTHON) -m pytest -q -m image tests/test_image.py

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

bench: $(STAMP)
	scripts/ensure-debs $(BENCH_DEBS)
	$(PYTHON) bench/crawl.py
	$(PYTHON) bench/peers.py
	$(PYTHON) bench/browser.py

clean:
	rm -rf $(VENV) demo-report govscan-report .pytest_cache
