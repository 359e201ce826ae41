"""Glossary routes: search and read for everyone allowed to read; audited edits for
maintainers, with optimistic concurrency (`ETag` on reads, `If-Match` required on edits:
428 without it, 412 when it is stale, 409 on a domain conflict such as a duplicate term)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Literal

from fastapi import (
    APIRouter,
    BackgroundTasks,
    Depends,
    File,
    Form,
    Header,
    Query,
    Response,
    UploadFile,
)
from fastapi.responses import FileResponse

from glossaries import Glossary
from service.http import uploads
from service.http.auth import MaintainerName, Memory, Reader
from service.http.dependencies import Annotations
from service.http.errors import PreconditionFailed, PreconditionRequired
from service.http.jobs import scratch, scratch_prefix
from service.http.schemas.glossary import (
    ChangeOut,
    ConceptList,
    ConceptOut,
    FindResponse,
    GlossaryImportOut,
    TermEdit,
    TermIn,
    TermOut,
    change_out,
    concept_out,
    hit_out,
    term_out,
)
from service.http.validation import Clean, Queries, RowId
from service.pipelines import concepts

router = APIRouter(prefix="/glossary", tags=["glossary"])


async def open_glossary(memory: Memory) -> Glossary:
    return Glossary(memory.db)  # migrated at start-up


Terms = Annotated[Glossary, Depends(open_glossary)]
IfMatch = Annotated[str | None, Header(description='The ETag read, e.g. "12.3"')]


def etag(term_id: int, version: int) -> str:
    return f'"{term_id}.{version}"'


def version_in(if_match: str | None, term_id: int, glossary: Glossary) -> int:
    """The version the client read, checked against the stored one (428/412)."""
    if not if_match:
        raise PreconditionRequired.said("error/if-match-needed")
    current = glossary.term(term_id)
    tags = {tag.strip().removeprefix("W/").strip('"') for tag in if_match.split(",")}
    if "*" in tags:
        return current.version
    if f"{term_id}.{current.version}" not in tags:
        raise PreconditionFailed.said(
            "error/term-changed",
            term=term_id,
            version=current.version,
            author=current.author or "someone",
            changed=current.changed,
        )
    return current.version


@router.get("/concepts", response_model=ConceptList)
def search(
    glossary: Terms,
    _role: Reader,
    q: Annotated[
        str, Query(max_length=200, description="Part of a term, any language"), Clean
    ] = "",
    status: Literal["preferred", "admitted", "deprecated", "superseded"] | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> ConceptList:
    """Concepts with a term containing `q` (case and accents ignored), in id order."""
    found = concepts.search(glossary, q, status=status)
    return ConceptList(total=len(found), concepts=[concept_out(c) for c in found[:limit]])


@router.get("/concepts/{concept_id}", response_model=ConceptOut)
def concept(concept_id: str, glossary: Terms, _role: Reader) -> ConceptOut:
    return concept_out(glossary.concept(concept_id))


@router.get("/terms/{term_id}", response_model=TermOut)
def read(term_id: RowId, glossary: Terms, _role: Reader, response: Response) -> TermOut:
    """One term; its `ETag` is what an edit sends back in `If-Match`."""
    term = glossary.term(term_id)
    response.headers["ETag"] = etag(term_id, term.version)
    return term_out(term)


@router.post("/terms", response_model=TermOut, status_code=201)
def add(body: TermIn, glossary: Terms, author: MaintainerName, response: Response) -> TermOut:
    """Add a term (to `concept`, or to a new concept)."""
    term = glossary.add(
        body.text,
        language=body.language,
        author=author,
        concept=body.concept,
        status=body.status,
        note=body.note,
        source=body.source,
        subject=body.subject,
        definition=body.definition,
    )
    response.headers["ETag"] = etag(term.id or 0, term.version)
    return term_out(term)


@router.patch("/terms/{term_id}", response_model=TermOut)
def edit(
    term_id: RowId,
    body: TermEdit,
    glossary: Terms,
    author: MaintainerName,
    response: Response,
    if_match: IfMatch = None,
) -> TermOut:
    """Change a term's text, status, note or source (audited)."""
    version = version_in(if_match, term_id, glossary)
    action = "deprecate" if body.status in ("deprecated", "superseded") else "edit"
    term = glossary.edit(
        term_id,
        version=version,
        author=author,
        text=body.text,
        status=body.status,
        note=body.note,
        source=body.source,
        action=action,
    )
    response.headers["ETag"] = etag(term_id, term.version)
    return term_out(term)


@router.delete("/terms/{term_id}", status_code=204)
def delete(
    term_id: RowId, glossary: Terms, author: MaintainerName, if_match: IfMatch = None
) -> Response:
    """Delete a term (its concept too when it was the last one); audited."""
    glossary.delete(term_id, version=version_in(if_match, term_id, glossary), author=author)
    return Response(status_code=204)


@router.get("/terms/{term_id}/history", response_model=list[ChangeOut])
def term_history(term_id: RowId, glossary: Terms, _role: Reader) -> list[ChangeOut]:
    """Every audited change of one term, oldest first."""
    return [change_out(c) for c in glossary.history(term_id)]


@router.get("/history", response_model=list[ChangeOut])
def history(
    glossary: Terms, _role: Reader, limit: Annotated[int, Query(ge=1, le=1000)] = 100
) -> list[ChangeOut]:
    """The latest audited changes, newest first."""
    return [change_out(c) for c in reversed(glossary.history()[-limit:])]


@router.get("/find", response_model=FindResponse)
def find(
    annotations: Annotations,
    _role: Reader,
    queries: Queries,
    text: Annotated[str, Query(min_length=1), Clean],
) -> FindResponse:
    """Glossary terms recognised in a French text, with spans and their English."""
    queries(text)
    return FindResponse(text=text, hits=[hit_out(h) for h in annotations.terms(text)])


@router.post("/import", response_model=GlossaryImportOut)
def import_(
    glossary: Terms,
    author: MaintainerName,
    file: Annotated[UploadFile, File()],
    swap: Annotated[
        bool, Form(description="Read the file's French and English the other way round")
    ] = False,
) -> GlossaryImportOut:
    """Import a TBX (v2 or v3) or CSV/TSV termbase in one transaction; audited. French terms
    that read as English (or English as French, or either as neither language) are refused
    (422, with what to swap) and nothing is written."""
    with tempfile.TemporaryDirectory(prefix=scratch_prefix("glossary")) as folder:
        (path,) = uploads.save([file], Path(folder))
        report = glossary.import_file(path, author=author, swap=swap)
    return GlossaryImportOut.model_validate(report.to_dict() | {"file": path.name})


@router.get(
    "/export",
    response_class=FileResponse,
    responses={200: {"content": {"application/xml": {}, "text/csv": {}}}},
)
def export(
    glossary: Terms,
    _role: Reader,
    cleanup: BackgroundTasks,
    format: Literal["tbx", "csv", "tsv"] = "tbx",
) -> FileResponse:
    """Download the termbase: TBX-Basic v3, `;` CSV or OmegaT TSV."""
    folder = scratch("glossary")
    path = folder / f"glossary.{format}"
    glossary.export(path)
    cleanup.add_task(_remove, folder)
    media = {"tbx": "application/x-tbx+xml", "csv": "text/csv", "tsv": "text/tab-separated-values"}
    return FileResponse(path, media_type=media[format], filename=path.name)


def _remove(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
