"""The DCAT-AP-NO catalogue for data.norge.no, read with rdflib: every property that Digdir's SHACL
shapes (DCAT-AP-NO v3 core) require of the catalogue, each dataset, each distribution, the contact
point and the publisher; the same triples in Turtle and JSON-LD. And the schema.org JSON-LD of
the data page."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF

from measures.open_data import DATASETS
from tests.conftest import Portal, parse_tags

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
EU = "http://publications.europa.eu/resource/authority/"
THEMES = {URIRef(f"{EU}data-theme/{code}") for code in ("ECON", "GOVE", "REGI")}
BRREG_PLACEHOLDER = URIRef("https://data.brreg.no/enhetsregisteret/api/enheter/000000000")
IANA = "https://www.iana.org/assignments/media-types/"


def graph_of(client: Client, url: str, content_type: str, fmt: str) -> Graph:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    graph = Graph()
    graph.parse(data=response.content.decode(), format=fmt, publicID="http://testserver/")
    return graph


@pytest.fixture
def turtle(client: Client, portal: Portal) -> Graph:
    return graph_of(client, "/data/katalog.ttl", "text/turtle; charset=utf-8", "turtle")


def one(graph: Graph, subject: Any, predicate: Any) -> Any:
    values = list(graph.objects(subject, predicate))
    assert len(values) == 1, (subject, predicate, values)
    return values[0]


def some(graph: Graph, subject: Any, predicate: Any) -> list[Any]:
    values = list(graph.objects(subject, predicate))
    assert values, (subject, predicate)
    return values


def lang_strings(graph: Graph, subject: Any, predicate: Any) -> dict[str, str]:
    values = some(graph, subject, predicate)
    assert all(isinstance(v, Literal) and v.language for v in values), values
    languages = [v.language for v in values]
    assert len(languages) == len(set(languages)), "one per language"
    return {v.language: str(v) for v in values}


def test_turtle_and_json_ld_hold_the_same_triples(client, portal, turtle):
    json_ld = graph_of(client, "/data/katalog.jsonld", "application/ld+json", "json-ld")

    assert len(turtle) > 100
    assert isomorphic(turtle, json_ld)


def test_the_catalogue(turtle):
    (catalogue,) = turtle.subjects(RDF.type, DCAT.Catalog)

    assert lang_strings(turtle, catalogue, DCTERMS.title) == {
        "nb": "Åpne data fra Program Drivkraft",
        "en": "Open data from the Drivkraft programme",
    }
    assert set(lang_strings(turtle, catalogue, DCTERMS.description)) == {"nb", "en"}
    assert one(turtle, catalogue, DCTERMS.publisher) == BRREG_PLACEHOLDER
    assert some(turtle, catalogue, DCAT.contactPoint)
    assert len(some(turtle, catalogue, DCAT.dataset)) == len(DATASETS)
    assert one(turtle, catalogue, DCTERMS.license) == URIRef(f"{EU}licence/CC_BY_4_0")
    assert one(turtle, catalogue, DCTERMS.language) == URIRef(f"{EU}language/NOB")
    assert one(turtle, catalogue, FOAF.homepage) == URIRef("http://testserver/")
    assert one(turtle, catalogue, DCAT.themeTaxonomy) == URIRef(f"{EU}data-theme")
    assert one(turtle, catalogue, DCTERMS.modified)


def test_each_dataset(turtle):
    datasets = set(turtle.subjects(RDF.type, DCAT.Dataset))
    assert {str(d).rsplit("#", 1)[1] for d in datasets} == {d.name for d in DATASETS}

    for dataset in datasets:
        assert set(lang_strings(turtle, dataset, DCTERMS.title)) == {"nb", "en"}
        assert set(lang_strings(turtle, dataset, DCTERMS.description)) == {"nb", "en"}
        assert some(turtle, dataset, DCAT.contactPoint)
        assert set(some(turtle, dataset, DCAT.theme)) == THEMES
        assert one(turtle, dataset, DCTERMS.publisher) == BRREG_PLACEHOLDER
        assert one(turtle, dataset, DCTERMS.accessRights) == URIRef(f"{EU}access-right/PUBLIC")
        assert len(some(turtle, dataset, DCAT.distribution)) == 2
        assert {v.language for v in some(turtle, dataset, DCAT.keyword)} == {"nb", "en"}
        period = one(turtle, dataset, DCTERMS.temporal)
        assert one(turtle, period, DCAT.startDate)


def test_each_distribution(client, turtle):
    distributions = set(turtle.subjects(RDF.type, DCAT.Distribution))
    assert len(distributions) == 2 * len(DATASETS)

    for distribution in distributions:
        access = one(turtle, distribution, DCAT.accessURL)
        assert isinstance(access, URIRef) and str(access) == "http://testserver/data/"
        download = one(turtle, distribution, DCAT.downloadURL)
        assert isinstance(download, URIRef) and str(download).startswith("http://testserver/")
        media_type = one(turtle, distribution, DCAT.mediaType)
        file_type = one(turtle, distribution, DCTERMS.format)
        suffix = str(download).rsplit(".", 1)[1]
        assert (str(media_type), str(file_type)) == {
            "csv": (f"{IANA}text/csv", f"{EU}file-type/CSV"),
            "json": (f"{IANA}application/json", f"{EU}file-type/JSON"),
        }[suffix]
        assert one(turtle, distribution, DCTERMS.license) == URIRef(f"{EU}licence/CC_BY_4_0")
        assert set(lang_strings(turtle, distribution, DCTERMS.description)) == {"nb", "en"}
        # Every download address answers, with the declared type.
        response = client.get(str(download).removeprefix("http://testserver"))
        assert response.status_code == 200
        assert response["Content-Type"].split(";")[0] == str(media_type).removeprefix(IANA)


def test_the_contact_point_and_the_publisher(turtle):
    (catalogue,) = turtle.subjects(RDF.type, DCAT.Catalog)
    contact = one(turtle, catalogue, DCAT.contactPoint)
    assert (contact, RDF.type, VCARD.Organization) in turtle
    assert one(turtle, contact, VCARD.fn)
    emails = list(turtle.objects(contact, VCARD.hasEmail))
    urls = list(turtle.objects(contact, VCARD.hasURL))
    assert emails or urls
    assert emails == [URIRef("mailto:apne-data@example.org")]

    publisher = one(turtle, catalogue, DCTERMS.publisher)
    assert (publisher, RDF.type, FOAF.Agent) in turtle
    assert str(one(turtle, publisher, FOAF.name)) == "Hålogalandsrådet"
    assert str(one(turtle, publisher, DCTERMS.identifier)) == "000000000"


def test_the_municipalities_are_the_spatial_coverage(turtle, portal):
    portal.harstad.number = "5503"
    portal.harstad.save()  # renews the content revision
    (catalogue,) = turtle.subjects(RDF.type, DCAT.Catalog)
    assert list(turtle.objects(catalogue, DCTERMS.spatial)) == []  # none had a number yet


def test_spatial_coverage_uses_kartverkets_units(client, portal):
    for municipality, number in [(portal.harstad, "5503"), (portal.narvik, "1806")]:
        municipality.number = number
        municipality.save()
    graph = graph_of(client, "/data/katalog.ttl", "text/turtle; charset=utf-8", "turtle")
    (catalogue,) = graph.subjects(RDF.type, DCAT.Catalog)

    assert set(graph.objects(catalogue, DCTERMS.spatial)) == {
        URIRef("https://data.geonorge.no/administrativeEnheter/kommune/id/5503"),
        URIRef("https://data.geonorge.no/administrativeEnheter/kommune/id/1806"),
    }
    for dataset in graph.subjects(RDF.type, DCAT.Dataset):
        assert len(list(graph.objects(dataset, DCTERMS.spatial))) == 2


def test_without_an_organisation_number_no_number_is_made_up(client, portal, settings):
    settings.OPEN_DATA_PUBLISHER_ORGNR = ""
    settings.OPEN_DATA_CONTACT_EMAIL = ""
    graph = graph_of(client, "/data/katalog.ttl", "text/turtle; charset=utf-8", "turtle")
    (catalogue,) = graph.subjects(RDF.type, DCAT.Catalog)

    publisher = one(graph, catalogue, DCTERMS.publisher)
    assert publisher == URIRef("http://testserver/data/#utgiver")
    assert list(graph.objects(publisher, DCTERMS.identifier)) == []
    contact = one(graph, catalogue, DCAT.contactPoint)
    assert list(graph.objects(contact, VCARD.hasURL)) == [URIRef("http://testserver/")]
    assert "brreg" not in client.get("/data/datapackage.json").content.decode()


def test_the_identifiers_do_not_depend_on_the_language(client, portal, turtle):
    english = graph_of(client, "/en/data/katalog.ttl", "text/turtle; charset=utf-8", "turtle")

    assert isomorphic(turtle, english)


# --- schema.org on the data page ------------------------------------------------------------


def json_ld_blocks(html: str) -> list[dict[str, Any]]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(block) for block in blocks]


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_data_page_describes_the_datasets_for_search_engines(client, portal, prefix):
    portal.harstad.number = "5503"
    portal.harstad.save()
    html = client.get(f"{prefix}/data/").content.decode()

    (catalogue,) = json_ld_blocks(html)
    assert catalogue["@context"] == "https://schema.org"
    assert catalogue["@type"] == "DataCatalog"
    assert len(catalogue["dataset"]) == len(DATASETS)
    for dataset in catalogue["dataset"]:
        assert dataset["@type"] == "Dataset"
        assert dataset["name"] and dataset["description"]
        assert dataset["license"] == "https://creativecommons.org/licenses/by/4.0/"
        assert dataset["creator"]["name"] == dataset["publisher"]["name"] == "Hålogalandsrådet"
        assert {d["encodingFormat"] for d in dataset["distribution"]} == {
            "text/csv",
            "application/json",
        }
        for download in dataset["distribution"]:
            assert download["@type"] == "DataDownload"
            assert client.get(download["contentUrl"]).status_code == 200
        harstad = next(p for p in dataset["spatialCoverage"] if p["name"] == "Harstad")
        assert harstad["sameAs"].endswith("/kommune/id/5503")


def test_the_json_ld_block_cannot_end_its_element(client, portal):
    portal.harstad.name = "</script><script>alert(1)</script>"
    portal.harstad.save()
    html = client.get("/data/").content.decode()

    scripts = [attrs for tag, attrs in parse_tags(html) if tag == "script"]
    assert [a.get("type") for a in scripts if not a.get("src")] == ["application/ld+json"]
    assert json_ld_blocks(html)
