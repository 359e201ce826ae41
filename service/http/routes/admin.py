"""Administrator routes: TM imports and document-pair alignment as background jobs with
progress, TMX export, and pretranslation of uploaded releases (draft + analysis report)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, BackgroundTasks, File, Form, Request, UploadFile
from fastapi.responses import FileResponse

from service.http import uploads
from service.http.auth import Admin, Memory, Translator
from service.http.dependencies import Annotations, Language
from service.http.jobs import Job, Jobs, public, scratch, scratch_prefix
from service.http.schemas.admin import DraftOut, EvaluationOut, JobOut, PretranslationOut
from service.http.validation import Clean
from service.memories import Memories
from service.pipelines import pretranslation
from tm import InvalidInput, messages
from tm.drafting import analysis
from tm.lazy import module as lazy

if TYPE_CHECKING:
    from service.pipelines import alignment as aligning
    from service.pipelines import evaluation, importing
else:  # loaded by the first job that runs them: `tm serve` answers sooner
    aligning = lazy("service.pipelines.alignment")
    evaluation = lazy("service.pipelines.evaluation")
    importing = lazy("service.pipelines.importing")

router = APIRouter(tags=["administrators"])


def job_out(job: Job, language: str = "en") -> JobOut:
    """A job's state, its error in `language` when that is catalogued."""
    state = job.snapshot()
    error = state["errors"].get(language, state["error"])
    return JobOut.model_validate(state | {"url": f"/jobs/{job.id}", "error": error})


def registry(request: Request) -> Jobs:
    jobs: Jobs = request.app.state.jobs
    return jobs


def shared_memories(request: Request) -> Memories:
    """The app's TMs: a job opens its own (its thread's connection) sharing the index."""
    memories: Memories = request.app.state.memories
    return memories


@router.post("/import", response_model=JobOut, status_code=202)
def import_(
    request: Request,
    _role: Admin,
    files: Annotated[list[UploadFile], File(description="TMX, XLIFF, TSV/CSV, or X.fr + X.en")],
    origin: Annotated[Annotated[str, Clean] | None, Form(max_length=200)] = None,
    swap: Annotated[
        bool, Form(description="Read bitexts the other way round (X.en as French; en, fr)")
    ] = False,
) -> JobOut:
    """Import uploaded files into the TM as a background job (one transaction); poll its URL.
    A bitext whose sides are in the wrong language (or neither), or a glossary given as a
    bitext, is refused at once (422, with what to swap), before the job starts."""
    jobs, memories = registry(request), shared_memories(request)
    folder = jobs.folder()
    try:
        paths = uploads.save(files, folder)
        importing.check(paths, swap=swap)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise

    def work(job: Job) -> dict[str, Any]:
        with memories.open() as memory:
            done = importing.import_files(
                memory, paths, origin=origin, swap=swap, progress=job.advance
            )
        job.reach(done.report.imported + done.report.duplicates)
        return done.to_dict(skipped=1000)

    return job_out(jobs.submit("import", folder, work))


@router.post("/align", response_model=JobOut, status_code=202)
def align(
    request: Request,
    _role: Admin,
    french: Annotated[UploadFile, File(description="The French document")],
    english: Annotated[UploadFile, File(description="Its English translation")],
    origin: Annotated[Annotated[str, Clean] | None, Form(max_length=200)] = None,
    force: Annotated[bool, Form(description="Store even a low-confidence alignment")] = False,
    swap: Annotated[
        bool, Form(description="The uploads are the other way round: `french` is the English")
    ] = False,
) -> JobOut:
    """Align an uploaded FR/EN document pair into sentence pairs and store them (a job). A
    document in the wrong language (or neither) is refused at once (422, with what to swap)."""
    jobs, memories = registry(request), shared_memories(request)
    folder = jobs.folder()
    try:
        (french_dir := folder / "fr").mkdir()
        (english_dir := folder / "en").mkdir()
        (fr_path,) = uploads.save([french], french_dir)
        (en_path,) = uploads.save([english], english_dir)
        pairs = [aligning.pair_of(fr_path, en_path)]
        aligning.read_pairs(pairs, swap=swap)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise

    def work(job: Job) -> dict[str, Any]:
        job.expect(2)  # aligned, then stored
        with memories.open() as memory:
            stored = aligning.align_and_store(
                memory, pairs, origin=origin, force=force, swap=swap, progress=job.advance
            )
        (document,), report = stored.documents, stored.report
        return {
            "document": document.name,
            "beads": len(document.beads),
            "confidence": round(document.confidence, 3),
            "stored": report.stored,
            "duplicates": report.duplicates,
            "flagged": report.flagged,
            "deletions": report.deletions,
        }

    return job_out(jobs.submit("align", folder, work))


