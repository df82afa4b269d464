"""The offline suite never leaves the machine: only 127.0.0.1 can be reached."""
import socket

import pytest
from pytest_socket import SocketConnectBlockedError


def test_connections_off_the_machine_are_blocked():
    # 192.0.2.1 is TEST-NET-1 (documentation only); the guard refuses before any packet is sent.
    with pytest.raises(SocketConnectBlockedError):
        socket.create_connection(("192.0.2.1", 443), timeout=1)


def test_the_stripe_client_in_tests_points_at_this_machine():
    from shop.config import TestConfig

    assert TestConfig.STRIPE_API_BASE.startswith("http://127.0.0.1")
    assert TestConfig.STRIPE_SECRET_KEY is None  # demo payments unless a test opts in to the double
