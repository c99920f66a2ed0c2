"""The schema is the truth: schemathesis, with every one of its checks, finds nothing.

Every operation of the OpenAPI document the app serves is fuzzed (its examples, the
coverage phase's boundary values, then random positive and negative requests) against the
real app and the session's Neo4j holding the fixture graph of tests/api/conftest.py —
a throwaway database, emptied when the file is done. A status, a
content type, a header, a body, a bound or an enum the schema does not declare fails the
operation's test, which prints the request that shows it (a ``curl`` line).

Bounded and reproducible: a fixed seed, derandomised generation, no example database,
12 random examples per operation after the coverage phase's boundary cases (the whole
file takes under a minute on two cores).
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from pydantic import SecretStr
from schemathesis import checks as st_checks

from api.app import create_app
from graph.settings import get_settings
from tests.api.conftest import API_KEY, write_fixture_graph
from tests.conftest import empty_graph

#: Every check schemathesis has, by name. A check added upstream fails
#: :func:`test_every_check_is_chosen` until it is added here (or refused, with why).
CHECKS = (
    # no 5xx, whatever is sent
    "not_a_server_error",
    # the status, its content type, its declared headers and its body are declared
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    # what the schema allows is accepted, what it forbids is refused (4xx)
    "positive_data_acceptance",
    "negative_data_rejection",
    # a missing required header is refused; a declared authentication is enforced
    "missing_required_header",
    "ignored_auth",
    # a method a path does not declare is a 405 with an Allow header
    "unsupported_method",
    "allow_header_conformance",
    # stateful checks (a deleted resource stays deleted, a created one is found, one
    # identity cannot read another's object): they need operations linked by the schema,
    # and this API has none (no resource is created then read by id), so they pass here;
    # listed so that links added later are checked
    "use_after_free",
    "ensure_resource_availability",
    "object_level_authorization",
    # every answer within MAX_RESPONSE_SECONDS
    "max_response_time",
)

#: generous: this is not a benchmark, but a route that hangs must fail (two shared cores)
MAX_RESPONSE_SECONDS = 20

#: 2xx, 3xx and the statuses schemathesis accepts for valid data by default (a valid id
#: that names nothing is a 404, an ambiguous name a 409…)
_ACCEPTED = ["2xx", "3xx", "401", "403", "404", "409", "429", "5xx"]

#: Only where a rule the API documents cannot be written in OpenAPI, the statuses a
#: schema-valid request may still get; each says why. Nothing else is relaxed.
OPERATIONS = [
    # GET /paths: each end is `source` or its alias `from` (`target` or `to`): one of the
    # two is required, and both with different values is a 422 naming the parameter.
    # OpenAPI cannot say "one of these two parameters" (no rule across parameters), so
    # both are optional in the schema and a request with neither is a valid 422.
    {"include-path": "/paths",
     "checks": {"positive_data_acceptance": {"expected-statuses": [*_ACCEPTED, "422"]}}},
    # GET /partners/near: a commune, or both lat and lon, never both; and the commune must
    # read as a commune (`59` is the Nord: 400). Again a rule across parameters (and on
    # what a free text names), documented in the parameters' descriptions: 400.
    {"include-path": "/partners/near",
     "checks": {"positive_data_acceptance": {"expected-statuses": [*_ACCEPTED, "400"]}}},
    # GET /territories/{code}/alliances: a need or a programme, one of the two (a rule
    # across parameters, documented in their descriptions): 400.
    {"include-path": "/territories/{code}/alliances",
     "checks": {"positive_data_acceptance": {"expected-statuses": [*_ACCEPTED, "400"]}}},
    # POST /cypher: any string is a schema-valid query; the console refuses by nature what
    # its guard refuses (400 query_rejected: a write, a forbidden clause or function, a
    # syntax error, 400 result_too_large) and what runs past its time limit (408). No
    # schema can list the queries Neo4j would run read-only.
    {"include-path": "/cypher",
     "checks": {"positive_data_acceptance": {
         "expected-statuses": [*_ACCEPTED, "400", "408"]}}},
    # POST /imports: any file is a schema-valid upload; a file whose rows do not follow
    # the interchange format is rejected with its report (422), by nature. And a rule
    # across parameters (replace_dataset neither with skip_invalid nor with another
    # dataset), documented in their descriptions: 422 too.
    {"include-path": "/imports",
     "checks": {"positive_data_acceptance": {"expected-statuses": [*_ACCEPTED, "422"]}}},
]

CONFIG = schemathesis.Config.from_dict({
    "seed": 14,
    # derandomised (hypothesis's `derandomize`): the same requests on every run and in CI
    "generation": {"max-examples": 12, "deterministic": True,
                   "mode": "all"},  # positive and negative
    "checks": {"max_response_time": MAX_RESPONSE_SECONDS},
    # the imports' key, so that POST /imports is fuzzed past its lock (ignored_auth then
    # checks that it refuses a request without it or with a wrong one)
    "headers": {"X-API-Key": API_KEY},
    "operations": OPERATIONS,
})

#: the app under test: the default settings, with an imports key
APP = create_app(get_settings().model_copy(update={"api_key": SecretStr(API_KEY)}))
schema = schemathesis.openapi.from_dict(APP.openapi(), config=CONFIG)
schema.app = APP  # requests go to the app in process (ASGI), lifespan included


@pytest.fixture(scope="module")
def fuzz_graph(neo4j_driver, neo4j_server):
    """The fixture graph, written once for the whole file (a fresh graph per operation
    would double the file's time): the fuzzed requests only read, but POST /imports,
    which may write a fuzzed file that passes validation (in a fixed order, so a run is
    still the same run)."""
    empty_graph(neo4j_driver, neo4j_server.database)
    write_fixture_graph(neo4j_driver)
    yield neo4j_driver
    empty_graph(neo4j_driver, neo4j_server.database)


def test_every_check_is_chosen():
    """CHECKS is the whole of schemathesis's checks: an upgrade that adds one fails here
    until someone decides about it."""
    st_checks.load_all_checks()
    # max_response_time is the one check outside the registry: it runs when given a limit
    assert set(st_checks.CHECKS.get_all_names()) == set(CHECKS) - {"max_response_time"}


def _check(name: str):
    return getattr(st_checks, name)


@schema.parametrize()
@settings(deadline=None, database=None, derandomize=True, print_blob=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                 HealthCheck.function_scoped_fixture])
def test_schema_is_the_truth(case, fuzz_graph):
    case.call_and_validate(checks=[_check(name) for name in CHECKS])
