"""A store made from the template (cloned, or renamed from the pool) is the same, catalog for
catalog, as one built by replaying every migration."""

from tenants import services
from tests.tenants.schema_catalog import schema_shape

Strategy = services.ProvisionStrategy


def _store(slug: str, strategy: services.ProvisionStrategy) -> str:
    result = services.store_provision(
        name=slug,
        slug=slug,
        owner_email=f"owner@{slug}.test",
        owner_password="Long-enough-9!",
        strategy=strategy,
    )
    assert result.strategy is strategy
    return result.tenant.schema_name


def test_cloned_and_pool_taken_schemas_equal_a_migrated_one(db):
    # given: one store per way of making its schema (each with its owner account)
    migrated = _store("by-migrations", Strategy.MIGRATE)
    cloned = _store("by-clone", Strategy.CLONE)
    services.pool_fill(size=1)
    pooled = _store("by-pool", Strategy.POOL)
    # when
    expected = schema_shape(migrated)
    # then: the comparison has something to compare ...
    assert ("accounts_user", "r", "p") in [row[:3] for row in expected["tables"]]
    assert len(expected["tables"]) >= 10
    assert {"p", "f", "u"} <= {row[2] for row in expected["constraints"]}
    assert any(row[8] == "i" for row in expected["sequences"])  # identity sequences
    assert ("accounts", "0001_initial") in expected["migrations"]
    assert expected["permissions"]
    # ... and finds no difference, section by section
    for name, candidate in (("cloned", cloned), ("pool-taken", pooled)):
        shape = schema_shape(candidate)
        for section, rows in expected.items():
            assert shape[section] == rows, f"{name} schema differs in {section}"
