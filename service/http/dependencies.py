"""Dependencies the routes share besides the caller's (`service.http.auth`): the annotator over
the app's recogniser cache."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from glossaries import Glossary
from service.http.auth import Memory
from service.pipelines.annotate import Annotator, Recognisers


def annotator(request: Request, memory: Memory) -> Annotator:
    """An annotator with the app's shared recogniser, rebuilt only when the termbase changed
    (a plain `def`: building it is work for a worker thread, not for the event loop)."""
    recognisers: Recognisers = request.app.state.recognisers
    return Annotator(Glossary(memory.db), recognisers=recognisers)


Annotations = Annotated[Annotator, Depends(annotator)]
