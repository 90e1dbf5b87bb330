"""Page tokens: signed, bound to their query, refused with 400 when forged or damaged."""

import logging

import pytest

from api.config import ApiSettings
from api.main import page_token_key
from http_contract.errors import DomainError
from http_contract.page_tokens import issue, issue_page_token, read, read_page_token

KEY = b"k" * 32
QUERY = "SagaType IN ('CreateOrder') AND SagaStatus = 'COMPENSATED'"
CONTINUATION = b"\x00\x01temporal-next-page\xff"


def refused(page_token: str, query: str = QUERY, key: bytes = KEY) -> DomainError:
    with pytest.raises(DomainError) as raised:
        read_page_token(page_token, query, key)
    assert (raised.value.status, raised.value.code) == (400, "invalid_page_token")
    return raised.value


def test_a_token_continues_its_query() -> None:
    token = issue_page_token(CONTINUATION, QUERY, KEY)
    assert read_page_token(token, QUERY, KEY) == CONTINUATION


def test_a_token_is_opaque_and_fits_in_a_url() -> None:
    token = issue_page_token(CONTINUATION, QUERY, KEY)
    assert b"temporal-next-page" not in token.encode()
    assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.")


def test_no_token_is_the_first_page() -> None:
    assert read_page_token(None, QUERY, KEY) is None
    assert read_page_token("", QUERY, KEY) is None


def test_a_token_does_not_continue_another_query() -> None:
    refused(issue_page_token(CONTINUATION, QUERY, KEY), query=QUERY + " AND x")


def test_a_token_signed_with_another_key_is_refused() -> None:
    refused(issue_page_token(CONTINUATION, QUERY, b"other" * 8))


@pytest.mark.parametrize(
    "forged",
    ["a", "!!!", "Z2FyYmFnZQ==", "e30.", "eyJ4IjoxfQ.c2lnbmF0dXJl", "é", "." * 40],
)
def test_garbage_is_refused(forged: str) -> None:
    refused(forged)


def test_a_damaged_token_is_refused() -> None:
    token = issue_page_token(CONTINUATION, QUERY, KEY)
    for index in (0, len(token) // 2, len(token) - 1):
        flipped = "A" if token[index] != "A" else "B"
        refused(token[:index] + flipped + token[index + 1 :])


def test_an_empty_continuation_is_refused() -> None:
    refused(issue_page_token(b"", QUERY, KEY))


def test_a_keyset_position_round_trips_for_other_listings() -> None:
    """The order-history view's positions are JSON values, not bytes."""
    position = {"created_at": "2026-01-01T00:00:00+00:00", "order_id": "o-1"}
    token = issue(position, "consumer=c1&state=", KEY)
    assert read(token, "consumer=c1&state=", KEY) == position
    with pytest.raises(DomainError):
        read(token, "consumer=c2&state=", KEY)


def test_the_configured_secret_signs_page_tokens() -> None:
    settings = ApiSettings(token="t", page_token_secret="a-secret-of-the-operator")
    assert page_token_key(settings) == b"a-secret-of-the-operator"


def test_without_a_secret_each_process_signs_with_a_random_key_and_warns(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Never derived from the API tokens: a restarted API (or another replica) with the same
    tokens does not accept the tokens of this one."""
    with caplog.at_level(logging.WARNING, logger="api"):
        first = page_token_key(ApiSettings(token="t", tokens={"alice": "a"}))
    again = page_token_key(ApiSettings(token="t", tokens={"alice": "a"}, page_token_secret=""))
    assert len(first) == len(again) == 32
    assert first != again and first not in (b"t", b"a")
    refused(issue_page_token(CONTINUATION, QUERY, first), key=again)
    assert "SAGA_API_PAGE_TOKEN_SECRET is not set" in caplog.text
    assert "do not survive a restart nor work across API replicas" in caplog.text
