"""`migrate` is `migrate_schemas` here (as in django-tenants), with our template/pool upkeep."""

from tenants.management.commands.migrate_schemas import Command

__all__ = ["Command"]
