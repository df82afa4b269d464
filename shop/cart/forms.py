from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField, SubmitField
from wtforms.validators import InputRequired, Length, NumberRange

WHOLE_NUMBER = "Enter the quantity as a whole number, like 1 or 2."


# Ids beyond a database integer name nothing: refuse them before they reach a query.
ID_RANGE = NumberRange(min=1, max=2**31 - 1, message="That choice is not valid.")


class AddToCartForm(FlaskForm):
    variant_id = IntegerField("Size", validators=[InputRequired("Choose a size."), ID_RANGE])
    quantity = IntegerField("Quantity", default=1, validators=[InputRequired(WHOLE_NUMBER)])


class UpdateLineForm(FlaskForm):
    variant_id = IntegerField(validators=[InputRequired("That item is not in your cart."), ID_RANGE])
    quantity = IntegerField("Quantity", validators=[InputRequired(WHOLE_NUMBER)])


class RemoveLineForm(FlaskForm):
    variant_id = IntegerField(validators=[InputRequired("That item is not in your cart."), ID_RANGE])


class DeliveryForm(FlaskForm):
    """The postcode to price delivery for and the method chosen; either may be left out (collection needs no postcode)."""

    postcode = StringField("Delivery postcode", validators=[Length(max=20, message="Enter a UK postcode, like M1 1AA or SW1A 2AA.")])
    method = StringField("Delivery method", validators=[Length(max=40, message="Choose one of the delivery methods shown.")])


class CodeForm(FlaskForm):
    code = StringField("Discount code", validators=[Length(max=60, message="That code is too long: check it and try again.")])


class CheckoutForm(FlaskForm):
    submit = SubmitField("Checkout")


def first_error(form: FlaskForm) -> str:
    for name, errors in form.errors.items():
        if errors:
            message = errors[0]
            if message == "Not a valid integer value.":
                return WHOLE_NUMBER if name == "quantity" else "That choice is not valid."
            return message
    return "Please check the form and try again."