@router.get("/jobs/{job_id}", response_model=JobOut)
def job(job_id: str, request: Request, _role: Translator, language: Language) -> JobOut:
    """A job's state and progress (`done` of `total`), and its result once done."""
    return job_out(registry(request).get(job_id), language)


@router.get("/jobs", response_model=list[JobOut])
def jobs(request: Request, _role: Translator, language: Language) -> list[JobOut]:
    """This process's recent jobs, newest first."""
    return [job_out(j, language) for j in registry(request).list()]


@router.get(
    "/export",
    response_class=FileResponse,
    responses={200: {"content": {"application/x-tmx+xml": {}}}},
)
def export(memory: Memory, _role: Admin, cleanup: BackgroundTasks) -> FileResponse:
    """Download the whole TM as TMX 1.4b (written to a temporary file, then streamed)."""
    folder = scratch("export")
    path = folder / "tm.tmx"
    memory.export(path)
    cleanup.add_task(shutil.rmtree, folder, True)
    return FileResponse(path, media_type="application/x-tmx+xml", filename="tm.tmx")


@router.post("/pretranslate", response_model=PretranslationOut)
def pretranslate(
    memory: Memory,
    _role: Translator,
    annotations: Annotations,
    language: Language,
    files: Annotated[list[UploadFile], File(description="Text, Markdown, HTML, DOCX or XLIFF")],
    threshold: Annotated[float, Form(ge=0, le=100)] = pretranslation.THRESHOLD,
    format: Annotated[pretranslation.Format, Form()] = "xliff",
    overwrite: Annotated[bool, Form(description="Replace translations already in XLIFF")] = False,
) -> PretranslationOut:
    """Pretranslate uploaded French files from the TM: drafts and the analysis report. A
    translation already in an XLIFF file is kept unless `overwrite`. A request holds at most
    1,000,000 characters of text and 10,000 segments (413 before any lookup); a file with a
    segment over 20,000 characters fails with the reason."""
    with tempfile.TemporaryDirectory(prefix=scratch_prefix("pretranslate")) as folder:
        inputs = Path(folder) / "in"
        inputs.mkdir()
        paths = uploads.save(files, inputs)
        batch = pretranslation.pretranslate(
            memory,
            paths,
            out=Path(folder) / "out",
            threshold=threshold,
            format=format,
            annotate=annotations.notes,
            overwrite=overwrite,
            limits=pretranslation.REQUEST,
        )
        drafts = [
            DraftOut(
                input=r.path.name,
                output=r.output.name if r.output else None,
                content=pretranslation.written(r),
                error=public(r.error),
            )
            for r in batch.files
        ]
        if all(draft.error for draft in drafts):  # nothing could be drafted: refused
            raise InvalidInput("; ".join(draft.error for draft in drafts))
        report = analysis.to_json(batch.analysis, language=language)
        for failure in report["failed"]:
            failure["error"] = public(failure["error"])
        return PretranslationOut(
            threshold=threshold,
            format=format,
            drafts=drafts,
            analysis=report,
            analysis_csv=batch.table.read_text("utf-8"),
        )


@router.post("/evaluate", response_model=EvaluationOut)
def evaluate(
    _role: Translator,
    language: Language,
    hyp: Annotated[UploadFile, File(description="Draft: text (a segment a line), TSV or XLIFF")],
    ref: Annotated[
        UploadFile,
        File(description="Published English: text, TSV, XLIFF, DOCX, HTML or Markdown"),
    ],
) -> EvaluationOut:
    """Score a draft against the published English: corpus BLEU, chrF++ and TER with sacrebleu
    signatures, per segment and per match band (bands read from a pretranslated XLIFF). Each
    file holds at most 2 MiB and 10,000 segments of 20,000 characters (413 before any work);
    the scoring runs in a child process limited in memory and time (413 past either)."""
    result = evaluation.evaluate(
        uploads.read(hyp, limit=evaluation.MAX_BYTES),
        uploads.read(ref, limit=evaluation.MAX_BYTES),
        hypothesis_name=hyp.filename or "hyp",
        reference_name=ref.filename or "ref",
        confine=True,
    )
    answer = EvaluationOut.model_validate(result, from_attributes=True)
    return answer.model_copy(
        update={"pairing": messages.recognised(answer.pairing, language, "pairing")}
    )
