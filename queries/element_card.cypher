// question: what one element or territory is: its labels, its properties, and the sources of its facts
// parameters: $id (element or territory id), $as_of (DateTime or null: now)
// returns: at most one row: labels, props (every property), degree, rel_sources
//   (one map per relationship type, direction and source: {type, direction, source, uses};
//   direction "out" when the element is the relationship's start, "in" otherwise, so that
//   the fiche reads « dirigé par » for a person who leads the organisation)
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
WITH n WHERE {{alive n}}
WITH n LIMIT 1
CALL (n) {
  MATCH (n)-[r]-(m)
  WHERE {{alive r}} AND {{alive m}}
  WITH type(r) AS type, CASE WHEN startNode(r) = n THEN 'out' ELSE 'in' END AS direction,
       r.source AS source, count(*) AS uses
  RETURN collect({type: type, direction: direction, source: source, uses: uses}) AS rel_sources,
         sum(uses) AS degree
}
RETURN labels(n) AS labels, properties(n) AS props, degree, rel_sources
