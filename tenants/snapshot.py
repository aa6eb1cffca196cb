"""The template snapshot: the template schema's DDL, read once from that schema's own catalog
rows, then replayed to make each new schema.

django-tenants' `clone_schema()` reads PostgreSQL's catalogs for every clone with queries that
are not filtered by schema, so it slows down as stores are added (130 ms with no stores, ~730 ms
with 200). Here the catalog is read when the template changes (`snapshot_build`), and a clone
(`snapshot_replay`) is one `CREATE SCHEMA` plus a fixed script: its cost depends on the
template, not on the fleet.

Freshness: `template_digest` stamps the template's catalog rows (every row PostgreSQL writes
for a DDL change carries the id of the transaction that wrote it, and new objects bring new
oids) together with its migration rows. It reads only the template's own rows, through the
catalogs' indexes, so it costs the same with 10 stores or 10,000. A snapshot whose digest no
longer matches is rebuilt before use (tenants.services.pool).

Row data and sequence positions are not frozen in the snapshot: the script copies them from the
template when it runs, so they are always the template's current ones.
"""

import hashlib
import re

from django.db import connection

# What a DDL change can touch, found by index from the schema's pg_namespace row: the objects
# PostgreSQL records as living in the schema, and the columns, defaults, constraints, indexes,
# sequence options and triggers of its relations.
_DIGEST = """
    WITH template AS (
        SELECT oid FROM pg_namespace WHERE nspname = %(schema)s
    ), member AS (
        SELECT d.classid, d.objid, d.xmin FROM pg_depend d, template t
        WHERE d.refclassid = 'pg_namespace'::regclass AND d.refobjid = t.oid
    ), relation AS (
        SELECT objid AS oid FROM member WHERE classid = 'pg_class'::regclass
    ), stamp(part) AS (
        SELECT concat_ws(':', 'm', classid, objid, xmin) FROM member
        UNION ALL SELECT concat_ws(':', 'c', oid, xmin) FROM pg_class
            WHERE oid IN (SELECT oid FROM relation)
        UNION ALL SELECT concat_ws(':', 'a', attrelid, attnum, xmin) FROM pg_attribute
            WHERE attrelid IN (SELECT oid FROM relation) AND attnum > 0
        UNION ALL SELECT concat_ws(':', 'd', oid, xmin) FROM pg_attrdef
            WHERE adrelid IN (SELECT oid FROM relation)
        UNION ALL SELECT concat_ws(':', 'k', oid, xmin) FROM pg_constraint
            WHERE conrelid IN (SELECT oid FROM relation)
        UNION ALL SELECT concat_ws(':', 'i', x.indexrelid, x.xmin, i.xmin)
            FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
            WHERE x.indrelid IN (SELECT oid FROM relation)
        UNION ALL SELECT concat_ws(':', 's', seqrelid, xmin) FROM pg_sequence
            WHERE seqrelid IN (SELECT oid FROM relation)
        UNION ALL SELECT concat_ws(':', 't', oid, xmin) FROM pg_trigger
            WHERE tgrelid IN (SELECT oid FROM relation)
    )
    SELECT t.oid, (SELECT md5(string_agg(part, ',' ORDER BY part)) FROM stamp) FROM template t
"""

