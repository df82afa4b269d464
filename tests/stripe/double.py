"""An in-process stand-in for the parts of the Stripe API the shop uses.

It speaks the real wire protocol, so the app talks to it through the real
``stripe`` package::

    double = StripeDouble(webhook_url=".../stripe/webhook", webhook_secret="whsec_test").start()
    client = stripe.StripeClient("sk_test_x", base_addresses={"api": double.url})

What it covers: Checkout Sessions (create, retrieve, list, expire, line items),
PaymentIntents and Charges (retrieve), Refunds (create, retrieve, list),
Events (retrieve), and customers, invoice items and invoices (invoices_double.py); a hosted payment page at ``/pay/<session id>`` with Pay,
Pay-with-a-delayed-method and Cancel buttons; signed webhook delivery; and
fault injection (``fail_next``).

It listens on 127.0.0.1 only, on a free port, and never touches the network
otherwise. Standard library plus ``stripe`` (only for signing webhooks).

Differences from real Stripe worth knowing:

* ``requests[i]["params"]`` holds the decoded request exactly as it crossed the
  wire: every leaf is a *string* ("2", "true"), lists are lists.
* Parameters are checked against the ``*_PARAMS`` schemas below, which cover
  only what the shop uses; anything else is rejected as
  "Received unknown parameter", even where real Stripe would accept it.
  Extend the schema if the app legitimately needs another parameter.
* Like Stripe, an empty string for a parameter that cannot be unset is a 400
  (the SDK drops ``None`` values but sends ``""`` as is); metadata values may be "".
* Coupons (create, retrieve) and a session's one ``discounts`` entry work as at Stripe: the
  coupon must exist, match the currency and not be fully redeemed; its discount comes off the
  items (never shipping), is spread over the line items, and counts as redeemed when the session
  completes. ``promotion_code``, ``price`` IDs and ``shipping_rate`` IDs are not supported.
* Expiring a session through the API does not send a webhook (real Stripe
  sends ``checkout.session.expired`` asynchronously); ``expire_at_stripe()``
  does. Sessions never expire on their own when ``expires_at`` passes.
* Only 2xx results are stored for idempotent replay.
"""

from __future__ import annotations

import copy
import html
import json
import re
import secrets
import socket
import threading
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from socketserver import TCPServer

import stripe

API_VERSION = stripe.api_version  # the version the installed package pins, e.g. "2026-10-28.endive"

TEST_ADDRESS = {
    "line1": "1 Clinic Road",
    "line2": None,
    "city": "Leeds",
    "postal_code": "LS1 4AB",
    "country": "GB",
    "state": None,
}
TEST_NAME = "Test Buyer"
TEST_EMAIL = "buyer@example.com"

_ZERO_DECIMAL = {
    "bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga",
    "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf",
}
_SYMBOLS = {"gbp": "£", "usd": "$", "eur": "€"}
# Stripe's minimum charge amounts (minor units) for the currencies a UK shop is likely to use.
_MINIMUM_CHARGE = {"gbp": 30, "usd": 50, "eur": 50}
_DOCS_HINT = "Please see https://stripe.com/docs or we can help at https://support.stripe.com/."


# --------------------------------------------------------------------------- errors


class _ApiError(Exception):
    """An error answer of the API: HTTP status plus Stripe's {"error": {...}} body."""

    def __init__(self, status, message, *, type="invalid_request_error", param=None, code=None, **extra):
        super().__init__(message)
        self.status = status
        self.error = {"type": type, "message": message}
        if param is not None:
            self.error["param"] = param
        if code is not None:
            self.error["code"] = code
        self.error.update(extra)

    def body(self):
        return {"error": dict(self.error)}


def _missing(param):
    return _ApiError(400, f"Missing required param: {param}.", param=param, code="parameter_missing")


def _invalid(param, message, code="parameter_invalid_empty"):
    return _ApiError(400, message, param=param, code=code)


def _empty(path):
    name = _param_name(path)
    return _invalid(
        name,
        f"You passed an empty string for '{name}'. We assume empty values are an attempt to unset a parameter; "
        f"however '{name}' cannot be unset. You should remove '{name}' from your request or supply a non-empty value.",
        code="parameter_invalid_empty",
    )


def _no_such(kind, ident, status=404, param=None):
    return _ApiError(status, f"No such {kind}: '{ident}'", param=param, code="resource_missing")


# --------------------------------------------------------------------------- decoding


_KEY_RE = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]*\])*)$")
_SEG_RE = re.compile(r"\[([^\[\]]*)\]")


def decode_params(pairs) -> dict:
    """Turn form pairs such as ("line_items[0][price_data][currency]", "gbp") into nested dicts/lists.

    Lists come from all-numeric keys (``a[0]``, ``a[1]``) or ``a[]``; values stay strings.
    """
    root: dict = {}
    for key, value in pairs:
        m = _KEY_RE.match(key)
        parts = [m.group(1), *_SEG_RE.findall(m.group(2))] if m else [key]
        node = root
        for i, part in enumerate(parts):
            if part == "":
                part = str(len(node))
            name = parts[0] + "".join(f"[{p}]" for p in parts[1 : i + 1])
            if i == len(parts) - 1:
                if isinstance(node.get(part), dict):
                    raise _ApiError(400, f"Invalid hash: {name} is given both as a hash and as a value", param=name)
                node[part] = value
            else:
                child = node.setdefault(part, {})
                if not isinstance(child, dict):
                    raise _ApiError(400, f"Invalid hash: {name} is given both as a value and as a hash", param=name)
                node = child
    return _listify(root)


def _listify(node, key=None):
    if not isinstance(node, dict):
        return node
    out = {k: _listify(v, k) for k, v in node.items()}
    if out and key != "metadata" and all(k.isdigit() for k in out):
        return [out[k] for k in sorted(out, key=int)]
    return out


def _param_name(path):
    return path[0] + "".join(f"[{p}]" for p in path[1:]) if path else ""


# --------------------------------------------------------------------------- parameter schemas


class _Str:
    def __init__(self, enum=None, max_length=None):
        self.enum, self.max_length = enum, max_length

    def check(self, value, path):
        name = _param_name(path)
        if value == "":
            raise _empty(path)
        if not isinstance(value, str):
            raise _invalid(name, f"Invalid string: {value!r}", code="parameter_invalid_string")
        if self.enum and value not in self.enum:
            choices = ", ".join(self.enum[:-1]) + (", or " if len(self.enum) > 2 else " or ") + self.enum[-1]
            what = f"must be one of {choices}" if len(self.enum) > 1 else f"must be {self.enum[0]}"
            raise _invalid(name, f"Invalid {path[-1]}: {what}", code="parameter_invalid_string")
        if self.max_length and len(value) > self.max_length:
            raise _invalid(
                name,
                f"Invalid string: {value[:20]}...; must be at most {self.max_length} characters",
                code="parameter_invalid_string",
            )
        return value


class _Int:
    def check(self, value, path):
        if value == "":
            raise _empty(path)
        if not isinstance(value, str) or not re.fullmatch(r"-?\d+", value):
            raise _invalid(_param_name(path), f"Invalid integer: {value}", code="parameter_invalid_integer")
        return int(value)


class _Bool:
    def check(self, value, path):
        if value in ("true", "false"):
            return value == "true"
        if value == "":
            raise _empty(path)
        raise _invalid(_param_name(path), f"Invalid boolean: {value}", code="parameter_invalid_boolean")


