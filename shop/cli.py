"""`flask --app wsgi shop ...`: the store's own commands."""
import click
from flask import Flask, current_app
from flask.cli import AppGroup

shop_cli = AppGroup("shop", help="The store's own commands.")


def _links_to_the_shop():
    """Emails sent from a command link back to the shop: build their URLs against STORE_URL."""
    return current_app.test_request_context(base_url=current_app.config["STORE_URL"])


@shop_cli.command("seed-demo")
@click.option("--reset", is_flag=True, help="Delete the catalogue and guides first, then load them again.")
def seed_demo(reset):
    """Load the demo catalogue and care guides (does nothing when products exist), and the demo clinic (on 30-day terms)."""
    from shop.demo import clinic
    from shop.demo.loader import load_demo

    if clinic.load_demo_clinic():
        click.echo(f"Demo clinic Harbour Physio: sign in as {clinic.OWNER} (owner) or {clinic.BUYER} "
                   f"(buyer, £150 a month; the clinic pays by invoice on 30-day terms), password “{clinic.PASSWORD}”.")
    result = load_demo(reset=reset)
    if result.skipped:
        click.echo("Products already exist; nothing loaded (use --reset to reload).")
    else:
        click.echo(
            f"Loaded {result.products} products, {result.variants} sizes and {result.guides} care guides."
        )


@shop_cli.command("seed-delivery")
def seed_delivery():
    """Load the UK delivery zones and the standard methods and rates (does nothing when any exist)."""
    from shop.delivery.loading import load_standard_delivery
    from shop.extensions import db

    if load_standard_delivery():
        db.session.commit()
        click.echo("Loaded the delivery zones, methods and rates; edit them in the back office.")
    else:
        click.echo("Delivery zones or methods already exist; nothing loaded.")


@shop_cli.command("create-admin")
@click.argument("email")
@click.option("--password", help="The admin's password (asked for when left out).")
def create_admin_command(email, password):
    """Create an admin account (or promote an existing one)."""
    from shop.accounts.services import AccountError, create_admin

    if not password:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = create_admin(email, password)
    except AccountError as error:
        raise click.ClickException(str(error))
    click.echo(f"{user.email} is an admin.")
    if not user.has_second_factor:
        from shop.accounts.second_factor import reset_second_factor

        _echo_setup_link(user, reset_second_factor(user))


def _echo_setup_link(user, token: str) -> None:
    from flask import url_for

    from shop.accounts.second_factor import SETUP_LINK_MAX_AGE_SECONDS

    with _links_to_the_shop():
        link = url_for("accounts.second_factor_setup", token=token, _external=True)
    hours = SETUP_LINK_MAX_AGE_SECONDS // 3600
    click.echo(f"Set up the second factor for {user.email} (the back office needs it) within {hours} hours, once:\n  {link}")


@shop_cli.command("reset-second-factor")
@click.argument("email")
def reset_second_factor_command(email):
    """Forget EMAIL's second factor and recovery codes (a lost phone) and print a new setup link."""
    from shop.accounts.second_factor import reset_second_factor
    from shop.accounts.services import find_user

    user = find_user(email)
    if user is None:
        raise click.ClickException(f"No account for {email}.")
    _echo_setup_link(user, reset_second_factor(user))


def _decide(email: str, approve: bool, reason: str = "") -> None:
    from shop.accounts.services import AccountError, decide_trade

    with _links_to_the_shop():
        try:
            account = decide_trade(email, approve, reason)
        except AccountError as error:
            raise click.ClickException(str(error))
    click.echo(f"{account.user.email} ({account.clinic_name}) is {account.status}; they have been emailed.")


@shop_cli.command("approve-practitioner")
@click.argument("email")
def approve_practitioner(email):
    """Approve a practitioner's trade account application: they see and pay trade prices."""
    _decide(email, True)


@shop_cli.command("reject-practitioner")
@click.argument("email")
@click.option("--reason", required=True, help="Why; the applicant is told it.")
def reject_practitioner(email, reason):
    """Reject a practitioner's trade account application, with the reason they are emailed."""
    _decide(email, False, reason)


@shop_cli.command("set-patient-discount")
@click.argument("email")
@click.argument("percent", type=click.IntRange(0, 50))
def set_patient_discount_command(email, percent):
    """Give a clinic's patients PERCENT off what they buy from its care plans (0 to stop)."""
    from shop.accounts.backoffice import set_discount
    from shop.accounts.services import AccountError, find_user

    user = find_user(email)
    if user is None or user.trade_account is None:
        raise click.ClickException(f"No trade account for {email}.")
    try:
        set_discount(user.trade_account.id, str(percent), actor=None)  # audited as the command line
    except AccountError as error:
        raise click.ClickException(str(error))
    click.echo(f"Patients of {email}'s care plans now get {percent}% off.")


@shop_cli.command("release-expired")
def release_expired_command():
    """Expire checkouts past their hold (at Stripe first) and release their stock now; the worker does it every minute."""
    from shop.checkout.services import release_expired
    from shop.payments.services import get_gateway

    with _links_to_the_shop():
        result = release_expired(get_gateway())
    click.echo(f"Released {result.released}, found paid {result.paid}, could not reach the gateway for {result.failed}.")
    if result.failed:
        raise SystemExit(1)


@shop_cli.command("worker")
@click.option("--once", is_flag=True, help="Deliver what is due and run the jobs that are due, then exit.")
def worker_command(once):
    """Deliver outgoing emails (with retries) and run the periodic jobs, such as releasing expired
    checkouts, until stopped. SIGTERM or Ctrl-C finishes the email in hand, then exits."""
    import threading

    from shop.messages.worker import run, stopped_by_signals

    stop = threading.Event()
    mode = "once" if once else f"every {current_app.config['WORKER_POLL_SECONDS']:g}s when idle"
    click.echo(f"Worker started ({mode}); mail goes to {current_app.config.get('MAIL_SERVER') or 'instance/outbox/'}.")
    with stopped_by_signals(stop):
        run(once=once, stop=stop, echo=click.echo)
    click.echo("Worker stopped.")


def register(app: Flask) -> None:
    app.cli.add_command(shop_cli)
