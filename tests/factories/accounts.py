import factory

from portal.accounts.models import District, Role, User


def district(code: str = "jinshui") -> District:
    """Districts are loaded by a data migration; tests pick them by code."""
    return District.objects.get(code=code)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.Sequence(lambda n: f"测试用户{n}")
    role = Role.ENTERPRISE
    password = factory.django.Password("Test@12345!")

    class Params:
        district_code = None

    @factory.lazy_attribute
    def district(self):
        return District.objects.get(code=self.district_code) if self.district_code else None