class _Meta:
    def check(self, value, path):
        name = _param_name(path)
        if value == "":
            return {}
        if not isinstance(value, dict):
            raise _invalid(name, f"Invalid hash: {name} must be a hash of string keys to string values")
        if len(value) > 50:
            raise _invalid(name, f"Invalid {name}: metadata can have up to 50 keys, but you passed in {len(value)} keys.")
        for k, v in value.items():
            if not isinstance(v, str):
                raise _invalid(f"{name}[{k}]", f"Invalid string: {v!r}", code="parameter_invalid_string")
            if len(k) > 40:
                raise _invalid(name, f"Metadata keys can have up to 40 characters, but you passed in a key with {len(k)} characters: {k}")
            if len(v) > 500:
                raise _invalid(f"{name}[{k}]", f"Metadata values can have up to 500 characters, but you passed in a value that is {len(v)} characters.")
        return dict(value)


class _Arr:
    def __init__(self, item):
        self.item = item

    def check(self, value, path):
        if value == "":
            raise _empty(path)
        if not isinstance(value, list):
            raise _invalid(_param_name(path), f"Invalid array: {_param_name(path)} must be an array")
        return [self.item.check(v, [*path, i]) for i, v in enumerate(value)]


class _Obj:
    def __init__(self, fields):
        self.fields = fields

    def check(self, value, path):
        if value == "" and path:
            raise _empty(path)
        if not isinstance(value, dict):
            name = _param_name(path)
            raise _invalid(name, f"Invalid hash: {name} must be a hash", code="parameter_invalid_hash")
        out = {}
        for key, v in value.items():
            field = self.fields.get(key)
            if field is None:
                name = _param_name([*path, key])
                raise _ApiError(400, f"Received unknown parameter: {name}", param=name, code="parameter_unknown")
            out[key] = field.check(v, [*path, key])
        return out


_S, _I, _B, _M = _Str(), _Int(), _Bool(), _Meta()
_EXPAND = _Arr(_S)
_DELIVERY_BOUND = _Obj({"unit": _Str(enum=("business_day", "day", "hour", "month", "week")), "value": _I})

SESSION_CREATE_PARAMS = _Obj(
    {
        "mode": _S,
        "line_items": _Arr(
            _Obj(
                {
                    "quantity": _I,
                    "metadata": _M,
                    "price_data": _Obj(
                        {
                            "currency": _S,
                            "unit_amount": _I,
                            "tax_behavior": _Str(enum=("exclusive", "inclusive", "unspecified")),
                            "product_data": _Obj(
                                {
                                    "name": _S,
                                    "description": _S,
                                    "metadata": _M,
                                    "images": _Arr(_S),
                                    "tax_code": _S,
                                    "unit_label": _S,
                                }
                            ),
                        }
                    ),
                }
            )
        ),
        "success_url": _Str(max_length=5000),
        "cancel_url": _Str(max_length=5000),
        "client_reference_id": _Str(max_length=200),
        "customer_email": _S,
        "metadata": _M,
        "expires_at": _I,
        "shipping_address_collection": _Obj({"allowed_countries": _Arr(_S)}),
        "shipping_options": _Arr(
            _Obj(
                {
                    "shipping_rate_data": _Obj(
                        {
                            "type": _Str(enum=("fixed_amount",)),
                            "fixed_amount": _Obj({"amount": _I, "currency": _S}),
                            "display_name": _Str(max_length=100),
                            "delivery_estimate": _Obj({"minimum": _DELIVERY_BOUND, "maximum": _DELIVERY_BOUND}),
                            "metadata": _M,
                            "tax_behavior": _Str(enum=("exclusive", "inclusive", "unspecified")),
                            "tax_code": _S,
                        }
                    )
                }
            )
        ),
        "payment_method_types": _Arr(_S),
        "payment_intent_data": _Obj(
            {
                "metadata": _M,
                "description": _S,
                "receipt_email": _S,
                "statement_descriptor": _Str(max_length=22),
                "statement_descriptor_suffix": _Str(max_length=22),
            }
        ),
        "locale": _S,
        "submit_type": _Str(enum=("auto", "book", "donate", "pay", "subscribe")),
        "billing_address_collection": _Str(enum=("auto", "required")),
        "phone_number_collection": _Obj({"enabled": _B}),
        "discounts": _Arr(_Obj({"coupon": _S, "promotion_code": _S})),
        "expand": _EXPAND,
    }
)
EXPAND_ONLY_PARAMS = _Obj({"expand": _EXPAND})
COUPON_CREATE_PARAMS = _Obj(
    {
        "id": _S,
        "amount_off": _I,
        "percent_off": _S,
        "currency": _S,
        "duration": _Str(enum=("forever", "once", "repeating")),
        "duration_in_months": _I,
        "max_redemptions": _I,
        "name": _Str(max_length=40),
        "metadata": _M,
        "redeem_by": _I,
        "expand": _EXPAND,
    }
)
LIST_PARAMS = {"limit": _I, "starting_after": _S, "ending_before": _S, "expand": _EXPAND}
SESSION_LIST_PARAMS = _Obj({**LIST_PARAMS, "payment_intent": _S, "status": _S, "customer_details": _Obj({"email": _S})})
REFUND_LIST_PARAMS = _Obj({**LIST_PARAMS, "payment_intent": _S, "charge": _S})
LINE_ITEMS_LIST_PARAMS = _Obj(LIST_PARAMS)
PAYMENT_INTENT_RETRIEVE_PARAMS = _Obj({"expand": _EXPAND, "client_secret": _S})
REFUND_CREATE_PARAMS = _Obj(
    {
        "payment_intent": _S,
        "charge": _S,
        "amount": _I,
        "reason": _Str(enum=("duplicate", "fraudulent", "requested_by_customer")),
        "metadata": _M,
        "expand": _EXPAND,
    }
)


def _new_id(prefix, n=24):
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    return prefix + "".join(secrets.choice(alphabet) for _ in range(n))


def _canonical_header(name):
    # urllib sends "Idempotency-key", requests sends "Idempotency-Key": store one spelling.
    return "-".join(part.capitalize() for part in name.split("-"))


def format_amount(amount, currency):
    currency = (currency or "").lower()
    if currency in _ZERO_DECIMAL:
        number = f"{amount:,}"
    else:
        number = f"{amount / 100:,.2f}"
    symbol = _SYMBOLS.get(currency)
    return f"{symbol}{number}" if symbol else f"{currency.upper()} {number}"


# --------------------------------------------------------------------------- HTTP plumbing


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def server_bind(self):
        # HTTPServer.server_bind does a reverse DNS lookup (getfqdn); skip it.
        TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name, self.server_port = host, port

    def handle_error(self, request, client_address):
        # A client that gave up (timeout, dropped connection) is not our problem.
        import sys

        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError)):
            return
        self.double.errors.append(traceback.format_exc())


class _Handler(BaseHTTPRequestHandler):
    server_version = "StripeDouble/1.0"
    sys_version = ""

    def log_message(self, format, *args):  # quiet
        pass

    def do_GET(self):
        self.server.double._dispatch(self, "GET")

    def do_POST(self):
        self.server.double._dispatch(self, "POST")

    def do_DELETE(self):
        self.server.double._dispatch(self, "DELETE")


# --------------------------------------------------------------------------- the double


from tests.stripe.invoices_double import InvoicesDouble  # noqa: E402 - it uses the schemas above


