# Thin wrappers; the real commands are in bin/ and manage.py.
.PHONY: demo test lint format bench messages

demo:
	bin/demo

test:
	bin/test

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

format:
	.venv/bin/ruff format . && .venv/bin/ruff check --fix .

bench:
	bin/bench

messages:
	KINSIGHT_DEMO=true .venv/bin/python manage.py makemessages -l en --ignore=.venv --ignore=tests --no-obsolete
	KINSIGHT_DEMO=true .venv/bin/python manage.py compilemessages --ignore=.venv
