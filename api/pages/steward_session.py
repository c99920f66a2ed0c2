"""The stewards' session on the pages: a login with the stewards' key (``ALLIANCE_API_KEY``)
sets a signed cookie; every form of the stewards' pages carries a CSRF token.

Stateless: the cookie is ``<expires>.<nonce>.<signature>``, signed with HMAC-SHA256 under a
secret derived from the key, so changing the key ends every session and the server keeps
nothing. HttpOnly (no script reads it), SameSite=Strict (no other site's page sends it),
Secure when the page came over HTTPS. The CSRF token of a session is the HMAC of its
nonce: a form posted without the token of the session that posts it is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

from fastapi import Request
from fastapi.responses import Response

#: the cookie's name
COOKIE = "alliance_steward"
#: how long a session lasts (seconds): a working day
SESSION_SECONDS = 8 * 3600


@dataclass(frozen=True)
class StewardSession:
    """A signed-in steward: the session's nonce and its CSRF token."""

    nonce: str
    csrf: str


def _key(request: Request) -> bytes | None:
    key = request.app.state.settings.api_key
    if key is None or not key.get_secret_value():
        return None
    return hashlib.sha256(b"alliance-steward-session\0" + key.get_secret_value().encode()).digest()


def stewards_enabled(request: Request) -> bool:
    """Whether a stewards' key is set (else the stewards' pages say how to set one)."""
    return _key(request) is not None


def key_matches(request: Request, typed: str) -> bool:
    """The typed key is the stewards' key (compared in constant time)."""
    key = request.app.state.settings.api_key
    if key is None or not key.get_secret_value():
        return False
    return hmac.compare_digest(typed.encode("utf-8"), key.get_secret_value().encode("utf-8"))


def _sign(secret: bytes, text: str) -> str:
    return hmac.new(secret, text.encode(), hashlib.sha256).hexdigest()


def start_session(request: Request, response: Response) -> None:
    """Set the session cookie on ``response`` (after a good login)."""
    secret = _key(request)
    assert secret is not None
    body = f"{int(time.time()) + SESSION_SECONDS}.{secrets.token_hex(16)}"
    response.set_cookie(COOKIE, f"{body}.{_sign(secret, body)}", max_age=SESSION_SECONDS,
                        httponly=True, samesite="strict", path="/",
                        secure=request.url.scheme == "https")


def end_session(response: Response) -> None:
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")


def current_session(request: Request) -> StewardSession | None:
    """The session the request's cookie proves, or None (no cookie, expired, forged, or the
    key changed since)."""
    secret = _key(request)
    cookie = request.cookies.get(COOKIE)
    if secret is None or not cookie or cookie.count(".") != 2:
        return None
    expires, nonce, signature = cookie.split(".")
    if not hmac.compare_digest(signature, _sign(secret, f"{expires}.{nonce}")):
        return None
    if not expires.isdigit() or int(expires) < time.time():
        return None
    return StewardSession(nonce, _sign(secret, f"csrf\0{nonce}"))


def csrf_ok(session: StewardSession, token: str | None) -> bool:
    """A form's token is its session's."""
    return token is not None and hmac.compare_digest(token, session.csrf)
