"""The DCAT-AP-NO catalogue for data.norge.no (Turtle and JSON-LD): the catalogue, a dataset per
`measures.open_data.Dataset` with a distribution per format, the publisher and the contact point.
Every property Digdir's SHACL shapes (DCAT-AP-NO v3 core) require is there."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import Promise
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

from drivkraft.core.revision import current_revision
from measures import selectors
from measures.catalogue.common import (
    CATALOGUE_DESCRIPTION,
    CATALOGUE_TITLE,
    CSV,
    FORMATS,
    MEDIA_TYPE,
    absolute_url,
    data_url,
    file_url,
    in_every_language,
    publisher_uri,
)
from measures.open_data import DATASETS
from teams.models import Municipality

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
EU = "http://publications.europa.eu/resource/authority/"
THEME = Namespace(EU + "data-theme/")
FILE_TYPE = Namespace(EU + "file-type/")
LANGUAGE_NOB = URIRef(EU + "language/NOB")
LICENCE = URIRef(EU + "licence/CC_BY_4_0")
PUBLIC = URIRef(EU + "access-right/PUBLIC")
STABLE = URIRef(EU + "planned-availability/STABLE")
THEME_TAXONOMY = URIRef(EU + "data-theme")


def _lang_literals(text: Promise) -> Iterable[Literal]:
    return (Literal(value, lang=language) for language, value in in_every_language(text).items())


def catalogue_graph(request: HttpRequest) -> Graph:
    """The DCAT-AP-NO catalogue: the catalogue, a dataset per `Dataset` with a distribution per
    format, the publisher (Enhetsregisteret) and the contact point, covering the municipalities
    (Kartverket's administrative units)."""
    base = data_url(request)
    graph = Graph()
    graph.bind("dcat", DCAT)
    graph.bind("dct", DCTERMS)
    graph.bind("foaf", FOAF)
    graph.bind("vcard", VCARD)
    graph.bind("dcatap", DCATAP)

    catalogue = URIRef(base + "#katalog")
    publisher = URIRef(publisher_uri(request))
    contact = URIRef(base + "#kontakt")
    homepage = URIRef(absolute_url(request, "measures:home"))
    modified = Literal(current_revision().changed_at.date(), datatype=XSD.date)
    spatial = [
        URIRef(m.administrative_unit_uri)
        for m in Municipality.objects.exclude(number="").order_by("number")
    ]
    programme = selectors.current_programme()

    graph.add((publisher, RDF.type, FOAF.Agent))
    graph.add((publisher, FOAF.name, Literal(settings.OPEN_DATA_PUBLISHER_NAME, lang="nb")))
    if settings.OPEN_DATA_PUBLISHER_ORGNR:
        graph.add((publisher, DCTERMS.identifier, Literal(settings.OPEN_DATA_PUBLISHER_ORGNR)))

    graph.add((contact, RDF.type, VCARD.Organization))
    graph.add((contact, VCARD.fn, Literal(settings.OPEN_DATA_PUBLISHER_NAME, lang="nb")))
    if settings.OPEN_DATA_CONTACT_EMAIL:
        graph.add((contact, VCARD.hasEmail, URIRef(f"mailto:{settings.OPEN_DATA_CONTACT_EMAIL}")))
    # An address to reach someone is required; without a contact setting, the site's own.
    graph.add((contact, VCARD.hasURL, URIRef(settings.OPEN_DATA_CONTACT_URL or homepage)))

    graph.add((catalogue, RDF.type, DCAT.Catalog))
    for literal in _lang_literals(CATALOGUE_TITLE):
        graph.add((catalogue, DCTERMS.title, literal))
    for literal in _lang_literals(CATALOGUE_DESCRIPTION):
        graph.add((catalogue, DCTERMS.description, literal))
    graph.add((catalogue, DCTERMS.publisher, publisher))
    graph.add((catalogue, DCAT.contactPoint, contact))
    graph.add((catalogue, FOAF.homepage, homepage))
    graph.add((catalogue, DCTERMS.license, LICENCE))
    graph.add((catalogue, DCTERMS.language, LANGUAGE_NOB))
    graph.add((catalogue, DCAT.themeTaxonomy, THEME_TAXONOMY))
    graph.add((catalogue, DCTERMS.modified, modified))
    for place in spatial:
        graph.add((catalogue, DCTERMS.spatial, place))

    period = None
    if programme is not None:
        period = URIRef(base + "#periode")
        graph.add((period, RDF.type, DCTERMS.PeriodOfTime))
        graph.add((period, DCAT.startDate, Literal(programme.start, datatype=XSD.date)))
        graph.add((period, DCAT.endDate, Literal(programme.end, datatype=XSD.date)))

    for dataset in DATASETS:
        node = URIRef(f"{base}#{dataset.name}")
        graph.add((catalogue, DCAT.dataset, node))
        graph.add((node, RDF.type, DCAT.Dataset))
        for literal in _lang_literals(dataset.title):
            graph.add((node, DCTERMS.title, literal))
        for literal in _lang_literals(dataset.description):
            graph.add((node, DCTERMS.description, literal))
        for keyword in dataset.keywords:
            for literal in _lang_literals(keyword):
                graph.add((node, DCAT.keyword, literal))
        for theme in dataset.themes:
            graph.add((node, DCAT.theme, THEME[theme]))
        graph.add((node, DCTERMS.publisher, publisher))
        graph.add((node, DCAT.contactPoint, contact))
        graph.add((node, DCTERMS.accessRights, PUBLIC))
        graph.add((node, DCTERMS.language, LANGUAGE_NOB))
        graph.add((node, DCTERMS.modified, modified))
        graph.add((node, DCAT.landingPage, URIRef(base)))
        for place in spatial:
            graph.add((node, DCTERMS.spatial, place))
        if period is not None:
            graph.add((node, DCTERMS.temporal, period))
        for file_format in FORMATS:
            filename = f"{dataset.name}.{file_format.suffix}"
            distribution = URIRef(f"{base}#{dataset.name}-{file_format.suffix}")
            graph.add((node, DCAT.distribution, distribution))
            graph.add((distribution, RDF.type, DCAT.Distribution))
            graph.add((distribution, DCTERMS.title, Literal(filename)))
            for literal in _lang_literals(file_format.label):
                graph.add((distribution, DCTERMS.description, literal))
            graph.add((distribution, DCAT.accessURL, URIRef(base)))
            graph.add((distribution, DCAT.downloadURL, URIRef(file_url(request, filename))))
            graph.add((distribution, DCAT.mediaType, URIRef(MEDIA_TYPE + file_format.media_type)))
            graph.add((distribution, DCTERMS.format, FILE_TYPE[file_format.file_type]))
            graph.add((distribution, DCTERMS.license, LICENCE))
            graph.add((distribution, DCATAP.availability, STABLE))
            schema_file = "datapackage.json" if file_format is CSV else dataset.json_schema_file
            graph.add((distribution, DCTERMS.conformsTo, URIRef(file_url(request, schema_file))))
    return graph
