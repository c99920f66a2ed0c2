// question: which programmes concern a territory — those covering it or a territory
//   containing it (its EPCI, département, région, FR) — grouped by phase and need
// parameters: $territory (territory id)
// returns: one row: territory, scope (the territory and those containing it, nearest
//   first, with their distance), programmes — one per programme: {programme, covers (ids
//   of the scope territories it covers), needs (ids of the needs it addresses)} — and
//   needs (each need addressed, once)
// Cost: the scope is a handful of nodes (PART_OF climbed from the territory, never
// descended from FR); a commune of the benchmark is concerned by ~270 programmes, so each
// programme is one row with its needs as ids, and each need's properties are read once.
OPTIONAL MATCH (t:Territory {id: $territory})
CALL (t) {
  WITH t WHERE t IS NOT NULL
  MATCH up = (t)-[:PART_OF*0..4]->(a:Territory)
  WITH a, min(length(up)) AS distance
  ORDER BY distance, a.id
  RETURN collect({territory: a {.id, .code, .name, .level}, distance: distance}) AS scope,
         collect(a) AS ancestors
}
CALL (ancestors) {
  UNWIND ancestors AS a
  MATCH (p:Programme)-[:COVERS]->(a)
  WITH p, collect(DISTINCT a.id) AS covers
  RETURN collect({programme: p {.id, .name, .phase}, covers: covers,
                  needs: COLLECT { MATCH (p)-[:ADDRESSES]->(n:Need) RETURN DISTINCT n.id }})
           AS programmes,
         collect(p) AS found
}
CALL (found) {
  UNWIND found AS p
  MATCH (p)-[:ADDRESSES]->(n:Need)
  WITH DISTINCT n
  RETURN collect(n {.id, .name, .category, labels: labels(n)}) AS needs
}
RETURN t {.id, .code, .name, .level} AS territory, scope, programmes, needs
