// question: how the elements of a picture are related to each other — the relationships
//   between the organisations, programmes and territories it shows
// parameters: $ids (node ids shown), $as_of (DateTime or null: now)
// returns: one row per relationship from a shown organisation or programme to another
//   shown node: type, source, target
UNWIND $ids AS wanted
CALL (wanted) {
  MATCH (n:Organisation {id: wanted}) RETURN n
  UNION MATCH (n:Programme {id: wanted}) RETURN n
}
MATCH (n)-[r]->(m)
WHERE m.id IN $ids AND {{alive n}} AND {{alive r}} AND {{alive m}}
RETURN DISTINCT type(r) AS type, n.id AS source, m.id AS target
ORDER BY source, type, target
