"""The console's guard alone (api/console_guard.py): pure functions, no server.

Every attack is refused with a reason and every legitimate read passes, with the text that
runs (comments replaced by spaces). tests/api/test_console.py posts the same lists to the
real route against the real Neo4j.
"""

from __future__ import annotations

import pytest

from api.console_guard import (
    MAX_QUERY_CHARS,
    RefusedQuery,
    check_parameters,
    check_query,
    tokenize,
)

ATTACKS = [
    # writes, in every case and hidden behind comments
    "CREATE (n:Pwned)",
    "MATCH (n) CREATE (m:Pwned)",
    "MATCH (n) cReAtE (m:Pwned)",
    "MATCH (n) create (m:Pwned)",
    "MATCH (n) /* innocent */ DELETE n",
    "MATCH (n) //\nDETACH DELETE n",
    "MATCH (n) DETACH/**/DELETE n",
    "MATCH (n) NODETACH DELETE n",
    "MATCH (n) SET n.pwned = true",
    "MATCH (n) REMOVE n.name",
    "MATCH (n:Organisation) MERGE (m:Pwned {id: n.id})",
    "MATCH (n) INSERT (m:Pwned)",
    "MATCH (n) FOREACH (x IN [1] | CREATE (:Pwned))",
    "CALL { CREATE (:Pwned) } RETURN 1",
    "UNWIND [1] AS x CALL (x) { CREATE (:Pwned) } IN TRANSACTIONS RETURN x",
    "MATCH (n) WITH n CALL { WITH n SET n.x = 1 } RETURN n",
    # loading files and URLs
    "LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line",
    "RETURN 1 AS x LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line",
    "WITH 1 AS x LoAd CsV FROM 'http://127.0.0.1:1/' AS line RETURN line",
    # procedures outside the list, plain or backticked
    "CALL db.createLabel('Pwned')",
    "CALL db.createProperty('pwned')",
    "CALL `db`.`createLabel`('Pwned')",
    "CALL dbms.components()",
    "CALL dbms.listConfig()",
    "CALL dbms.security.createUser('x', 'y', false)",
    "CALL db.clearQueryCaches()",
    "CALL apoc.create.node(['Pwned'], {})",
    "RETURN apoc.cypher.runFirstColumnSingle('CREATE (:Pwned)', {})",
    "RETURN `apoc`.`version`()",
    # second statements, prefixes, admin
    "MATCH (n) RETURN n; CREATE (:Pwned)",
    "MATCH (n) RETURN n ;",
    "EXPLAIN MATCH (n) RETURN n",
    "PROFILE MATCH (n) RETURN n",
    "CYPHER runtime=slotted MATCH (n) RETURN n",
    "USE system SHOW USERS",
    "SHOW DATABASES",
    "TERMINATE TRANSACTIONS 'neo4j-transaction-1'",
    "DROP INDEX names",
    "DROP CONSTRAINT organisation_id_unique",
    "CREATE INDEX pwned FOR (n:Organisation) ON (n.pwned)",
    "ALTER USER neo4j SET PASSWORD 'x'",
    "GRANT ROLE admin TO neo4j",
    "MATCH (n) USING PERIODIC COMMIT RETURN n",
    # Unicode look-alikes and invisible characters
    "MATCH (n) \uff23\uff32\uff25\uff21\uff34\uff25 (m:Pwned)",  # full-width CREATE
    "MATCH (n) RETURN n\u200b",  # zero-width space
    "MATCH (n)\u00a0RETURN n",  # no-break space
    "MATCH (n) RETURN \u2018x\u2019",  # curly quotes
    "MATCH (n) RETURN 'x\uff07 CREATE (:Pwned) //",  # full-width apostrophe
    "MATCH (n) RETURN n \u037e CREATE (:Pwned)",  # Greek question mark, looks like ';'
    "MATCH (n) RETURN n \ufe54 CREATE (:Pwned)",  # small semicolon
    # quoting tricks
    "MATCH (n) RETURN 'unclosed",
    "MATCH (n) RETURN \"unclosed",
    "MATCH (n) RETURN `unclosed",
    "MATCH (n) RETURN `a``b`",
    "MATCH (n) /* unclosed comment",
    "MATCH (n) RETURN 1CREATE (:Pwned)",
    "MATCH (n) RETURN 1. CREATE (:Pwned)",
    "MATCH (n) WITH n.name AS set RETURN set",  # reserved words stay reserved as names
    # not a query
    "",
    "   ",
    "// only a comment",
]

