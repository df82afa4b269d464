from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import EqualTo, InputRequired, Length, ValidationError

from shop.accounts.models import PROFESSIONS
from shop.accounts.passwords import MAX_PASSWORD_LENGTH
from shop.phones import PhoneError, normalise_phone
from shop.problems import Problem
from shop.postcodes import PostcodeError, normalise_postcode

EMAIL = "Enter your email address, like name@example.com."


class RegisterForm(FlaskForm):
    name = StringField("Your name", validators=[Length(max=120)])
    email = EmailField("Email address", validators=[InputRequired(EMAIL), Length(max=254)])
    password = PasswordField("Password", validators=[InputRequired("Choose a password."), Length(max=MAX_PASSWORD_LENGTH)])
    confirm = PasswordField("Password again", validators=[EqualTo("password", "The two passwords don't match.")])


class SignInForm(FlaskForm):
    email = EmailField("Email address", validators=[InputRequired(EMAIL), Length(max=254)])
    password = PasswordField("Password", validators=[InputRequired("Enter your password."), Length(max=MAX_PASSWORD_LENGTH)])
    remember = BooleanField("Keep me signed in on this device")
    next = HiddenField()


class ResetRequestForm(FlaskForm):
    email = EmailField("Email address", validators=[InputRequired(EMAIL), Length(max=254)])


class NewPasswordForm(FlaskForm):
    password = PasswordField("New password", validators=[InputRequired("Choose a password."), Length(max=MAX_PASSWORD_LENGTH)])
    confirm = PasswordField("New password again", validators=[EqualTo("password", "The two passwords don't match.")])


class SignOutForm(FlaskForm):
    pass


def _required(label, max_length):
    return [InputRequired(f"Enter your {label}."), Length(max=max_length, message=f"Keep the {label} under {max_length} characters.")]


def _tidied(normalise):
    """A filter showing the tidy form back ("m1 1aa" becomes "M1 1AA"); junk is left as typed for its message."""
    def tidy(value):
        try:
            return normalise(value) if value else value
        except ValueError:
            return value
    return tidy


def _checked_by(normalise):
    def check(form, field):
        try:
            normalise(field.data)
        except (PostcodeError, PhoneError) as error:
            raise ValidationError(str(error)) from None
    return check


class TradeApplicationForm(FlaskForm):
    clinic_name = StringField("Clinic or practice name", validators=_required("clinic or practice name", 160))
    profession = SelectField("Profession", choices=[SelectChoice("", "Choose…")] + [SelectChoice(k, v) for k, v in PROFESSIONS.items()],
                             validators=[InputRequired("Choose your profession.")])
    professional_body = StringField("Professional body", validators=_required("professional body", 160),
                                    description="For example CSP, HCPC, GOsC, GCC, CNHC, FHT or Sports Massage Association.")
    registration_number = StringField("Membership or registration number", validators=_required("membership or registration number", 60))
    address_line1 = StringField("Clinic address", validators=_required("clinic address", 200))
    address_line2 = StringField("Address line 2 (optional)", validators=[Length(max=200)])
    city = StringField("Town or city", validators=_required("town or city", 120))
    postcode = StringField("Postcode", validators=_required("postcode", 20) + [_checked_by(normalise_postcode)],
                           filters=[_tidied(normalise_postcode)])
    phone = StringField("Phone", validators=_required("phone number", 40) + [_checked_by(normalise_phone)],
                        filters=[_tidied(normalise_phone)])


def form_errors(form: FlaskForm) -> list[str]:
    """Every field's first message, in the order of the form, each linked to its field: for the error summary."""
    messages = []
    for field in form:
        if field.errors:
            message = field.errors[0]
            if message == "Not a valid choice.":
                message = f"Choose a {field.label.text.lower()} from the list."
            messages.append(Problem(message, "" if field.type in ("HiddenField", "CSRFTokenField") else field.id))
    return messages or (["Please check the form and try again."] if form.errors else [])


def refused(form: FlaskForm, message: str, field: str = "") -> list[str]:
    """A service's refusal shown like a validation error: beside `field` and in the summary, linked to it."""
    if field and field in form:
        form[field].errors = [*form[field].errors, message]
    return [Problem(message, form[field].id if field and field in form else "")]


class SecondFactorForm(FlaskForm):
    code = StringField("Code", validators=[InputRequired("Enter the 6-digit code from your authenticator app."), Length(max=20)],
                       description="The 6 digits your authenticator app shows now, or one of your recovery codes.")
    next = HiddenField()
