"""Addresses reversed once per URL configuration and script prefix (bibliomo/core/addresses.py)."""

from django.urls import clear_script_prefix, reverse, set_script_prefix

from bibliomo.core.addresses import address


def test_an_address_is_the_reversed_url_and_follows_the_script_prefix():
    assert address("privacy:consent") == reverse("privacy:consent")
    set_script_prefix("/mmo/")
    try:
        assert (
            address("privacy:consent") == reverse("privacy:consent") == "/mmo/app/privacy/consent/"
        )
        assert address("home") == "/mmo/app/"
    finally:
        clear_script_prefix()
    assert address("home") == "/app/"


def test_a_name_no_page_has_gives_none():
    assert address("no-such-page") is None
