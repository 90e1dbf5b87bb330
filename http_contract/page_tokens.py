"""Page tokens for every listing: opaque to clients, signed, and bound to the query they
continue, so a forged, damaged or re-used token with other filters is refused at once (400)
instead of reaching the store behind the listing.

`issue`/`read` carry any JSON value (a keyset position, say); `issue_page_token`/
`read_page_token` carry the raw continuation bytes a store such as Temporal hands out."""

import base64
import binascii
import hashlib
from typing import Any

from itsdangerous import BadData, URLSafeSerializer

from http_contract.errors import DomainError

SALT = "page-token"


def issue(position: Any, query: str, key: bytes) -> str:
    """A token for `position` (any JSON value) that only `read` with the same query reads."""
    return _serializer(query, key).dumps(position)


def read(page_token: str | None, query: str, key: bytes) -> Any:
    """The position `issue` put in the token; None when there is no token."""
    if not page_token:
        return None
    try:
        return _serializer(query, key).loads(page_token)
    except BadData as error:
        raise invalid_page_token() from error


def issue_page_token(token: bytes, query: str, key: bytes) -> str:
    return issue(base64.urlsafe_b64encode(token).decode(), query, key)


def read_page_token(page_token: str | None, query: str, key: bytes) -> bytes | None:
    position = read(page_token, query, key)
    if position is None:
        return None
    try:
        token = base64.urlsafe_b64decode(str(position).encode())
    except (binascii.Error, ValueError) as error:  # signed by us, so only if the key leaked
        raise invalid_page_token() from error
    if not token:
        raise invalid_page_token()
    return token


def invalid_page_token() -> DomainError:
    return DomainError("invalid_page_token", "page_token is not valid", status=400)


def _serializer(query: str, key: bytes) -> URLSafeSerializer:
    # The query is part of the salt: a token signed for one query fails for any other.
    return URLSafeSerializer(
        key, salt=f"{SALT}\0{query}", signer_kwargs={"digest_method": hashlib.sha256}
    )
