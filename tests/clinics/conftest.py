import pytest

from tests import factories as make


@pytest.fixture
def oil(app):
    """£10.00 retail, £7.50 trade, 20 in stock."""
    return make.product("Grapeseed Oil", slug="grapeseed-oil", sizes=((100, 1000, 20),))


@pytest.fixture
def jo(app):
    """The owner of Harbour Physio."""
    return make.user("jo@harbour.example", trade_status="approved", clinic_name="Harbour Physio", name="Jo Owner")


@pytest.fixture
def sam(jo):
    """A buyer at Harbour Physio with a £50 monthly limit."""
    return make.clinic_member(jo.clinic, "sam@harbour.example", monthly_limit_pence=5000, name="Sam Buyer")
