# Two commands matter: `make run` and `make test`. Both work on a fresh machine with Python.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-fast lint format messages install collectstatic worker beat clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

## run: install, migrate, load the demo county (once) and serve http://127.0.0.1:8000
run: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py seed_demo --if-empty
	@echo "打开 http://$(HOST):$(PORT)/ ，用上面的演示账号登录。"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

## test: install, lint, check migrations and run the whole suite (see scripts/test)
test: install
	bash scripts/test

## test-fast: unit tests on SQLite only (no worker, no browser)
test-fast: install
	$(BIN)/pytest -m "not integration and not e2e" -q

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint templates ./*/templates --lint
	$(BIN)/mypy

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## messages: refresh the zh_Hans catalog from the source strings and compile it
messages: install
	$(BIN)/python manage.py makemessages -l zh_Hans --no-obsolete --ignore=.venv --ignore=static --ignore=tests
	$(BIN)/python manage.py compilemessages -l zh_Hans --ignore=.venv

worker: install
	$(BIN)/celery -A registry worker -l INFO -Q scoring,exports,imports,notifications,periodic,celery

beat: install
	$(BIN)/celery -A registry beat -l INFO

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache staticfiles .test-db.sqlite3*
