// question: where an element is: the territories it is located in, active in or covers
// parameters: $id (element id), $limit (territories kept per relationship type), $as_of
//   (DateTime or null: now)
// returns: one row per relationship type the element has: relation (LOCATED_IN,
//   ACTIVE_IN, COVERS), total, ids (the first $limit, smallest territory first, by name)
// Only organisations (LOCATED_IN, ACTIVE_IN) and programmes (COVERS) have places; one
// MATCH each, on its uniqueness constraint.
CALL () {
  MATCH (n:Organisation {id: $id}) RETURN n
  UNION MATCH (n:Programme {id: $id}) RETURN n
}
MATCH (n)-[r:LOCATED_IN|ACTIVE_IN|COVERS]->(t:Territory)
WHERE {{alive n}} AND {{alive r}} AND {{alive t}}
WITH type(r) AS relation, t,
     CASE t.level WHEN 'commune' THEN 0 WHEN 'epci' THEN 1 WHEN 'departement' THEN 2
                  WHEN 'region' THEN 3 ELSE 4 END AS size
ORDER BY relation, size, t.name
WITH relation, collect(DISTINCT t.id) AS ids
RETURN relation, size(ids) AS total, ids[..$limit] AS ids
ORDER BY CASE relation WHEN 'LOCATED_IN' THEN 0 WHEN 'ACTIVE_IN' THEN 1 ELSE 2 END
