"""The annual report as a document: model, parsers, renderers, audit. Pure Python, no Django."""
