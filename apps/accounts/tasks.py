from celery import shared_task

from apps.accounts import services


@shared_task
def welcome_email_send(*, user_id: int) -> bool:
    """Runs in the store's schema (the task carries it); safe to run twice."""
    return services.welcome_email_send(user_id=user_id)
