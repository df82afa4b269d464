"""A problem with what someone typed, naming the field it is about.

`Problem` is a str, so code that joins or prints messages keeps working; its `field` is the HTML
id of the input, which the error summary at the top of a form links to (href="#field").
"""


class Problem(str):
    field: str

    def __new__(cls, message: str, field: str = ""):
        problem = super().__new__(cls, message)
        problem.field = field
        return problem

    def capitalised(self) -> "Problem":
        return Problem(self[:1].upper() + self[1:], self.field)


def about(field: str, problems) -> list[str]:
    """The messages in `problems` about one field, for the message beside it."""
    return [p for p in problems or () if getattr(p, "field", "") == field]
