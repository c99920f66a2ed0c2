// question: which elements have a name near a text that names none (for "did you mean")
// parameters: $index (the full-text index), $fuzzy (a Lucene query: each word of the text
//   with an edit distance), $labels (labels wanted), $limit (full-text hits at most),
//   $as_of (DateTime or null: now)
// returns: rows {id, name, label (first of $labels it has), kind, aliases}; the caller
//   ranks them by edit distance
CALL db.index.fulltext.queryNodes($index, $fuzzy, {limit: $limit}) YIELD node, score
WITH node, score, [l IN $labels WHERE l IN labels(node)] AS wanted
WHERE size(wanted) > 0 AND {{alive node}}
RETURN node.id AS id, node.name AS name, wanted[0] AS label,
       coalesce(node.kind, node.phase, node.category) AS kind, node.aliases AS aliases
ORDER BY score DESC, id
