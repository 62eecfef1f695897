"""The search index: one row per public item, and the extracted text of attachments.

``SearchEntry`` holds what the public sees of an item (its published revision) in the two
forms search needs: the plain text for snippets and the segmented words for the full-text
index. The full-text part itself is backend-specific and lives outside the ORM (created by
migration 0002 on the database in use, see ``backends``): an FTS5 table ``search_fts`` on SQLite,
a narrow table ``search_document(item_id, document tsvector)`` with a GIN index on PostgreSQL.
"""

from __future__ import annotations

from django.db import models

SNIPPET_SOURCE_MAX = 20_000  # characters of plain text kept for snippets
ATTACHMENT_TEXT_MAX = 200_000  # characters of one attachment's text kept for the index


class SearchEntry(models.Model):
    item = models.OneToOneField(
        "disclosure.Item", primary_key=True, on_delete=models.CASCADE, related_name="search_entry"
    )
    agency = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE, related_name="+")
    column = models.ForeignKey("disclosure.Column", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField("发布年份")
    subject = models.CharField("主题分类", max_length=40, blank=True)
    validity = models.CharField("有效性", max_length=20, blank=True)
    published_at = models.DateTimeField("发布时间")
    title = models.CharField("标题", max_length=300)
    text = models.TextField("正文摘录", blank=True)
    title_terms = models.TextField(blank=True)
    body_terms = models.TextField(blank=True)
    indexed_at = models.DateTimeField("索引时间")

    class Meta:
        verbose_name = "检索索引"
        verbose_name_plural = "检索索引"
        # The pk range of a year, for PostgreSQL's search with a year filter (backends).
        indexes = (models.Index(fields=["year", "item"], name="search_entry_year_item"),)

    def __str__(self) -> str:
        return self.title


class AttachmentText(models.Model):
    """Text extracted from an attachment once (a background task); failures are recorded."""

    attachment = models.OneToOneField(
        "disclosure.Attachment",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="search_text",
    )
    text = models.TextField(blank=True)
    error = models.CharField(max_length=200, blank=True)
    extracted_at = models.DateTimeField()

    class Meta:
        verbose_name = "附件文本"
        verbose_name_plural = "附件文本"

    def __str__(self) -> str:
        return f"{self.attachment_id}"
