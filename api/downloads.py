"""CSV answers: the ``format`` query parameter of the API routes that answer a list, and
the response that hands a :class:`api.answer_tables.Table` out as a file.

The same :func:`csv_response` serves the API (``GET /partners/near?format=csv``) and the
pages' "Télécharger (Excel)" links, so both give the same bytes and the same file name.
An error on a CSV request is the route's usual error (JSON in the API, a French page in
the pages): nothing is written before the answer is known.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Query, Response

from api.answer_tables import Table

#: the media type of every CSV answer
CSV_MEDIA = "text/csv; charset=utf-8"

#: ``?format=json`` (the default) or ``?format=csv``
Format = Annotated[Literal["json", "csv"], Query(
    alias="format",
    description="`json` (default) or `csv`: the same list as a file Excel opens in French "
                "(`;` between cells, UTF-8 with a byte-order mark, CRLF, French headers "
                "and names, decimal commas), as an attachment named in words.")]


def csv_response(table: Table) -> Response:
    """``table`` as a CSV attachment (``text/csv``, its file name in words)."""
    return Response(content=table.csv(), media_type=CSV_MEDIA, headers={
        "Content-Disposition": f'attachment; filename="{table.filename}"',
        "Cache-Control": "no-store",
    })

