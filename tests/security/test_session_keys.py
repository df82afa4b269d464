"""The session cookie is signed with the secret key in force now: the serializer is kept between
requests, never past a change of key."""
from flask import session


def test_a_new_secret_key_refuses_old_cookies_until_the_old_key_is_a_fallback(app):
    @app.get("/_remember")
    def remember():
        session["note"] = "kept"
        return "ok"

    @app.get("/_recall")
    def recall():
        return session.get("note", "nothing")

    client = app.test_client()
    client.get("/_remember")
    assert client.get("/_recall").get_data(as_text=True) == "kept"

    old = app.secret_key
    app.config["SECRET_KEY"] = "a-rotated-secret-key-for-this-test"
    assert client.get("/_recall").get_data(as_text=True) == "nothing"

    client.get("/_remember")  # signed with the new key
    app.config["SECRET_KEY"] = old
    app.config["SECRET_KEY_FALLBACKS"] = ["a-rotated-secret-key-for-this-test"]
    assert client.get("/_recall").get_data(as_text=True) == "kept"
