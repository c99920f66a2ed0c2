// question: alliance suggestions for one organisation — its neighbourhood as a small graph:
//   what it is linked to (needs, programmes, dialogue spaces, organisations), the
//   organisations linked to those that are within the radius, act on a territory holding
//   it or are placed nowhere, and the nearest organisations within the radius; retired
//   facts (retired_at set, on a node or a relationship) are left out, as of
//   $as_of (null: now; graph/bookkeeping.py)
// parameters: $id (the organisation's id), $radius_m (metres), $near (how many of the
//   nearest organisations within the radius to take, whatever they share), $counted
//   (true: the degrees are counted already, queries/link_counts.py: degree and partners
//   come back null, and are not counted here)
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
// the organisations acting on a territory holding the asker (a dozen territories, a few
// links each): looked up once rather than from each organisation met below
CALL (here) {
  UNWIND here AS tid
  OPTIONAL MATCH (:Territory {id: tid})<-[q:ACTIVE_IN]-(b:Organisation)
  WHERE {{alive q}}
  RETURN collect(DISTINCT b) AS acting
}
// what the asker is linked to, by any living relationship; from each, one walk to the
// living organisations linked to it gives both its degree and those sharing it, kept when
// they can be candidates: within the radius, acting on a territory holding the asker, or
// placed nowhere (either of them): the distance tested before whether they act here.
CALL (a, acting) {
  OPTIONAL MATCH (a)-[r]-(x)
  WHERE {{alive r}} AND {{alive x}}
    AND (x:Organisation OR x:Need OR x:Programme OR x:DialogueSpace)
  WITH x, collect([type(r), startNode(r) = a]) AS rels
  WHERE x IS NOT NULL
  // the asker's location as a value: a property of it, even cached, costs a read a row
  WITH a, x, rels, acting, a.location AS mine
  CALL (a, x, acting, mine) {
    MATCH (x)-[q]-(o:Organisation)
    WITH o, q, o.location AS at
    WITH o, q, o <> a AND (mine IS NULL OR at IS NULL
                           OR point.distance(mine, at) <= $radius_m
                           OR o IN acting) AS near
    // with the degrees counted already ($counted), only those that can be candidates are
    // read further: a popular need's thousands far away cost one read each, not three
    WHERE (near OR NOT $counted) AND {{alive q}} AND {{alive o}}
    WITH o, near, collect(q) AS qs
    WITH CASE WHEN $counted THEN null ELSE count(o) END AS degree,
         collect(CASE WHEN near THEN [o, qs] END) AS kept
    // the links' types and directions, for the kept ones only
    RETURN degree, [k IN kept | [k[0], [q IN k[1] | [type(q), startNode(q) = k[0], x.id]]]]
                   AS kept
  }
  RETURN collect([x.id, x.name, labels(x), coalesce(x.kind, x.phase, x.category),
                  x.location.latitude, x.location.longitude, degree, rels]) AS around,
         collect(kept) AS kept_by_x
}
// the organisations sharing one of them, each with its links to all it shares
CALL (kept_by_x) {
  UNWIND kept_by_x AS kept
  UNWIND kept AS found
  WITH found[0] AS b, found[1] AS links
  WITH b, collect(links) AS links_by_x
  RETURN collect([b, reduce(acc = [], l IN links_by_x | acc + l)]) AS sharing
}
// the nearest organisations within the radius, whatever they share. Up to 15,000 are
// within 30 km of a city: their distances come with the point index, so the $near-th
// distance of them all, living or not, is found without reading them; the nearest living
// ones are within it, where only a few hundred are read (their liveness, their id for
// ties). Unless some of those are retired: then the whole radius, as it always was.
// The distances are first sought within a third of the radius (a ninth of its area): in a
// city the $near + 1 nearest are there, and they are the nearest of the whole radius.
CALL (a) {
  WITH a, a.location AS mine
  CALL (mine) {
    OPTIONAL MATCH (b:Organisation)
    WHERE mine IS NOT NULL AND point.distance(b.location, mine) <= $radius_m / 3.0
    WITH point.distance(b.location, mine) AS d
    ORDER BY d
    LIMIT $near + 1
    RETURN collect(d) AS close
  }
  // too few that close (the country, a small town): the whole radius (a negative one
  // when not needed: the seek finds nothing at once)
  WITH a, mine, close, CASE WHEN size(close) > $near THEN -1.0 ELSE $radius_m END AS wider
  CALL (mine, wider) {
    OPTIONAL MATCH (b:Organisation)
    WHERE mine IS NOT NULL AND point.distance(b.location, mine) <= wider
    WITH point.distance(b.location, mine) AS d
    ORDER BY d
    LIMIT $near + 1
    RETURN collect(d) AS all_ds
  }
  // one more than $near: the asker itself may be among them
  WITH a, mine, CASE WHEN wider < 0 THEN close ELSE all_ds END AS ds
  WITH mine, CASE WHEN size(ds) <= $near THEN $radius_m ELSE ds[-1] END AS within
  CALL (a, mine, within) {
    OPTIONAL MATCH (b:Organisation)
    WHERE mine IS NOT NULL AND point.distance(b.location, mine) <= within
      AND b <> a AND {{alive b}}
    WITH b ORDER BY point.distance(b.location, mine), b.id
    LIMIT $near
    RETURN collect(b) AS first_near
  }
  // a negative radius when not needed: the planner seeks before any other test
  WITH a, mine, first_near,
       CASE WHEN size(first_near) < $near AND within < $radius_m THEN $radius_m ELSE -1.0 END
         AS again
  CALL (a, mine, again) {
    OPTIONAL MATCH (b:Organisation)
    WHERE mine IS NOT NULL AND point.distance(b.location, mine) <= again
      AND b <> a AND {{alive b}}
    WITH b ORDER BY point.distance(b.location, mine), b.id
    LIMIT $near
    RETURN collect(b) AS all_near
  }
  RETURN CASE WHEN again > 0 THEN all_near ELSE first_near END AS near
}
WITH a, acting, around, sharing,
     [b IN near WHERE NOT b IN [s IN sharing | s[0]] | [b, []]] AS alone
CALL (sharing, alone, acting) {
  UNWIND sharing + alone AS found
  WITH found[0] AS b, found[1] AS links
  RETURN collect([b.id, b.name, b.kind, labels(b), b.location.latitude,
                  b.location.longitude, b IN acting,
                  CASE WHEN $counted THEN null
                       ELSE COUNT { MATCH (b)-[q]-(o:Organisation)
                                    WHERE {{alive q}} AND {{alive o}}
                                    RETURN DISTINCT o } END,
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
