"""The WSGI and ASGI entry points that gunicorn (and an ASGI server) import."""

from __future__ import annotations

import importlib

from django.core.handlers.asgi import ASGIHandler
from django.core.handlers.wsgi import WSGIHandler


def test_the_wsgi_module_offers_a_django_application() -> None:
    module = importlib.import_module("drivkraft.wsgi")

    assert isinstance(module.application, WSGIHandler)


def test_the_asgi_module_offers_a_django_application() -> None:
    module = importlib.import_module("drivkraft.asgi")

    assert isinstance(module.application, ASGIHandler)
