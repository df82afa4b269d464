"""Limits that hold across workers: gunicorn with two workers shares one count in Redis, and in
development `make serve` says once at start-up when limits would be counted per worker."""
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_REDIS_URL")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(tmp_path, **settings):
    """`make serve` in miniature: the schema, then gunicorn with the repo's config; returns (process, base URL)."""
    port = _free_port()
    env = {**os.environ, "BIND": f"127.0.0.1:{port}", "SHOP_ENV": "development",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'shop.db'}", "SHOP_INSTANCE_PATH": str(tmp_path), **settings}
    subprocess.run([str(Path(sys.executable).with_name("flask")), "--app", "wsgi", "db", "upgrade"],
                   cwd=ROOT, env=env, check=True, capture_output=True)
    process = subprocess.Popen([str(Path(sys.executable).with_name("gunicorn")), "-c", "shop/serving/gunicorn_conf.py", "wsgi:app"],
                               cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:  # wait for the condition (it answers), with a deadline
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=5):
                return process, base
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise
            time.sleep(0.2)


def _stop(process) -> str:
    process.terminate()
    output, _ = process.communicate(timeout=30)
    return output


def test_make_serve_in_development_says_once_that_limits_are_per_worker(tmp_path):
    process, _ = _serve(tmp_path, WEB_CONCURRENCY="2", RATELIMIT_STORAGE_URI="memory://")
    output = _stop(process)
    assert output.count("RATELIMIT_STORAGE_URI is memory:// with 2 web workers") == 1, output[-2000:]


def _failed_sign_in(base: str, email: str) -> int:
    """A fresh browser (its own cookies) that fetches the form and types a wrong password."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    with opener.open(base + "/account/sign-in") as page:
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.read().decode()).group(1)
    body = urllib.parse.urlencode({"email": email, "password": "not the password", "csrf_token": token}).encode()
    try:
        with opener.open(base + "/account/sign-in", data=body) as answer:
            return answer.status
    except urllib.error.HTTPError as refused:
        return refused.code


@pytest.mark.skipif(not REDIS_URL, reason="needs Redis: set TEST_REDIS_URL (CI does)")
@pytest.mark.long
def test_two_workers_refuse_the_sixth_failed_sign_in_for_one_account(tmp_path):
    process, base = _serve(tmp_path, WEB_CONCURRENCY="2", RATELIMIT_STORAGE_URI=REDIS_URL,
                           RATELIMIT_KEY_PREFIX=f"test-{uuid.uuid4().hex}")  # this test's own counters
    try:
        answers = [_failed_sign_in(base, "pat@example.com") for _ in range(6)]
    finally:
        output = _stop(process)
    assert "web workers" not in output  # shared storage: no per-worker warning
    assert answers == [401] * 5 + [429], answers
