"""The security tests reuse the workspace's item-in-review fixtures."""

from tests.workspace.conftest import chain, item, make_item, step, template

__all__ = ["chain", "item", "make_item", "step", "template"]
