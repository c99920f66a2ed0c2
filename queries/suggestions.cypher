// question: alliance suggestions for one organisation — its neighbourhood as a small graph:
//   what it is linked to (needs, programmes, dialogue spaces, organisations), the
//   organisations linked to those that are within the radius, act on a territory holding
//   it or are placed nowhere, and the nearest organisations within the radius; retired
//   facts (retired_at set, on a node or a relationship) are left out, as of
//   $as_of (null: now; graph/bookkeeping.py)
// parameters: $id (the organisation's id), $radius_m (metres), $near (how many of the
//   nearest organisations within the radius to take, whatever they share)
// returns: one row (none when $id names no living organisation): me [id, name, kind,
//   labels, latitude, longitude]; around, what it is linked to: [[id, name, labels, kind
//   (or phase, or category), latitude, longitude, degree (living organisations linked to
//   it), [[type, starts at me], ...]], ...]; candidates: [[id, name, kind, labels,
//   latitude, longitude, acts_here, partners (living organisations linked to it),
//   [[type, starts at the candidate, around id], ...]],
//   ...]; marked: the stewards' marks on pairs with it (« déjà en contact », « pas
//   pertinent »): [[other id, name, kind, labels, verdict, by, at (ISO text), note], ...]
// The scoring is Python's (queries/suggestion_score.py): this only gathers the graph.
MATCH (a:Organisation {id: $id})
WHERE {{alive a}}
// the territories holding the asker: where it is located or active, and up PART_OF (never
// through an EPCI: it may only be the first territory), and FR
CALL (a) {
  OPTIONAL MATCH up = (a)-[:LOCATED_IN|ACTIVE_IN]->(:Territory)-[:PART_OF*0..3]->(t:Territory)
  WHERE all(y IN nodes(up)[2..-1] WHERE NOT y:Epci)
    AND all(r IN relationships(up) WHERE {{alive r}})
  RETURN collect(DISTINCT t.id) + ['FR'] AS here
}
// what the asker is linked to, by any living relationship
CALL (a) {
  OPTIONAL MATCH (a)-[r]-(x)
  WHERE {{alive r}} AND {{alive x}}
    AND (x:Organisation OR x:Need OR x:Programme OR x:DialogueSpace)
  WITH x, collect([type(r), startNode(r) = a]) AS rels
  WHERE x IS NOT NULL
  RETURN collect(x) AS xs,
         collect([x.id, x.name, labels(x), coalesce(x.kind, x.phase, x.category),
                  x.location.latitude, x.location.longitude,
                  COUNT { MATCH (x)-[q]-(o:Organisation)
                          WHERE {{alive q}} AND {{alive o}}
                          RETURN DISTINCT o },
                  rels]) AS around
}
// the organisations sharing one of them, kept when they can be candidates: within the
// radius, acting on a territory holding the asker, or placed nowhere (either of them)
CALL (a, xs, here) {
  UNWIND xs AS x
  MATCH (x)-[r]-(b:Organisation)
  WHERE b <> a AND {{alive r}} AND {{alive b}}
  WITH b, collect([type(r), startNode(r) = b, x.id]) AS links
  WITH b, links,
       EXISTS { MATCH (b)-[q:ACTIVE_IN]->(t:Territory)
                WHERE t.id IN here AND {{alive q}} } AS acts_here
  WHERE acts_here OR a.location IS NULL OR b.location IS NULL
     OR point.distance(a.location, b.location) <= $radius_m
  RETURN collect([b, links]) AS sharing
}
// the nearest organisations within the radius, whatever they share
CALL (a) {
  OPTIONAL MATCH (b:Organisation)
  WHERE a.location IS NOT NULL AND point.distance(b.location, a.location) <= $radius_m
    AND b <> a AND {{alive b}}
  WITH b ORDER BY point.distance(b.location, a.location), b.id
  LIMIT $near
  RETURN collect(b) AS near
}
WITH a, here, around, sharing,
     [b IN near WHERE NOT b IN [s IN sharing | s[0]] | [b, []]] AS alone
CALL (sharing, alone, here) {
  UNWIND sharing + alone AS found
  WITH found[0] AS b, found[1] AS links
  RETURN collect([b.id, b.name, b.kind, labels(b), b.location.latitude,
                  b.location.longitude,
                  EXISTS { MATCH (b)-[q:ACTIVE_IN]->(t:Territory)
                           WHERE t.id IN here AND {{alive q}} },
                  COUNT { MATCH (b)-[q]-(o:Organisation)
                          WHERE {{alive q}} AND {{alive o}}
                          RETURN DISTINCT o },
                  links]) AS candidates
}
// the stewards' marks on pairs with the asker (bookkeeping: loaders/suggestion_marks.py)
CALL (a) {
  OPTIONAL MATCH (m:SuggestionMark)
  WHERE m.a = a.id OR m.b = a.id
  WITH m, CASE WHEN m.a = a.id THEN m.b ELSE m.a END AS other
  OPTIONAL MATCH (o:Organisation {id: other})
  RETURN collect(CASE WHEN m IS NOT NULL THEN
                   [other, o.name, o.kind, labels(o), m.verdict, m.by, toString(m.at), m.note]
                 END) AS marked
}
RETURN [a.id, a.name, a.kind, labels(a), a.location.latitude, a.location.longitude] AS me,
       around, candidates, marked
