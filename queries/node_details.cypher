// question: what a picture shows of each node besides its name: kind, source, where it is
// parameters: $ids (list of node ids), $as_of (DateTime or null: now)
// returns: one row per id found: id, name, labels, kind (organisation kind, programme phase
//   or need category), source, place (its commune, or the territories it is active in or
//   covers, or for a territory its level), group (its département's name, for grouping past
//   a cap), lat, lon (own location, else its commune's)
// The département is the commune's own (its direct PART_OF to a Departement), never one
// reached through its EPCI, which may span several.
UNWIND $ids AS wanted
CALL (wanted) {
  MATCH (n:Organisation {id: wanted}) RETURN n
  UNION MATCH (n:Programme {id: wanted}) RETURN n
  UNION MATCH (n:Need {id: wanted}) RETURN n
  UNION MATCH (n:DialogueSpace {id: wanted}) RETURN n
  UNION MATCH (n:Deliverable {id: wanted}) RETURN n
  UNION MATCH (n:Study {id: wanted}) RETURN n
  UNION MATCH (n:Event {id: wanted}) RETURN n
  UNION MATCH (n:Person {id: wanted}) RETURN n
  UNION MATCH (n:Territory {id: wanted}) RETURN n
}
WITH DISTINCT n
WHERE {{alive n}}
OPTIONAL MATCH (n)-[l:LOCATED_IN]->(c:Commune)
WHERE {{alive l}} AND {{alive c}}
WITH n, head(collect(c)) AS c
OPTIONAL MATCH (n)-[a:ACTIVE_IN|COVERS]->(t:Territory)
WHERE {{alive a}} AND {{alive t}}
WITH n, c, collect(DISTINCT t.name) AS places
WITH n, c, places, CASE WHEN n:Commune THEN n ELSE c END AS home
OPTIONAL MATCH (home)-[h:PART_OF]->(d:Departement)
WHERE {{alive h}} AND {{alive d}}
WITH n, c, places, head(collect(d.name)) AS departement
RETURN n.id AS id, n.name AS name, labels(n) AS labels,
       coalesce(n.kind, n.phase, n.category) AS kind, n.source AS source,
       CASE WHEN n:Territory THEN n.level
            WHEN c IS NOT NULL THEN c.name
            ELSE reduce(s = '', p IN places[..3] | s + CASE s WHEN '' THEN '' ELSE ', ' END + p)
       END AS place,
       CASE WHEN n:Departement THEN n.name ELSE departement END AS grp,
       coalesce(n.location, c.location).latitude AS lat,
       coalesce(n.location, c.location).longitude AS lon
