"""Production serving: fingerprinted static files, compression, ProxyFix, the gunicorn config."""
import gzip
import hashlib
import importlib
import multiprocessing
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import brotli
import pytest
from flask import request, url_for

from shop.serving import StaticFingerprints

ROOT = Path(__file__).resolve().parents[2]
CSS = ROOT / "static" / "css" / "shop.css"


def _stylesheet_url(html: str) -> str:
    match = re.search(r'<link rel="stylesheet" href="([^"]+)"', html)
    assert match, "the page links no stylesheet"
    return match.group(1).replace("&amp;", "&")


# --- fingerprinted static files -------------------------------------------------------------


def test_pages_link_static_files_by_content_hash_and_browsers_may_keep_them_a_year(client):
    url = _stylesheet_url(client.get("/").get_data(as_text=True))
    assert url == "/static/css/shop.css?v=" + hashlib.sha256(CSS.read_bytes()).hexdigest()[:16]

    response = client.get(url)
    assert response.status_code == 200
    assert response.data == CSS.read_bytes()
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"


def test_every_static_url_on_a_page_is_fingerprinted(client):
    html = client.get("/").get_data(as_text=True)
    static_urls = re.findall(r'(?:href|src)="(/static/[^"]+)"', html)
    assert static_urls, "the home page links no static files"
    assert all(re.search(r"\?v=[0-9a-f]{16}$", u) for u in static_urls), static_urls


@pytest.mark.parametrize("query", ["?v=0123456789abcdef", "?v=", ""])
def test_a_wrong_old_or_missing_fingerprint_still_serves_the_file_but_must_be_revalidated(client, query):
    response = client.get("/static/css/shop.css" + query)
    assert response.status_code == 200
    assert response.data == CSS.read_bytes()
    cache_control = response.headers.get("Cache-Control", "")
    assert "immutable" not in cache_control
    assert "max-age=31536000" not in cache_control
    assert "no-cache" in cache_control


def test_a_missing_static_file_is_a_404_not_a_cached_answer(client):
    response = client.get("/static/css/nothing-here.css?v=0123456789abcdef")
    assert response.status_code == 404
    assert "immutable" not in response.headers.get("Cache-Control", "")


def test_an_edited_static_file_gets_a_new_fingerprint(tmp_path):
    (tmp_path / "site.css").write_text("body { color: black; }")
    fingerprints = StaticFingerprints(str(tmp_path))
    before = fingerprints.digest("site.css")
    (tmp_path / "site.css").write_text("body { color: darkgreen; }")
    os.utime(tmp_path / "site.css", ns=(time.time_ns() + 10**9,) * 2)
    after = fingerprints.digest("site.css")
    assert before and after and before != after
    assert fingerprints.digest("../etc/passwd") is None
    assert fingerprints.digest("missing.css") is None


# --- compression ------------------------------------------------------------------------


def test_pages_are_gzipped_for_browsers_that_ask(client, demo):
    response = client.get("/products?q=almond", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    html = gzip.decompress(response.data).decode()
    assert "Sweet Almond Massage Oil" in html
    assert int(response.headers["Content-Length"]) == len(response.data) < len(html.encode()) / 2


def test_pages_are_plain_for_clients_that_do_not_ask(client, demo):
    response = client.get("/products?q=almond")
    assert "Content-Encoding" not in response.headers
    assert "Sweet Almond Massage Oil" in response.get_data(as_text=True)


def test_the_stylesheet_is_compressed_for_browsers(client):
    url = _stylesheet_url(client.get("/").get_data(as_text=True))
    response = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert response.headers["Content-Encoding"] == "br"
    assert brotli.decompress(response.data) == CSS.read_bytes()
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"


# --- behind a reverse proxy ---------------------------------------------------------------

FORWARDED = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "shop.example", "X-Forwarded-For": "203.0.113.9"}


def _add_probe(app):
    """What the app believes about a request: the scheme and host of its links, the client's address."""

    def probe():
        return {"home": url_for("home.index", _external=True), "client": request.remote_addr}

    app.add_url_rule("/__probe", "probe", probe)


