// question: which organisations are near a point — within a radius, optionally expressing
//   or answering a need (through a programme they carry, fund, operate or relay), of a
//   kind, holding a role (catalyst, relay) — ranked by distance, with what each connects to
// parameters: $commune_id (the centre commune's id, or null) or $point (WGS-84 point),
//   $radius_m (metres), $need (need id or null),
//   $kind (organisation kind or null), $role ('catalyst', 'relay' or null), $limit,
//   $offset, $links (how many links to show per organisation), $as_of (DateTime or null:
//   now)
// returns: one row (none when $commune_id names no commune with a location): centre
//   {latitude, longitude}, commune {id, code, name, level} (or null), total and items,
//   each a list [id, name, kind, labels, distance_m, commune [id, code, name, level] or
//   null, links [[type, outgoing, node id, name, kind, labels], ...], placed_by ('own',
//   'commune' or 'territory'), [latitude, longitude] where it was placed]; active_total
//   and active_items: the organisations acting on a territory containing the commune
//   (itself, its EPCI, its own département, its région, FR) that are not within the
//   radius, each a list [id, name, kind, labels, territory [id, code, name, level],
//   links] (none when the centre is a bare point)
// Every organisation has a `location`: its own (import lat/lon) or, with `location_from:
// 'commune'`, its commune's, copied at load time (loaders.importer.derive_locations): one
// point index (organisation_location) answers. Ties in distance are broken by id.
// Organisations with no location at all are placed here, at query time (see "unplaced"):
// at a commune they are active in, else at the centre of a territory they are located or
// active in.
// Cost: `total` is an index-backed count (no property read: the index caches the point);
// the page is found in growing circles — a third of the radius that should hold twice the
// page at the density `total` gives, then three times it, then the full radius (at once
// when the total is four pages or less) — and only those few matches are sorted.
// Whatever is closer than a circle's edge is in that circle, so the page of the first
// circle holding offset + limit matches is the page of the full radius. Paris at 30 km:
// 14,473 counted, ~700 sorted instead of 14,473.
// the centre: the commune's location, read here rather than in a round trip of its own
OPTIONAL MATCH (home:Commune {id: $commune_id}) WHERE {{alive home}}
WITH home, CASE WHEN $commune_id IS NULL THEN $point ELSE home.location END AS centre
WHERE centre IS NOT NULL
CALL (centre) {
  // no filter: a bare count over the index (filters cost a test per match)
  UNWIND CASE WHEN $kind IS NULL AND $role IS NULL AND $need IS NULL THEN [1] ELSE [] END
    AS plain
  MATCH (o:Organisation)
  WHERE point.distance(o.location, centre) <= $radius_m AND {{alive o}}
  RETURN count(*) AS n
  UNION ALL
  UNWIND CASE WHEN $kind IS NULL AND $role IS NULL AND $need IS NULL THEN [] ELSE [1] END
    AS filtered
  MATCH (o:Organisation)
  WHERE point.distance(o.location, centre) <= $radius_m AND {{alive o}}
    AND ($kind IS NULL OR o.kind = $kind)
    AND ($role IS NULL OR ($role = 'catalyst' AND o:Catalyst) OR ($role = 'relay' AND o:Relay))
    AND ($need IS NULL
         OR EXISTS { (o)-[need_rel:EXPRESSES]->(need_node:Need {id: $need})
                     WHERE {{alive need_rel}} AND {{alive need_node}} }
         OR EXISTS { (o)-[act_rel:CARRIES|FUNDS|OPERATES|RELAYS]->(act_prog:Programme)
                     -[adr_rel:ADDRESSES]->(need_node:Need {id: $need})
                     WHERE {{alive act_rel}} AND {{alive act_prog}} AND {{alive adr_rel}}
                       AND {{alive need_node}} })
  RETURN count(*) AS n
}
WITH home, centre, sum(n) AS total
// the unplaced: organisations with neither their own location nor a commune's (no
// LOCATED_IN commune). Placed at the first commune (by id) they are ACTIVE_IN, else at the
// centre of the smallest territory they are located or active in (EPCI, then département,
// then région); such a territory has no point of its own, so its centre is the average
// location of its communes (reached by PART_OF never through an EPCI: a département's
// own communes, a région's through its départements) — not its most populous commune,
// which can sit at its edge (Lille in the Nord). FR places nobody: national actors are
// listed as active on the territory, not near. The candidates are reached from the
// communes within the radius (the commune point index; no scan of the organisations): the
// unplaced acting in one of them, or in its EPCI, département or région — a territory
// whose centre is within the radius has communes around it. Each candidate is then placed
// by the rule above and kept when that place is within the radius.
CALL (centre) {
  MATCH (c:Commune)
  WHERE point.distance(c.location, centre) <= $radius_m AND {{alive c}}
  OPTIONAL MATCH (c)-[ce:PART_OF]->(e:Epci) WHERE {{alive ce}} AND {{alive e}}
  OPTIONAL MATCH (c)-[cd:PART_OF]->(dep:Departement) WHERE {{alive cd}} AND {{alive dep}}
  OPTIONAL MATCH (dep)-[dr:PART_OF]->(reg:Region) WHERE {{alive dr}} AND {{alive reg}}
  WITH collect(DISTINCT c) + collect(DISTINCT e) + collect(DISTINCT dep)
       + collect(DISTINCT reg) AS places
  UNWIND places AS t
  MATCH (o:Organisation)-[l:LOCATED_IN|ACTIVE_IN]->(t)
  WHERE o.location IS NULL AND {{alive l}} AND {{alive o}}
    AND ($kind IS NULL OR o.kind = $kind)
    AND ($role IS NULL OR ($role = 'catalyst' AND o:Catalyst) OR ($role = 'relay' AND o:Relay))
    AND ($need IS NULL
         OR EXISTS { (o)-[need_rel:EXPRESSES]->(need_node:Need {id: $need})
                     WHERE {{alive need_rel}} AND {{alive need_node}} }
         OR EXISTS { (o)-[act_rel:CARRIES|FUNDS|OPERATES|RELAYS]->(act_prog:Programme)
                     -[adr_rel:ADDRESSES]->(need_node:Need {id: $need})
                     WHERE {{alive act_rel}} AND {{alive act_prog}} AND {{alive adr_rel}}
                       AND {{alive need_node}} })
  WITH DISTINCT o
  WITH o,
       head(COLLECT { MATCH (o)-[ai:ACTIVE_IN]->(c:Commune)
                      WHERE c.location IS NOT NULL AND {{alive ai}} AND {{alive c}}
                      RETURN c.location AS at ORDER BY c.id }) AS at_commune,
       head(COLLECT { MATCH (o)-[li:LOCATED_IN|ACTIVE_IN]->(t:Territory)
                      WHERE (t:Epci OR t:Departement OR t:Region) AND {{alive li}}
                        AND {{alive t}}
                      RETURN t ORDER BY CASE WHEN t:Epci THEN 0 WHEN t:Departement THEN 1
                                             ELSE 2 END, t.id }) AS area
  CALL (area, at_commune) {
    WITH area WHERE at_commune IS NULL AND area IS NOT NULL
    MATCH inside = (c:Commune)-[:PART_OF*1..2]->(area)
    WHERE c.location IS NOT NULL AND all(y IN nodes(inside)[1..-1] WHERE NOT y:Epci)
      AND {{alive_path inside}}
    RETURN avg(c.location.latitude) AS lat, avg(c.location.longitude) AS lon
  }
  WITH o, CASE WHEN at_commune IS NOT NULL THEN at_commune
               WHEN lat IS NOT NULL THEN point({latitude: lat, longitude: lon}) END AS at,
       CASE WHEN at_commune IS NOT NULL THEN 'commune' ELSE 'territory' END AS by
  WITH o, by, at, point.distance(at, centre) AS d
  WHERE d <= $radius_m
  RETURN collect({o: o, d: d, by: by, at: at}) AS unplaced
}
// the radius that would hold twice the page if matches were spread evenly; a few
// matches (up to four pages' worth) are sorted at once, without rings
WITH home, centre, total, unplaced,
     CASE WHEN total <= 4 * ($offset + $limit) THEN 3 * $radius_m
          ELSE $radius_m * sqrt(2.0 * ($offset + $limit) / total) END AS even
