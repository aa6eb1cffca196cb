"""PostgreSQL extensions the apps rely on. Created once per database, in the public schema
(the first run of this migration), and visible to every store schema through search_path."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [TrigramExtension()]
