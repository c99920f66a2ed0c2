// question: what one territory is: its parents, its subdivisions, and how many
//   organisations and programmes are there
// parameters: $id (territory id)
// returns: at most one row: props, labels, parents ([{id, code, name, level}], nearest
//   first), children (count of direct subdivisions by level), organisations (located or
//   active in it or inside it), programmes (covering it or a territory containing it)
MATCH (t:Territory {id: $id})
CALL (t) {
  OPTIONAL MATCH path = (t)-[:PART_OF*1..4]->(p:Territory)
  WITH p, min(length(path)) AS hops ORDER BY hops, p.id
  RETURN collect(p {.id, .code, .name, .level}) AS parents
}
CALL (t) {
  OPTIONAL MATCH (c:Territory)-[:PART_OF]->(t)
  WITH c.level AS level, count(c) AS n
  RETURN collect(CASE WHEN level IS NULL THEN null ELSE {level: level, count: n} END)
         AS children
}
CALL (t) {
  OPTIONAL MATCH (o:Organisation)-[:LOCATED_IN|ACTIVE_IN]->(:Territory)-[:PART_OF*0..4]->(t)
  RETURN count(DISTINCT o) AS organisations
}
CALL (t) {
  OPTIONAL MATCH (p:Programme)-[:COVERS]->(:Territory)<-[:PART_OF*0..4]-(t)
  RETURN count(DISTINCT p) AS programmes
}
RETURN properties(t) AS props, labels(t) AS labels, parents, children, organisations,
       programmes
