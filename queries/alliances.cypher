// question: who could ally around a need (or a programme) in a territory — the organisations
//   of the territory that express the need or act on a programme answering it, the public
//   actors (collectivités, State services) of the territory or above it, with what each is
//   linked to, and the programmes addressing the need that cover the territory; retired
//   facts (retired_at set, on a node or a relationship) left out, as of $as_of
//   (null: now; graph/bookkeeping.py)
// parameters: $territory (territory id), $need (need id or null), $programme (programme id
//   or null; one of the two)
// returns: one row: needs [[id, name], ...] (the need, or those the programme addresses);
//   pool [[id, name, kind, labels, latitude, longitude, relevant (linked to the need or
//   the programme), whole (acting on the whole territory: located or active in it or in a
//   territory containing it), links
//   [[type, starts at it, x id, x name, x labels, x kind], ...]], ...]; degrees [[x id,
//   living organisations linked to it], ...] for each x linked to two of the pool or more
//   (the others cannot be shared by a pair); funding [[programme id, name, phase, covered territory id, its name], ...]; marked
//   [[a, b], ...]: the pairs among them a steward marked (left out of the coalitions)
// "In the territory" follows PART_OF from the organisation's anchor up to the territory,
// never through an EPCI (an EPCI may only be the first or last node); "above" climbs from
// the territory the same way.
CALL () {
  OPTIONAL MATCH (n:Need {id: $need})
  WHERE {{alive n}}
  RETURN collect(n) AS asked_needs
}
CALL () {
  OPTIONAL MATCH (p:Programme {id: $programme})-[r:ADDRESSES]->(n:Need)
  WHERE {{alive p}} AND {{alive r}} AND {{alive n}}
  RETURN collect(DISTINCT n) AS programme_needs
}
WITH asked_needs + programme_needs AS needs
// the organisations of the territory linked to the need or the programme
CALL (needs) {
  MATCH (t:Territory {id: $territory})
  MATCH inside = (o:Organisation)-[:LOCATED_IN|ACTIVE_IN]->(:Territory)-[:PART_OF*0..4]->(t)
  WHERE {{alive o}}
    AND all(y IN nodes(inside)[2..-1] WHERE NOT y:Epci)
    AND all(r IN relationships(inside) WHERE {{alive r}})
    AND (EXISTS { MATCH (o)-[e:EXPRESSES]->(n:Need)
                  WHERE n IN needs AND {{alive e}} }
         OR EXISTS { MATCH (o)-[e:CARRIES|FUNDS|OPERATES|RELAYS]->(p:Programme)
                     WHERE {{alive e}} AND {{alive p}}
                       AND (p.id = $programme
                            OR EXISTS { MATCH (p)-[d:ADDRESSES]->(n:Need)
                                        WHERE n IN needs AND {{alive d}} }) })
  RETURN collect(DISTINCT o) AS relevant
}
// the public actors of the territory, or of a territory containing it
CALL () {
  MATCH up = (t:Territory {id: $territory})-[:PART_OF*0..4]->(s:Territory)
  WHERE all(y IN nodes(up)[1..-1] WHERE NOT y:Epci)
  WITH collect(DISTINCT s) AS scope, t
  CALL (t, scope) {
    UNWIND scope AS s
    MATCH (o:Organisation)-[r:LOCATED_IN|ACTIVE_IN]->(s)
    WHERE o.kind IN ['collectivite', 'etat'] AND {{alive o}}
      AND {{alive r}}
    RETURN o
    UNION
    MATCH inside = (o:Organisation)-[:LOCATED_IN|ACTIVE_IN]->(:Territory)-[:PART_OF*1..4]->(t)
    WHERE o.kind IN ['collectivite', 'etat'] AND {{alive o}}
      AND all(y IN nodes(inside)[2..-1] WHERE NOT y:Epci)
      AND all(r IN relationships(inside) WHERE {{alive r}})
    RETURN o
  }
  RETURN collect(DISTINCT o) AS public
}
WITH needs, relevant, public, [o IN public WHERE NOT o IN relevant] AS public_only
CALL () {
  MATCH up = (t:Territory {id: $territory})-[:PART_OF*0..4]->(s:Territory)
  WHERE all(y IN nodes(up)[1..-1] WHERE NOT y:Epci)
  RETURN collect(DISTINCT s) AS scope
}
CALL (relevant, public_only, scope) {
  UNWIND relevant + public_only AS o
  RETURN collect([o, o IN relevant,
                  EXISTS { MATCH (o)-[w:LOCATED_IN|ACTIVE_IN]->(s:Territory)
                           WHERE s IN scope AND {{alive w}} },
                  COLLECT { MATCH (o)-[r]-(x)
                            WHERE {{alive r}} AND {{alive x}}
                              AND (x:Organisation OR x:Need OR x:Programme OR x:DialogueSpace)
                            RETURN [r, x] }]) AS members
}
// the degree (living organisations linked to it) of what two of them or more are linked
// to, counted once each: the need asked is linked to most of the pool and to thousands of
// others. Only something shared by a pair weighs in its score (by its degree); the needs
// one member alone expresses are thousands of organisations more to count for nothing.
CALL (members) {
  UNWIND members AS member
  UNWIND member[3] AS link
  WITH link[1] AS x, count(DISTINCT member[0]) AS linked
  WHERE linked >= 2
  RETURN collect([x.id, COUNT { MATCH (x)-[q]-(m:Organisation)
                                WHERE {{alive q}} AND {{alive m}}
                                RETURN DISTINCT m }]) AS degrees
}
WITH needs, degrees,
     [m IN members | [m[0].id, m[0].name, m[0].kind, labels(m[0]), m[0].location.latitude,
                      m[0].location.longitude, m[1], m[2],
                      [l IN m[3] | [type(l[0]), startNode(l[0]) = m[0], l[1].id, l[1].name,
                                    labels(l[1]), coalesce(l[1].kind, l[1].phase,
                                                           l[1].category)]]]] AS pool
// the programmes addressing the need (or the programme asked) covering the territory or a
// territory containing it
CALL (needs) {
  MATCH up = (t:Territory {id: $territory})-[:PART_OF*0..4]->(s:Territory)
  WHERE all(y IN nodes(up)[1..-1] WHERE NOT y:Epci)
  MATCH (p:Programme)-[c:COVERS]->(s)
  WHERE {{alive p}} AND {{alive c}}
    AND (p.id = $programme
         OR EXISTS { MATCH (p)-[d:ADDRESSES]->(n:Need) WHERE n IN needs
                                                       AND {{alive d}} })
  WITH p, s ORDER BY length(up), p.name, p.id
  RETURN collect(DISTINCT [p.id, p.name, p.phase, s.id, s.name]) AS funding
}
// the stewards' marks between two of them (bookkeeping: loaders/suggestion_marks.py)
CALL (pool) {
  WITH [o IN pool | o[0]] AS ids
  OPTIONAL MATCH (m:SuggestionMark)
  WHERE m.a IN ids AND m.b IN ids
  RETURN collect(CASE WHEN m IS NOT NULL THEN [m.a, m.b] END) AS marked
}
RETURN [n IN needs | [n.id, n.name]] AS needs, pool, degrees, funding, marked
