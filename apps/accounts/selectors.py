"""Reads about accounts inside one store."""

from apps.accounts.models import User


def user_get_active(*, user_id: int | str | None) -> User | None:
    if user_id is None:
        return None
    return User.objects.filter(pk=user_id, is_active=True).first()


def user_list_for_password_reset(*, email: str) -> list[User]:
    """Active accounts with this address that can set a password (case-insensitive match)."""
    users = User.objects.filter(email__iexact=email.strip(), is_active=True)
    return [user for user in users if user.has_usable_password()]


def email_is_registered(*, email: str) -> bool:
    return User.objects.filter(email__iexact=email).exists()
