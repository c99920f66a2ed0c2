// question: what one territory is: its parents, its subdivisions, and how many
//   organisations and programmes are there
// parameters: $id (territory id), $as_of (DateTime or null: now)
// returns: at most one row: props, labels, parents ([{id, code, name, level}], nearest
//   first), children (count of direct subdivisions by level), organisations (located or
//   active in it or inside it), programmes (covering it or a territory containing it
//   whole), programmes_partial (for an EPCI spanning several départements or régions:
//   the others covering one of them)
// Containment, both ways: a PART_OF path never passes through an EPCI (an EPCI may only be
// its first or last node): Marseille's parents are its EPCI, the Bouches-du-Rhône, PACA and
// FR, not the Var that Aix-Marseille-Provence also touches; an EPCI's parents are all its
// départements, and one of them contains it whole only if it is the only one.
MATCH (t:Territory {id: $id})
WHERE {{alive t}}
CALL (t) {
  OPTIONAL MATCH path = (t)-[:PART_OF*1..4]->(p:Territory)
  WHERE all(x IN nodes(path)[1..-1] WHERE NOT x:Epci) AND {{alive_path path}}
  WITH p, min(length(path)) AS hops ORDER BY hops, p.id
  RETURN collect(p {.id, .code, .name, .level}) AS parents
}
CALL (t) {
  OPTIONAL MATCH (c:Territory)-[r:PART_OF]->(t)
  WHERE {{alive r}} AND {{alive c}}
  WITH c.level AS level, count(c) AS n
  RETURN collect(CASE WHEN level IS NULL THEN null ELSE {level: level, count: n} END)
         AS children
}
CALL (t) {
  OPTIONAL MATCH (o:Organisation)-[l:LOCATED_IN|ACTIVE_IN]->(a:Territory),
                 down = (a)-[:PART_OF*0..4]->(t)
  WHERE all(x IN nodes(down)[1..-1] WHERE NOT x:Epci) AND {{alive o}} AND {{alive l}}
    AND {{alive_path down}}
  RETURN count(DISTINCT o) AS organisations
}
CALL (t) {
  MATCH up = (t)-[:PART_OF*0..4]->(a:Territory)<-[c:COVERS]-(p:Programme)
  WHERE all(x IN nodes(up)[1..-2] WHERE NOT x:Epci) AND {{alive_path up}}
  WITH p, a = t OR NOT t:Epci OR all(d IN COLLECT { MATCH (t)-[r:PART_OF]->(d:Departement)
                                                     WHERE {{alive r}} AND {{alive d}}
                                                     RETURN d }
                                     WHERE EXISTS { MATCH within = (d)-[:PART_OF*0..2]->(a)
                                                    WHERE {{alive_path within}} }) AS whole
  WITH p, any(w IN collect(whole) WHERE w) AS whole
  RETURN count(CASE WHEN whole THEN p END) AS programmes,
         count(CASE WHEN NOT whole THEN p END) AS programmes_partial
}
RETURN properties(t) AS props, labels(t) AS labels, parents, children, organisations,
       programmes, programmes_partial