LEGIT = [
    "MATCH (o:Organisation) RETURN o.id AS id ORDER BY id",
    "MATCH (o:Organisation)-[:CARRIES|OPERATES]->(p:Programme {phase: $phase}) "
    "RETURN o.name AS org, p.start AS start",
    "CALL db.index.fulltext.queryNodes('names', 'rameau') YIELD node, score "
    "RETURN node.id AS id",
    "CALL db.labels() YIELD label RETURN label ORDER BY label",
    "MATCH (c:Commune {code: '59512'}) "
    "RETURN point.distance(c.location, point({latitude: 50.63, longitude: 3.06})) AS d",
    "MATCH p = (:Organisation {id: 'org:le-rameau'})-[:CARRIES]->() RETURN p",
    "OPTIONAL MATCH (n:Nothing) RETURN n // a trailing comment with CREATE in it",
    "MATCH (n:Need) WHERE NOT EXISTS { (n)<-[:ADDRESSES]-() } RETURN n.id AS gap",
    "UNWIND range(1, 3) AS x RETURN x UNION RETURN 4 AS x",
    "MATCH (n) RETURN 'CREATE (x); DELETE n' AS text LIMIT 1",
    "MATCH (p:Programme) RETURN p.start, p.`end`, p.set, [x IN [p] | x.delete] AS d",
]



@pytest.mark.parametrize("query", ATTACKS)
def test_attacks_are_refused_with_a_reason(query):
    with pytest.raises(RefusedQuery) as refused:
        check_query(query)
    assert refused.value.reason and str(refused.value) == refused.value.reason


@pytest.mark.parametrize("query", LEGIT)
def test_legit_reads_pass(query):
    assert check_query(query)


def test_the_text_that_runs_has_no_comment():
    text = check_query("MATCH (n) /* CREATE */ RETURN n // DELETE n")
    assert text == "MATCH (n)   RETURN n"
    assert "CREATE" not in text and "DELETE" not in text


def test_strings_keep_their_content():
    tokens, text = tokenize("RETURN 'a /* b */ ; CREATE' AS s")
    assert [t.kind for t in tokens] == ["word", "string", "word", "word"]
    assert text == "RETURN 'a /* b */ ; CREATE' AS s"


@pytest.mark.parametrize("query, reason", [
    ("MATCH (n) \uff23\uff32\uff25\uff21\uff34\uff25 (m)", "FULLWIDTH LATIN CAPITAL LETTER C"),
    ("MATCH (n) RETURN n; CREATE (m)", "one statement only"),
    ("MATCH (n) DETACH DELETE n", "DETACH is not allowed"),
    ("CALL dbms.components()", "procedure 'dbms.components' is not allowed"),
    ("RETURN apoc.version()", "function 'apoc.version' is not allowed"),
    ("RETURN `apoc`.`version`()", "(a quoted name)"),
    ("LOAD CSV FROM 'file:///etc/passwd' AS l RETURN l", "starts with MATCH"),
    ("RETURN reduce(s = 0, x IN [1] | s + x) AS s", "reduce()"),
    ("RETURN range(1, 1000000) AS l", "range()"),
    ("RETURN range(1, $n) AS l", "range()"),
    ("RETURN range(5, 1, 0) AS l", "range()"),
    ("RETURN 1" + " " * MAX_QUERY_CHARS, f"longer than {MAX_QUERY_CHARS}"),
])
def test_the_reason_names_what_is_refused(query, reason):
    with pytest.raises(RefusedQuery) as refused:
        check_query(query)
    assert reason in refused.value.reason


@pytest.mark.parametrize("query", [
    "UNWIND range(1, 100000) AS i RETURN count(*) AS n",
    "RETURN range(10, 0, -5) AS l",
    "RETURN range(-3, -1) AS l",
    "MATCH (n) RETURN n.range AS range LIMIT 0",
])
def test_small_literal_ranges_pass(query):
    assert check_query(query)


def test_parameter_names_must_be_plain():
    assert check_parameters({"phase": "relance", "_x1": 1}) == {"phase": "relance", "_x1": 1}
    with pytest.raises(RefusedQuery, match="not a plain name"):
        check_parameters({"a}) CREATE (": 1})
