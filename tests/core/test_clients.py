from django.test import RequestFactory

from bibliomo.core.clients import client_ip, throttled


def _request(remote="127.0.0.1", forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_without_a_proxy_the_header_is_not_believed(settings):
    settings.TRUSTED_PROXY_HOPS = 0
    assert client_ip(_request("203.0.113.5", "10.0.0.1")) == "203.0.113.5"


def test_one_trusted_hop_takes_what_nginx_saw(settings):
    settings.TRUSTED_PROXY_HOPS = 1
    assert client_ip(_request(forwarded="198.51.100.7")) == "198.51.100.7"
    # Whatever the client wrote itself stands to the left and is ignored.
    assert client_ip(_request(forwarded="10.0.0.1, 198.51.100.7")) == "198.51.100.7"
    # Garbage or a missing header: the proxy's own address, never a 500.
    assert client_ip(_request(forwarded="not-an-address")) == "127.0.0.1"
    assert client_ip(_request()) == "127.0.0.1"


def test_two_hops(settings):
    settings.TRUSTED_PROXY_HOPS = 2
    assert client_ip(_request(forwarded="10.9.9.9, 198.51.100.7, 192.0.2.1")) == "198.51.100.7"


def test_throttle_counts_in_a_window():
    assert [throttled("t", "k", 2, 60) for _ in range(4)] == [False, False, True, True]
    assert throttled("t", "other", 2, 60) is False
    assert throttled("t", "k", 0, 60) is False  # 0 switches the limit off
