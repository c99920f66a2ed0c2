// question: which communes a user may mean by what they typed (a name start or a code start)
// parameters: $key (normalised name start, '' for none), $code (code start, '' for none),
//   $exact (true: the whole name or code must match), $limit
// returns: one row per commune, largest first: id, code, name, population, departement
// name_key and code each have a range index on Territory: STARTS WITH uses them.
// The département is the commune's own (its direct PART_OF), never one reached through its
// EPCI, which may span several.
CALL () {
  MATCH (c:Territory) WHERE $key <> '' AND c.name_key STARTS WITH $key AND c:Commune
    AND (NOT $exact OR c.name_key = $key)
  RETURN c
  UNION
  MATCH (c:Territory) WHERE $code <> '' AND c.code STARTS WITH $code AND c:Commune
    AND (NOT $exact OR c.code = $code)
  RETURN c
}
WITH c ORDER BY coalesce(c.population, 0) DESC, c.name LIMIT $limit
OPTIONAL MATCH (c)-[:PART_OF]->(d:Departement)
RETURN c.id AS id, c.code AS code, c.name AS name, c.population AS population,
       d.name AS departement, d.code AS departement_code
ORDER BY coalesce(population, 0) DESC, name
