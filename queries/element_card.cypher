// question: what one element or territory is: its labels, its properties, and the sources of its facts
// parameters: $id (element or territory id)
// returns: at most one row: labels, props (every property), degree, rel_sources
//   (one map per relationship type and source: {type, source, uses})
// One MATCH per keyed label, each on its uniqueness constraint, so the lookup never scans.
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
CALL (n) {
  MATCH (n)-[r]-()
  WITH type(r) AS type, r.source AS source, count(*) AS uses
  RETURN collect({type: type, source: source, uses: uses}) AS rel_sources, sum(uses) AS degree
}
RETURN labels(n) AS labels, properties(n) AS props, degree, rel_sources
