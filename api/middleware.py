"""Pure ASGI middleware: the request body size limit, the security headers, and each
request's deadline on the calls it makes to Neo4j.

Pure ASGI (not ``BaseHTTPMiddleware``) so that uploads stream through untouched and the
limit also counts bodies sent without a ``Content-Length`` (chunked transfer).
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import error_response
from graph.deadline import request_scope
from graph.french import num


class BodyTooLarge(HTTPException):
    """Raised from ``receive`` when a streamed body passes the limit.

    An ``HTTPException`` so that FastAPI's body parsing re-raises it as it is (it turns
    any other exception into a 400) and the error table renders it as a 413.
    """

    def __init__(self, max_bytes: int):
        super().__init__(413, f"the request body is larger than {max_bytes} bytes")


class BodySizeLimit:
    """Refuse request bodies larger than ``max_bytes`` with a 413 in the error shape.

    Two checks: the declared ``Content-Length`` (refused before anything is read) and the
    bytes actually received (a lying or absent ``Content-Length``).
    """

    def __init__(self, app: ASGIApp, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await BodySizeLimit._refuse(self.max_bytes, scope, receive, send)
            return

        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge(self.max_bytes)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            if started:
                raise
            await BodySizeLimit._refuse(self.max_bytes, scope, receive, send)

    @staticmethod
    async def _refuse(max_bytes: int, scope: Scope, receive: Receive, send: Send) -> None:
        response = error_response(
            413, "payload_too_large",
            f"la requête dépasse {num(max_bytes)} octets (ALLIANCE_MAX_BODY_BYTES) : envoyez "
            "des fichiers plus petits, ou en plusieurs fois",
            headers={"Connection": "close"},
        )
        await response(scope, receive, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


#: headers every response carries unless the route set its own; a response without its
#: own policy may be framed by this site only (the /viz pictures set theirs, from
#: ALLIANCE_FRAME_ANCESTORS)
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"content-security-policy", b"frame-ancestors 'self'"),
)


class SecurityHeaders:
    """Add ``X-Content-Type-Options: nosniff``, ``Referrer-Policy`` and, to a response
    that has no policy of its own, ``Content-Security-Policy: frame-ancestors 'self'``.

    No ``X-Frame-Options`` here: the /viz pages are meant to be embedded and set their own
    CSP ``frame-ancestors``; the pages and /docs set their own policy and that header.
    """

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(k, v) for k, v in SECURITY_HEADERS if k not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class RequestDeadline:
    """Give every HTTP request ``seconds`` for the calls it makes to Neo4j
    (:func:`graph.deadline.request_scope`): past them a 504, and a 503 as soon as Neo4j is
    known down. The guard is the app's (``app.state.guard``, opened by the lifespan).
    """

    def __init__(self, app: ASGIApp, seconds: float):
        self.app = app
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        guard = getattr(scope["app"].state, "guard", None) if "app" in scope else None
        if scope["type"] != "http" or guard is None:
            await self.app(scope, receive, send)
            return
        with request_scope(guard, self.seconds):
            await self.app(scope, receive, send)
