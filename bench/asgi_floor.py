"""The floor under any HTTP API on this machine: a bare ASGI app, no framework.

``bench/queries.py`` runs it with uvicorn (same flags as the API) and asks it for the same
paths as ``GET /partners/near``; it answers each with the exact bytes the API gave for that
path, read once from the JSON file named by ``ALLIANCE_BENCH_BODIES`` (``{path: body}``).
What it costs over calling the wrapper is the part of the API's overhead that no routing,
validation or threading choice can remove: uvicorn, the loopback and the client reading
the same bytes.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

_BODIES: dict[bytes, bytes] = {
    path.encode("latin-1"): body.encode("utf-8")
    for path, body in json.loads(
        Path(os.environ["ALLIANCE_BENCH_BODIES"]).read_text(encoding="utf-8")).items()
}
_HEADERS = [(b"content-type", b"application/json")]


async def app(scope, receive, send) -> None:  # noqa: ANN001 - the ASGI signature
    if scope["type"] != "http":
        return
    key = scope["raw_path"] + (b"?" + scope["query_string"] if scope["query_string"] else b"")
    body = _BODIES.get(key)
    status = 200 if body is not None else 404
    await send({"type": "http.response.start", "status": status,
                "headers": _HEADERS + [(b"content-length", str(len(body or b"")).encode())]})
    await send({"type": "http.response.body", "body": body or b""})
