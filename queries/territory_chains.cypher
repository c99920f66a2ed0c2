// question: where each territory sits: the territories containing it, level by level up
//   to France (commune ⊂ EPCI ⊂ département ⊂ région ⊂ France)
// parameters: $ids (territory ids), $as_of (DateTime or null: now)
// returns: one row per id found: territory {id, code, name, level}, epcis, departements,
//   regions, countries (each a list of {id, code, name, level}, by name)
// A commune's département is its own (its direct PART_OF), never one its EPCI also spans;
// an EPCI spanning several départements has them all.
UNWIND $ids AS wanted
MATCH (t:Territory {id: wanted})
WHERE {{alive t}}
CALL (t) {
  OPTIONAL MATCH (t)-[r:PART_OF]->(e:Epci)
  WHERE {{alive r}} AND {{alive e}}
  WITH e ORDER BY e.name
  RETURN collect(DISTINCT e) AS epcis
}
CALL (t) {
  OPTIONAL MATCH (t)-[r:PART_OF]->(d:Departement)
  WHERE {{alive r}} AND {{alive d}}
  WITH d ORDER BY d.code
  RETURN collect(DISTINCT d) AS departements
}
CALL (t, departements) {
  UNWIND CASE WHEN t:Departement THEN [t] ELSE departements END AS d
  MATCH (d)-[r:PART_OF]->(g:Region)
  WHERE {{alive r}} AND {{alive g}}
  WITH DISTINCT g ORDER BY g.name
  RETURN collect(g) AS regions
}
CALL (t) {
  OPTIONAL MATCH up = (t)-[:PART_OF*1..4]->(c:Country)
  WHERE {{alive_path up}}
  RETURN collect(DISTINCT c) AS countries
}
RETURN wanted AS id, t {.id, .code, .name, .level} AS territory,
       [x IN epcis | x {.id, .code, .name, .level}] AS epcis,
       [x IN departements | x {.id, .code, .name, .level}] AS departements,
       [x IN regions | x {.id, .code, .name, .level}] AS regions,
       [x IN countries | x {.id, .code, .name, .level}] AS countries
