"""Gunicorn settings for serving the store: `gunicorn -c shop/serving/gunicorn_conf.py wsgi:app`.

Every value can be changed from the environment without editing this file:

    BIND             address(es) to listen on, comma-separated (default 127.0.0.1:$PORT, for a proxy
                     on the same host; 0.0.0.0:8000 behind a load balancer or in a container)
    PORT             port when BIND is unset (default 8000)
    WEB_CONCURRENCY  worker processes (default 2 x CPUs + 1, as gunicorn's docs advise)
    WEB_TIMEOUT      seconds a worker may spend on one request before it is restarted (default 30)
    WEB_MAX_REQUESTS recycle a worker after this many requests, with jitter (default 50000; 0 = never)
    LOG_LEVEL        error log level (default info)

Sync workers: every request is short (the database and Stripe calls have their own timeouts),
and a reverse proxy in front buffers slow clients. Access and error logs go to stdout/stderr
for the process manager (systemd, a container runtime) to collect.
"""
import os

from shop.serving.workers import per_process_limits, worker_count


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw not in (None, "") else default


_addresses = os.environ.get("BIND") or f"127.0.0.1:{_int('PORT', 8000)}"
bind = [address.strip() for address in _addresses.split(",") if address.strip()]
workers = worker_count()
worker_class = "sync"
timeout = _int("WEB_TIMEOUT", 30)
graceful_timeout = 30
keepalive = 5
# Recycling guards against a slow leak, so what matters is how often it happens, not the count. A
# new worker costs about a second of CPU (imports, templates) and starts with an empty page cache;
# at 2,000, serving cache hits, every worker restarted every few seconds, all at about the same time,
# and halved the throughput while they did. 50,000 is minutes at full load and hours at normal traffic.
max_requests = _int("WEB_MAX_REQUESTS", 50000)
max_requests_jitter = max_requests // 10
backlog = 2048

# Heartbeat files in memory rather than on a possibly slow disk (containers).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms "%(f)s" "%(a)s"'

# Forwarded headers are the app's business (PROXY_FIX_HOPS, werkzeug's ProxyFix): gunicorn must
# not decide on its own that a request was https because a header says so.
secure_scheme_headers = {}

proc_name = "shop"


def when_ready(server):
    """Once, in the master, at start-up: in development, say when limits will be counted per worker
    (production refuses to start that way: shop.config.ProductionConfig)."""
    problem = per_process_limits(os.environ.get("RATELIMIT_STORAGE_URI") or "memory://", server.cfg.workers)
    if problem:
        server.log.warning(problem)
