"""The API key that guards writes (POST /imports), compared in constant time, and the
console's access rule (``ALLIANCE_CONSOLE_ACCESS``)."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader

from api.errors import Forbidden, Unauthorized

_api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False,
                               description="The value of ALLIANCE_API_KEY.")


def require_api_key(request: Request,
                    key: Annotated[str | None, Security(_api_key_header)]) -> None:
    """Let the request through only with the right ``X-API-Key``.

    Raises
    ------
    Forbidden
        ``ALLIANCE_API_KEY`` is not set: writing through the API is disabled.
    Unauthorized
        The header is missing or wrong (compared with ``hmac.compare_digest``, so the
        time taken says nothing about how much of the key matched).
    """
    expected = request.app.state.settings.api_key
    if expected is None or not expected.get_secret_value():
        raise Forbidden("les imports sont désactivés : définissez ALLIANCE_API_KEY")
    if key is None:
        raise Unauthorized("l'en-tête X-API-Key manque : donnez la clé d'import")
    if not hmac.compare_digest(key.encode("utf-8"), expected.get_secret_value().encode("utf-8")):
        raise Unauthorized("la clé X-API-Key n'est pas la bonne")


ApiKeyDep = Annotated[None, Depends(require_api_key)]


def console_access(request: Request,
                   key: Annotated[str | None, Security(_api_key_header)]) -> None:
    """Apply ``ALLIANCE_CONSOLE_ACCESS``: ``open``, ``key`` (the imports' key) or ``off``.

    Raises
    ------
    Forbidden
        The console is off, or needs a key and ``ALLIANCE_API_KEY`` is not set.
    Unauthorized
        The console needs a key and the header is missing or wrong.
    """
    access = request.app.state.settings.console_access
    if access == "open":
        return
    if access == "off":
        raise Forbidden("the Cypher console is off on this server (ALLIANCE_CONSOLE_ACCESS)")
    expected = request.app.state.settings.api_key
    if expected is None or not expected.get_secret_value():
        raise Forbidden("the Cypher console needs a key and none is set: set ALLIANCE_API_KEY")
    require_api_key(request, key)


ConsoleAccessDep = Annotated[None, Depends(console_access)]
