"""The descriptions of the open data, all made from `measures.open_data.DATASETS`:

- `data_package`, `json_schema` (`package`): a Frictionless Data Package with a Table Schema per
  CSV file, and the JSON Schema of each JSON file;
- `catalogue_graph` (`dcat`): the DCAT-AP-NO catalogue for data.norge.no;
- `schema_org` (`schema_org`): schema.org JSON-LD for the data page.

Every address in them is absolute and in the default language: a harvester gets the same
identifiers whichever page it started from.
"""

from measures.catalogue.dcat import catalogue_graph
from measures.catalogue.package import data_package, json_schema, table_schema
from measures.catalogue.schema_org import schema_org

__all__ = ["catalogue_graph", "data_package", "json_schema", "schema_org", "table_schema"]
