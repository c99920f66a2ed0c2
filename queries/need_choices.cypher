// question: which needs exist, to offer them in a list
// parameters: $limit, $as_of (DateTime or null: now)
// returns: one row per need, by name: id, name, category
MATCH (n:Need)
WHERE {{alive n}}
RETURN n.id AS id, n.name AS name, n.category AS extra
ORDER BY toLower(coalesce(n.name, n.id)), n.id
LIMIT $limit
