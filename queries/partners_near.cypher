// question: which organisations are near a point — within a radius, optionally expressing
//   or answering a need (through a programme they carry, fund, operate or relay), of a
//   kind, holding a role (catalyst, relay) — ranked by distance, with what each connects to
// parameters: $commune_id (the centre commune's id, or null) or $point (WGS-84 point),
//   $radius_m (metres), $need (need id or null),
//   $kind (organisation kind or null), $role ('catalyst', 'relay' or null), $limit,
//   $offset, $links (how many links to show per organisation)
// returns: one row (none when $commune_id names no commune with a location): centre
//   {latitude, longitude}, commune {id, code, name, level} (or null), total and items,
//   each a list [id, name, kind, labels, distance_m, commune [id, code, name, level] or
//   null, links [[type, outgoing, node id, name, kind, labels], ...]]
// Every organisation has a `location`: its own (import lat/lon) or, with `location_from:
// 'commune'`, its commune's, copied at load time (loaders.importer.derive_locations): one
// point index (organisation_location) answers. Ties in distance are broken by id.
// Cost: `total` is an index-backed count (no property read: the index caches the point);
// the page is found in growing circles — a third of the radius that should hold twice the
// page at the density `total` gives, then three times it, then the full radius (at once
// when the total is four pages or less) — and only those few matches are sorted.
// Whatever is closer than a circle's edge is in that circle, so the page of the first
// circle holding offset + limit matches is the page of the full radius. Paris at 30 km:
// 14,473 counted, ~700 sorted instead of 14,473.
// the centre: the commune's location, read here rather than in a round trip of its own
OPTIONAL MATCH (home:Commune {id: $commune_id})
WITH home, CASE WHEN $commune_id IS NULL THEN $point ELSE home.location END AS centre
WHERE centre IS NOT NULL
CALL (centre) {
  // no filter: a bare count over the index (filters cost a test per match)
  UNWIND CASE WHEN $kind IS NULL AND $role IS NULL AND $need IS NULL THEN [1] ELSE [] END
    AS plain
  MATCH (o:Organisation)
  WHERE point.distance(o.location, centre) <= $radius_m
  RETURN count(*) AS n
  UNION ALL
  UNWIND CASE WHEN $kind IS NULL AND $role IS NULL AND $need IS NULL THEN [] ELSE [1] END
    AS filtered
  MATCH (o:Organisation)
  WHERE point.distance(o.location, centre) <= $radius_m
    AND ($kind IS NULL OR o.kind = $kind)
    AND ($role IS NULL OR ($role = 'catalyst' AND o:Catalyst) OR ($role = 'relay' AND o:Relay))
    AND ($need IS NULL
         OR EXISTS { (o)-[:EXPRESSES]->(:Need {id: $need}) }
         OR EXISTS { (o)-[:CARRIES|FUNDS|OPERATES|RELAYS]->(:Programme)-[:ADDRESSES]->
                     (:Need {id: $need}) })
  RETURN count(*) AS n
}
WITH home, centre, sum(n) AS total
// the radius that would hold twice the page if matches were spread evenly; a few
// matches (up to four pages' worth) are sorted at once, without rings
WITH home, centre, total,
     CASE WHEN total <= 4 * ($offset + $limit) THEN 3 * $radius_m
          ELSE $radius_m * sqrt(2.0 * ($offset + $limit) / total) END AS even
WITH home, centre, total,
     [x IN [even / 3, even * 3, $radius_m] | CASE WHEN x < $radius_m THEN x
                                              ELSE $radius_m END] AS radii,
     [] AS found, false AS done