# Anything but plain tables and sequences would need DDL this module does not write: refuse it
# loudly rather than make clones that differ from their template.
_UNSUPPORTED = """
    SELECT pg_describe_object(d.classid, d.objid, d.objsubid)
    FROM pg_depend d
    LEFT JOIN pg_class c ON d.classid = 'pg_class'::regclass AND c.oid = d.objid
    WHERE d.refclassid = 'pg_namespace'::regclass AND d.refobjid = %(oid)s AND d.deptype = 'n'
      AND (c.oid IS NULL OR c.relkind NOT IN ('r', 'S') OR c.relhasrules OR c.relrowsecurity
           OR c.relispartition OR c.reloftype <> 0)
    UNION ALL
    SELECT pg_describe_object('pg_trigger'::regclass, tg.oid, 0)
    FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid
    WHERE c.relnamespace = %(oid)s AND NOT tg.tgisinternal
    UNION ALL
    SELECT pg_describe_object('pg_class'::regclass, i.inhrelid, 0)
    FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    WHERE c.relnamespace = %(oid)s
"""
_TABLES = """
    SELECT c.oid, c.relname, c.relpersistence, c.reloptions
    FROM pg_class c WHERE c.relnamespace = %(oid)s AND c.relkind = 'r'
    ORDER BY c.relname
"""
_COLUMNS = """
    SELECT a.attrelid, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
           pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated,
           CASE WHEN a.attcollation <> t.typcollation
                THEN quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END,
           s.relname, format_type(q.seqtypid, NULL), q.seqstart, q.seqincrement, q.seqmin,
           q.seqmax, q.seqcache, q.seqcycle
    FROM pg_attribute a
    JOIN pg_class c ON c.oid = a.attrelid
    JOIN pg_type t ON t.oid = a.atttypid
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    LEFT JOIN pg_collation co ON co.oid = a.attcollation
    LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
    LEFT JOIN pg_depend dep ON dep.classid = 'pg_class'::regclass AND dep.deptype = 'i'
         AND dep.refclassid = 'pg_class'::regclass AND dep.refobjid = a.attrelid
         AND dep.refobjsubid = a.attnum
    LEFT JOIN pg_class s ON s.oid = dep.objid
    LEFT JOIN pg_sequence q ON q.seqrelid = s.oid
    WHERE c.relnamespace = %(oid)s AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
    ORDER BY a.attrelid, a.attnum
"""
# Sequences that are not an identity column's (those come with their column): serials' and
# free-standing ones, with the column that owns them, if any.
_SEQUENCES = """
    SELECT s.relname, format_type(q.seqtypid, NULL), q.seqstart, q.seqincrement, q.seqmin,
           q.seqmax, q.seqcache, q.seqcycle, t.relname, a.attname
    FROM pg_class s
    JOIN pg_sequence q ON q.seqrelid = s.oid
    LEFT JOIN pg_depend dep ON dep.classid = 'pg_class'::regclass AND dep.objid = s.oid
         AND dep.refclassid = 'pg_class'::regclass AND dep.deptype IN ('a', 'i')
    LEFT JOIN pg_class t ON t.oid = dep.refobjid
    LEFT JOIN pg_attribute a ON a.attrelid = dep.refobjid AND a.attnum = dep.refobjsubid
    WHERE s.relnamespace = %(oid)s AND s.relkind = 'S' AND dep.deptype IS DISTINCT FROM 'i'
    ORDER BY s.relname
"""
_ALL_SEQUENCES = """
    SELECT relname FROM pg_class WHERE relnamespace = %(oid)s AND relkind = 'S' ORDER BY relname
"""
# Foreign keys last, once every key they reference exists.
_CONSTRAINTS = """
    SELECT t.relname, con.conname, con.contype, pg_get_constraintdef(con.oid), con.convalidated
    FROM pg_constraint con JOIN pg_class t ON t.oid = con.conrelid
    WHERE t.relnamespace = %(oid)s AND con.contype IN ('p', 'u', 'c', 'x', 'f')
    ORDER BY t.relname, position(con.contype IN 'pucxf'), con.conname
"""
# Indexes of their own: those behind a primary key, unique or exclusion constraint come with it.
_INDEXES = """
    SELECT t.relname, x.indisunique, pg_get_indexdef(x.indexrelid),
           quote_ident(i.relname), quote_ident(n.nspname) || '.' || quote_ident(t.relname)
    FROM pg_index x
    JOIN pg_class i ON i.oid = x.indexrelid
    JOIN pg_class t ON t.oid = x.indrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace
    WHERE t.relnamespace = %(oid)s AND NOT EXISTS (
        SELECT FROM pg_constraint con WHERE con.conindid = x.indexrelid
        AND con.conrelid = x.indrelid AND con.contype IN ('p', 'u', 'x'))
    ORDER BY t.relname, i.relname
"""


class SnapshotError(RuntimeError):
    """The template holds something a snapshot cannot reproduce exactly."""


