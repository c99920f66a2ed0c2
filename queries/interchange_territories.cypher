// question: every territory, parents before children, for a territory reference file
// parameters: $rank (level token → its rank, top down: {country: 0, region: 1, …})
// returns: one row per territory: [id, level, code, name, population, lat, lon, source,
//   parent ids], by level rank top down, then by id
MATCH (t:Territory)
WITH t ORDER BY coalesce($rank[t.level], size(keys($rank))), t.id
RETURN t.id AS id, t.level AS level, t.code AS code, t.name AS name,
       t.population AS population, t.location.latitude AS lat,
       t.location.longitude AS lon, t.source AS source,
       COLLECT { MATCH (t)-[:PART_OF]->(p:Territory) RETURN p.id ORDER BY p.id } AS parents
