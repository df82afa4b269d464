"""A real SMTP server on 127.0.0.1 (aiosmtpd) that the tests can make misbehave.

Modes: "accept" takes every message; "down" answers every connection with 421 and hangs up
(a mail server refusing service: the connection is still counted, so a test can prove nobody
connected); "slow" holds each message until released, so the client's timeout fires first.
`refuse(address)` answers 550 to that recipient. `hold_after(n)` accepts n more messages, then
holds the next one until `release()`: a worker is then caught in the middle of a batch.
`gather(n)` holds the first message until n clients are connected at once: n workers are then
each in the middle of a batch of their own.
"""
import socket
import threading
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP

DEADLINE = 30  # seconds a held message waits at most for the test to release it


class Received:
    def __init__(self, envelope):
        self.message = message_from_bytes(envelope.content, policy=policy.default)
        self.rcpt_tos = list(envelope.rcpt_tos)
        self.to = self.message["To"]
        self.subject = self.message["Subject"]
        self.message_id = self.message["Message-ID"]

    def text(self) -> str:
        return self.message.get_body(("plain",)).get_content()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SmtpDouble:
    def __init__(self, mode: str = "accept"):
        self.mode = mode
        self.port = free_port()
        self.received: list[Received] = []
        self.connections = 0
        self.open_connections = 0
        self._gather = 0
        self._gathered = threading.Event()
        self.refused: set[str] = set()
        self.holding = threading.Event()  # set while a message is held
        self.held: Received | None = None
        self._release = threading.Event()
        self._hold_after: int | None = None
        self._lock = threading.Lock()
        self._controller = None

    # --- what the tests call -------------------------------------------------------------
    def start(self):
        self._controller = _Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        self.connections = 0  # the controller's own start-up probe is not a client
        return self

    def stop(self):
        self._release.set()
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def refuse(self, address: str):
        self.refused.add(address.lower())

    def hold_after(self, accepted: int):
        self._hold_after = accepted
        self._release.clear()
        self.holding.clear()

    def gather(self, clients: int):
        self._gather = clients
        self._gathered.clear()

    def release(self):
        self._hold_after = None
        self._release.set()

    def settings(self, timeout: float = 1.0) -> dict:
        """`app_settings` (or environment, as strings) pointing the shop at this server."""
        return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": self.port, "MAIL_USE_TLS": False,
                "MAIL_TIMEOUT_SECONDS": timeout}

    def message_ids(self) -> list[str]:
        with self._lock:
            return [r.message_id for r in self.received]

    # --- called from the server's thread ---------------------------------------------------
    def _connected(self):
        with self._lock:
            self.connections += 1
            self.open_connections += 1
            if self.open_connections >= self._gather:
                self._gathered.set()

    def _disconnected(self):
        with self._lock:
            self.open_connections -= 1

    def _should_hold(self) -> bool:
        with self._lock:
            if self.mode == "slow":
                return True
            if self._hold_after is None:
                return False
            if self._hold_after == 0:
                return True
            self._hold_after -= 1
            return False

    def _accept(self, received: Received):
        with self._lock:
            self.received.append(received)


class _Handler:
    def __init__(self, double: SmtpDouble):
        self.double = double

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.double.refused:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        received = Received(envelope)
        if self.double._gather:
            await server.loop.run_in_executor(None, self.double._gathered.wait, DEADLINE)
        if self.double._should_hold():
            self.double.held = received
            self.double.holding.set()
            await server.loop.run_in_executor(None, self.double._release.wait, DEADLINE)
        # The server has the whole message now, whether or not the client is still there to hear
        # the 250: as with a real one, a client that died here will send it again.
        self.double._accept(received)
        return "250 Message accepted for delivery"


class _CountingSMTP(SMTP):
    def __init__(self, double: SmtpDouble, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._double = double

    def connection_made(self, transport):
        self._double._connected()
        super().connection_made(transport)

    def connection_lost(self, error):
        self._double._disconnected()
        super().connection_lost(error)

    async def _handle_client(self):
        if self._double.mode == "down":
            await self.push("421 4.3.2 Service not available, try again later")
            self.transport.close()
            return
        await super()._handle_client()


class _Controller(Controller):
    def __init__(self, double: SmtpDouble, **kwargs):
        self._double = double
        super().__init__(_Handler(double), **kwargs)

    def factory(self):
        return _CountingSMTP(self._double, self.handler, **self.SMTP_kwargs)
