// question: where is a commune (the centre of "partners near" from a commune code)
// parameters: $id (commune id), $as_of (DateTime or null: now)
// returns: the commune {id, code, name, level} and its latitude, longitude (null if unset)
MATCH (c:Commune {id: $id})
WHERE {{alive c}}
RETURN c {.id, .code, .name, .level} AS commune,
       c.location.latitude AS latitude, c.location.longitude AS longitude
