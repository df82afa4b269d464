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