def test_forwarded_headers_are_ignored_unless_the_app_is_told_it_is_behind_a_proxy(app, client):
    assert not app.config.get("PROXY_FIX_HOPS")
    _add_probe(app)
    seen = client.get("/__probe", headers=FORWARDED).get_json()
    assert seen == {"home": "http://localhost/", "client": "127.0.0.1"}


@pytest.mark.parametrize("app_settings", [{"PROXY_FIX_HOPS": 1}])
def test_behind_one_proxy_the_app_uses_the_forwarded_scheme_host_and_client(app, client):
    _add_probe(app)
    seen = client.get("/__probe", headers=FORWARDED).get_json()
    assert seen == {"home": "https://shop.example/", "client": "203.0.113.9"}


@pytest.mark.parametrize("app_settings", [{"PROXY_FIX_HOPS": 1}])
def test_behind_one_proxy_a_client_cannot_forge_its_address(app, client):
    # The client sends its own X-Forwarded-For; the proxy appends the address it really saw.
    _add_probe(app)
    seen = client.get("/__probe", headers={"X-Forwarded-For": "10.0.0.1, 198.51.100.7"}).get_json()
    assert seen["client"] == "198.51.100.7"


# --- the gunicorn config -------------------------------------------------------------------


def _load_conf(monkeypatch, **env):
    for name in ("BIND", "PORT", "WEB_CONCURRENCY", "WEB_TIMEOUT", "WEB_MAX_REQUESTS", "LOG_LEVEL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    import shop.serving.gunicorn_conf as conf

    return importlib.reload(conf)


def _settings(conf) -> dict:
    return {k: v for k, v in vars(conf).items() if not k.startswith("_") and k[0].islower() and not callable(v) and not isinstance(v, type(os))}


def test_gunicorn_config_is_all_known_valid_settings(monkeypatch):
    from gunicorn.config import Config

    conf = _load_conf(monkeypatch)
    gunicorn_config = Config()
    settings = _settings(conf)
    unknown = set(settings) - set(gunicorn_config.settings)
    assert not unknown, f"gunicorn would silently ignore {unknown}"
    for name, value in settings.items():
        gunicorn_config.set(name, value)  # gunicorn's own validation
    assert gunicorn_config.workers == multiprocessing.cpu_count() * 2 + 1
    assert gunicorn_config.address == [("127.0.0.1", 8000)]
    assert gunicorn_config.accesslog == "-"
    assert 0 < gunicorn_config.timeout <= 60
    assert gunicorn_config.graceful_timeout > 0
    assert gunicorn_config.secure_scheme_headers == {}


def test_gunicorn_config_reads_port_bind_and_workers_from_the_environment(monkeypatch):
    assert _load_conf(monkeypatch, PORT="5123").bind == ["127.0.0.1:5123"]
    conf = _load_conf(monkeypatch, PORT="5123", BIND="127.0.0.1:9000, unix:/run/shop.sock", WEB_CONCURRENCY="3")
    assert conf.bind == ["127.0.0.1:9000", "unix:/run/shop.sock"]
    assert conf.workers == 3
    _load_conf(monkeypatch)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_gunicorn_serves_the_store_with_the_repo_config_and_logs_requests_to_stdout(tmp_path):
    port = _free_port()
    env = {
        **os.environ,
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
        "SHOP_ENV": "development",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'shop.db'}",
        "SHOP_INSTANCE_PATH": str(tmp_path),
    }
    # As `make serve` does: the schema first, then gunicorn.
    subprocess.run([str(Path(sys.executable).with_name("flask")), "--app", "wsgi", "db", "upgrade"],
                   cwd=ROOT, env=env, check=True, capture_output=True)
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [str(gunicorn), "-c", "shop/serving/gunicorn_conf.py", "wsgi:app"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
                    assert response.status == 200
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.2)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/") as response:
            stylesheet = _stylesheet_url(response.read().decode())
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{stylesheet}") as response:
            assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=30)
    assert '"GET /healthz HTTP/1.1" 200' in output