WITH home, centre, total, unplaced,
     [x IN [even / 3, even * 3, $radius_m] | CASE WHEN x < $radius_m THEN x
                                              ELSE $radius_m END] AS radii,
     [] AS found, false AS done
// ring 0: searched only when the page is not complete yet
CALL (centre, radii, found, done) {
  UNWIND CASE WHEN done THEN [] ELSE [radii[0]] END AS r
  MATCH (o:Organisation)
  WHERE point.distance(o.location, centre) <= r AND {{alive o}}
    AND ($kind IS NULL OR o.kind = $kind)
    AND ($role IS NULL OR ($role = 'catalyst' AND o:Catalyst) OR ($role = 'relay' AND o:Relay))
    AND ($need IS NULL
         OR EXISTS { (o)-[need_rel:EXPRESSES]->(need_node:Need {id: $need})
                     WHERE {{alive need_rel}} AND {{alive need_node}} }
         OR EXISTS { (o)-[act_rel:CARRIES|FUNDS|OPERATES|RELAYS]->(act_prog:Programme)
                     -[adr_rel:ADDRESSES]->(need_node:Need {id: $need})
                     WHERE {{alive act_rel}} AND {{alive act_prog}} AND {{alive adr_rel}}
                       AND {{alive need_node}} })
  WITH o, point.distance(o.location, centre) AS d
  ORDER BY d, o.id
  LIMIT $offset + $limit
  RETURN collect({o: o, d: d}) AS step
}
WITH home, centre, total, unplaced, radii, CASE WHEN done THEN found ELSE step END AS found,
     done OR size(step) >= $offset + $limit OR radii[0] >= $radius_m AS done
