# 惠企政策兑现平台 — `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1
export DJANGO_SETTINGS_MODULE ?= portal.settings.dev

.DEFAULT_GOAL := help
.PHONY: help run test lint format migrate load serve worker beat clean-db check-deploy vendor-echarts

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-14s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@command -v $(PYTHON) >/dev/null || { echo "需要 Python 3.11（$(PYTHON)）"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed ## create .venv and install the (dev) requirements

migrate: venv ## apply database migrations
	$(PY) manage.py migrate --noinput

load: migrate ## load the policy library and the demo data (idempotent)
	$(PY) manage.py load_policies
	$(PY) manage.py load_demo

run: load ## set up everything and serve on http://$(HOST):$(PORT)
	@echo "打开 http://$(HOST):$(PORT)/ ，用上面列出的演示账号登录。"
	$(PY) manage.py runserver $(HOST):$(PORT)

lint: venv ## ruff lint and format check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: venv ## ruff fix and format
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test: lint ## install and run the whole suite (SQLite unless DATABASE_URL is set)
	DJANGO_SETTINGS_MODULE=portal.settings.test $(VENV)/bin/pytest $(PYTEST_ARGS)

serve: venv ## production shape: gunicorn + Celery worker + beat on DATABASE_URL/REDIS_URL
	@test -n "$$DATABASE_URL" -a -n "$$REDIS_URL" || { echo "make serve 需要设置 DATABASE_URL 和 REDIS_URL"; exit 2; }
	DJANGO_SETTINGS_MODULE=portal.settings.production $(PY) manage.py migrate --noinput
	DJANGO_SETTINGS_MODULE=portal.settings.production $(PY) manage.py collectstatic --noinput -v0
	DJANGO_SETTINGS_MODULE=portal.settings.production $(PY) manage.py load_policies
	trap 'kill 0' EXIT INT TERM; \
	DJANGO_SETTINGS_MODULE=portal.settings.production $(VENV)/bin/celery -A portal worker -l info --concurrency 2 & \
	DJANGO_SETTINGS_MODULE=portal.settings.production $(VENV)/bin/celery -A portal beat -l info --schedule var/celerybeat-schedule & \
	DJANGO_SETTINGS_MODULE=portal.settings.production $(VENV)/bin/gunicorn portal.wsgi -b $(HOST):$(PORT) -w $${WEB_CONCURRENCY:-3} --timeout 60 & \
	wait

worker: venv ## a Celery worker (needs REDIS_URL)
	$(VENV)/bin/celery -A portal worker -l info

beat: venv ## Celery beat for the periodic jobs (needs REDIS_URL)
	$(VENV)/bin/celery -A portal beat -l info --schedule var/celerybeat-schedule

check-deploy: venv ## Django's deployment checks with production settings
	DJANGO_SETTINGS_MODULE=portal.settings.production DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-$$($(PY) -c 'import secrets;print(secrets.token_urlsafe(50))')} DJANGO_ALLOWED_HOSTS=$${DJANGO_ALLOWED_HOSTS:-example.gov.cn} $(PY) manage.py check --deploy --fail-level WARNING

clean-db: ## delete the embedded SQLite database
	rm -f var/portal.sqlite3 var/portal.sqlite3-wal var/portal.sqlite3-shm

vendor-echarts: ## refresh static/vendor/echarts from the npm registry (served locally: no CDN on intranets)
	cd $$(mktemp -d) && npm pack echarts@$${ECHARTS_VERSION:-6.1.0} --silent && tar xzf echarts-*.tgz && \
	cp package/dist/echarts.min.js package/LICENSE $(CURDIR)/static/vendor/echarts/
