"""Gongkai (公开): government information disclosure, from application to annual report."""

__version__ = "0.1.0"
