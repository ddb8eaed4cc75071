# 惠企政策兑现平台 — `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1
export DJANGO_SETTINGS_MODULE ?= portal.settings.dev

.DEFAULT_GOAL := help
.PHONY: help run test browser e2e screenshots lint format migrate load serve worker beat clean-db check-deploy vendor-echarts loadtest

help: ## list the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-14s %s\n", $$1, $$2}'

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

lint: venv ## ruff lint and format check, the layering contract (import-linter), types of services and selectors (mypy)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	DJANGO_SETTINGS_MODULE=portal.settings.test $(VENV)/bin/mypy

format: venv ## ruff fix and format
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test: lint browser ## install and run the whole suite (SQLite unless DATABASE_URL is set)
	DJANGO_SETTINGS_MODULE=portal.settings.test $(VENV)/bin/pytest $(PYTEST_ARGS)

browser: ## install Debian's Chromium and CJK fonts: pages in Chinese, and the TrueType font the PDF receipts embed (needs root)
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="chromium fonts-noto-cjk"; \
	[ -f /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ] || missing="$$missing fonts-wqy-zenhei"; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	else \
		echo "make browser: 缺少 $$missing 且当前不是 root，无法安装；端到端测试（-m e2e）将被跳过，PDF 回执无法生成。"; \
		echo "  以 root 运行：apt-get install -y $$missing"; \
	fi

e2e: venv browser ## the real-browser journey alone; screenshots in var/e2e-screenshots/
	DJANGO_SETTINGS_MODULE=portal.settings.test $(VENV)/bin/pytest -m e2e $(PYTEST_ARGS)

screenshots: venv browser ## refresh docs/screenshots/ from the e2e journey
	E2E_SCREENSHOTS_TO_DOCS=1 DJANGO_SETTINGS_MODULE=portal.settings.test $(VENV)/bin/pytest -m e2e -q

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

loadtest: venv ## locust: LOADTEST_USERS (200) users for LOADTEST_SECONDS (300) against gunicorn + Celery on its own database (bench/loadtest/)
	flock /tmp/portal-bench.lock $(PY) bench/loadtest/run.py

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
