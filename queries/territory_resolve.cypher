// question: is the territory a parameter was read as (graph.territory_reference) in the graph
// parameters: $id (a territory id: FR, region:32, departement:59, epci:…, commune:59512),
//   $as_of (DateTime or null: now)
// returns: at most one row: territory {id, code, name, level, population}
MATCH (t:Territory {id: $id})
WHERE {{alive t}}
RETURN t {.id, .code, .name, .level, .population} AS territory
