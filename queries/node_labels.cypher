// question: which of these ids exist, and what are they — a cheap existence check (e.g.
//   before answering an embed snippet) that never builds a view
// parameters: $ids (list of element or territory ids), $as_of (DateTime or null: now)
// returns: one row per id found: id, labels
// One MATCH per keyed label, each on its uniqueness constraint, so the lookup never scans.
UNWIND $ids AS wanted
CALL (wanted) {
  MATCH (n:Organisation {id: wanted}) RETURN n
  UNION MATCH (n:Programme {id: wanted}) RETURN n
  UNION MATCH (n:Need {id: wanted}) RETURN n
  UNION MATCH (n:DialogueSpace {id: wanted}) RETURN n
  UNION MATCH (n:Deliverable {id: wanted}) RETURN n
  UNION MATCH (n:Study {id: wanted}) RETURN n
  UNION MATCH (n:Event {id: wanted}) RETURN n
  UNION MATCH (n:Person {id: wanted}) RETURN n
  UNION MATCH (n:Territory {id: wanted}) RETURN n
}
WITH DISTINCT wanted, n
WHERE {{alive n}}
RETURN wanted AS id, labels(n) AS labels
