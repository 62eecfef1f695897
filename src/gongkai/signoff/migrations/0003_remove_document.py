"""The generic 待审稿件 (Document) leaves the product: disclosure items, letters and annual
reports are what the engine reviews.

The chains, revision notes and chain templates that belonged to documents go with them (a chain
without its object would show in inboxes and could never be decided meaningfully). Events in the
log are kept: they are the record of what happened.
"""

from django.db import migrations, models

PURPOSES = [
    ("disclosure_item", "主动公开信息"),
    ("notice_letter", "告知书"),
    ("annual_report", "年度报告"),
]


def drop_document_reviews(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Chain = apps.get_model("signoff", "Chain")
    ChainTemplate = apps.get_model("signoff", "ChainTemplate")
    RevisionNote = apps.get_model("signoff", "RevisionNote")
    content_type = ContentType.objects.filter(app_label="signoff", model="document").first()
    if content_type is not None:
        # Steps and decisions cascade from their chain.
        Chain.objects.filter(content_type=content_type).delete()
        RevisionNote.objects.filter(content_type=content_type).delete()
    Chain.objects.filter(purpose="document").delete()
    ChainTemplate.objects.filter(purpose="document").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("signoff", "0002_revision_authors_and_bounds"),
    ]

    operations = [
        migrations.RunPython(drop_document_reviews, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="chain",
            name="purpose",
            field=models.CharField(choices=PURPOSES, max_length=40, verbose_name="适用对象"),
        ),
        migrations.AlterField(
            model_name="chaintemplate",
            name="purpose",
            field=models.CharField(choices=PURPOSES, max_length=40, verbose_name="适用对象"),
        ),
        migrations.DeleteModel(name="Document"),
    ]
