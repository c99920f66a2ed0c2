// question: which of these ids are organisations (a page reading a box that holds an id)
// parameters: $ids (list of ids), $as_of (DateTime or null: now)
// returns: one row per organisation found: id, name, kind, labels
MATCH (o:Organisation)
WHERE o.id IN $ids AND {{alive o}}
RETURN o.id AS id, o.name AS name, o.kind AS kind, labels(o) AS labels
ORDER BY o.id
