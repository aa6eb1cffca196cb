from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView


class StoreProfileView(APIView):
    permission_classes = [AllowAny]

    def get(self, request: Request) -> Response:
        store = request.tenant
        return Response(
            {
                "name": store.name,
                "slug": store.slug,
                "currency": store.currency,
                "language": store.language,
            }
        )
