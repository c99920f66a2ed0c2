// question: which organisations are near a point — within a radius, optionally expressing
//   or answering a need (through a programme they carry, fund, operate or relay), of a
//   kind, holding a role (catalyst, relay) — ranked by distance, with what each connects to
// parameters: $point (WGS-84 point), $radius_m (metres), $need (need id or null),
//   $kind (organisation kind or null), $role ('catalyst', 'relay' or null), $limit,
//   $offset, $links (how many links to show per organisation)
// returns: one row: total and items — organisation {id, name, kind, labels}, distance_m,
//   commune {id, code, name, level} and links [{type, out, node {id, name, labels, kind}}]
// An organisation's location is its own `location` when set, else its commune's: both
// branches go through a point index (organisation_location, commune_location). Ties in
// distance are broken by id, so pages are stable. The candidate search is written twice,
// once to count and once for the page: two index passes cost less than collecting every
// match into one list (14,000 within 30 km of Paris at 100k organisations).
CALL () {
  CALL () {
    MATCH (o:Organisation)
    WHERE point.distance(o.location, $point) <= $radius_m
    RETURN o, point.distance(o.location, $point) AS d
    UNION ALL
    MATCH (c:Commune)
    WHERE point.distance(c.location, $point) <= $radius_m
    MATCH (o:Organisation)-[:LOCATED_IN]->(c)
    WHERE o.location IS NULL
    // an organisation located in two communes counts once, at the nearer
    WITH o, min(point.distance(c.location, $point)) AS d
    RETURN o, d
  }
  WITH o, d
  WHERE ($kind IS NULL OR o.kind = $kind)
    AND ($role IS NULL OR ($role = 'catalyst' AND o:Catalyst) OR ($role = 'relay' AND o:Relay))
    AND ($need IS NULL
         OR EXISTS { (o)-[:EXPRESSES]->(:Need {id: $need}) }
         OR EXISTS { (o)-[:CARRIES|FUNDS|OPERATES|RELAYS]->(:Programme)-[:ADDRESSES]->
                     (:Need {id: $need}) })
  RETURN count(*) AS total
}
CALL () {
  CALL () {
    MATCH (o:Organisation)
    WHERE point.distance(o.location, $point) <= $radius_m
    RETURN o, point.distance(o.location, $point) AS d
    UNION ALL
    MATCH (c:Commune)
    WHERE point.distance(c.location, $point) <= $radius_m
    MATCH (o:Organisation)-[:LOCATED_IN]->(c)
    WHERE o.location IS NULL
    // an organisation located in two communes counts once, at the nearer
    WITH o, min(point.distance(c.location, $point)) AS d
    RETURN o, d
  }
  WITH o, d
  WHERE ($kind IS NULL OR o.kind = $kind)
    AND ($role IS NULL OR ($role = 'catalyst' AND o:Catalyst) OR ($role = 'relay' AND o:Relay))
    AND ($need IS NULL
         OR EXISTS { (o)-[:EXPRESSES]->(:Need {id: $need}) }
         OR EXISTS { (o)-[:CARRIES|FUNDS|OPERATES|RELAYS]->(:Programme)-[:ADDRESSES]->
                     (:Need {id: $need}) })
  WITH o, d ORDER BY d, o.id
  SKIP $offset LIMIT $limit
  RETURN collect({
    organisation: o {.id, .name, .kind, labels: labels(o)},
    distance_m: d,
    commune: head(COLLECT { MATCH (o)-[:LOCATED_IN]->(c:Commune)
                            RETURN c {.id, .code, .name, .level} AS commune
                            ORDER BY commune.id }),
    links: [(o)-[r]-(x) WHERE NOT x:Territory |
            {type: type(r), out: startNode(r) = o,
             node: x {.id, .name, .kind, labels: labels(x)}}][..$links]
  }) AS items
}
RETURN total, items
