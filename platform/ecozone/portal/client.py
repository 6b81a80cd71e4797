"""The portal's GraphQL client: its documents, by name, run as an anonymous request would be."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starlette.requests import Request

DOCUMENTS_DIR = Path(__file__).parent / "documents"


@dataclass(frozen=True)
class PageDocument:
    name: str
    text: str

    @property
    def document_id(self) -> str:
        """Its trusted-document id (``sha256:`` of the file's UTF-8 bytes), as partners would send it."""
        return "sha256:" + hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def load_documents(directory: Path = DOCUMENTS_DIR) -> dict[str, PageDocument]:
    return {path.stem: PageDocument(path.stem, path.read_text(encoding="utf-8"))
            for path in sorted(directory.glob("*.graphql"))}


class PageDataError(Exception):
    """A page's document answered with errors: the page cannot be drawn (logged, a 5xx page)."""

    def __init__(self, name: str, errors: list[dict[str, Any]]):
        super().__init__(f"{name}: {errors[:3]}")
        self.name, self.errors = name, errors


class PortalClient:
    def __init__(self, view: Any, directory: Path = DOCUMENTS_DIR):
        self.view = view  # the app's GraphQLHTTP
        self.documents = load_documents(directory)
        trusted = getattr(view, "trusted", None)
        if trusted is not None:  # the same documents, callable by hash over GET /graphql
            for document in self.documents.values():
                trusted.add_builtin("portal", document.text)

    async def run(self, request: Request, name: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The ``data`` of the document ``name``; a request error (bad variables, limits, the
        visitor's budget) is raised as the API's ``RequestError`` for the page to answer."""
        answer = await self.view.run_document(request, self.documents[name].text, variables)
        if answer.get("errors"):
            raise PageDataError(name, answer["errors"])
        return answer["data"]
