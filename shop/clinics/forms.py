"""The clinic page's forms."""
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import EqualTo, InputRequired, Length

from shop.accounts.forms import EMAIL
from shop.accounts.passwords import MAX_PASSWORD_LENGTH

ROLE_CHOICES = [SelectChoice("buyer", "Buyer: orders, supplies list, care plans"),
                SelectChoice("owner", "Owner: everything, including the team and payment terms")]


class InviteForm(FlaskForm):
    email = EmailField("Their email address", validators=[InputRequired(EMAIL), Length(max=254)])
    role = SelectField("Role", choices=ROLE_CHOICES, default="buyer")


class MemberForm(FlaskForm):
    role = SelectField("Role", choices=[SelectChoice("buyer", "Buyer"), SelectChoice("owner", "Owner")])
    monthly_limit = StringField("Monthly limit (£)", validators=[Length(max=20)],
                                description="Empty: no limit. Orders over it wait for an owner's approval.")


class SiteForm(FlaskForm):
    site_name = StringField("Name of the site", validators=[InputRequired("Name the site, like “Leeds clinic”."), Length(max=80)])
    recipient = StringField("Deliver to (name)", validators=[InputRequired("Enter who parcels are for."), Length(max=200)])
    line1 = StringField("Address", validators=[InputRequired("Enter the address."), Length(max=200)])
    line2 = StringField("Address line 2 (optional)", validators=[Length(max=200)])
    city = StringField("Town or city", validators=[InputRequired("Enter the town or city."), Length(max=120)])
    postcode = StringField("Postcode", validators=[InputRequired("Enter the postcode."), Length(max=20)])


class JoinForm(FlaskForm):
    """Joining with a new account: the invited email is fixed, the person chooses a password."""

    name = StringField("Your name", validators=[Length(max=120)])
    password = PasswordField("Choose a password", validators=[InputRequired("Choose a password."), Length(max=MAX_PASSWORD_LENGTH)])
    confirm = PasswordField("Password again", validators=[EqualTo("password", "The two passwords don't match.")])


class PlainForm(FlaskForm):
    """A button that only needs its CSRF token."""
