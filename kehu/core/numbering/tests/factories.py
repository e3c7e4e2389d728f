import factory

from kehu.core.numbering.models import NumberPattern


class NumberPatternFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NumberPattern
        django_get_or_create = ("form_type",)

    form_type = factory.Sequence(lambda n: f"tests.form{n}")
    name = factory.Sequence(lambda n: f"Test form {n}")
    prefix = "PI"
    date_format = "YYYYMMDD"
    infix = "A"
    width = 4
    reset_period = "daily"
