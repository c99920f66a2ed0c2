// question: which programmes are there, optionally of a phase, answering a need
// parameters: $phase (urgence, relance or null), $need (need id or null), $limit, $offset,
//   $as_of (DateTime or null: now)
// returns: one row: total (all matching), items (the page, by name then id:
//   {id, name, phase, labels})
MATCH (p:Programme)
WHERE ($phase IS NULL OR p.phase = $phase)
  AND {{alive p}}
  AND ($need IS NULL OR EXISTS { (p)-[r:ADDRESSES]->(n:Need {id: $need})
                                 WHERE {{alive r}} AND {{alive n}} })
WITH p ORDER BY p.name, p.id SKIP $offset LIMIT $limit
WITH collect({id: p.id, name: p.name, phase: p.phase, labels: labels(p)}) AS items
CALL () {
  MATCH (p:Programme)
  WHERE ($phase IS NULL OR p.phase = $phase)
    AND {{alive p}}
    AND ($need IS NULL OR EXISTS { (p)-[r:ADDRESSES]->(n:Need {id: $need})
                                   WHERE {{alive r}} AND {{alive n}} })
  RETURN count(p) AS total
}
RETURN total, items
