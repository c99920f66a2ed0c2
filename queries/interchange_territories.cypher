// question: every territory, parents before children, for a territory reference file
// parameters: $rank (level token → its rank, top down: {country: 0, region: 1, …}), $as_of
//   (DateTime or null: now)
// returns: one row per territory: [id, level, code, name, population, lat, lon, source,
//   parent ids], by level rank top down, then by id; only the territories alive
MATCH (t:Territory)
WHERE {{alive t}}
WITH t ORDER BY coalesce($rank[t.level], size(keys($rank))), t.id
RETURN t.id AS id, t.level AS level, t.code AS code, t.name AS name,
       t.population AS population, t.location.latitude AS lat,
       t.location.longitude AS lon, t.source AS source,
       COLLECT { MATCH (t)-[r:PART_OF]->(p:Territory) WHERE {{alive r}} AND {{alive p}}
                 RETURN p.id ORDER BY p.id } AS parents
