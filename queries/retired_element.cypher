// question: what became of an element the questions no longer show — retired from the
//   inventory, or merged into another organisation — whatever its state now
// parameters: $id (element or territory id)
// returns: at most one row: id, name, labels, retired_at, retired_by, merged_into,
//   merged_at, kept_name (the name of the organisation it was merged into)
// One MATCH per keyed label, each on its uniqueness constraint, so the lookup never
// scans; no condition on the state: this is the one read that sees retired nodes whole.
CALL () {
  MATCH (n:Organisation {id: $id}) RETURN n
  UNION MATCH (n:Programme {id: $id}) RETURN n
  UNION MATCH (n:Need {id: $id}) RETURN n
  UNION MATCH (n:DialogueSpace {id: $id}) RETURN n
  UNION MATCH (n:Deliverable {id: $id}) RETURN n
  UNION MATCH (n:Study {id: $id}) RETURN n
  UNION MATCH (n:Event {id: $id}) RETURN n
  UNION MATCH (n:Person {id: $id}) RETURN n
  UNION MATCH (n:Territory {id: $id}) RETURN n
}
WITH n LIMIT 1
OPTIONAL MATCH (k:Organisation {id: n.merged_into})
RETURN n.id AS id, n.name AS name, labels(n) AS labels, n.retired_at AS retired_at,
       n.retired_by AS retired_by, n.merged_into AS merged_into, n.merged_at AS merged_at,
       k.name AS kept_name
