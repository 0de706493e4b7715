from __future__ import annotations

import factory

from participation.models import PublicInput
from tests.measures.factories import MeasureFactory


class PublicInputFactory(factory.django.DjangoModelFactory[PublicInput]):
    class Meta:
        model = PublicInput

    measure = factory.SubFactory(MeasureFactory)
    text = factory.Sequence(lambda n: f"Et innspill nummer {n}.")
    name = "Ola Innbygger"
    email = "ola@example.org"
    consent = True
