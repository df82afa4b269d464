from flask_wtf import FlaskForm
from wtforms import IntegerField, SubmitField
from wtforms.validators import InputRequired

WHOLE_NUMBER = "Enter the quantity as a whole number, like 1 or 2."


class AddToCartForm(FlaskForm):
    variant_id = IntegerField("Size", validators=[InputRequired("Choose a size.")])
    quantity = IntegerField("Quantity", default=1, validators=[InputRequired(WHOLE_NUMBER)])


class UpdateLineForm(FlaskForm):
    variant_id = IntegerField(validators=[InputRequired("That item is not in your cart.")])
    quantity = IntegerField("Quantity", validators=[InputRequired(WHOLE_NUMBER)])


class RemoveLineForm(FlaskForm):
    variant_id = IntegerField(validators=[InputRequired("That item is not in your cart.")])


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
