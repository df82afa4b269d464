"""The benchmark's moving parts: gunicorn servers, plain HTTP requests, wrk runs, page weight, Lighthouse."""
import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
GUNICORN_CONF = ROOT / "shop" / "serving" / "gunicorn_conf.py"
BROWSER_ENCODINGS = "gzip, deflate, br, zstd"


# --- plain requests ---------------------------------------------------------------------------

def fetch(port: int, path: str, method="GET", headers=None, body=None):
    """(status, headers, body as sent on the wire): no redirects followed, nothing decoded."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        conn.close()


class Server:
    """A gunicorn master serving `app` with the store's production config, on 127.0.0.1:port."""

    def __init__(self, name: str, app: str, port: int, log_dir: Path, env=None, pythonpath=None, ready="/healthz"):
        self.name, self.app, self.port, self.ready = name, app, port, ready
        self.log_path = log_dir / f"gunicorn-{name}.log"
        self.env = {k: v for k, v in os.environ.items() if k not in ("FLASK_DEBUG", "BIND")}
        self.env.update(env or {}, BIND=f"127.0.0.1:{port}")
        self.pythonpath = pythonpath
        self.process = None

    def __enter__(self):
        gunicorn = Path(sys.executable).with_name("gunicorn")
        command = [str(gunicorn), "-c", str(GUNICORN_CONF)]
        if self.pythonpath:
            command += ["--pythonpath", str(self.pythonpath)]
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(command + [self.app], cwd=ROOT, env=self.env, stdout=self.log,
                                        stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while True:
            try:
                if fetch(self.port, self.ready)[0] == 200:
                    return self
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.__exit__()
                raise RuntimeError(f"gunicorn for {self.name} did not start; see {self.log_path}")
            time.sleep(0.2)

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


# --- wrk --------------------------------------------------------------------------------------

LUA = r"""
local paths = {%(paths)s}
local method = %(method)s
local body = %(body)s
local extra = {%(headers)s}
local n = 0
request = function()
  n = n + 1
  local headers = {}
  for k, v in pairs(extra) do headers[k] = v end
  return wrk.format(method, paths[(n %% #paths) + 1], headers, body)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('BENCHJSON {"requests": %%d, "duration_us": %%d, "bytes": %%d, ' ..
    '"p50_us": %%d, "p95_us": %%d, "p99_us": %%d, "max_us": %%d, ' ..
    '"connect": %%d, "read": %%d, "write": %%d, "status": %%d, "timeout": %%d}\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.status, e.timeout))
end
"""


def _lua(value) -> str:
    text = json.dumps(value)
    if "\\u" in text:
        raise ValueError(f"wrk scripts take ASCII only: {value!r}")
    return text


def wrk(port: int, paths: list[str], *, seconds: int, users: int, method="GET", body=None, headers=None) -> dict:
    """Load `paths` (taken in turn) with `users` open connections; requests/s, percentiles in ms, errors."""
    script = LUA % {
        "paths": ", ".join(_lua(p) for p in paths),
        "method": _lua(method),
        "body": _lua(body) if body is not None else "nil",
        "headers": ", ".join(f"[{_lua(k)}] = {_lua(v)}" for k, v in (headers or {}).items()),
    }
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        run = subprocess.run(
            ["wrk", "-t2", f"-c{users}", f"-d{seconds}s", "--timeout", "10s", "-s", handle.name,
             f"http://127.0.0.1:{port}"],
            capture_output=True, text=True, timeout=seconds + 60,
        )
    finally:
        os.unlink(handle.name)
    line = next((l for l in run.stdout.splitlines() if l.startswith("BENCHJSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no result:\n{run.stdout}\n{run.stderr}")
    raw = json.loads(line[len("BENCHJSON "):])
    errors = {k: raw[k] for k in ("connect", "read", "write", "status", "timeout")}
    p50 = raw["p50_us"] / 1000
    return {
        "requests": raw["requests"],
        "rps": round(raw["requests"] / (raw["duration_us"] / 1e6), 1),
        "p50_ms": round(p50, 2),
        "p95_ms": round(raw["p95_us"] / 1000, 2),
        "p99_ms": round(raw["p99_us"] / 1000, 2),
        "max_ms": round(raw["max_us"] / 1000, 2),
        "p99_over_p50": round(raw["p99_us"] / raw["p50_us"], 2) if raw["p50_us"] else None,
        "errors": sum(errors.values()),
        "error_kinds": {k: v for k, v in errors.items() if v},
        "bytes_per_response": round(raw["bytes"] / raw["requests"]) if raw["requests"] else 0,
    }


# --- page weight ------------------------------------------------------------------------------

class _Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []  # (kind, url)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        rel = (a.get("rel") or "").lower().split()
        if tag == "link" and "stylesheet" in rel and a.get("href"):
            self.found.append(("css", a["href"]))
        elif tag == "link" and "icon" in rel and a.get("href"):
            self.found.append(("images", a["href"]))
        elif tag == "script" and a.get("src"):
            self.found.append(("js", a["src"]))
        elif tag == "img" and a.get("src"):
            self.found.append(("images", a["src"]))


def page_weight(port: int, path: str) -> dict:
    """Bytes of the HTML and everything it loads (CSS, JS, images), as sent and as compressed for a browser."""
    status, _, html = fetch(port, path)
    if status != 200:
        raise RuntimeError(f"{path} answered {status}")
    parser = _Assets()
    parser.feed(html.decode())
    found = list(dict.fromkeys(parser.found))
    for kind, url in list(found):
        if kind == "css":
            css = fetch(port, urlsplit(url)._replace(scheme="", netloc="").geturl())[2].decode()
            found += [("images", u) for u in re.findall(r"url\(['\"]?([^'\")]+)", css) if not u.startswith("data:")]
    sizes = {"html": len(html), "css": 0, "js": 0, "images": 0}
    wire = {"html": len(fetch(port, path, headers={"Accept-Encoding": BROWSER_ENCODINGS})[2]), "css": 0, "js": 0, "images": 0}
    third_party = []
    for kind, url in dict.fromkeys(found):
        parts = urlsplit(url)
        if parts.netloc and parts.netloc not in (f"127.0.0.1:{port}", f"localhost:{port}"):
            third_party.append(url)
            continue
        local = parts._replace(scheme="", netloc="").geturl()
        sizes[kind] += len(fetch(port, local)[2])
        wire[kind] += len(fetch(port, local, headers={"Accept-Encoding": BROWSER_ENCODINGS})[2])
    return {
        "bytes": {**sizes, "total": sum(sizes.values()), "before_images": sizes["html"] + sizes["css"] + sizes["js"]},
        "compressed_bytes": {**wire, "total": sum(wire.values())},
        "requests": 1 + len(dict.fromkeys(found)),
        "third_party": third_party,
    }


# --- Lighthouse -------------------------------------------------------------------------------

def lighthouse(port: int, pages: dict[str, str], out_dir: Path) -> dict:
    binary = HERE / "node_modules" / ".bin" / "lighthouse"
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not binary.exists():
        return {"skipped": "lighthouse is not installed: `make bench` installs it under tests/benchmarks/node_modules"}
    results = {}
    for name, path in pages.items():
        out = out_dir / f"lighthouse-{name}.json"
        run = subprocess.run(
            [str(binary), f"http://127.0.0.1:{port}{path}", "--quiet", "--output=json", f"--output-path={out}",
             "--only-categories=performance,accessibility,best-practices",
             "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"],
            env={**os.environ, "CHROME_PATH": chromium}, capture_output=True, text=True, timeout=240,
        )
        if run.returncode != 0 or not out.exists():
            results[name] = {"error": (run.stderr or run.stdout).strip()[-500:]}
            continue
        report = json.loads(out.read_text())
        scores = {key: round(cat["score"] * 100) if cat["score"] is not None else None
                  for key, cat in report["categories"].items()}
        audits = report["audits"]
        scores["lcp_ms"] = round(audits["largest-contentful-paint"]["numericValue"])
        scores["failed_audits"] = sorted(
            key for key, audit in audits.items()
            if audit.get("score") is not None and audit["score"] < 0.9 and audit.get("scoreDisplayMode") in ("binary", "numeric")
        )
        results[name] = scores
    return results
