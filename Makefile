# The two commands a newcomer needs: `make extract IN=<dir>` and `make test`.
# Each sets up what is missing first (system packages, the virtualenv).
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# One report of each family, in every variant (the whole committed set: fixtures/corpus/docs).
IN ?= fixtures/corpus/docs/mof_project-00010 fixtures/corpus/docs/dept_overall-00004 fixtures/corpus/docs/gd_fund-00003
OUT ?= out
N ?= 40
CORPUS ?= bench/corpus
# The faces the bench corpus is drawn in: every installed CJK face, the held-out ones
# (fixtures/generator/fonts.yaml) for 40% of the reports, reported apart and never fitted on.
FONTS ?= mixed
# How cell text sits across its cell: left, center, or mixed (drawn per report, half centred).
CELLS ?= mixed
# One of each family and layout variant, consistent and not (see fixtures/README.md).
SAMPLE_REPORTS := mof_project:10,mof_project:5,mof_project:7:bad,dept_overall:4,dept_overall:11:bad,gd_fund:3,gd_fund:4,gd_fund:10:bad,gd_fund:12:bad

.PHONY: setup extract test fuzz corpus bench calibrate baseline samples schema clean

setup: $(STAMP)

$(STAMP): pyproject.toml .ci/constraints.txt scripts/install-system-deps.sh scripts/install-python-deps.sh
	bash scripts/install-system-deps.sh
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	# One OpenCV (opencv-python-headless): rapidocr-onnxruntime's opencv-python is left out.
	bash scripts/install-python-deps.sh $(PY) dev
	touch $(STAMP)

# IN is one path (spaces allowed: IN="/data/某局 自评表") or, if no such path exists,
# several paths separated by spaces (as the default).
extract: $(STAMP)
	@if [ -e "$(IN)" ]; then set -- "$(IN)"; else set -- $(IN); fi; \
	  echo $(PY) -m pipeline extract "$$@" --out "$(OUT)"; \
	  $(PY) -m pipeline extract "$$@" --out "$(OUT)"

# The tests also need a PostgreSQL server (tests/db starts a throwaway one on loopback)
# and a headless browser (tests/review opens review.html in Debian's chromium).
TEST_SYSTEM_PACKAGES := postgresql chromium

test: $(STAMP)
	bash scripts/install-system-deps.sh $(TEST_SYSTEM_PACKAGES)
	$(PY) -m pytest -q

# Coverage-guided fuzzing (atheris) of the text parser and the PDF entry point, each for
# FUZZ_SECONDS, seeded from the committed fixtures; not part of `make test`. Crashes land
# in fuzz/work/<target>/artifacts/ (see fuzz/run.py).
FUZZ_SECONDS ?= 60
fuzz: $(STAMP)
	bash scripts/install-python-deps.sh $(PY) dev,fuzz
	$(PY) -m fuzz.run --seconds $(FUZZ_SECONDS)

# The benchmark corpus (outside git): N reports in every variant, with truth.
corpus: $(STAMP)
	$(PY) -m fixtures.generator.build --out $(CORPUS) --n $(N) --seed 1000 --fonts $(FONTS) --cells $(CELLS)

# The small committed corpus used by tests and by `make extract` with no IN.
samples: $(STAMP)
	rm -rf fixtures/corpus
	$(PY) -m fixtures.generator.build --out fixtures/corpus --reports $(SAMPLE_REPORTS)

baseline:
	bash scripts/setup-baseline-venv.sh

bench: $(STAMP) baseline
	test -f $(CORPUS)/corpus.json || $(MAKE) corpus
	$(PY) -m bench.run --corpus $(CORPUS) --out bench/results.json $(BENCH_ARGS)

# Refit the confidence calibration (config/calibration-model.json) from the records the
# last `make bench` cached in bench/work/records; it prints the held-out reliability table.
calibrate: $(STAMP)
	$(PY) -m bench.calibrate --corpus $(CORPUS)

schema: $(STAMP)
	$(PY) -m pipeline schema > schema/record.schema.json

clean:
	rm -rf "$(OUT)" bench/work
