from celery import shared_task

from apps.accounts import services


@shared_task
def welcome_email_send(*, user_id: int) -> bool:
    """Runs in the store's schema (the task carries it); safe to run twice."""
    return services.welcome_email_send(user_id=user_id)


@shared_task
def password_reset_email_send(*, user_id: int, scheme: str = "", port: str | None = None) -> bool:
    """Runs in the store's schema; a second run sends a second, equally valid link."""
    return services.password_reset_email_send(user_id=user_id, scheme=scheme, port=port)
