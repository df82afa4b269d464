"""The account page's own forms."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField
from wtforms.validators import DataRequired, InputRequired, Length

from shop.accounts.passwords import MAX_PASSWORD_LENGTH


class DeleteAccountForm(FlaskForm):
    password = PasswordField("Your password", validators=[InputRequired("Enter your password to confirm it's you."),
                                                          Length(max=MAX_PASSWORD_LENGTH)])
    confirm = BooleanField("I understand my account and personal details will be deleted and cannot be brought back",
                           validators=[DataRequired("Tick the box to confirm you want your account deleted.")])
