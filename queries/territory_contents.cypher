// question: what is located in a territory — the organisations located in it (or in a
//   territory inside it) or active in it, and the programmes covering it, a territory
//   inside it or one containing it — with where each one is, for a map
// parameters: $id (territory id), $limit (organisations at most), $programmes_limit,
//   $outline_limit (commune points at most for the outline)
// returns: at most one row: territory {id, code, name, level, lat, lon} (lat/lon: its own
//   location or the mean of its communes'), total (organisations), organisations [{id, name,
//   kind, labels, source, place, grp, lat, lon}] by name, programmes [{id, name, phase,
//   source, covers [territory ids]}] by name, edges [{type, source, target}] from them to
//   anything but another territory (the wrapper keeps those between shown nodes), and outline [[lat, lon]] of the communes of the territory (of its
//   départements for a commune)
// Containment, both ways: a PART_OF path never passes through an EPCI (an EPCI may only be
// its first or last node): the Var holds Toulon and Saint-Zacharie, not Marseille, whose
// EPCI (Aix-Marseille-Provence) also touches the Var; Marseille is covered by programmes
// on the Bouches-du-Rhône, not on the Var. An EPCI and a département it spans overlap:
// what is active in or covers the one is shown for the other, like a commune's programmes
// for its département.
MATCH (t:Territory {id: $id})
CALL (t) {
  MATCH down = (c:Commune)-[:PART_OF*0..3]->(t)
  WHERE all(x IN nodes(down)[1..-1] WHERE NOT x:Epci)
  RETURN avg(c.location.latitude) AS lat, avg(c.location.longitude) AS lon
}
CALL (t) {
  MATCH (o:Organisation)-[:LOCATED_IN]->(c:Commune), down = (c)-[:PART_OF*0..3]->(t)
  WHERE all(x IN nodes(down)[1..-1] WHERE NOT x:Epci)
  RETURN o, c
  UNION
  MATCH (o:Organisation)-[:ACTIVE_IN]->(a:Territory), down = (a)-[:PART_OF*0..3]->(t)
  WHERE all(x IN nodes(down)[1..-1] WHERE NOT x:Epci)
  OPTIONAL MATCH (o)-[:LOCATED_IN]->(c:Commune)
  RETURN o, c
}
WITH t, lat, lon, o, head(collect(c)) AS c
OPTIONAL MATCH (c)-[:PART_OF]->(d:Departement)
WITH t, lat, lon, o, c, head(collect(d.name)) AS grp
ORDER BY o.name, o.id
WITH t, lat, lon, collect({o: o, c: c, grp: grp}) AS found
WITH t, lat, lon, size(found) AS total, found[..$limit] AS page
CALL (t) {
  OPTIONAL MATCH (p:Programme)-[:COVERS]->(x:Territory)
  WHERE x = t
     OR EXISTS { MATCH down = (x)-[:PART_OF*1..3]->(t)
                 WHERE all(y IN nodes(down)[1..-1] WHERE NOT y:Epci) }
     OR EXISTS { MATCH up = (t)-[:PART_OF*1..3]->(x)
                 WHERE all(y IN nodes(up)[1..-1] WHERE NOT y:Epci) }
  WITH p, collect(DISTINCT x.id) AS covers WHERE p IS NOT NULL
  ORDER BY p.name, p.id
  RETURN collect({p: p, covers: covers})[..$programmes_limit] AS programmes
}
CALL (t) {
  OPTIONAL MATCH down = (c:Commune)-[:PART_OF*0..3]->(t)
  WHERE all(x IN nodes(down)[1..-1] WHERE NOT x:Epci)
  WITH t, collect(DISTINCT c)[..$outline_limit] AS communes
  OPTIONAL MATCH (t)-[:PART_OF]->(parent:Departement) WHERE t:Commune
  OPTIONAL MATCH (sibling:Commune)-[:PART_OF]->(parent)
  WITH communes, collect(sibling)[..$outline_limit] AS siblings
  WITH CASE WHEN size(communes) >= 3 THEN communes ELSE siblings END AS shown
  RETURN [c IN shown WHERE c.location IS NOT NULL |
          [c.location.latitude, c.location.longitude]] AS outline
}
WITH t, lat, lon, total, page, programmes, outline,
     [t] + [row IN page | row.o] + [row IN programmes | row.p] AS shown
RETURN t {.id, .code, .name, .level, .source,
          lat: coalesce(t.location.latitude, lat), lon: coalesce(t.location.longitude, lon)}
         AS territory,
       total,
       [row IN page | {id: row.o.id, name: row.o.name, kind: row.o.kind,
                        source: row.o.source, labels: labels(row.o), place: row.c.name,
                        grp: row.grp,
                        lat: coalesce(row.o.location, row.c.location).latitude,
                        lon: coalesce(row.o.location, row.c.location).longitude}]
         AS organisations,
       [row IN programmes | {id: row.p.id, name: row.p.name, phase: row.p.phase,
                             source: row.p.source, covers: row.covers}] AS programmes,
       COLLECT {
         UNWIND shown AS a
         MATCH (a)-[r]->(b) WHERE NOT b:Territory OR b = t
         RETURN DISTINCT {type: type(r), source: a.id, target: b.id}
       } AS edges,
       outline
