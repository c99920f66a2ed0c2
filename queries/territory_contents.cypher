// question: what is in a territory, for its map — the organisations located in it (or in
//   a territory inside it) or active in it, each placed as partners near places them;
//   the organisations acting on a territory containing it; the programmes covering it, a
//   territory inside it or one containing it; the points of its communes
// parameters: $id (territory id), $limit (organisations in it at most), $wider_limit
//   (organisations acting on a territory containing it at most), $programmes_limit,
//   $outline_limit (commune points at most), $places_limit (communes named at most),
//   $as_of (DateTime or null: now)
// returns: one row: territory {id, code, name, level, source, lat, lon} (lat/lon: its own
//   location or the mean of its communes'), total (organisations in it), organisations
//   [{id, name, kind, labels, source, place, grp, lat, lon, placed_by, placed_in (the id of
//   the commune or territory it is placed at)}] by name, wider_total,
//   wider [{id, name, kind, labels, source, territory {id, name, level}}] (the nearest
//   territory containing it that each acts on; nearest first, then by name), programmes
//   [{id, name, phase, source, covers [{id, name, level, rel, rank}], lat, lon}] by name
//   (rel: 'self', 'inside' or 'above'; lat/lon: the point of the first territory inside it
//   that a programme covers, for those covering only such), edges [{type, source, target}]
//   from them to anything but another territory (the wrapper keeps those between shown
//   nodes), outline [[lat, lon]] of its communes (of its département for a commune), and
//   places [[lat, lon, name]], its most populous communes first
// Placement, as partners near does it: an organisation located in a commune of the
// territory is at its own location, else at that commune's; one only active in it is at
// the first commune (by id) it is active in, else at the centre (mean of the communes) of
// the smallest territory it is active in (EPCI, département, région, the territory
// itself) — always somewhere inside the territory drawn.
// Containment, both ways: a PART_OF path never passes through an EPCI (an EPCI may only be
// its first or last node): the Var holds Toulon and Saint-Zacharie, not Marseille, whose
// EPCI (Aix-Marseille-Provence) also touches the Var; Marseille is covered by programmes
// on the Bouches-du-Rhône, not on the Var. An EPCI and a département it spans overlap:
// what is active in or covers the one is shown for the other, like a commune's programmes
// for its département.
MATCH (t:Territory {id: $id})
WHERE {{alive t}}
CALL (t) {
  MATCH down = (c:Commune)-[:PART_OF*0..3]->(t)
  WHERE all(x IN nodes(down)[1..-1] WHERE NOT x:Epci) AND {{alive_path down}}
  RETURN avg(c.location.latitude) AS lat, avg(c.location.longitude) AS lon
}
CALL (t) {
  CALL (t) {
    MATCH (o:Organisation)-[l:LOCATED_IN]->(c:Commune), down = (c)-[:PART_OF*0..3]->(t)
    WHERE all(x IN nodes(down)[1..-1] WHERE NOT x:Epci) AND {{alive o}} AND {{alive l}}
      AND {{alive_path down}}
    RETURN o, c, null AS a
    UNION
    MATCH (o:Organisation)-[l:ACTIVE_IN]->(a:Territory), down = (a)-[:PART_OF*0..3]->(t)
    WHERE all(x IN nodes(down)[1..-1] WHERE NOT x:Epci) AND {{alive o}} AND {{alive l}}
      AND {{alive_path down}}
    RETURN o, null AS c, a
  }
  WITH o, head(collect(c)) AS c, collect(a) AS areas
  WITH o, c,
       head(COLLECT { UNWIND areas AS x WITH x WHERE x:Commune AND x.location IS NOT NULL
                      RETURN x ORDER BY x.id }) AS at_commune,
       head(COLLECT { UNWIND areas AS x WITH x WHERE NOT x:Commune
                      RETURN x ORDER BY CASE WHEN x:Epci THEN 0 WHEN x:Departement THEN 1
                                             WHEN x:Region THEN 2 ELSE 3 END, x.id }) AS area
  // its département, to fold the organisations by past a cap
  WITH o, c, at_commune, area, coalesce(c, at_commune) AS home
  OPTIONAL MATCH (home)-[hd:PART_OF]->(d:Departement) WHERE {{alive hd}} AND {{alive d}}
  WITH o, c, at_commune, area, head(collect(d.name)) AS grp
  ORDER BY o.name, o.id
  RETURN collect({o: o, c: c, at_commune: at_commune, grp: grp,
                  area: CASE WHEN c IS NULL AND at_commune IS NULL THEN area END}) AS found
}
WITH t, lat, lon, size(found) AS total, found[..$limit] AS page,
     [row IN found | row.o] AS in_it
