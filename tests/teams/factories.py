"""Factories for the teams app (and the login a person may have)."""

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User

from teams.models import (
    Body,
    BodyKind,
    Membership,
    Municipality,
    Organisation,
    OrganisationKind,
    Person,
    Region,
)


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"bruker{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password("passord-for-test")


class MunicipalityFactory(factory.django.DjangoModelFactory[Municipality]):
    class Meta:
        model = Municipality

    name = factory.Sequence(lambda n: f"Kommune {n}")
    slug = factory.Sequence(lambda n: f"kommune-{n}")
    region = Region.SOR_TROMS
    joined = dt.date(2024, 1, 1)


class OrganisationFactory(factory.django.DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisasjon {n}")
    slug = factory.Sequence(lambda n: f"organisasjon-{n}")
    kind = OrganisationKind.REGIONAL_COUNCIL


class PersonFactory(factory.django.DjangoModelFactory[Person]):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Person Nummer{n}")
    title = "Rådgiver"
    organisation = factory.SubFactory(OrganisationFactory)


class BodyFactory(factory.django.DjangoModelFactory[Body]):
    class Meta:
        model = Body
        # `kind` is unique: one body of each kind.
        django_get_or_create = ["kind"]

    name = factory.LazyAttribute(lambda o: BodyKind(o.kind).label)
    slug = factory.Sequence(lambda n: f"organ-{n}")
    kind = factory.Iterator(BodyKind.values)


class MembershipFactory(factory.django.DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    person = factory.SubFactory(PersonFactory)
    body = factory.SubFactory(BodyFactory)
    role = "Medlem"
    start = dt.date(2024, 1, 1)
    end = None
