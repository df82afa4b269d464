"""Helpers for the outbox and worker tests: messages in the database, a worker in its own process."""
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from sqlalchemy import func, select

from shop.extensions import db
from shop.messages.models import Message

ROOT = Path(__file__).resolve().parents[2]


def messages(**where) -> list[Message]:
    db.session.expire_all()
    return db.session.scalars(select(Message).filter_by(**where).order_by(Message.id)).all()


def count(**where) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Message).filter_by(**where))


def wait_until(condition, *, deadline: float = 30, what: str = "the condition"):
    """Poll `condition` until it is true; fail after `deadline` seconds (never a fixed sleep)."""
    pause = threading.Event()
    end = time.monotonic() + deadline
    while True:
        value = condition()
        if value:
            return value
        assert time.monotonic() < end, f"gave up waiting for {what}"
        pause.wait(0.05)


def start_worker(database_url: str, instance: Path, smtp, *args, log_name="worker", **settings) -> subprocess.Popen:
    """`flask --app wsgi shop worker` in its own process, as an operator runs it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STRIPE_", "MAIL_", "WORKER_", "SHOP_ENV"))}
    env.update({"DATABASE_URL": database_url, "SHOP_INSTANCE_PATH": str(instance), "PYTHONUNBUFFERED": "1",
                "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(smtp.port), "MAIL_USE_TLS": "0",
                "MAIL_TIMEOUT_SECONDS": "5", "WORKER_POLL_SECONDS": "0.05"})
    env.update({k: str(v) for k, v in settings.items()})
    instance.mkdir(parents=True, exist_ok=True)
    out = open(instance / f"{log_name}.log", "w")
    return subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "shop", "worker", *args],
                            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)


def stop(process: subprocess.Popen, sig=signal.SIGTERM, timeout: float = 30) -> int:
    if process.poll() is None:
        process.send_signal(sig)
    return process.wait(timeout=timeout)
