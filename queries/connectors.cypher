// question: which organisations connect a programme to a territory — they carry, fund,
//   operate or relay the programme, and are located or active in the territory or in a
//   territory inside it (a commune inside a département counts) — with the path proving it
// parameters: $programme (programme id), $territory (territory id), $limit, $offset, $as_of
//   (DateTime or null: now)
// returns: one row: programme {id, name, labels}, territory, total, items — each item an
//   organisation {id, name, kind, labels}, its relations to the programme (types) and, per
//   anchor territory, the shortest proof path organisation → anchor → PART_OF … → territory;
//   covering_total and covering: the other organisations linked to the programme that are
//   located or active in a territory containing it (its région, FR…), each with, per
//   anchor, the proof path organisation → anchor ← PART_OF … ← territory, nearest anchor
//   first; placed: how many organisations linked to the programme are located or active
//   anywhere (to say which half is missing when both lists are empty)
// Containment: a PART_OF path never passes through an EPCI (an EPCI may only be its first
// or last node): an organisation located in Marseille is in its EPCI, the Bouches-du-Rhône
// and PACA, not in the Var or the Vaucluse that Aix-Marseille-Provence also touches; one
// active in the EPCI itself is in each of those départements (it is partly there).
OPTIONAL MATCH (p:Programme {id: $programme}) WHERE {{alive p}}
OPTIONAL MATCH (t:Territory {id: $territory}) WHERE {{alive t}}
CALL (p, t) {
  WITH p, t WHERE p IS NOT NULL AND t IS NOT NULL
  MATCH (o:Organisation)-[r:CARRIES|FUNDS|OPERATES|RELAYS]->(p)
  WHERE {{alive r}} AND {{alive o}}
  WITH o, collect(DISTINCT type(r)) AS relations, t
  // start from the organisation (bound), climb PART_OF towards t: never descend from t
  MATCH proof = (o)-[:LOCATED_IN|ACTIVE_IN]->(a:Territory)-[:PART_OF*0..4]->(x:Territory)
  WHERE x = t AND all(y IN nodes(proof)[2..-1] WHERE NOT y:Epci) AND {{alive_path proof}}
  WITH o, relations, a, proof ORDER BY length(proof)
  WITH o, relations, a, head(collect(proof)) AS proof
  WITH o, relations, collect({
    anchor: a {.id, .code, .name, .level},
    nodes: [n IN nodes(proof) | n {.id, .name, labels: labels(n)}],
    rels: [r IN relationships(proof) |
           {type: type(r), source: startNode(r).id, target: endNode(r).id}]
  }) AS proofs
  ORDER BY o.name, o.id
  RETURN collect({organisation: o {.id, .name, .kind, labels: labels(o)},
                  relations: relations, proofs: proofs}) AS rows
}
// covering from above: the anchor contains t (PART_OF climbs from t, an EPCI only first)
CALL (p, t, rows) {
  WITH p, t, [row IN rows | row.organisation.id] AS inside
  WHERE p IS NOT NULL AND t IS NOT NULL
  MATCH (o:Organisation)-[r:CARRIES|FUNDS|OPERATES|RELAYS]->(p)
  WHERE NOT o.id IN inside AND {{alive r}} AND {{alive o}}
  WITH o, collect(DISTINCT type(r)) AS relations, t
  MATCH (o)-[link:LOCATED_IN|ACTIVE_IN]->(a:Territory)
  WHERE {{alive link}} AND {{alive a}}
  MATCH up = (t)-[:PART_OF*1..4]->(a)
  WHERE all(y IN nodes(up)[1..-1] WHERE NOT y:Epci) AND {{alive_path up}}
  WITH o, relations, a, link, up ORDER BY length(up)
  WITH o, relations, a, head(collect(link)) AS link, head(collect(up)) AS up
  WITH o, relations, a, link, up ORDER BY length(up), a.id
  WITH o, relations, collect({
    anchor: a {.id, .code, .name, .level},
    nodes: [o {.id, .name, labels: labels(o)}]
           + reverse([n IN nodes(up) | n {.id, .name, labels: labels(n)}]),
    rels: [{type: type(link), source: o.id, target: a.id}]
          + reverse([r IN relationships(up) |
                     {type: type(r), source: startNode(r).id, target: endNode(r).id}])
  }) AS proofs, min(length(up)) AS reach
  // the nearest covering first: a région's actors before the national ones
  ORDER BY reach, o.name, o.id
  RETURN collect({organisation: o {.id, .name, .kind, labels: labels(o)},
                  relations: relations, proofs: proofs}) AS covering
}
RETURN p {.id, .name, labels: labels(p)} AS programme,
       t {.id, .code, .name, .level} AS territory,
       size(rows) AS total,
       rows[$offset..$offset + $limit] AS items,
       size(covering) AS covering_total,
       covering[$offset..$offset + $limit] AS covering,
       COUNT { MATCH (o:Organisation)-[r:CARRIES|FUNDS|OPERATES|RELAYS]->(p)
               WHERE {{alive r}} AND {{alive o}}
                 AND EXISTS { (o)-[l:LOCATED_IN|ACTIVE_IN]->(a:Territory)
                              WHERE {{alive l}} AND {{alive a}} } } AS placed
