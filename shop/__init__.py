"""The store: a Flask application factory."""
import os
from pathlib import Path

from flask import Flask

from shop import cross_origin
from shop.config import config_from_environment, normalise_database_url
from shop.extensions import csrf, db, limiter, login_manager, migrate
from shop.storefront import Storefront

ROOT = Path(__file__).resolve().parent.parent


def create_app(config_class=None, **overrides) -> Flask:
    config_class = config_class or config_from_environment()
    app = Storefront(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=os.environ.get("SHOP_INSTANCE_PATH") or str(ROOT / "instance"),
    )
    app.config.from_object(config_class)
    app.config.update(overrides)
    os.makedirs(app.instance_path, exist_ok=True)
    uri = app.config.get("SQLALCHEMY_DATABASE_URI") or f"sqlite:///{Path(app.instance_path) / 'shop.db'}"
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(uri)
    config_class.check(app.config)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    cross_origin.register(app)  # the second CSRF layer: browsers' Sec-Fetch-Site / Origin headers
    _init_sign_in(app)
    from shop import page_cache

    page_cache.register(app)  # before any template compiles (it sets Jinja's finalize)

    _import_models()
    _register_blueprints(app)
    _price_care_plans(app)

    from shop import cli, errors, serving, web

    serving.register(app)

    errors.register(app)
    web.register(app)
    cli.register(app)
    return app


def _init_sign_in(app: Flask) -> None:
    from shop.accounts.services import load_user

    login_manager.init_app(app)
    login_manager.login_view = "accounts.sign_in"
    login_manager.login_message = "Please sign in to see that page."
    login_manager.login_message_category = "info"
    login_manager.user_loader(load_user)
    limiter.init_app(app)


def _import_models():
    # Every model module is imported once so relationships by name resolve and migrations see all tables.
    import shop.accounts.models  # noqa: F401
    import shop.audit.models  # noqa: F401
    import shop.careplans.models  # noqa: F401
    import shop.clinics.models  # noqa: F401
    import shop.catalog.models  # noqa: F401
    import shop.catalog.from_price  # noqa: F401 - the triggers that keep products.from_price_pence, for create_all
    import shop.delivery.models  # noqa: F401
    import shop.guides.models  # noqa: F401
    import shop.inventory.models  # noqa: F401
    import shop.invoicing.models  # noqa: F401
    import shop.recalls.models  # noqa: F401
    import shop.messages.models  # noqa: F401
    import shop.notices.models  # noqa: F401
    import shop.offers.models  # noqa: F401
    import shop.orders.models  # noqa: F401
    import shop.page_cache.models  # noqa: F401
    import shop.page_cache.versions  # noqa: F401 - the triggers that keep the versions, for create_all
    import shop.payments.models  # noqa: F401


def _price_care_plans(app: Flask) -> None:
    # Care plans build on the cart; the cart learns what a plan takes off through this one lookup.
    from shop.cart.session import price_plans_with
    from shop.careplans.services import plan_discount_for

    price_plans_with(app, plan_discount_for)


def _register_blueprints(app: Flask) -> None:
    from shop.accounts.views import bp as accounts_bp
    from shop.admin import bp as admin_bp
    from shop.careplans.views import bp as careplans_bp
    from shop.cart.views import bp as cart_bp
    from shop.catalog.images import bp as product_images_bp
    from shop.catalog.views import bp as catalog_bp
    from shop.home import bp as home_bp
    from shop.checkout.views import bp as checkout_bp
    from shop.checkout.webhook import bp as webhook_bp
    from shop.clinics.views import bp as clinics_bp
    from shop.guides.views import bp as guides_bp
    from shop.health import bp as health_bp
    from shop.invoicing.views import bp as invoicing_bp
    from shop.legal.views import bp as legal_bp
    from shop.my_account.views import bp as my_account_bp
    from shop.payments.services import demo_payments_on
    from shop.reorder.views import bp as reorder_bp
    from shop.seo import bp as seo_bp

    for blueprint in (home_bp, catalog_bp, guides_bp, cart_bp, checkout_bp, webhook_bp, health_bp, accounts_bp, my_account_bp,
                      reorder_bp, careplans_bp, clinics_bp, legal_bp, seo_bp, invoicing_bp):
        app.register_blueprint(blueprint)
    from shop.notices.views import bp as notices_bp

    app.register_blueprint(notices_bp)
    from shop.recalls.views import bp as reactions_bp

    app.register_blueprint(reactions_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(product_images_bp)
    if demo_payments_on(app.config):
        from shop.payments.views import bp as demo_pay_bp

        app.register_blueprint(demo_pay_bp)
        from shop.invoicing.views import demo_bp as demo_invoice_bp

        app.register_blueprint(demo_invoice_bp)
