"""Dependencies the routes share besides the caller's (`service.http.auth`): the annotator over
the app's recogniser cache, the language of the answer's messages."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from glossaries import Glossary
from service.http.auth import Memory
from service.pipelines.annotate import Annotator, Recognisers
from tm import messages


def annotator(request: Request, memory: Memory) -> Annotator:
    """An annotator with the app's shared recogniser, rebuilt only when the termbase changed
    (a plain `def`: building it is work for a worker thread, not for the event loop)."""
    recognisers: Recognisers = request.app.state.recognisers
    return Annotator(Glossary(memory.db), recognisers=recognisers)


Annotations = Annotated[Annotator, Depends(annotator)]


async def language(request: Request) -> str:
    """The language of the messages in the answer: what `Accept-Language` prefers among the
    catalogue's (`tm.messages`), English by default (the web page asks for French)."""
    return messages.language(request.headers.get("accept-language"))


Language = Annotated[str, Depends(language)]
