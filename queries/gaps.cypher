// question: which needs of a territory does no programme covering it address ("les trous
//   dans la raquette") — the needs expressed there (by organisations located or active in
//   it or inside it), or all known needs
// parameters: $territory (territory id), $scope ('expressed' or 'all'), $as_of (DateTime or
//   null: now)
// returns: one row: territory and needs [{need {id, name, category}, expressed_by (number of
//   organisations of the territory expressing it), covered (a programme covering the
//   territory or a territory containing it whole addresses it), partial (for an EPCI
//   spanning several départements or régions: [{programme {id, name, phase}, territory,
//   communes_covered, communes_total}] addressing it on one of them only; they do not
//   make it covered)}]
// Containment, both ways: a PART_OF path never passes through an EPCI (an EPCI may only be
// its first or last node). A commune is covered by programmes on itself, its EPCI, its
// own département, its région and FR, never by another département its EPCI touches; an
// organisation located in Marseille is in the Bouches-du-Rhône, not in the Var.
OPTIONAL MATCH (t:Territory {id: $territory}) WHERE {{alive t}}
CALL (t) {
  WITH t WHERE t IS NOT NULL
  OPTIONAL MATCH (n:Need)<-[e:EXPRESSES]-(o:Organisation)-[l:LOCATED_IN|ACTIVE_IN]->
                 (a:Territory), down = (a)-[:PART_OF*0..4]->(t)
  WHERE all(x IN nodes(down)[1..-1] WHERE NOT x:Epci) AND {{alive n}} AND {{alive e}}
    AND {{alive o}} AND {{alive l}} AND {{alive_path down}}
  WITH n, count(DISTINCT o) AS expressed_by WHERE n IS NOT NULL
  RETURN collect({id: n.id, expressed_by: expressed_by}) AS expressed
}
CALL (t) {
  WITH t WHERE t IS NOT NULL
  MATCH up = (t)-[:PART_OF*0..4]->(a:Territory)
  WHERE all(x IN nodes(up)[1..-1] WHERE NOT x:Epci) AND {{alive_path up}}
  WITH DISTINCT t, a
  // an EPCI's département or région holds it whole when it holds all its départements
  WITH t, a,
       a = t OR NOT t:Epci OR all(d IN COLLECT { MATCH (t)-[r:PART_OF]->(d:Departement)
                                                 WHERE {{alive r}} AND {{alive d}}
                                                 RETURN d }
                                  WHERE EXISTS { MATCH within = (d)-[:PART_OF*0..2]->(a)
                                                 WHERE {{alive_path within}} }) AS whole
  RETURN collect(CASE WHEN whole THEN a END) AS ancestors,
         collect(CASE WHEN NOT whole THEN a END) AS parts
}
CALL (ancestors) {
  UNWIND ancestors AS a
  OPTIONAL MATCH (a)<-[c:COVERS]-(p:Programme)-[r:ADDRESSES]->(n:Need)
  WHERE {{alive c}} AND {{alive p}} AND {{alive r}} AND {{alive n}}
  RETURN collect(DISTINCT n.id) AS covered
}
// only an EPCI spanning several départements has parts
CALL (t, parts) {
  UNWIND parts AS a
  // the own département of each commune of the EPCI, read from the EPCI down
  WITH a, [(t)<-[r1:PART_OF]-(c:Commune)-[r2:PART_OF]->(d:Departement)
            WHERE {{alive r1}} AND {{alive c}} AND {{alive r2}} AND {{alive d}} | d] AS homes
  WITH a, size(homes) AS total,
       size([d IN homes WHERE d = a OR a IN [(d)-[r:PART_OF]->(g:Region)
                                             WHERE {{alive r}} AND {{alive g}} | g]])
         AS covered
  MATCH (a)<-[c:COVERS]-(p:Programme)-[r:ADDRESSES]->(n:Need)
  WHERE {{alive c}} AND {{alive p}} AND {{alive r}} AND {{alive n}}
  RETURN collect({need: n.id, programme: p {.id, .name, .phase},
                  territory: a {.id, .code, .name, .level}, communes_covered: covered,
                  communes_total: total}) AS partial
}
CALL (t, expressed) {
  WITH t, expressed WHERE t IS NOT NULL
  // 40-odd needs: reading them all is cheaper than a second traversal
  MATCH (n:Need)
  WHERE ($scope = 'all' OR n.id IN [e IN expressed | e.id]) AND {{alive n}}
  WITH n ORDER BY n.name, n.id
  RETURN collect(n {.id, .name, .category}) AS needs
}
RETURN t {.id, .code, .name, .level} AS territory,
       [x IN needs | {need: x,
                      expressed_by: coalesce(head([e IN expressed WHERE e.id = x.id |
                                                   e.expressed_by]), 0),
                      covered: x.id IN covered,
                      partial: CASE WHEN x.id IN covered THEN []
                               ELSE [q IN partial WHERE q.need = x.id | q] END}] AS needs
