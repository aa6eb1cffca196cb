"""A schema's shape, read from PostgreSQL's catalogs, in a form two schemas can be compared by.

Every definition is read with the search_path at `public`, so PostgreSQL qualifies the
schema's own objects with its name; that name is then replaced by `<schema>`.
"""

import re

from django.db import connection

TABLES = """
    SELECT c.relname, c.relkind, c.relpersistence, pg_get_userbyid(c.relowner)
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = %(schema)s AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
    ORDER BY 1
"""
# Position is the rank among live columns: a migration that dropped a column leaves a gap in
# attnum that a copy does not have, and that is no difference a query can see.
COLUMNS = """
    SELECT c.relname, a.attname,
           rank() OVER (PARTITION BY c.oid ORDER BY a.attnum) AS position,
           format_type(a.atttypid, a.atttypmod), a.attnotnull,
           pg_get_expr(d.adbin, d.adrelid) AS column_default,
           a.attidentity, a.attgenerated, coll.collname
    FROM pg_attribute a
    JOIN pg_class c ON c.oid = a.attrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    LEFT JOIN pg_collation coll ON coll.oid = a.attcollation
    WHERE n.nspname = %(schema)s AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
      AND a.attnum > 0 AND NOT a.attisdropped
    ORDER BY 1, 3
"""
INDEXES = """
    SELECT t.relname, i.relname, pg_get_indexdef(x.indexrelid), x.indisunique, x.indisprimary
    FROM pg_index x
    JOIN pg_class i ON i.oid = x.indexrelid
    JOIN pg_class t ON t.oid = x.indrelid
    JOIN pg_namespace n ON n.oid = i.relnamespace
    WHERE n.nspname = %(schema)s
    ORDER BY 1, 2
"""
CONSTRAINTS = """
    SELECT t.relname, con.conname, con.contype, pg_get_constraintdef(con.oid),
           con.condeferrable, con.condeferred, con.convalidated
    FROM pg_constraint con
    JOIN pg_class t ON t.oid = con.conrelid
    JOIN pg_namespace n ON n.oid = con.connamespace
    WHERE n.nspname = %(schema)s
    ORDER BY 1, 2
"""
# Ownership: deptype 'a' is a serial column's OWNED BY, 'i' an identity column's sequence.
SEQUENCES = """
    SELECT s.relname, format_type(seq.seqtypid, NULL), seq.seqstart, seq.seqincrement,
           seq.seqmin, seq.seqmax, seq.seqcache, seq.seqcycle,
           dep.deptype, owner_table.relname, owner_column.attname
    FROM pg_class s
    JOIN pg_namespace n ON n.oid = s.relnamespace
    JOIN pg_sequence seq ON seq.seqrelid = s.oid
    LEFT JOIN pg_depend dep ON dep.classid = 'pg_class'::regclass AND dep.objid = s.oid
         AND dep.refclassid = 'pg_class'::regclass AND dep.deptype IN ('a', 'i')
    LEFT JOIN pg_class owner_table ON owner_table.oid = dep.refobjid
    LEFT JOIN pg_attribute owner_column ON owner_column.attrelid = dep.refobjid
         AND owner_column.attnum = dep.refobjsubid
    WHERE n.nspname = %(schema)s AND s.relkind = 'S'
    ORDER BY 1
"""
TRIGGERS = """
    SELECT t.relname, tg.tgname, pg_get_triggerdef(tg.oid)
    FROM pg_trigger tg
    JOIN pg_class t ON t.oid = tg.tgrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace
    WHERE n.nspname = %(schema)s AND NOT tg.tgisinternal
    ORDER BY 1, 2
"""
ROUTINES = """
    SELECT p.proname, pg_get_function_identity_arguments(p.oid), p.prokind
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname = %(schema)s
    ORDER BY 1, 2
"""


def schema_shape(schema_name: str) -> dict[str, list[tuple]]:
    """Tables, columns, indexes, constraints, sequences (with ownership and position),
    triggers, routines, migration rows and the rows migrations seed (content types and
    permissions) of `schema_name`, with the schema's own name normalised away."""
    connection.set_schema_to_public()
    shape = {
        section: _rows(sql, schema_name)
        for section, sql in (
            ("tables", TABLES),
            ("columns", COLUMNS),
            ("indexes", INDEXES),
            ("constraints", CONSTRAINTS),
            ("sequences", SEQUENCES),
            ("triggers", TRIGGERS),
            ("routines", ROUTINES),
        )
    }
    quoted = connection.ops.quote_name(schema_name)
    shape["sequence_positions"] = [
        (
            name,
            *_fetch(
                f"SELECT last_value, is_called FROM {quoted}.{connection.ops.quote_name(name)}"
            )[0],
        )
        for name, *_ in shape["sequences"]
    ]
    shape["migrations"] = _fetch(f"SELECT app, name FROM {quoted}.django_migrations ORDER BY 1, 2")
    shape["content_types"] = _fetch(
        f"SELECT id, app_label, model FROM {quoted}.django_content_type ORDER BY id"
    )
    shape["permissions"] = _fetch(
        f"SELECT id, content_type_id, codename, name FROM {quoted}.auth_permission ORDER BY id"
    )
    return shape


def _rows(sql: str, schema_name: str) -> list[tuple]:
    pattern = re.compile(rf'(?<![\w"])("?){re.escape(schema_name)}\1\.')
    return [
        tuple(pattern.sub("<schema>.", value) if isinstance(value, str) else value for value in row)
        for row in _fetch(sql, {"schema": schema_name})
    ]


def _fetch(sql: str, params: dict | None = None) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [tuple(row) for row in cursor.fetchall()]