class StripeDouble(InvoicesDouble):
    """A fake Stripe API server for tests. See the module docstring (and invoices_double.py's)."""

    def __init__(self, webhook_url: str | None = None, webhook_secret: str | None = None):
        self.webhook_url = webhook_url
        self.webhook_secret = webhook_secret
        self.url: str | None = None
        self.clock = time.time  # replaceable, e.g. to test expires_at windows
        self.requests: list[dict] = []
        self.sessions: dict[str, dict] = {}
        self.line_items: dict[str, list[dict]] = {}  # by session id
        self.products: dict[str, dict] = {}
        self.payment_intents: dict[str, dict] = {}
        self.charges: dict[str, dict] = {}
        self.refunds: dict[str, dict] = {}
        self.coupons: dict[str, dict] = {}
        self.events: list[dict] = []  # every event built, in order
        self.deliveries: list[dict] = []  # {"event", "status", "body"} per webhook POST
        self.errors: list[str] = []  # tracebacks of bugs inside the double itself
        self.fail_next: list = []
        self._idempotency: dict = {}
        self._shipping_rates: dict[str, list[dict]] = {}  # by session id
        self._pi_data: dict[str, dict] = {}  # payment_intent_data by session id
        self._lock = threading.RLock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._init_invoices()

    # ----------------------------------------------------------------- lifecycle

    def start(self) -> "StripeDouble":
        if self._server is not None:
            return self
        server = _Server(("127.0.0.1", 0), _Handler)
        server.double = self
        self._server = server
        self.url = f"http://127.0.0.1:{server.server_address[1]}"
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="stripe-double", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> "StripeDouble":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def reset(self) -> None:
        """Forget all objects, requests, events and queued faults (the server keeps running)."""
        with self._lock:
            for store in (self.sessions, self.line_items, self.products, self.payment_intents,
                          self.charges, self.refunds, self.coupons, self._idempotency, self._shipping_rates, self._pi_data,
                          *self._invoice_stores()):
                store.clear()
            for log in (self.requests, self.events, self.deliveries, self.errors, self.fail_next):
                log.clear()

    def _now(self) -> int:
        return int(self.clock())

    # ----------------------------------------------------------------- request dispatch

    def _dispatch(self, h: _Handler, method: str) -> None:
        try:
            split = urllib.parse.urlsplit(h.path)
            length = int(h.headers.get("Content-Length") or 0)
            body = h.rfile.read(length) if length > 0 else b""
            if split.path.startswith("/v1/") or split.path == "/v1":
                self._handle_api(h, method, split, body)
            elif split.path.startswith("/pay/"):
                self._handle_page(h, method, split.path)
            elif split.path.startswith("/invoice/"):
                self._handle_invoice_page(h, method, split.path)
            else:
                self._send(h, 404, "text/plain; charset=utf-8", b"Not found (Stripe test double)\n")
        except (ConnectionError, TimeoutError):
            pass
        except Exception:
            self.errors.append(traceback.format_exc())
            try:
                err = _ApiError(500, "The Stripe test double crashed; see StripeDouble.errors", type="api_error")
                self._send_json(h, 500, err.body())
            except OSError:
                pass

    def _send(self, h, status, content_type, payload: bytes, headers=None):
        h.send_response(status)
        h.send_header("Content-Type", content_type)
        h.send_header("Content-Length", str(len(payload)))
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.end_headers()
        if h.command != "HEAD":
            h.wfile.write(payload)

    def _send_json(self, h, status, body, headers=None):
        payload = json.dumps(body, indent=2).encode("utf-8")
        headers = {"Request-Id": _new_id("req_", 14), "Stripe-Version": API_VERSION, **(headers or {})}
        self._send(h, status, "application/json", payload, headers)

    @staticmethod
    def _drop(h):
        h.close_connection = True
        try:
            h.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _handle_api(self, h, method, split, body):
        headers = {_canonical_header(k): v for k, v in h.headers.items()}
        raw = split.query if method in ("GET", "DELETE") else body.decode("utf-8", "replace")
        decode_error = None
        try:
            params = decode_params(urllib.parse.parse_qsl(raw, keep_blank_values=True))
        except _ApiError as e:
            params, decode_error = {}, e
        with self._lock:
            fault = tuple(self.fail_next.pop(0)) if self.fail_next else None
            self.requests.append(
                {"method": method, "path": split.path, "params": params, "headers": headers, "fault": fault}
            )

        drop_after = False
        if fault:
            kind = fault[0]
            if kind == "status":
                status = int(fault[1])
                extra = fault[2] if len(fault) > 2 else {}
                return self._send_json(h, status, self._fault_body(status), extra)
            if kind == "drop":
                return self._drop(h)
            if kind == "delay":
                time.sleep(float(fault[1]))
            elif kind == "drop_after":
                drop_after = True
            else:
                raise ValueError(f"unknown fault {fault!r}")

        status, payload, extra = self._api_response(method, split.path, params, headers, decode_error)
        if drop_after:
            return self._drop(h)
        self._send_json(h, status, payload, extra)

    @staticmethod
    def _fault_body(status):
        note = " (injected by StripeDouble.fail_next)"
        if status == 402:
            err = _ApiError(402, "Your card was declined." + note, type="card_error",
                            code="card_declined", decline_code="generic_decline")
        elif status == 401:
            err = _ApiError(401, "Invalid API Key provided" + note)
        elif status == 404:
            err = _ApiError(404, "No such object" + note, code="resource_missing")
        elif status == 409:
            err = _ApiError(409, "This object cannot be accessed right now because another API request "
                                 "or Stripe process is currently accessing it." + note, code="lock_timeout")
        elif status == 429:
            err = _ApiError(429, "Request rate limit exceeded." + note, code="rate_limit")
        elif 400 <= status < 500:
            err = _ApiError(status, "Invalid request" + note)
        else:
            err = _ApiError(status, "An unknown error occurred" + note, type="api_error")
        return err.body()

    def _api_response(self, method, path, params, headers, decode_error):
        auth = headers.get("Authorization", "")
        api_key = auth[len("Bearer "):].strip() if auth.startswith("Bearer ") else ""
        if not re.fullmatch(r"(sk|rk)_test_[A-Za-z0-9_]+", api_key):
            return 401, _ApiError(401, "Invalid API Key provided").body(), {}
        if decode_error is not None:
            return decode_error.status, decode_error.body(), {}

        idem_key = headers.get("Idempotency-Key") if method == "POST" else None
        with self._lock:
            if idem_key:
                stored = self._idempotency.get((api_key, idem_key))
                if stored is not None:
                    if (stored["method"], stored["path"]) != (method, path):
                        msg = (
                            "Keys for idempotent requests can only be used for the same endpoint they were first "
                            f"used for ('{method} {path}' vs '{stored['method']} {stored['path']}'). Try using a "
                            f"key other than '{idem_key}' if you meant to execute a different request."
                        )
                        return 400, _ApiError(400, msg, type="idempotency_error").body(), {}
                    if stored["params"] != params:
                        msg = (
                            "Keys for idempotent requests can only be used with the same parameters they were "
                            f"first used with. Try using a key other than '{idem_key}' if you meant to execute "
                            "a different request."
                        )
                        return 400, _ApiError(400, msg, type="idempotency_error").body(), {}
                    replay_headers = {"Idempotent-Replayed": "true", "Original-Request": stored["request_id"]}
                    return stored["status"], copy.deepcopy(stored["body"]), replay_headers
            try:
                status, payload = 200, self._route(method, path, params)
            except _ApiError as e:
                status, payload = e.status, e.body()
            if idem_key and 200 <= status < 300:
                self._idempotency[(api_key, idem_key)] = {
                    "method": method,
                    "path": path,
                    "params": copy.deepcopy(params),
                    "status": status,
                    "body": copy.deepcopy(payload),
                    "request_id": _new_id("req_", 14),
                }
            return status, payload, {}

    # ----------------------------------------------------------------- routing (lock held)

    def _route(self, method, path, params):
        parts = [urllib.parse.unquote_plus(p) for p in path.strip("/").split("/")][1:]  # drop "v1"
        match (method, parts):
            case ("POST", ["checkout", "sessions"]):
                return self._create_session(SESSION_CREATE_PARAMS.check(params, []))
            case ("GET", ["checkout", "sessions"]):
                return self._list_sessions(SESSION_LIST_PARAMS.check(params, []))
            case ("GET", ["checkout", "sessions", sid]):
                p = EXPAND_ONLY_PARAMS.check(params, [])
                return self._expanded_session(self._session(sid), p.get("expand", []))
            case ("POST", ["checkout", "sessions", sid, "expire"]):
                p = EXPAND_ONLY_PARAMS.check(params, [])
                return self._expanded_session(self._api_expire(sid), p.get("expand", []))
            case ("GET", ["checkout", "sessions", sid, "line_items"]):
                p = LINE_ITEMS_LIST_PARAMS.check(params, [])
                self._session(sid)
                items = self.line_items[sid]
                if "data.price.product" in p.get("expand", []):
                    items = [self._expand_product(i) for i in items]
                return self._list(items, path, p)
            case ("GET", ["payment_intents", pid]):
                PAYMENT_INTENT_RETRIEVE_PARAMS.check(params, [])
                if pid not in self.payment_intents:
                    raise _no_such("payment_intent", pid)
                return copy.deepcopy(self.payment_intents[pid])
            case ("GET", ["charges", cid]):
                EXPAND_ONLY_PARAMS.check(params, [])
                if cid not in self.charges:
                    raise _no_such("charge", cid)
                return copy.deepcopy(self.charges[cid])
            case ("POST", ["coupons"]):
                return self._create_coupon(COUPON_CREATE_PARAMS.check(params, []))
            case ("GET", ["coupons", coupon_id]):
                EXPAND_ONLY_PARAMS.check(params, [])
                if coupon_id not in self.coupons:
                    raise _no_such("coupon", coupon_id)
                return copy.deepcopy(self.coupons[coupon_id])
            case ("POST", ["refunds"]):
                return self._create_refund(REFUND_CREATE_PARAMS.check(params, []))
            case ("GET", ["refunds"]):
                p = REFUND_LIST_PARAMS.check(params, [])
                refunds = sorted(self.refunds.values(), key=lambda r: r["created"], reverse=True)
                refunds = [r for r in refunds if all(r[k] == p[k] for k in ("payment_intent", "charge") if k in p)]
                return self._list(refunds, path, p)
            case ("GET", ["refunds", rid]):
                EXPAND_ONLY_PARAMS.check(params, [])
                if rid not in self.refunds:
                    raise _no_such("refund", rid)
                return copy.deepcopy(self.refunds[rid])
            case ("GET", ["events", eid]):
                EXPAND_ONLY_PARAMS.check(params, [])
                for event in self.events:
                    if event["id"] == eid:
                        return copy.deepcopy(event)
                raise _no_such("event", eid)
        routed = self._route_invoices(method, parts, params)
        if routed is not None:
            return routed
        raise _ApiError(
            404,
            f"Unrecognized request URL ({method}: {path}). The Stripe test double does not implement it. {_DOCS_HINT}",
        )

    def _list(self, items, url, p):
        limit = p.get("limit")
        limit = 10 if limit is None else limit
        if not 1 <= limit <= 100:
            raise _invalid("limit", "This value must be greater than or equal to 1 and less than or equal to 100.",
                           code="parameter_invalid_integer")
        ids = [i["id"] for i in items]
        if p.get("starting_after"):
            if p["starting_after"] not in ids:
                raise _no_such("object", p["starting_after"], status=400, param="starting_after")
            start = ids.index(p["starting_after"]) + 1
            window = items[start:start + limit]
            has_more = start + limit < len(items)
        elif p.get("ending_before"):
            if p["ending_before"] not in ids:
                raise _no_such("object", p["ending_before"], status=400, param="ending_before")
            end = ids.index(p["ending_before"])
            window = items[max(0, end - limit):end]
            has_more = end - limit > 0
        else:
            window, has_more = items[:limit], len(items) > limit
        return {"object": "list", "data": copy.deepcopy(window), "has_more": has_more, "url": url}

    # ----------------------------------------------------------------- checkout sessions

    def _session(self, sid, status=404, param=None):
        if sid not in self.sessions:
            raise _no_such("checkout.session", sid, status=status, param=param)
        return self.sessions[sid]

    def _expanded_session(self, session, expand):
        out = copy.deepcopy(session)
        if "line_items" in expand:
            out["line_items"] = self._list(self.line_items[session["id"]],
                                           f"/v1/checkout/sessions/{session['id']}/line_items", {"limit": 100})
        if "payment_intent" in expand and session["payment_intent"]:
            out["payment_intent"] = copy.deepcopy(self.payment_intents[session["payment_intent"]])
        return out

    def _expand_product(self, item):
        item = copy.deepcopy(item)
        item["price"]["product"] = copy.deepcopy(self.products[item["price"]["product"]])
        return item

    @staticmethod
    def _currency(value, param):
        currency = value.lower()
        if not re.fullmatch(r"[a-z]{3}", currency):
            raise _invalid(param, f"Invalid currency: {value}", code="parameter_invalid_string")
        return currency

    def _create_session(self, p):
        now = self._now()
        mode = p.get("mode")
        if mode is None:
            raise _missing("mode")
        if mode not in ("payment", "setup", "subscription"):
            raise _invalid("mode", "Invalid mode: must be one of payment, setup, or subscription")
        if mode != "payment":
            raise _invalid("mode", f"The Stripe test double only supports mode=payment, not {mode}.")
        for url_param in ("success_url", "cancel_url"):
            url = p.get(url_param)
            if not url:
                raise _missing(url_param)
            if not re.match(r"https?://[^/\s]+", url):
                raise _invalid(url_param, "Not a valid URL", code="url_invalid")
        if p.get("customer_email") is not None and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", p["customer_email"]):
            raise _invalid("customer_email", f"Invalid email address: {p['customer_email']}", code="email_invalid")

        items_in = p.get("line_items") or []
        if not items_in:
            raise _missing("line_items")
        currency = None
        line_items, subtotal = [], 0
        for i, item in enumerate(items_in):
            base = f"line_items[{i}]"
            if item.get("quantity") is None:
                raise _missing(f"{base}[quantity]")
            if item["quantity"] < 1:
                raise _invalid(f"{base}[quantity]", "This value must be greater than or equal to 1.",
                               code="parameter_invalid_integer")
            pd = item.get("price_data")
            if not pd:
                raise _missing(f"{base}[price_data]")
            if not pd.get("currency"):
                raise _missing(f"{base}[price_data][currency]")
            item_currency = self._currency(pd["currency"], f"{base}[price_data][currency]")
            if pd.get("unit_amount") is None:
                raise _missing(f"{base}[price_data][unit_amount]")
            if pd["unit_amount"] < 0:
                raise _invalid(f"{base}[price_data][unit_amount]", "This value must be greater than or equal to 0.",
                               code="parameter_invalid_integer")
            prod = pd.get("product_data")
            if not prod:
                raise _missing(f"{base}[price_data][product_data]")
            if not prod.get("name"):
                raise _missing(f"{base}[price_data][product_data][name]")
            if currency is None:
                currency = item_currency
            elif item_currency != currency:
                raise _invalid(
                    f"{base}[price_data][currency]",
                    f"All line items must use the same currency: line_items[0] is in {currency}, "
                    f"{base} is in {item_currency}.",
                    code="parameter_invalid_string",
                )
            amount = item["quantity"] * pd["unit_amount"]
            subtotal += amount
            product = {
                "id": _new_id("prod_", 14),
                "object": "product",
                "active": False,
                "created": now,
                "description": prod.get("description"),
                "images": prod.get("images", []),
                "livemode": False,
                "metadata": prod.get("metadata", {}),
                "name": prod["name"],
                "tax_code": prod.get("tax_code"),
                "unit_label": prod.get("unit_label"),
            }
            self.products[product["id"]] = product
            line_items.append(
                {
                    "id": _new_id("li_"),
                    "object": "item",
                    "amount_discount": 0,
                    "amount_subtotal": amount,
                    "amount_tax": 0,
                    "amount_total": amount,
                    "currency": item_currency,
                    "description": prod["name"],
                    "metadata": item.get("metadata", {}),
                    "price": {
                        "id": _new_id("price_"),
                        "object": "price",
                        "active": False,
                        "billing_scheme": "per_unit",
                        "created": now,
                        "currency": item_currency,
                        "livemode": False,
                        "lookup_key": None,
                        "metadata": {},
                        "nickname": None,
                        "product": product["id"],
                        "recurring": None,
                        "tax_behavior": pd.get("tax_behavior", "unspecified"),
                        "type": "one_time",
                        "unit_amount": pd["unit_amount"],
                        "unit_amount_decimal": str(pd["unit_amount"]),
                    },
                    "quantity": item["quantity"],
                }
            )

        shipping_options = []
        options_in = p.get("shipping_options") or []
        if len(options_in) > 5:
            raise _invalid("shipping_options", "You can provide at most 5 shipping options.")
        for i, opt in enumerate(options_in):
            base = f"shipping_options[{i}][shipping_rate_data]"
            rate = opt.get("shipping_rate_data")
            if not rate:
                raise _missing(f"shipping_options[{i}][shipping_rate_data]")
            if not rate.get("display_name"):
                raise _missing(f"{base}[display_name]")
            fixed = rate.get("fixed_amount")
            if not fixed:
                raise _missing(f"{base}[fixed_amount]")
            if fixed.get("amount") is None:
                raise _missing(f"{base}[fixed_amount][amount]")
            if fixed["amount"] < 0:
                raise _invalid(f"{base}[fixed_amount][amount]", "This value must be greater than or equal to 0.",
                               code="parameter_invalid_integer")
            if not fixed.get("currency"):
                raise _missing(f"{base}[fixed_amount][currency]")
            estimate = rate.get("delivery_estimate") or {}
            for bound in ("minimum", "maximum"):
                if bound in estimate:
                    if "unit" not in estimate[bound] or "value" not in estimate[bound]:
                        raise _missing(f"{base}[delivery_estimate][{bound}][{'unit' if 'unit' not in estimate[bound] else 'value'}]")
                    if estimate[bound]["value"] < 1:
                        raise _invalid(f"{base}[delivery_estimate][{bound}][value]", "This value must be greater than 0.",
                                       code="parameter_invalid_integer")
            rate_currency = self._currency(fixed["currency"], f"{base}[fixed_amount][currency]")
            if rate_currency != currency:
                raise _invalid(
                    f"{base}[fixed_amount][currency]",
                    f"The shipping rate currency ({rate_currency}) must match the currency of the line items "
                    f"({currency}).",
                    code="parameter_invalid_string",
                )
            shipping_rate = {
                "id": _new_id("shr_"),
                "object": "shipping_rate",
                "active": True,
                "created": now,
                "delivery_estimate": rate.get("delivery_estimate"),
                "display_name": rate["display_name"],
                "fixed_amount": {"amount": fixed["amount"], "currency": rate_currency},
                "livemode": False,
                "metadata": rate.get("metadata", {}),
                "tax_behavior": rate.get("tax_behavior", "unspecified"),
                "tax_code": rate.get("tax_code"),
                "type": rate.get("type", "fixed_amount"),
            }
            shipping_options.append(
                {"shipping_amount": fixed["amount"], "shipping_rate": shipping_rate["id"], "_rate": shipping_rate}
            )

        shipping_amount = shipping_options[0]["shipping_amount"] if shipping_options else 0
        discount = self._session_discount(p, currency, subtotal)
        if discount:
            # Spread over the line items in proportion, the last one taking what rounding leaves.
            left = discount
            for n, item in enumerate(line_items):
                share = left if n == len(line_items) - 1 else discount * item["amount_subtotal"] // subtotal
                item["amount_discount"], item["amount_total"] = share, item["amount_subtotal"] - share
                left -= share
        total = subtotal - discount + shipping_amount
        minimum = _MINIMUM_CHARGE.get(currency)
        if minimum and 0 < total < minimum:
            raise _invalid(
                "line_items",
                f"The Checkout Session's total amount due must add up to at least "
                f"{format_amount(minimum, currency)} {currency}",
                code="amount_too_small",
            )

        expires_at = p.get("expires_at")
        if expires_at is None:
            expires_at = now + 24 * 3600
        elif expires_at < now + 30 * 60 - 10:
            raise _invalid("expires_at", "The `expires_at` timestamp must be at least 30 minutes from Checkout "
                                         "Session creation.", code="parameter_invalid_integer")
        elif expires_at > now + 24 * 3600:
            raise _invalid("expires_at", "The `expires_at` timestamp must be less than 24 hours from Checkout "
                                         "Session creation.", code="parameter_invalid_integer")

        countries = (p.get("shipping_address_collection") or {}).get("allowed_countries")
        if p.get("shipping_address_collection") is not None and not countries:
            raise _missing("shipping_address_collection[allowed_countries]")

        sid = _new_id("cs_test_", 58)
        session = {
            "id": sid,
            "object": "checkout.session",
            "allow_promotion_codes": None,
            "amount_subtotal": subtotal,
            "amount_total": total,
            "automatic_tax": {"enabled": False, "liability": None, "provider": None, "status": None},
            "billing_address_collection": p.get("billing_address_collection"),
            "cancel_url": p["cancel_url"],
            "client_reference_id": p.get("client_reference_id"),
            "client_secret": None,
            "collected_information": None,
            "consent": None,
            "consent_collection": None,
            "created": now,
            "currency": currency,
            "custom_fields": [],
            "customer": None,
            "customer_creation": "if_required",
            "customer_details": None,
            "customer_email": p.get("customer_email"),
            "discounts": p.get("discounts", []),
            "expires_at": expires_at,
            "invoice": None,
            "livemode": False,
            "locale": p.get("locale"),
            "metadata": p.get("metadata", {}),
            "mode": mode,
            "payment_intent": None,
            "payment_link": None,
            "payment_method_collection": "if_required",
            "payment_method_types": p.get("payment_method_types") or ["card"],
            "payment_status": "unpaid",
            "phone_number_collection": {"enabled": bool((p.get("phone_number_collection") or {}).get("enabled"))},
            "recovered_from": None,
            "setup_intent": None,
            "shipping_address_collection": {"allowed_countries": countries} if countries else None,
            "shipping_cost": (
                {
                    "amount_subtotal": shipping_amount,
                    "amount_tax": 0,
                    "amount_total": shipping_amount,
                    "shipping_rate": shipping_options[0]["shipping_rate"],
                }
                if shipping_options
                else None
            ),
            "shipping_details": None,
            "shipping_options": [{k: v for k, v in o.items() if k != "_rate"} for o in shipping_options],
            "status": "open",
            "submit_type": p.get("submit_type"),
            "subscription": None,
            "success_url": p["success_url"],
            "total_details": {"amount_discount": discount, "amount_shipping": shipping_amount, "amount_tax": 0},
            "ui_mode": "hosted_page",
            "url": f"{self.url}/pay/{sid}",
        }
        self.sessions[sid] = session
        self.line_items[sid] = line_items
        self._shipping_rates[sid] = [o["_rate"] for o in shipping_options]
        self._pi_data[sid] = p.get("payment_intent_data") or {}
        return self._expanded_session(session, p.get("expand", []))

    def _create_coupon(self, p):
        amount_off, percent_off = p.get("amount_off"), p.get("percent_off")
        if (amount_off is None) == (percent_off is None):
            raise _invalid("amount_off", "You must pass exactly one of `amount_off` or `percent_off`.",
                           code="parameter_missing")
        if amount_off is not None:
            if amount_off < 1:
                raise _invalid("amount_off", "Invalid positive integer", code="parameter_invalid_integer")
            if not p.get("currency"):
                raise _invalid("currency", "You must pass `currency` when passing `amount_off`.", code="parameter_missing")
        else:
            try:
                percent = float(percent_off)
            except ValueError:
                raise _invalid("percent_off", f"Invalid decimal: {percent_off}", code="parameter_invalid_string") from None
            if not 0 < percent <= 100:
                raise _invalid("percent_off", "percent_off must be greater than 0 and at most 100.")
        duration = p.get("duration", "once")
        if duration == "repeating" and p.get("duration_in_months") is None:
            raise _missing("duration_in_months")
        if p.get("max_redemptions") is not None and p["max_redemptions"] < 1:
            raise _invalid("max_redemptions", "Invalid positive integer", code="parameter_invalid_integer")
        coupon_id = p.get("id") or _new_id("", 8)
        if coupon_id in self.coupons:
            raise _invalid("id", "Coupon already exists.", code="resource_already_exists")
        coupon = {
            "id": coupon_id, "object": "coupon", "amount_off": amount_off,
            "currency": self._currency(p["currency"], "currency") if p.get("currency") else None,
            "duration": duration, "duration_in_months": p.get("duration_in_months"), "livemode": False,
            "max_redemptions": p.get("max_redemptions"), "metadata": p.get("metadata", {}), "name": p.get("name"),
            "percent_off": float(percent_off) if percent_off is not None else None, "redeem_by": p.get("redeem_by"),
            "times_redeemed": 0, "valid": True, "created": self._now(),
        }
        self.coupons[coupon_id] = coupon
        return copy.deepcopy(coupon)

    def _session_discount(self, p, currency, subtotal):
        """The amount the session's one coupon takes off the items, checked as Stripe checks it."""
        discounts = p.get("discounts") or []
        if len(discounts) > 1:
            raise _invalid("discounts", "You may only specify one discount per Checkout Session.")
        if not discounts:
            return 0
        entry = discounts[0]
        if entry.get("promotion_code"):
            raise _invalid("discounts[0][promotion_code]", "The Stripe test double does not support promotion codes.")
        coupon = self.coupons.get(entry.get("coupon") or "")
        if coupon is None:
            raise _no_such("coupon", entry.get("coupon"), status=400, param="discounts[0][coupon]")
        if coupon["max_redemptions"] is not None and coupon["times_redeemed"] >= coupon["max_redemptions"]:
            raise _invalid("discounts[0][coupon]", f"Coupon {coupon['id']} has been fully redeemed.", code="coupon_expired")
        if coupon["amount_off"] is not None:
            if coupon["currency"] != currency:
                raise _invalid("discounts[0][coupon]", f"The coupon currency ({coupon['currency']}) must match the "
                                                       f"currency of the Checkout Session ({currency}).")
            return min(coupon["amount_off"], subtotal)
        return int(round(subtotal * coupon["percent_off"] / 100))

    def _list_sessions(self, p):
        sessions = sorted(self.sessions.values(), key=lambda s: s["created"], reverse=True)
        if "payment_intent" in p:
            sessions = [s for s in sessions if s["payment_intent"] == p["payment_intent"]]
        if "status" in p:
            sessions = [s for s in sessions if s["status"] == p["status"]]
        if "email" in (p.get("customer_details") or {}):
            email = p["customer_details"]["email"]
            sessions = [s for s in sessions if (s["customer_details"] or {}).get("email") == email]
        return self._list(sessions, "/v1/checkout/sessions", p)

    def _api_expire(self, sid):
        session = self._session(sid)
        if session["status"] != "open":
            raise _ApiError(400, 'Only Checkout Sessions with a status in ["open"] can be expired.')
        session.update(status="expired", url=None)
        return session

    # ----------------------------------------------------------------- refunds

    def _create_refund(self, p):
        now = self._now()
        if p.get("payment_intent"):
            pid = p["payment_intent"]
            if pid not in self.payment_intents:
                raise _no_such("payment_intent", pid, status=400, param="payment_intent")
            pi = self.payment_intents[pid]
            if p.get("charge") and p["charge"] != pi["latest_charge"]:
                raise _invalid("charge", f"The charge {p['charge']} does not belong to PaymentIntent {pid}.")
            if pi["status"] != "succeeded":
                raise _ApiError(400, f"This PaymentIntent ({pid}) does not have a successful charge to refund.",
                                param="payment_intent")
            charge = self.charges[pi["latest_charge"]]
        elif p.get("charge"):
            cid = p["charge"]
            if cid not in self.charges:
                raise _no_such("charge", cid, status=400, param="charge")
            charge = self.charges[cid]
            if charge["status"] != "succeeded":
                raise _ApiError(400, f"Charge {cid} has not succeeded and cannot be refunded.", param="charge")
        else:
            raise _ApiError(400, "One of the following params should be provided for this request: "
                                 "payment_intent or charge.")
        remaining = charge["amount"] - charge["amount_refunded"]
        amount = p.get("amount")
        if remaining <= 0:
            raise _ApiError(400, f"Charge {charge['id']} has already been refunded.", code="charge_already_refunded")
        if amount is None:
            amount = remaining
        if amount < 1:
            raise _invalid("amount", f"Invalid positive integer: {amount}", code="parameter_invalid_integer")
        if amount > remaining:
            raise _ApiError(
                400,
                f"Refund amount ({format_amount(amount, charge['currency'])}) is greater than unrefunded amount "
                f"on charge ({format_amount(remaining, charge['currency'])})",
                param="amount",
                code="amount_too_large",
            )
        refund = {
            "id": _new_id("re_"),
            "object": "refund",
            "amount": amount,
            "balance_transaction": _new_id("txn_"),
            "charge": charge["id"],
            "created": now,
            "currency": charge["currency"],
            "destination_details": None,
            "metadata": p.get("metadata", {}),
            "payment_intent": charge["payment_intent"],
            "reason": p.get("reason"),
            "receipt_number": None,
            "source_transfer_reversal": None,
            "status": "succeeded",
            "transfer_reversal": None,
        }
        self.refunds[refund["id"]] = refund
        charge["amount_refunded"] += amount
        charge["refunded"] = charge["amount_refunded"] >= charge["amount"]
        return copy.deepcopy(refund)

    # ----------------------------------------------------------------- "what happens at Stripe"

    def complete(self, session_id, payment_status="paid", send_webhook=True, address=None) -> dict:
        """The buyer pays on the hosted page. payment_status "unpaid" = a delayed method (bank debit).
        `address` (fields of TEST_ADDRESS) is the delivery address the buyer types, when one is collected."""
        result, event = self._complete(session_id, payment_status, address)
        if send_webhook and self.webhook_url:
            self.deliver(event)
        return result

    def _complete(self, session_id, payment_status, typed_address=None):
        if payment_status not in ("paid", "unpaid"):
            raise ValueError("payment_status must be 'paid' or 'unpaid'")
        with self._lock:
            session = self.sessions[session_id]
            if session["status"] != "open":
                raise ValueError(f"checkout session {session_id} is {session['status']}, not open")
            now = self._now()
            for entry in session["discounts"] or []:
                if entry.get("coupon") in self.coupons:
                    self.coupons[entry["coupon"]]["times_redeemed"] += 1
            if session["amount_total"] == 0:
                payment_status, pi_id = "no_payment_required", None
            else:
                pi_id = self._create_payment(session, paid=payment_status == "paid", now=now)
            country = (typed_address or {}).get("country") or TEST_ADDRESS["country"]
            allowed = (session["shipping_address_collection"] or {}).get("allowed_countries") or [country]
            address = {**TEST_ADDRESS, **(typed_address or {}), "country": country if country in allowed else allowed[0]}
            # Like Stripe: without shipping_address_collection no delivery address is asked for or returned.
            collected = session["shipping_address_collection"] is not None
            shipping = {"name": TEST_NAME, "address": dict(address)} if collected else None
            session.update(
                status="complete",
                payment_status=payment_status,
                payment_intent=pi_id,
                url=None,
                customer_details={
                    "address": dict(address),
                    "business_name": None,
                    "email": session["customer_email"] or TEST_EMAIL,
                    "individual_name": None,
                    "name": TEST_NAME,
                    "phone": None,
                    "tax_exempt": "none",
                    "tax_ids": [],
                },
                collected_information={"shipping_details": shipping} if collected else None,
                shipping_details=copy.deepcopy(shipping),
            )
            event = self.event("checkout.session.completed", session)
            return copy.deepcopy(session), event

    def _create_payment(self, session, paid, now):
        pi_id, ch_id = _new_id("pi_"), _new_id("ch_")
        pi_data = self._pi_data.get(session["id"], {})
        amount, currency = session["amount_total"], session["currency"]
        metadata = dict(pi_data.get("metadata", {}))
        self.payment_intents[pi_id] = {
            "id": pi_id,
            "object": "payment_intent",
            "amount": amount,
            "amount_capturable": 0,
            "amount_received": amount if paid else 0,
            "capture_method": "automatic_async",
            "client_secret": f"{pi_id}_secret_{_new_id('', 24)}",
            "created": now,
            "currency": currency,
            "customer": None,
            "description": pi_data.get("description"),
            "last_payment_error": None,
            "latest_charge": ch_id,
            "livemode": False,
            "metadata": metadata,
            "payment_method": _new_id("pm_"),
            "payment_method_types": session["payment_method_types"],
            "receipt_email": pi_data.get("receipt_email"),
            "status": "succeeded" if paid else "processing",
        }
        self.charges[ch_id] = {
            "id": ch_id,
            "object": "charge",
            "amount": amount,
            "amount_captured": amount if paid else 0,
            "amount_refunded": 0,
            "captured": paid,
            "created": now,
            "currency": currency,
            "description": pi_data.get("description"),
            "livemode": False,
            "metadata": dict(metadata),
            "paid": paid,
            "payment_intent": pi_id,
            "refunded": False,
            "status": "succeeded" if paid else "pending",
        }
        return pi_id

    def expire_at_stripe(self, session_id, send_webhook=True) -> dict:
        """The session times out at Stripe: status "expired" and a checkout.session.expired webhook."""
        with self._lock:
            session = self.sessions[session_id]
            if session["status"] != "open":
                raise ValueError(f"checkout session {session_id} is {session['status']}, not open")
            session.update(status="expired", url=None)
            event = self.event("checkout.session.expired", session)
            result = copy.deepcopy(session)
        if send_webhook and self.webhook_url:
            self.deliver(event)
        return result

    def _async_outcome(self, session_id, succeeded, send_webhook):
        with self._lock:
            session = self.sessions[session_id]
            pi = self.payment_intents.get(session["payment_intent"] or "")
            if session["status"] != "complete" or pi is None or pi["status"] != "processing":
                raise ValueError(f"checkout session {session_id} has no payment awaiting a delayed outcome")
            charge = self.charges[pi["latest_charge"]]
            if succeeded:
                session["payment_status"] = "paid"
                pi.update(status="succeeded", amount_received=pi["amount"])
                charge.update(status="succeeded", paid=True, captured=True, amount_captured=charge["amount"])
                type_ = "checkout.session.async_payment_succeeded"
            else:
                pi.update(
                    status="requires_payment_method",
                    last_payment_error={"type": "card_error", "code": "payment_method_provider_decline",
                                        "message": "The payment was declined (Stripe test double)."},
                )
                charge.update(status="failed", paid=False)
                type_ = "checkout.session.async_payment_failed"
            event = self.event(type_, session)
            result = copy.deepcopy(session)
        if send_webhook and self.webhook_url:
            self.deliver(event)
        return result

    def succeed_async(self, session_id, send_webhook=True) -> dict:
        """A delayed payment clears: payment_status "paid", event checkout.session.async_payment_succeeded."""
        return self._async_outcome(session_id, True, send_webhook)

    def fail_async(self, session_id, send_webhook=True) -> dict:
        """A delayed payment fails: payment_status stays "unpaid", event checkout.session.async_payment_failed."""
        return self._async_outcome(session_id, False, send_webhook)

    def refund_event(self, payment_intent_id, event_id: str | None = None) -> dict:
        """A "charge.refunded" event for the payment intent's charge as it stands now (not delivered)."""
        with self._lock:
            charge = self.charges[self.payment_intents[payment_intent_id]["latest_charge"]]
            return self.event("charge.refunded", charge, event_id=event_id)

    # ----------------------------------------------------------------- events and webhooks

    def event(self, type: str, obj: dict, event_id: str | None = None, created: int | None = None) -> dict:
        """Build (and remember, for GET /v1/events/<id>) an Event wrapping a snapshot of obj."""
        event = {
            "id": event_id or _new_id("evt_"),
            "object": "event",
            "api_version": API_VERSION,
            "created": self._now() if created is None else created,
            "data": {"object": copy.deepcopy(obj)},
            "livemode": False,
            "pending_webhooks": 1,
            "request": {"id": None, "idempotency_key": None},
            "type": type,
        }
        with self._lock:
            self.events.append(event)
        return copy.deepcopy(event)

    def sign(self, payload: bytes, secret: str | None = None, timestamp: int | None = None) -> str:
        """A Stripe-Signature header value for payload ("t=<ts>,v1=<hex hmac>")."""
        secret = secret or self.webhook_secret
        if not secret:
            raise ValueError("no webhook secret: pass one or set StripeDouble(webhook_secret=...)")
        if isinstance(payload, (bytes, bytearray)):
            # generate_signature_header formats the payload into an f-string: bytes would sign "b'...'".
            payload = bytes(payload).decode("utf-8")
        return stripe.WebhookSignature.generate_signature_header(payload, secret, timestamp=timestamp)

    def deliver(self, event: dict) -> int:
        """POST the event, signed, to webhook_url. Returns the HTTP status (0 when the app is unreachable)."""
        if not self.webhook_url:
            raise ValueError("no webhook_url: set StripeDouble(webhook_url=...)")
        payload = json.dumps(event, indent=2).encode("utf-8")  # Stripe pretty-prints webhook bodies too
        request = urllib.request.Request(
            self.webhook_url,
            data=payload,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Stripe-Signature": self.sign(payload),
                "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
            },
        )
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        try:
            with opener.open(request, timeout=10) as response:
                status, body = response.status, response.read()
        except urllib.error.HTTPError as e:
            status, body = e.code, e.read()
        except (urllib.error.URLError, OSError) as e:
            status, body = 0, str(e).encode()
        with self._lock:
            self.deliveries.append(
                {"event": event, "status": status, "body": body.decode("utf-8", "replace")}
            )
        return status

    # ----------------------------------------------------------------- hosted payment page

    def _handle_page(self, h, method, path):
        parts = [urllib.parse.unquote(p) for p in path.strip("/").split("/")]  # ["pay", id, action?]
        if len(parts) not in (2, 3) or (len(parts) == 3 and method != "POST"):
            return self._page(h, 404, "Not found", "<p>No such page.</p>")
        sid = parts[1]
        with self._lock:
            session = copy.deepcopy(self.sessions.get(sid))
        if session is None:
            return self._page(h, 404, "No such checkout session", f"<p>No such checkout session: {html.escape(sid)}</p>")
        if len(parts) == 2:
            if method != "GET":
                return self._page(h, 405, "Method not allowed", "<p>Use GET.</p>")
            return self._render_checkout(h, session)
        action = parts[2]
        if action == "cancel":
            return self._send(h, 303, "text/plain; charset=utf-8", b"", {"Location": session["cancel_url"]})
        if action not in ("pay", "pay-delayed"):
            return self._page(h, 404, "Not found", "<p>No such action.</p>")
        if session["status"] == "expired":
            return self._page(h, 400, "Session expired", "<p>This checkout session has expired.</p>")
        if session["status"] == "complete":
            return self._page(h, 400, "Already paid", "<p>This checkout session is already complete.</p>")
        try:
            _, event = self._complete(sid, "paid" if action == "pay" else "unpaid")
        except ValueError as e:  # lost a race with another request
            return self._page(h, 400, "Cannot pay", f"<p>{html.escape(str(e))}</p>")
        if self.webhook_url:
            try:
                self.deliver(event)
            except Exception:  # e.g. no webhook_secret: record it, still send the buyer back
                self.errors.append(traceback.format_exc())
        location = session["success_url"].replace("{CHECKOUT_SESSION_ID}", sid)
        return self._send(h, 303, "text/plain; charset=utf-8", b"", {"Location": location})

    def _page(self, h, status, heading, body_html):
        doc = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(heading)} · Stripe test double — no real payment</title>
