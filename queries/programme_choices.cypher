// question: which programmes exist, to offer them in a list
// parameters: $limit, $as_of (DateTime or null: now)
// returns: one row per programme, urgence first, then relance, then by name: id, name, phase
MATCH (p:Programme)
WHERE {{alive p}}
RETURN p.id AS id, p.name AS name, p.phase AS extra
ORDER BY CASE p.phase WHEN 'urgence' THEN 0 WHEN 'relance' THEN 1 ELSE 2 END,
         toLower(coalesce(p.name, p.id)), p.id
LIMIT $limit
