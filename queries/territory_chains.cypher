// question: where each territory sits: the territories containing it, level by level up
//   to France (commune ⊂ EPCI ⊂ département ⊂ région ⊂ France)
// parameters: $ids (territory ids)
// returns: one row per id found: territory {id, code, name, level}, epcis, departements,
//   regions, countries (each a list of {id, code, name, level}, by name)
// A commune's département is its own (its direct PART_OF), never one its EPCI also spans;
// an EPCI spanning several départements has them all.
UNWIND $ids AS wanted
MATCH (t:Territory {id: wanted})
CALL (t) {
  OPTIONAL MATCH (t)-[:PART_OF]->(e:Epci)
  WITH e ORDER BY e.name
  RETURN collect(DISTINCT e) AS epcis
}
CALL (t) {
  OPTIONAL MATCH (t)-[:PART_OF]->(d:Departement)
  WITH d ORDER BY d.code
  RETURN collect(DISTINCT d) AS departements
}
CALL (t, departements) {
  UNWIND CASE WHEN t:Departement THEN [t] ELSE departements END AS d
  MATCH (d)-[:PART_OF]->(r:Region)
  WITH DISTINCT r ORDER BY r.name
  RETURN collect(r) AS regions
}
CALL (t) {
  OPTIONAL MATCH (t)-[:PART_OF*1..4]->(c:Country)
  RETURN collect(DISTINCT c) AS countries
}
RETURN wanted AS id, t {.id, .code, .name, .level} AS territory,
       [x IN epcis | x {.id, .code, .name, .level}] AS epcis,
       [x IN departements | x {.id, .code, .name, .level}] AS departements,
       [x IN regions | x {.id, .code, .name, .level}] AS regions,
       [x IN countries | x {.id, .code, .name, .level}] AS countries
