"""schema.org `DataCatalog` JSON-LD for the data page, for search engines."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from measures.catalogue.common import (
    CATALOGUE_DESCRIPTION,
    CATALOGUE_TITLE,
    CC_BY,
    FORMATS,
    data_url,
    file_url,
    publisher_uri,
)
from measures.open_data import DATASETS
from teams.models import Municipality


def schema_org(request: HttpRequest) -> dict[str, Any]:
    """A schema.org `DataCatalog` of the datasets, in the page's language, for the data page."""
    publisher = {
        "@type": "GovernmentOrganization",
        "@id": publisher_uri(request),
        "name": settings.OPEN_DATA_PUBLISHER_NAME,
    }
    places = [
        {
            "@type": "AdministrativeArea",
            "name": m.name,
            **({"sameAs": m.administrative_unit_uri} if m.number else {}),
        }
        for m in Municipality.objects.order_by("name")
    ]
    return {
        "@context": "https://schema.org",
        "@type": "DataCatalog",
        "@id": data_url(request) + "#katalog",
        "name": str(CATALOGUE_TITLE),
        "description": str(CATALOGUE_DESCRIPTION),
        "url": data_url(request),
        "inLanguage": "nb",
        "license": CC_BY,
        "publisher": publisher,
        "dataset": [
            {
                "@type": "Dataset",
                "@id": f"{data_url(request)}#{dataset.name}",
                "name": str(dataset.title),
                "description": str(dataset.description),
                "url": data_url(request),
                "keywords": [str(k) for k in dataset.keywords],
                "license": CC_BY,
                "isAccessibleForFree": True,
                "inLanguage": "nb",
                "creator": publisher,
                "publisher": publisher,
                "spatialCoverage": places,
                "distribution": [
                    {
                        "@type": "DataDownload",
                        "name": f"{dataset.name}.{file_format.suffix}",
                        "encodingFormat": file_format.media_type,
                        "contentUrl": file_url(request, f"{dataset.name}.{file_format.suffix}"),
                    }
                    for file_format in FORMATS
                ],
            }
            for dataset in DATASETS
        ],
    }
