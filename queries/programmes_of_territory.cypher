// question: which programmes concern a territory — those covering it or a territory
//   containing it (its EPCI, département, région, FR) — grouped by phase and need
// parameters: $territory (territory id)
// returns: one row: territory, scope (the territory and those containing it, nearest
//   first, with their distance) and rows — one per programme × covered scope territory ×
//   need addressed (need null when the programme addresses none)
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
  OPTIONAL MATCH (p)-[:ADDRESSES]->(n:Need)
  RETURN collect({programme: p {.id, .name, .phase}, covers: a.id,
                  need: n {.id, .name, .category, labels: labels(n)}}) AS rows
}
RETURN t {.id, .code, .name, .level} AS territory, scope, rows
