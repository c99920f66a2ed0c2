// question: what one programme is, who carries, funds, operates or relays it, which needs
//   it answers and which territories it covers
// parameters: $id (programme id), $links_limit, $as_of (DateTime or null: now)
// returns: at most one row: props, labels, commune (always null), links (at most
//   $links_limit: {type, direction, id, name, labels, kind}), degree
MATCH (n:Programme {id: $id})
WHERE {{alive n}}
CALL (n) {
  OPTIONAL MATCH (n)-[r]-(m)
  WHERE {{alive r}} AND {{alive m}}
  WITH n, r, m ORDER BY type(r), m.name, m.id LIMIT $links_limit
  RETURN collect(CASE WHEN r IS NULL THEN null ELSE {
    type: type(r),
    direction: CASE WHEN startNode(r) = n THEN 'out' ELSE 'in' END,
    id: m.id, name: m.name, labels: labels(m), kind: coalesce(m.kind, m.category, m.level)}
    END) AS links
}
RETURN properties(n) AS props, labels(n) AS labels, null AS commune, links,
       COUNT { (n)-[r]-(m) WHERE {{alive r}} AND {{alive m}} } AS degree