def template_digest(template: str) -> str | None:
    """A digest of the template's structure and migration rows; None if there is no template."""
    with connection.cursor() as cursor:
        cursor.execute(_DIGEST, {"schema": template})
        row = cursor.fetchone()
        if row is None:
            return None
        cursor.execute(
            "SELECT md5(string_agg(app || '.' || name, ',' ORDER BY app, name)) "
            f"FROM {ident(template)}.django_migrations"
        )
        (migrations,) = cursor.fetchone()
    return hashlib.sha256(f"{row[0]}|{row[1]}|{migrations}".encode()).hexdigest()


def snapshot_build(template: str) -> str:
    """The SQL that rebuilds `template`'s tables, sequences, constraints and indexes in the
    current schema, copies the template's rows and sequence positions, and names no schema but
    the template's (as the source of the copy)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT oid FROM pg_namespace WHERE nspname = %s", [template])
        (oid,) = cursor.fetchone()
        unsupported = [name for (name,) in _fetch(cursor, _UNSUPPORTED, oid)]
        if unsupported:
            raise SnapshotError(
                f"The template schema {template!r} holds objects a snapshot cannot copy: "
                f"{', '.join(sorted(unsupported))}."
            )
        # With the template alone on the search_path, PostgreSQL leaves the template's own
        # names unqualified in the definitions it prints (and qualifies any other schema's).
        cursor.execute("SELECT current_setting('search_path')")
        (search_path,) = cursor.fetchone()
        cursor.execute("SELECT set_config('search_path', %s, true)", [ident(template)])
        try:
            tables, copy, indexes_and_keys = _script(cursor, template=template, oid=oid)
        finally:
            cursor.execute("SELECT set_config('search_path', %s, true)", [search_path])
    for ddl in (tables, indexes_and_keys):
        leftover = re.search(rf'(?<![\w"])("?){re.escape(template)}\1\.', ddl)
        if leftover:
            raise SnapshotError(f"The snapshot DDL still names the template: {leftover[0]!r}")
    return "\n".join([tables, *copy, indexes_and_keys])


def _script(cursor, *, template: str, oid: int) -> tuple[str, list[str], str]:
    table_rows = _fetch(cursor, _TABLES, oid)
    tables = {table_oid: name for table_oid, name, *_ in table_rows}
    columns: dict[int, list[str]] = {table_oid: [] for table_oid in tables}
    copied: dict[int, list[str]] = {table_oid: [] for table_oid in tables}
    late = []  # statements that need every table to exist first
    for (
        table_oid,
        name,
        data_type,
        not_null,
        default,
        identity,
        generated,
        collation,
        *seq,
    ) in _fetch(cursor, _COLUMNS, oid):
        column = f"{ident(name)} {data_type}"
        if collation:
            column += f" COLLATE {collation}"
        if generated == "s":
            column += f" GENERATED ALWAYS AS ({default}) STORED"
        elif default is not None:
            column += f" DEFAULT {default}"
        if identity:
            column += _identity(identity, data_type, *seq, late=late)
        if not_null:
            column += " NOT NULL"
        columns[table_oid].append(column)
        if not generated:
            copied[table_oid].append(ident(name))

    by_name = {name: table_oid for table_oid, name in tables.items()}
    inline: dict[int, list[str]] = {table_oid: [] for table_oid in tables}
    added = []
    for table, name, kind, definition, validated in _fetch(cursor, _CONSTRAINTS, oid):
        constraint = f"CONSTRAINT {ident(name)} {definition}"
        if kind == "f" or not validated:
            added.append(f"ALTER TABLE {ident(table)} ADD {constraint};")
        else:
            inline[by_name[table]].append(constraint)

    statements = [
        _sequence_create(name, *options, late=late)
        for name, *options in _fetch(cursor, _SEQUENCES, oid)
    ]
    for table_oid, name, persistence, options in table_rows:
        body = ",\n    ".join(columns[table_oid] + inline[table_oid])
        unlogged = "UNLOGGED " if persistence == "u" else ""
        storage = f" WITH ({', '.join(options)})" if options else ""
        statements.append(f"CREATE {unlogged}TABLE {ident(name)} (\n    {body}\n){storage};")
    statements += late
    # Rows go in before the remaining indexes and the foreign keys: an index is then built
    # once, and a deferred foreign key checks the rows as it is added instead of queuing a
    # check per row until the commit (which would also forbid dropping the schema before it).
    indexes_and_keys = []
    for table, unique, definition, index, qualified_table in _fetch(cursor, _INDEXES, oid):
        # pg_get_indexdef() qualifies the table whatever the search_path: put the bare name in.
        prefix = f"CREATE {'UNIQUE ' if unique else ''}INDEX {index} ON {qualified_table} "
        if not definition.startswith(prefix):
            raise SnapshotError(f"Unexpected index definition: {definition!r}")
        indexes_and_keys.append(
            f"{prefix.replace(qualified_table, ident(table))}{definition[len(prefix) :]};"
        )
    indexes_and_keys += added

    source = ident(template)
    copy = [
        f"INSERT INTO {ident(tables[table_oid])} ({', '.join(copied[table_oid])}) "
        f"OVERRIDING SYSTEM VALUE SELECT {', '.join(copied[table_oid])} "
        f"FROM {source}.{ident(tables[table_oid])};"
        for table_oid in _tables_with_rows(cursor, template=template, tables=tables)
    ]
    copy += [
        f"SELECT setval({literal(ident(name))}, last_value, is_called) FROM {source}.{ident(name)};"
        for (name,) in _fetch(cursor, _ALL_SEQUENCES, oid)
    ]
    return "\n".join(statements), copy, "\n".join(indexes_and_keys)


def _identity(
    kind, data_type, sequence, seq_type, start, increment, low, high, cache, cycle, *, late
):
    options = [
        f"SEQUENCE NAME {ident(sequence)}",
        f"START WITH {start}",
        f"INCREMENT BY {increment}",
    ]
    bounds = f"MINVALUE {low} MAXVALUE {high}"
    if seq_type == data_type:
        options.append(bounds)
    else:  # a sequence narrower or wider than its column: only ALTER SEQUENCE can say so
        late.append(f"ALTER SEQUENCE {ident(sequence)} AS {seq_type} {bounds};")
    options += [f"CACHE {cache}", "CYCLE" if cycle else "NO CYCLE"]
    how = "ALWAYS" if kind == "a" else "BY DEFAULT"
    return f" GENERATED {how} AS IDENTITY ({' '.join(options)})"


def _sequence_create(
    name, seq_type, start, increment, low, high, cache, cycle, table, column, *, late
):
    if table is not None:
        late.append(f"ALTER SEQUENCE {ident(name)} OWNED BY {ident(table)}.{ident(column)};")
    return (
        f"CREATE SEQUENCE {ident(name)} AS {seq_type} INCREMENT BY {increment} MINVALUE {low} "
        f"MAXVALUE {high} START WITH {start} CACHE {cache} {'CYCLE' if cycle else 'NO CYCLE'};"
    )


def _tables_with_rows(cursor, *, template: str, tables: dict[int, str]) -> list[int]:
    if not tables:
        return []
    probes = " UNION ALL ".join(
        f"SELECT {table_oid} WHERE EXISTS (SELECT FROM {ident(template)}.{ident(name)})"
        for table_oid, name in tables.items()
    )
    cursor.execute(probes)
    found = {table_oid for (table_oid,) in cursor.fetchall()}
    return [table_oid for table_oid in tables if table_oid in found]


def snapshot_replay(*, sql: str, target: str) -> None:
    """Create schema `target` from a snapshot: two statements, whatever the template's size.

    Runs inside the caller's transaction, so a failure later in it leaves no schema behind;
    the search_path is set for the script only and put back as it was.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("A schema is cloned inside a transaction only (it must roll back).")
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('search_path')")
        (search_path,) = cursor.fetchone()
        # No parameters: the snapshot holds literal '%' characters (LIKE patterns, ...).
        cursor.execute(
            f"CREATE SCHEMA {ident(target)};\n"
            f"SELECT set_config('search_path', {literal(ident(target))}, true);\n"
            f"{sql}\n"
            f"SELECT set_config('search_path', {literal(search_path)}, true);"
        )


def ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _fetch(cursor, sql: str, oid: int) -> list[tuple]:
    cursor.execute(sql, {"oid": oid})
    return [tuple(row) for row in cursor.fetchall()]
