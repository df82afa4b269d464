"""The limiter skips endpoints no limit can reach, and never one a limit does reach."""
from flask import Blueprint, Flask
from flask_limiter.util import get_remote_address

from shop.extensions import limiter
from shop.unlimited import ShopLimiter, unlimited_endpoints
from tests import factories as make
from tests.helpers import sign_in


def test_no_endpoint_with_a_limit_is_skipped_and_the_catalogue_pages_are(app, client):
    client.get("/products")
    skipped = unlimited_endpoints(limiter, app)
    # Flask-Limiter marks the views it wraps with a limit.
    limited = {endpoint for endpoint, view in app.view_functions.items()
               if getattr(view, "__wrapper-limiter-instance", None) is not None}
    assert {"accounts.sign_in", "cart.code"} <= limited
    assert not skipped & limited
    assert {"home.index", "catalog.products", "catalog.product"} <= skipped


def test_sign_in_is_still_refused_after_its_limit_once_pages_were_served(app, client):
    make.user("pat@example.com")
    assert client.get("/products").status_code == 200
    for _ in range(5):
        assert sign_in(client, "pat@example.com", "not the password").status_code == 401
    assert sign_in(client, "pat@example.com", "not the password").status_code == 429
    assert client.get("/products").status_code == 200


def small_app(**limits):
    app = Flask(__name__)
    app.config["RATELIMIT_STORAGE_URI"] = "memory://"
    blueprint = Blueprint("shelf", __name__)

    @blueprint.get("/shelf")
    def shelf():
        return "shelf"

    @app.get("/")
    def front():
        return "front"

    own = ShopLimiter(get_remote_address, **limits.pop("limiter", {}))
    for name, value in limits.items():
        if name == "blueprint":
            own.limit(value)(blueprint)
    app.register_blueprint(blueprint)
    own.init_app(app)
    return app


def test_a_default_limit_reaches_every_endpoint():
    app = small_app(limiter={"default_limits": ["2 per minute"]})
    client = app.test_client()
    assert [client.get("/").status_code for _ in range(3)] == [200, 200, 429]


def test_a_blueprint_limit_reaches_its_views():
    app = small_app(blueprint="2 per minute")
    client = app.test_client()
    assert [client.get("/shelf").status_code for _ in range(3)] == [200, 200, 429]


def test_a_limit_on_a_helper_a_view_calls_still_counts():
    app = Flask(__name__)
    app.config["RATELIMIT_STORAGE_URI"] = "memory://"
    own = ShopLimiter(get_remote_address, app=app)

    @own.limit("2 per minute")
    def helper():
        return "helped"

    @app.get("/")
    def front():
        return helper()

    client = app.test_client()
    assert [client.get("/").status_code for _ in range(3)] == [200, 200, 429]
