from shop import create_app
from shop.config import TestConfig


def test_healthz_answers_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "messages": {"due": 0, "oldest_due_seconds": 0}}


def test_healthz_answers_503_when_the_database_is_down(tmp_path):
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI="postgresql+psycopg://postgres@127.0.0.1:1/nowhere")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"


def test_pages_answer_503_with_a_friendly_page_when_the_database_is_down(tmp_path):
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI="postgresql+psycopg://postgres@127.0.0.1:1/nowhere")
    response = app.test_client().get("/products")
    assert response.status_code == 503
    html = response.get_data(as_text=True)
    assert "be back shortly" in html
    assert "Traceback" not in html
