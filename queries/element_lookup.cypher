// question: which elements does a text name — as their id, by their name key, or as one
//   of their spellings (full-text phrase; the caller compares the spellings' keys)
// parameters: $id (the text as written), $keys (name keys: the text's, and those of its
//   spellings in data/aliases.csv), $labels (labels wanted), $index (the full-text index),
//   $phrase (a Lucene phrase of the text's words), $limit (full-text hits at most),
//   $as_of (DateTime or null: now)
// returns: rows {id, name, label (first of $labels it has), kind, aliases, via
//   ("id" | "name" | "spelling")}
// One MATCH per keyed label on its uniqueness constraint, so an id never scans. A
// duplicate merged into another (loaders/merge.py) is retired, so not taken now: its name
// is an alias of the one it was merged into, which is.
CALL () {
  MATCH (n:Organisation {id: $id}) RETURN n, 'id' AS via
  UNION MATCH (n:Programme {id: $id}) RETURN n, 'id' AS via
  UNION MATCH (n:Need {id: $id}) RETURN n, 'id' AS via
  UNION MATCH (n:DialogueSpace {id: $id}) RETURN n, 'id' AS via
  UNION MATCH (n:Deliverable {id: $id}) RETURN n, 'id' AS via
  UNION MATCH (n:Study {id: $id}) RETURN n, 'id' AS via
  UNION MATCH (n:Event {id: $id}) RETURN n, 'id' AS via
  UNION MATCH (n:Person {id: $id}) RETURN n, 'id' AS via
  UNION MATCH (n:Territory {id: $id}) RETURN n, 'id' AS via
  // organisations: the name_key range index
  UNION MATCH (n:Organisation) WHERE n.name_key IN $keys RETURN n, 'name' AS via
  UNION MATCH (n:Programme) WHERE 'Programme' IN $labels AND n.name_key IN $keys
        RETURN n, 'name' AS via
  UNION CALL db.index.fulltext.queryNodes($index, $phrase, {limit: $limit}) YIELD node
        RETURN node AS n, 'spelling' AS via
}
WITH n, via, [l IN $labels WHERE l IN labels(n)] AS wanted
WHERE size(wanted) > 0 AND {{alive n}}
RETURN n.id AS id, n.name AS name, wanted[0] AS label,
       coalesce(n.kind, n.phase, n.category) AS kind, n.aliases AS aliases, via
ORDER BY id, via
