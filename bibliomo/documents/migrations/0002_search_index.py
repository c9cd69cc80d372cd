from django.db import migrations


def create_index(apps, schema_editor):
    # A GIN index on the Russian tsvector makes full-text search fast on PostgreSQL; SQLite
    # searches its stem column instead and needs nothing here.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS documents_search_vector_gin "
            "ON documents_document USING GIN (search_vector)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS documents_search_vector_gin")


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]
    operations = [migrations.RunPython(create_index, drop_index)]