// ring 1: searched only when the page is not complete yet
CALL (centre, radii, found, done) {
  UNWIND CASE WHEN done THEN [] ELSE [radii[1]] END AS r
  MATCH (o:Organisation)
  WHERE point.distance(o.location, centre) <= r AND {{alive o}}
    AND ($kind IS NULL OR o.kind = $kind)
    AND ($role IS NULL OR ($role = 'catalyst' AND o:Catalyst) OR ($role = 'relay' AND o:Relay))
    AND ($need IS NULL
         OR EXISTS { (o)-[need_rel:EXPRESSES]->(need_node:Need {id: $need})
                     WHERE {{alive need_rel}} AND {{alive need_node}} }
         OR EXISTS { (o)-[act_rel:CARRIES|FUNDS|OPERATES|RELAYS]->(act_prog:Programme)
                     -[adr_rel:ADDRESSES]->(need_node:Need {id: $need})
                     WHERE {{alive act_rel}} AND {{alive act_prog}} AND {{alive adr_rel}}
                       AND {{alive need_node}} })
  WITH o, point.distance(o.location, centre) AS d
  ORDER BY d, o.id
  LIMIT $offset + $limit
  RETURN collect({o: o, d: d}) AS step
}
WITH home, centre, total, unplaced, radii, CASE WHEN done THEN found ELSE step END AS found,
     done OR size(step) >= $offset + $limit OR radii[1] >= $radius_m AS done
// ring 2: searched only when the page is not complete yet
CALL (centre, radii, found, done) {
  UNWIND CASE WHEN done THEN [] ELSE [radii[2]] END AS r
  MATCH (o:Organisation)
  WHERE point.distance(o.location, centre) <= r AND {{alive o}}
    AND ($kind IS NULL OR o.kind = $kind)
    AND ($role IS NULL OR ($role = 'catalyst' AND o:Catalyst) OR ($role = 'relay' AND o:Relay))
    AND ($need IS NULL
         OR EXISTS { (o)-[need_rel:EXPRESSES]->(need_node:Need {id: $need})
                     WHERE {{alive need_rel}} AND {{alive need_node}} }
         OR EXISTS { (o)-[act_rel:CARRIES|FUNDS|OPERATES|RELAYS]->(act_prog:Programme)
                     -[adr_rel:ADDRESSES]->(need_node:Need {id: $need})
                     WHERE {{alive act_rel}} AND {{alive act_prog}} AND {{alive adr_rel}}
                       AND {{alive need_node}} })
  WITH o, point.distance(o.location, centre) AS d
  ORDER BY d, o.id
  LIMIT $offset + $limit
  RETURN collect({o: o, d: d}) AS step
}
WITH home, centre, total, unplaced, radii, CASE WHEN done THEN found ELSE step END AS found,
     done OR size(step) >= $offset + $limit OR radii[2] >= $radius_m AS done