// the centres of the territories the page's organisations are placed at (once each)
CALL (t, page) {
  UNWIND page AS row
  WITH DISTINCT row.area AS area
  WHERE area IS NOT NULL AND area <> t
  MATCH inside = (x:Commune)-[:PART_OF*1..2]->(area)
  WHERE x.location IS NOT NULL AND all(y IN nodes(inside)[1..-1] WHERE NOT y:Epci)
    AND {{alive_path inside}}
  WITH area, avg(x.location.latitude) AS alat, avg(x.location.longitude) AS alon
  RETURN collect({id: area.id, lat: alat, lon: alon}) AS centres
}
// the organisations acting on a territory containing it (not already in it)
CALL (t, in_it) {
  MATCH up = (t)-[:PART_OF*1..4]->(x:Territory)
  WHERE all(y IN nodes(up)[1..-1] WHERE NOT y:Epci) AND {{alive_path up}}
  WITH x, CASE WHEN x:Commune THEN 0 WHEN x:Epci THEN 1 WHEN x:Departement THEN 2
               WHEN x:Region THEN 3 ELSE 4 END AS rank
  MATCH (o:Organisation)-[l:ACTIVE_IN|LOCATED_IN]->(x)
  WHERE NOT o IN in_it AND {{alive l}} AND {{alive o}}
  WITH o, x, rank ORDER BY rank, x.id
  WITH o, head(collect(x)) AS x, min(rank) AS rank
  ORDER BY rank, o.name, o.id
  RETURN collect({o: o, x: x}) AS wider
}
CALL (t) {
  MATCH (p:Programme)-[cv:COVERS]->(x:Territory)
  WHERE {{alive p}} AND {{alive cv}} AND {{alive x}}
  WITH p, x,
       CASE WHEN x = t THEN 'self'
            WHEN EXISTS { MATCH down = (x)-[:PART_OF*1..3]->(t)
                          WHERE all(y IN nodes(down)[1..-1] WHERE NOT y:Epci)
                            AND {{alive_path down}} } THEN 'inside'
            WHEN EXISTS { MATCH up = (t)-[:PART_OF*1..3]->(x)
                          WHERE all(y IN nodes(up)[1..-1] WHERE NOT y:Epci)
                            AND {{alive_path up}} } THEN 'above'
       END AS rel
  WHERE rel IS NOT NULL
  WITH p, x, rel, CASE WHEN x:Commune THEN 0 WHEN x:Epci THEN 1 WHEN x:Departement THEN 2
                       WHEN x:Region THEN 3 ELSE 4 END AS rank
  ORDER BY rank, x.id
  WITH p, collect({x: x, rel: rel, rank: rank}) AS covers
  ORDER BY p.name, p.id
  WITH collect({p: p, covers: covers})[..$programmes_limit] AS programmes
  // a programme covering only territories inside it is drawn at the first one's point
  CALL (programmes) {
    UNWIND programmes AS row
    WITH row WHERE all(c IN row.covers WHERE c.rel = 'inside')
    WITH row.p AS p, head(row.covers).x AS x
    OPTIONAL MATCH inside = (c:Commune)-[:PART_OF*0..2]->(x)
    WHERE c.location IS NOT NULL AND all(y IN nodes(inside)[1..-1] WHERE NOT y:Epci)
      AND {{alive_path inside}}
    WITH p, avg(c.location.latitude) AS plat, avg(c.location.longitude) AS plon
    RETURN collect({id: p.id, lat: plat, lon: plon}) AS points
  }
  RETURN programmes, points
}
CALL (t) {
  OPTIONAL MATCH down = (c:Commune)-[:PART_OF*0..3]->(t)
  WHERE all(x IN nodes(down)[1..-1] WHERE NOT x:Epci) AND {{alive_path down}}
  WITH t, collect(DISTINCT c)[..$outline_limit] AS communes
  OPTIONAL MATCH (t)-[tp:PART_OF]->(parent:Departement)
  WHERE t:Commune AND {{alive tp}} AND {{alive parent}}
  OPTIONAL MATCH (sibling:Commune)-[sp:PART_OF]->(parent)
  WHERE {{alive sp}} AND {{alive sibling}}
  WITH communes, collect(sibling)[..$outline_limit] AS siblings
  WITH CASE WHEN size(communes) >= 3 THEN communes ELSE siblings END AS shown
  WITH [c IN shown WHERE c.location IS NOT NULL] AS shown
  RETURN [c IN shown | [c.location.latitude, c.location.longitude]] AS outline,
         COLLECT { UNWIND shown AS c RETURN [c.location.latitude, c.location.longitude, c.name]
                   ORDER BY c.population DESC, c.id LIMIT $places_limit } AS places
}
WITH t, lat, lon, total, page, centres, size(wider) AS wider_total,
     wider[..$wider_limit] AS wider, programmes, points, outline, places
