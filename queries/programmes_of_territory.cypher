// question: which programmes concern a territory — those covering it or a territory
//   containing it (its EPCI, its own département, its région, FR) — grouped by phase and
//   need; for an EPCI spanning several départements or régions, those covering only one
//   of them, apart, with how many of its communes that one holds
// parameters: $territory (territory id), $as_of (DateTime or null: now)
// returns: one row: territory, scope (the territory and those containing it whole,
//   nearest first, with their distance), programmes — one per programme: {programme,
//   covers (ids of the scope territories it covers), needs (ids of the needs it
//   addresses)} —, partial — one per programme and territory covering only part of an
//   EPCI: {programme, territory, communes_covered, communes_total, needs (ids)}, none
//   for a programme already in programmes — and needs (each need addressed, once)
// Containment: a PART_OF path never passes through an EPCI (an EPCI may only be its first
// or last node): commune → EPCI and commune → département → région are climbed, commune
// → EPCI → département is not (the EPCI is PART_OF every département of its communes,
// Aix-Marseille-Provence of the Bouches-du-Rhône, the Var and the Vaucluse). An EPCI's
// département or région holds it whole only when it holds all of the EPCI's départements.
// Cost: the scope is a handful of nodes (PART_OF climbed from the territory, never
// descended from FR); a commune of the benchmark is concerned by ~270 programmes, so each
// programme is one row with its needs as ids, and each need's properties are read once.
OPTIONAL MATCH (t:Territory {id: $territory}) WHERE {{alive t}}
CALL (t) {
  WITH t WHERE t IS NOT NULL
  MATCH up = (t)-[:PART_OF*0..4]->(a:Territory)
  WHERE all(x IN nodes(up)[1..-1] WHERE NOT x:Epci) AND {{alive_path up}}
  WITH t, a, min(length(up)) AS distance
  WITH t, a, distance,
       a = t OR NOT t:Epci OR all(d IN COLLECT { MATCH (t)-[r:PART_OF]->(d:Departement)
                                                 WHERE {{alive r}} AND {{alive d}}
                                                 RETURN d }
                                  WHERE EXISTS { MATCH within = (d)-[:PART_OF*0..2]->(a)
                                                 WHERE {{alive_path within}} }) AS whole
  ORDER BY distance, a.id
  RETURN collect(CASE WHEN whole THEN {territory: a {.id, .code, .name, .level},
                                       distance: distance} END) AS scope,
         collect(CASE WHEN whole THEN a END) AS ancestors,
         collect(CASE WHEN NOT whole THEN a END) AS parts
}
CALL (ancestors) {
  UNWIND ancestors AS a
  MATCH (p:Programme)-[c:COVERS]->(a)
  WHERE {{alive c}} AND {{alive p}}
  WITH p, collect(DISTINCT a.id) AS covers
  RETURN collect({programme: p {.id, .name, .phase}, covers: covers,
                  needs: COLLECT { MATCH (p)-[r:ADDRESSES]->(n:Need)
                                   WHERE {{alive r}} AND {{alive n}} RETURN DISTINCT n.id }})
           AS programmes,
         collect(p) AS found
}
// only an EPCI spanning several départements has parts
CALL (t, parts, found) {
  UNWIND parts AS a
  // the own département of each commune of the EPCI, read from the EPCI down
  WITH a, [(t)<-[r1:PART_OF]-(c:Commune)-[r2:PART_OF]->(d:Departement)
            WHERE {{alive r1}} AND {{alive c}} AND {{alive r2}} AND {{alive d}} | d] AS homes
  WITH a, size(homes) AS total,
       size([d IN homes WHERE d = a OR a IN [(d)-[r:PART_OF]->(g:Region)
                                             WHERE {{alive r}} AND {{alive g}} | g]])
         AS covered
  MATCH (p:Programme)-[c:COVERS]->(a)
  WHERE NOT p IN found AND {{alive c}} AND {{alive p}}
  RETURN collect({programme: p {.id, .name, .phase}, territory: a {.id, .code, .name, .level},
                  communes_covered: covered, communes_total: total,
                  needs: COLLECT { MATCH (p)-[r:ADDRESSES]->(n:Need)
                                   WHERE {{alive r}} AND {{alive n}} RETURN DISTINCT n.id }})
           AS partial,
         collect(DISTINCT p) AS partly
}
CALL (found, partly) {
  UNWIND found + partly AS p
  MATCH (p)-[r:ADDRESSES]->(n:Need)
  WHERE {{alive r}} AND {{alive n}}
  WITH DISTINCT n
  RETURN collect(n {.id, .name, .category, labels: labels(n)}) AS needs
}
RETURN t {.id, .code, .name, .level} AS territory, scope, programmes, partial, needs