// the indexed page merged with the unplaced within the radius (the first offset + limit
// of each hold the page of both)
WITH home, centre, total + size(unplaced) AS total, unplaced,
     [m IN found | {o: m.o, d: m.d, at: m.o.location,
                    by: CASE WHEN m.o.location_from = 'commune' THEN 'commune'
                             ELSE 'own' END}] + unplaced AS found
// items as lists, not maps: Bolt sends a map's keys with every map (~550 maps a page)
CALL (found) {
  UNWIND found AS m
  WITH m ORDER BY m.d, m.o.id
  SKIP $offset LIMIT $limit
  WITH m.o AS o, m.d AS d, m.by AS by, m.at AS at
  RETURN collect([o.id, o.name, o.kind, labels(o), d,
    head(COLLECT { MATCH (o)-[li:LOCATED_IN]->(c:Commune) WHERE {{alive li}} AND {{alive c}}
                   RETURN [c.id, c.code, c.name, c.level] AS commune ORDER BY c.id }),
    [(o)-[r]-(x) WHERE NOT x:Territory AND {{alive r}} AND {{alive x}} |
       [type(r), startNode(r) = o, x.id, x.name, x.kind, labels(x)]][..$links], by,
    [at.latitude, at.longitude]
  ]) AS items
}
// active on the territory: organisations located or active in a territory containing the
// commune (the commune, its EPCI, its own département, its région, FR; PART_OF never
// through an EPCI) and not within the radius, the nearest territory first (commune, EPCI,
// département, région, FR), then by name; paged like the items
CALL (home, centre, unplaced) {
  WITH home, centre, [m IN unplaced | m.o.id] AS near_ids
  WHERE home IS NOT NULL
  MATCH scope = (home)-[:PART_OF*0..3]->(t:Territory)
  WHERE all(y IN nodes(scope)[1..-1] WHERE NOT y:Epci) AND {{alive_path scope}}
  WITH DISTINCT t, near_ids, centre,
       CASE WHEN t:Commune THEN 0 WHEN t:Epci THEN 1 WHEN t:Departement THEN 2
            WHEN t:Region THEN 3 ELSE 4 END AS rank
  MATCH (o:Organisation)-[l:LOCATED_IN|ACTIVE_IN]->(t)
  WHERE NOT o.id IN near_ids AND {{alive l}} AND {{alive o}}
    AND (o.location IS NULL OR point.distance(o.location, centre) > $radius_m)
    AND ($kind IS NULL OR o.kind = $kind)
    AND ($role IS NULL OR ($role = 'catalyst' AND o:Catalyst) OR ($role = 'relay' AND o:Relay))
    AND ($need IS NULL
         OR EXISTS { (o)-[need_rel:EXPRESSES]->(need_node:Need {id: $need})
                     WHERE {{alive need_rel}} AND {{alive need_node}} }
         OR EXISTS { (o)-[act_rel:CARRIES|FUNDS|OPERATES|RELAYS]->(act_prog:Programme)
                     -[adr_rel:ADDRESSES]->(need_node:Need {id: $need})
                     WHERE {{alive act_rel}} AND {{alive act_prog}} AND {{alive adr_rel}}
                       AND {{alive need_node}} })
  WITH o, t, rank ORDER BY rank, t.id
  WITH o, head(collect(t)) AS t, min(rank) AS rank
  ORDER BY rank, o.name, o.id
  WITH collect({o: o, t: t}) AS acting
  CALL (acting) {
    UNWIND acting[$offset..$offset + $limit] AS m
    WITH m.o AS o, m.t AS t
    RETURN collect([o.id, o.name, o.kind, labels(o), [t.id, t.code, t.name, t.level],
                    [(o)-[r]-(x) WHERE NOT x:Territory AND {{alive r}} AND {{alive x}} |
                       [type(r), startNode(r) = o, x.id, x.name, x.kind, labels(x)]][..$links]
                   ]) AS active_items
  }
  RETURN size(acting) AS active_total, active_items
}
RETURN {latitude: centre.latitude, longitude: centre.longitude} AS centre,
       home {.id, .code, .name, .level} AS commune, total, items,
       coalesce(active_total, 0) AS active_total, coalesce(active_items, []) AS active_items