WITH t, lat, lon, total, page, centres, wider_total, wider, programmes, points, outline,
     places,
     [t] + [row IN page | row.o] + [row IN wider | row.o] + [row IN programmes | row.p]
       AS shown
RETURN t {.id, .code, .name, .level, .source,
          lat: coalesce(t.location.latitude, lat), lon: coalesce(t.location.longitude, lon)}
         AS territory,
       total,
       [row IN page |
         {id: row.o.id, name: row.o.name, kind: row.o.kind, source: row.o.source,
          labels: labels(row.o),
          place: coalesce(row.c.name, row.at_commune.name, row.area.name, t.name),
          grp: coalesce(row.grp, row.area.name),
          placed_in: coalesce(row.c.id, row.at_commune.id, row.area.id, t.id),
          placed_by: CASE WHEN row.c IS NOT NULL AND row.o.location IS NOT NULL
                               AND coalesce(row.o.location_from, '') <> 'commune'
                            THEN 'own'
                          WHEN row.c IS NOT NULL OR row.at_commune IS NOT NULL
                            THEN 'commune'
                          ELSE 'territory' END,
          lat: CASE WHEN row.c IS NOT NULL
                      THEN coalesce(row.o.location, row.c.location).latitude
                    WHEN row.at_commune IS NOT NULL THEN row.at_commune.location.latitude
                    WHEN row.area IS NULL OR row.area = t
                      THEN coalesce(t.location.latitude, lat)
                    ELSE head([m IN centres WHERE m.id = row.area.id | m.lat]) END,
          lon: CASE WHEN row.c IS NOT NULL
                      THEN coalesce(row.o.location, row.c.location).longitude
                    WHEN row.at_commune IS NOT NULL THEN row.at_commune.location.longitude
                    WHEN row.area IS NULL OR row.area = t
                      THEN coalesce(t.location.longitude, lon)
                    ELSE head([m IN centres WHERE m.id = row.area.id | m.lon]) END}]
         AS organisations,
       wider_total,
       [row IN wider | {id: row.o.id, name: row.o.name, kind: row.o.kind,
                        source: row.o.source, labels: labels(row.o),
                        territory: {id: row.x.id, name: row.x.name,
                                    level: row.x.level}}] AS wider,
       [row IN programmes |
         {id: row.p.id, name: row.p.name, phase: row.p.phase, source: row.p.source,
          covers: [c IN row.covers | {id: c.x.id, name: c.x.name, level: c.x.level,
                                      rel: c.rel, rank: c.rank}],
          lat: head([m IN points WHERE m.id = row.p.id | m.lat]),
          lon: head([m IN points WHERE m.id = row.p.id | m.lon])}] AS programmes,
       COLLECT {
         UNWIND shown AS a
         MATCH (a)-[r]->(b) WHERE (NOT b:Territory OR b = t) AND {{alive r}}
         RETURN DISTINCT {type: type(r), source: a.id, target: b.id}
       } AS edges,
       outline, places
