"""The security tests reuse the workspace's document-in-review fixtures."""

from tests.workspace.conftest import chain, document, make_document, step, template

__all__ = ["chain", "document", "make_document", "step", "template"]
