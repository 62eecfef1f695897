"""Settings from the environment: safe defaults, loud failure, a clean ``check --deploy``.

Each case imports the settings in a fresh interpreter with a controlled environment.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

import gongkai.settings as project_settings

REPO = Path(__file__).resolve().parents[2]
PROD_KEY = "p9#Vq2!rT8zK@4mW7xL1&nB6yH3$cJ5fD0sG8uE2iO9aZ4wQ7e-production-test"


def run(code: str, env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("GONGKAI_", "DJANGO_"))}
    for key in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS"):
        clean.pop(key, None)
    clean.update({"GONGKAI_DATA_DIR": str(tmp_path), **env})
    return subprocess.run(  # noqa: PLW1510
        [sys.executable, "-c", code], env=clean, capture_output=True, text=True, cwd=REPO
    )


LOAD = "import gongkai.settings as s; print(s.DEBUG, s.CACHES['default']['BACKEND'])"


def test_production_requires_secret_key(tmp_path):
    result = run(LOAD, {"ALLOWED_HOSTS": "gk.example.gov.cn"}, tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
    assert "ImproperlyConfigured" in result.stderr


def test_production_requires_allowed_hosts(tmp_path):
    result = run(LOAD, {"SECRET_KEY": PROD_KEY}, tmp_path)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


@pytest.mark.parametrize(
    ("env", "needle"),
    [
        ({"GONGKAI_DEBUG": "maybe"}, "GONGKAI_DEBUG"),
        ({"GONGKAI_DEBUG": "1", "GONGKAI_SESSION_MINUTES": "half"}, "GONGKAI_SESSION_MINUTES"),
        ({"GONGKAI_DEBUG": "1", "GONGKAI_LOGIN_FAILURE_LIMIT": "0"}, "GONGKAI_LOGIN_FAILURE_LIMIT"),
        ({"GONGKAI_DEBUG": "1", "DATABASE_URL": "nonsense://x"}, "DATABASE_URL"),
        ({"GONGKAI_DEBUG": "1", "REDIS_URL": "localhost:6379"}, "REDIS_URL"),
        ({"GONGKAI_DEBUG": "1", "CSRF_TRUSTED_ORIGINS": "gk.example.gov.cn"}, "CSRF_TRUSTED"),
        ({"SECRET_KEY": "short", "ALLOWED_HOSTS": "x"}, "SECRET_KEY"),
    ],
)
def test_bad_values_fail_loudly(tmp_path, env, needle):
    result = run(LOAD, env, tmp_path)
    assert result.returncode != 0
    assert needle in result.stderr


def test_debug_and_demo_defaults(tmp_path):
    for env in ({"GONGKAI_DEBUG": "1"}, {"GONGKAI_DEMO": "1"}):
        result = run(
            LOAD + "; print(s.SECRET_KEY.startswith('django-insecure'), s.DATABASES['default']"
            "['NAME'].endswith('gongkai.sqlite3'), s.ALLOWED_HOSTS)",
            env,
            tmp_path,
        )
        assert result.returncode == 0, result.stderr
        assert "LocMemCache" in result.stdout
        assert "True True ['localhost', '127.0.0.1', '[::1]']" in result.stdout


def test_redis_and_postgres_from_environment(tmp_path):
    code = (
        "import gongkai.settings as s; print(s.CACHES['default']['BACKEND']); "
        "print(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME']); "
        "print(s.DATABASES['default']['OPTIONS'])"
    )
    env = {
        "GONGKAI_DEBUG": "1",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "DATABASE_URL": "postgres://gk@db.internal:5432/gongkai",
    }
    result = run(code, env, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "gongkai.redis_cache.ReusingRedisCache" in result.stdout
    assert "django.db.backends.postgresql gongkai" in result.stdout
    assert "'options': '-c jit=off'" in result.stdout


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    code = (
        "import sys; from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])"
    )
    env = {
        "DJANGO_SETTINGS_MODULE": "gongkai.settings",
        "SECRET_KEY": PROD_KEY,
        "ALLOWED_HOSTS": "gongkai.example.gov.cn",
    }
    result = run(code, env, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_fixed_project_choices():
    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert project_settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert project_settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"
    assert project_settings.TIME_ZONE == "Asia/Shanghai"
    assert project_settings.LANGUAGE_CODE == "zh-hans"
    assert project_settings.USE_TZ is True
    assert project_settings.AUTH_USER_MODEL == "agencies.User"
    assert project_settings.SESSION_COOKIE_AGE == 30 * 60
    assert project_settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert project_settings.SESSION_SAVE_EVERY_REQUEST is True
    assert project_settings.AXES_FAILURE_LIMIT == 5


def test_redis_url_gives_a_working_shared_cache(tmp_path):
    """With REDIS_URL set, the cache is the real Redis: one process writes, another reads."""
    key = f"gongkai-test-{os.getpid()}-{tmp_path.name}"
    env = {"GONGKAI_DEBUG": "1", "REDIS_URL": "redis://127.0.0.1:6379/15"}
    setup = "import django; django.setup(); from django.core.cache import cache, caches; "
    writer = run(
        setup + f"cache.set({key!r}, '公开', 60); print(type(caches['default']).__name__)",
        {**env, "DJANGO_SETTINGS_MODULE": "gongkai.settings"},
        tmp_path,
    )
    assert writer.returncode == 0, writer.stderr
    assert writer.stdout.strip() == "ReusingRedisCache"
    reader = run(
        setup + f"print(cache.get({key!r})); cache.delete({key!r})",
        {**env, "DJANGO_SETTINGS_MODULE": "gongkai.settings"},
        tmp_path,
    )
    assert reader.returncode == 0, reader.stderr
    assert reader.stdout.strip() == "公开"
