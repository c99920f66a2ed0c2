// question: which needs of a territory does no programme covering it address ("les trous
//   dans la raquette") — the needs expressed there (by organisations located or active in
//   it or inside it), or all known needs
// parameters: $territory (territory id), $scope ('expressed' or 'all')
// returns: one row: territory and needs [{need {id, name, category}, expressed_by (number of
//   organisations of the territory expressing it), covered (a programme covering the
//   territory or a territory containing it addresses it)}]
OPTIONAL MATCH (t:Territory {id: $territory})
CALL (t) {
  WITH t WHERE t IS NOT NULL
  OPTIONAL MATCH (n:Need)<-[:EXPRESSES]-(o:Organisation)-[:LOCATED_IN|ACTIVE_IN]->
                 (:Territory)-[:PART_OF*0..4]->(t)
  WITH n, count(DISTINCT o) AS expressed_by WHERE n IS NOT NULL
  RETURN collect({id: n.id, expressed_by: expressed_by}) AS expressed
}
CALL (t) {
  WITH t WHERE t IS NOT NULL
  OPTIONAL MATCH (t)-[:PART_OF*0..4]->(:Territory)<-[:COVERS]-(:Programme)-[:ADDRESSES]->
                 (n:Need)
  RETURN collect(DISTINCT n.id) AS covered
}
CALL (t, expressed) {
  WITH t, expressed WHERE t IS NOT NULL
  // 40-odd needs: reading them all is cheaper than a second traversal
  MATCH (n:Need)
  WHERE $scope = 'all' OR n.id IN [e IN expressed | e.id]
  WITH n ORDER BY n.name, n.id
  RETURN collect(n {.id, .name, .category}) AS needs
}
RETURN t {.id, .code, .name, .level} AS territory,
       [x IN needs | {need: x,
                      expressed_by: coalesce(head([e IN expressed WHERE e.id = x.id |
                                                   e.expressed_by]), 0),
                      covered: x.id IN covered}] AS needs
