// question: which needs exist, to offer them in a list
// parameters: $limit
// returns: one row per need, by name: id, name, category
MATCH (n:Need)
RETURN n.id AS id, n.name AS name, n.category AS extra
ORDER BY toLower(coalesce(n.name, n.id)), n.id
LIMIT $limit
