"""The new owner's welcome email: queued on commit, sent once, from inside the store's schema."""

from django_tenants.utils import schema_context

from apps.accounts.models import User
from apps.accounts.tasks import welcome_email_send
from tenants import services

Strategy = services.ProvisionStrategy


def _provision(slug: str, owner_email: str):
    return services.store_provision(
        name=f"Shop {slug}",
        slug=slug,
        owner_email=owner_email,
        owner_password="Long-enough-9!",
        strategy=Strategy.CLONE,
    )


def _sent_at(schema_name: str, email: str):
    with schema_context(schema_name):
        return User.objects.get(email=email).welcome_email_sent_at


def test_welcome_email_is_queued_on_commit_and_sent_in_the_store_schema(
    db, mailoutbox, django_capture_on_commit_callbacks
):
    # given: two new stores with the same owner address (two independent accounts)
    with django_capture_on_commit_callbacks(execute=False) as other_callbacks:
        other = _provision("welcome-other", "owner@shared.test")
    # when: the first one's transaction commits
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        store = _provision("welcome-one", "owner@shared.test")
    # then: nothing is sent before the commit
    assert mailoutbox == []
    for callback in callbacks:
        callback()
    # then: one email, to the owner, about this store
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["owner@shared.test"]
    assert message.subject == "Welcome to PyCommerce: Shop welcome-one is open"
    assert message.extra_headers["X-PyCommerce-Store"] == "welcome-one"
    assert "http://welcome-one.localhost/admin/" in message.body
    # and it was marked sent in that store's schema only
    assert _sent_at(store.tenant.schema_name, "owner@shared.test") is not None
    assert _sent_at(other.tenant.schema_name, "owner@shared.test") is None
    assert not User.objects.filter(email="owner@shared.test").exists()  # public schema
    assert len(other_callbacks) == len(callbacks)  # the other store's email is still queued


def test_welcome_email_runs_once(db, mailoutbox, django_capture_on_commit_callbacks):
    # given: a store whose welcome email has gone out
    with django_capture_on_commit_callbacks(execute=True):
        result = _provision("welcome-twice", "boss@twice.test")
    assert len(mailoutbox) == 1
    sent_at = _sent_at(result.tenant.schema_name, "boss@twice.test")
    # when: the task runs again (a retry, a duplicate delivery)
    again = welcome_email_send.apply_async(
        kwargs={"user_id": result.owner_id},
        headers={"_schema_name": result.tenant.schema_name},
    ).get()
    # then: nothing more is sent
    assert again is False
    assert len(mailoutbox) == 1
    assert _sent_at(result.tenant.schema_name, "boss@twice.test") == sent_at
