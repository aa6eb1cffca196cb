"""A request's body checked by a serializer: the one way API views read their input (a bad
field is the shared 400 error shape, apps.core.api.exceptions)."""

from rest_framework.request import Request


def validated_input(serializer_class, request: Request, *, partial: bool = False) -> dict:
    data = serializer_class(data=request.data, partial=partial)
    data.is_valid(raise_exception=True)
    return dict(data.validated_data)