<style>
body{{font-family:system-ui,sans-serif;max-width:38rem;margin:2rem auto;padding:0 1rem;color:#222}}
.banner{{background:#fff3cd;border:2px dashed #b8860b;padding:.75rem 1rem;margin-bottom:1rem}}
table{{width:100%;border-collapse:collapse;margin:1rem 0}} th,td{{text-align:left;padding:.3rem;border-bottom:1px solid #ddd}}
td.num,th.num{{text-align:right}} form{{display:inline-block;margin:.25rem .5rem .25rem 0}}
button{{font-size:1rem;padding:.5rem 1rem;cursor:pointer}}
</style></head>
<body>
<div class="banner" role="note"><h1 style="margin:0;font-size:1.2rem">Stripe test double — no real payment</h1>
<p style="margin:.25rem 0 0">This page stands in for Stripe Checkout during tests. No card is charged.</p></div>
<h2>{html.escape(heading)}</h2>
{body_html}
</body></html>
"""
        self._send(h, status, "text/html; charset=utf-8", doc.encode("utf-8"))

    def _render_checkout(self, h, session):
        sid, cur = session["id"], session["currency"]
        if session["status"] == "expired":
            return self._page(h, 400, "Session expired", "<p>This checkout session has expired.</p>")
        if session["status"] == "complete":
            return self._page(h, 200, "Already paid", "<p>This checkout session is already complete.</p>")
        with self._lock:
            items = copy.deepcopy(self.line_items[sid])
        rows = "".join(
            f"<tr><td>{html.escape(i['description'])}</td><td class=num>{i['quantity']}</td>"
            f"<td class=num>{format_amount(i['price']['unit_amount'], cur)}</td>"
            f"<td class=num>{format_amount(i['amount_subtotal'], cur)}</td></tr>"
            for i in items
        )
        foot = f"<tr><th colspan=3>Subtotal</th><td class=num>{format_amount(session['amount_subtotal'], cur)}</td></tr>"
        if session["total_details"]["amount_discount"]:
            coupon = self.coupons.get((session["discounts"] or [{}])[0].get("coupon") or "") or {}
            foot += (f"<tr><th colspan=3>Discount: {html.escape(coupon.get('name') or coupon.get('id') or '')}</th>"
                     f"<td class=num data-testid=discount>-{format_amount(session['total_details']['amount_discount'], cur)}</td></tr>")
        if session["shipping_cost"]:
            rates = self._shipping_rates.get(sid) or [{}]
            name = rates[0].get("display_name", "Shipping")
            foot += (f"<tr><th colspan=3>Shipping: {html.escape(name)}</th>"
                     f"<td class=num>{format_amount(session['shipping_cost']['amount_total'], cur)}</td></tr>")
        foot += (f"<tr><th colspan=3>Total</th>"
                 f"<td class=num data-testid=total>{format_amount(session['amount_total'], cur)}</td></tr>")
        quoted = urllib.parse.quote(sid)
        who = html.escape(session["customer_email"] or "")
        body = f"""<p>Checkout session <code>{html.escape(sid)}</code>{(' for ' + who) if who else ''}</p>
<table><thead><tr><th>Item</th><th class=num>Qty</th><th class=num>Unit price</th><th class=num>Amount</th></tr></thead>
<tbody>{rows}</tbody><tfoot>{foot}</tfoot></table>
<form method="post" action="/pay/{quoted}/pay"><button type="submit" id="pay">Pay</button></form>
<form method="post" action="/pay/{quoted}/pay-delayed"><button type="submit" id="pay-delayed">Pay with a delayed method</button></form>
<form method="post" action="/pay/{quoted}/cancel"><button type="submit" id="cancel">Cancel</button></form>
"""
        self._page(h, 200, f"Pay {format_amount(session['amount_total'], cur)}", body)


# The keys the offline suite runs with, and the app settings that point it at a running double.
SECRET_KEY = "sk_test_offline_suite"
WEBHOOK_SECRET = "whsec_offline_suite"


def stripe_settings(api_base: str, *, timeout: int = 2, retries: int = 0) -> dict:
    """`app_settings` for an app that talks to the double at `api_base` through the real stripe package."""
    return {
        "STRIPE_SECRET_KEY": SECRET_KEY,
        "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "STRIPE_API_BASE": api_base,
        "STRIPE_TIMEOUT_SECONDS": timeout,
        "STRIPE_MAX_RETRIES": retries,
    }
