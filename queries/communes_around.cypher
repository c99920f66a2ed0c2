// question: which communes are around a commune — within a radius of its location, for
//   the faint points and the place names of its map
// parameters: $id (commune id), $radius_m (metres), $limit (communes at most), $as_of
//   (DateTime or null: now)
// returns: one row per commune within the radius (the commune itself included), the most
//   populous first: id, name, population, lat, lon, distance_km (from the commune)
// Cost: the commune point index (commune_location) answers the distance test.
MATCH (home:Commune {id: $id})
WHERE home.location IS NOT NULL AND {{alive home}}
MATCH (c:Commune)
WHERE point.distance(c.location, home.location) <= $radius_m AND {{alive c}}
RETURN c.id AS id, c.name AS name, c.population AS population,
       c.location.latitude AS lat, c.location.longitude AS lon,
       point.distance(c.location, home.location) / 1000.0 AS distance_km
ORDER BY c.population DESC, c.id
LIMIT $limit
