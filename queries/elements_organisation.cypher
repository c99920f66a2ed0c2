// question: what one organisation is, where it is, and what it is linked to
// parameters: $id (organisation id), $links_limit, $as_of (DateTime or null: now)
// returns: at most one row: props, labels, commune ({id, code, name, level} or null),
//   links (at most $links_limit: {type, direction, id, name, labels, kind}), degree
MATCH (n:Organisation {id: $id})
WHERE {{alive n}}
OPTIONAL MATCH (n)-[l:LOCATED_IN]->(c:Commune)
WHERE {{alive l}} AND {{alive c}}
WITH n, head(collect(c {.id, .code, .name, .level})) AS commune
CALL (n) {
  OPTIONAL MATCH (n)-[r]-(m)
  WHERE type(r) <> 'LOCATED_IN' AND {{alive r}} AND {{alive m}}
  WITH n, r, m ORDER BY type(r), m.name, m.id LIMIT $links_limit
  RETURN collect(CASE WHEN r IS NULL THEN null ELSE {
    type: type(r),
    direction: CASE WHEN type(r) = 'PARTNERS_WITH' THEN 'both'
                    WHEN startNode(r) = n THEN 'out' ELSE 'in' END,
    id: m.id, name: m.name, labels: labels(m), kind: m.kind} END) AS links
}
RETURN properties(n) AS props, labels(n) AS labels, commune, links,
       COUNT { (n)-[r]-(m) WHERE {{alive r}} AND {{alive m}} } AS degree
