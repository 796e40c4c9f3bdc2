"""The settings module: environment switches, production refusals, `check --deploy`."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD_SECRET = "q8-Zt2#pLm4!xV9rW0sN7yB3cF6hJ1kD5gA8eU2iO4uY7tR0wE3qP6lK9jH2gF5dS"
PRODUCTION_OK = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": GOOD_SECRET,
    "ALLOWED_HOSTS": "majlis.example.tn",
}


def run(code_or_args, **env_overrides):
    """Run Python in a fresh process with a clean Majlis environment plus ``env_overrides``."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DJANGO_ENV",
            "SECRET_KEY",
            "DEBUG",
            "ALLOWED_HOSTS",
            "DATABASE_URL",
            "REDIS_URL",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    env.update(DJANGO_SETTINGS_MODULE="config.settings", **env_overrides)
    args = code_or_args if isinstance(code_or_args, list) else ["-c", code_or_args]
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


SHOW = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'db': s.DATABASES['default']['ENGINE'], "
    "'layer': s.CHANNEL_LAYERS['default']['BACKEND'], 'cache': s.CACHES['default']['BACKEND'], "
    "'debug': s.DEBUG, 'email': s.EMAIL_BACKEND}))"
)


def test_defaults_are_the_embedded_parts():
    result = run(SHOW)
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert shown == {
        "db": "django.db.backends.sqlite3",
        "layer": "channels.layers.InMemoryChannelLayer",
        "cache": "django.core.cache.backends.locmem.LocMemCache",
        "debug": True,
        "email": "django.core.mail.backends.console.EmailBackend",
    }


def test_environment_switches_to_postgresql_and_redis():
    result = run(
        SHOW,
        DATABASE_URL="postgres://majlis@db.internal:5432/majlis",
        REDIS_URL="redis://cache.internal:6379/0",
    )
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert shown["db"] == "django.db.backends.postgresql"
    assert shown["layer"] == "channels_redis.core.RedisChannelLayer"
    assert shown["cache"] == "django.core.cache.backends.redis.RedisCache"


@pytest.mark.parametrize(
    ("overrides", "complaint"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY must be set"),
        (
            {"SECRET_KEY": "django-insecure-majlis-development-key-never-use-in-production"},
            "SECRET_KEY must be set",
        ),
        ({"SECRET_KEY": "short"}, "SECRET_KEY must be at least 50"),
        ({"DEBUG": "True"}, "DEBUG must be off"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS must name"),
        ({"ALLOWED_HOSTS": "*"}, "ALLOWED_HOSTS must not be '*'"),
    ],
)
def test_production_refuses_unsafe_values(overrides, complaint):
    env = {**PRODUCTION_OK, **overrides}
    result = run("import django; django.setup()", **env)
    assert result.returncode != 0
    assert "Refusing to start in production mode" in result.stderr
    assert complaint in result.stderr


def test_production_passes_check_deploy_without_warnings():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION_OK)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_development_check_deploy_does_warn():
    """The check above can fail: the development defaults are reported as unsafe."""
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"])
    assert result.returncode != 0
    assert "security.W018" in result.stderr  # DEBUG on


def test_seed_demo_refuses_production_mode():
    result = run(["manage.py", "seed_demo"], **PRODUCTION_OK)
    assert result.returncode != 0
    assert "refuses to run in production mode" in result.stderr


POOL = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "d = s.DATABASES['default']; "
    "print(json.dumps({'age': d['CONN_MAX_AGE'], 'pool': d.get('OPTIONS', {}).get('pool')}))"
)


def test_postgresql_connections_come_from_a_pool_sized_by_the_environment():
    url = "postgres://majlis@db.internal:5432/majlis"
    shown = json.loads(run(POOL, DATABASE_URL=url, DATABASE_POOL_MAX_SIZE="7").stdout)
    assert shown["age"] == 0  # persistent connections leak under ASGI: never on
    assert shown["pool"] == {"min_size": 2, "max_size": 7, "timeout": 10.0}
    off = json.loads(run(POOL, DATABASE_URL=url, DATABASE_POOL_MAX_SIZE="0").stdout)
    assert off == {"age": 0, "pool": None}  # behind PgBouncer
    sqlite = json.loads(run(POOL).stdout)
    assert sqlite["pool"] is None
