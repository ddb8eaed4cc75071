from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.accounts import tokens as token_service
from portal.accounts.models import ApiToken
from portal.core.errors import PermissionRefused
from portal.core.net import client_ip


class MeOutputSerializer(serializers.Serializer):
    username = serializers.CharField()
    name = serializers.CharField()
    role = serializers.CharField()
    role_label = serializers.CharField(source="get_role_display")
    district = serializers.CharField(source="district.name", default=None, allow_null=True)
    office = serializers.CharField(source="office_name")


class MeApi(APIView):
    """The logged-in user, its role and its scope."""

    @extend_schema(responses=MeOutputSerializer)
    def get(self, request):
        return Response(MeOutputSerializer(request.user).data)


class TokenOutputSerializer(serializers.ModelSerializer):
    state = serializers.CharField(source="state_label")

    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at",
                  "state"]  # fmt: skip


class TokenIssuedSerializer(TokenOutputSerializer):
    key = serializers.CharField(help_text="令牌本身，只返回这一次")

    class Meta(TokenOutputSerializer.Meta):
        fields = [*TokenOutputSerializer.Meta.fields, "key"]


class TokenInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=60, help_text="用途，如“统计系统对接”")
    days = serializers.IntegerField(min_value=1, help_text="有效期（天），不超过平台上限")


class TokenListCreateApi(generics.ListAPIView):
    """The caller's own API tokens; POST issues one (from a logged-in session only: staff must
    have passed the second factor; a token cannot issue tokens)."""

    serializer_class = TokenOutputSerializer
    queryset = ApiToken.objects.none()  # for the schema; the real one is the caller's

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return token_service.api_token_list(self.request.user)

    @extend_schema(
        request=TokenInputSerializer,
        responses={
            201: TokenIssuedSerializer,
            400: OpenApiResponse(description='校验失败：{"errors": {"字段": "中文说明"}}'),
            403: OpenApiResponse(description="未完成二次验证，或以令牌身份请求签发令牌"),
        },
    )
    def post(self, request):
        if isinstance(request.auth, ApiToken):
            raise PermissionRefused("接口令牌不能签发新令牌，请在网页登录后签发。")
        serializer = TokenInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token, key = token_service.api_token_issue(
            user=request.user,
            verified=request.user.is_verified(),
            ip=client_ip(request._request),
            **serializer.validated_data,
        )
        token.key = key
        return Response(TokenIssuedSerializer(token).data, status=status.HTTP_201_CREATED)


class TokenRevokeApi(APIView):
    """Revoke one of the caller's tokens (another's id answers 404)."""

    @extend_schema(responses={204: None, 404: OpenApiResponse(description="不存在或不是您的令牌")})
    def delete(self, request, token_id: int):
        token_service.api_token_revoke(
            owner=request.user, token_id=token_id, ip=client_ip(request._request)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