// ring 0: searched only when the page is not complete yet
CALL (centre, radii, found, done) {
  UNWIND CASE WHEN done THEN [] ELSE [radii[0]] END AS r
  MATCH (o:Organisation)
  WHERE point.distance(o.location, centre) <= r
    AND ($kind IS NULL OR o.kind = $kind)
    AND ($role IS NULL OR ($role = 'catalyst' AND o:Catalyst) OR ($role = 'relay' AND o:Relay))
    AND ($need IS NULL
         OR EXISTS { (o)-[:EXPRESSES]->(:Need {id: $need}) }
         OR EXISTS { (o)-[:CARRIES|FUNDS|OPERATES|RELAYS]->(:Programme)-[:ADDRESSES]->
                     (:Need {id: $need}) })
  WITH o, point.distance(o.location, centre) AS d
  ORDER BY d, o.id
  LIMIT $offset + $limit
  RETURN collect({o: o, d: d}) AS step
}
WITH home, centre, total, radii, CASE WHEN done THEN found ELSE step END AS found,
     done OR size(step) >= $offset + $limit OR radii[0] >= $radius_m AS done
// ring 1: searched only when the page is not complete yet
CALL (centre, radii, found, done) {
  UNWIND CASE WHEN done THEN [] ELSE [radii[1]] END AS r
  MATCH (o:Organisation)
  WHERE point.distance(o.location, centre) <= r
    AND ($kind IS NULL OR o.kind = $kind)
    AND ($role IS NULL OR ($role = 'catalyst' AND o:Catalyst) OR ($role = 'relay' AND o:Relay))
    AND ($need IS NULL
         OR EXISTS { (o)-[:EXPRESSES]->(:Need {id: $need}) }
         OR EXISTS { (o)-[:CARRIES|FUNDS|OPERATES|RELAYS]->(:Programme)-[:ADDRESSES]->
                     (:Need {id: $need}) })
  WITH o, point.distance(o.location, centre) AS d
  ORDER BY d, o.id
  LIMIT $offset + $limit
  RETURN collect({o: o, d: d}) AS step
}
WITH home, centre, total, radii, CASE WHEN done THEN found ELSE step END AS found,
     done OR size(step) >= $offset + $limit OR radii[1] >= $radius_m AS done
// ring 2: searched only when the page is not complete yet
CALL (centre, radii, found, done) {
  UNWIND CASE WHEN done THEN [] ELSE [radii[2]] END AS r
  MATCH (o:Organisation)
  WHERE point.distance(o.location, centre) <= r
    AND ($kind IS NULL OR o.kind = $kind)
    AND ($role IS NULL OR ($role = 'catalyst' AND o:Catalyst) OR ($role = 'relay' AND o:Relay))
    AND ($need IS NULL
         OR EXISTS { (o)-[:EXPRESSES]->(:Need {id: $need}) }
         OR EXISTS { (o)-[:CARRIES|FUNDS|OPERATES|RELAYS]->(:Programme)-[:ADDRESSES]->
                     (:Need {id: $need}) })
  WITH o, point.distance(o.location, centre) AS d
  ORDER BY d, o.id
  LIMIT $offset + $limit
  RETURN collect({o: o, d: d}) AS step
}
WITH home, centre, total, radii, CASE WHEN done THEN found ELSE step END AS found,
     done OR size(step) >= $offset + $limit OR radii[2] >= $radius_m AS done
// items as lists, not maps: Bolt sends a map's keys with every map (~550 maps a page)
CALL (found) {
  UNWIND found[$offset..] AS m
  WITH m.o AS o, m.d AS d
  RETURN collect([o.id, o.name, o.kind, labels(o), d,
    head(COLLECT { MATCH (o)-[:LOCATED_IN]->(c:Commune)
                   RETURN [c.id, c.code, c.name, c.level] AS commune ORDER BY c.id }),
    [(o)-[r]-(x) WHERE NOT x:Territory |
       [type(r), startNode(r) = o, x.id, x.name, x.kind, labels(x)]][..$links]
  ]) AS items
}
RETURN {latitude: centre.latitude, longitude: centre.longitude} AS centre,
       home {.id, .code, .name, .level} AS commune, total, items
