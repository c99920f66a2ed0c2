// question: what surrounds an element (any node with an id: organisation, programme, need,
//   space, territory…) up to a depth, one page at a time so a hub returns a page and a total
// parameters: $id (node id), $depth (1 to 3), $limit, $offset, $as_of (DateTime or null: now)
// returns: one row: centre {id, name, kind, labels} (null when the id is unknown), total
//   (nodes within depth), items [{node, distance}] nearest first then by name, and edges
//   [{type, source, target}] among the centre and the nodes of the page
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
// breadth first, one level at a time, DISTINCT at each level so a hub is expanded once;
// the aggregation inside CALL keeps one row for a node without any link; only what is
// alive (the relationship and the node it leads to) is walked
CALL (n) {
  CALL (n) {
    MATCH (n)-[r1]-(m) WHERE {{alive r1}} AND {{alive m}}
    RETURN DISTINCT m, 1 AS d
    UNION
    WITH n WHERE $depth >= 2
    MATCH (n)-[r1]-(x) WHERE {{alive r1}} AND {{alive x}}
    WITH DISTINCT x
    MATCH (x)-[r2]-(m) WHERE {{alive r2}} AND {{alive m}}
    RETURN DISTINCT m, 2 AS d
    UNION
    WITH n WHERE $depth >= 3
    MATCH (n)-[r1]-(x) WHERE {{alive r1}} AND {{alive x}}
    WITH DISTINCT x
    MATCH (x)-[r2]-(y) WHERE {{alive r2}} AND {{alive y}}
    WITH DISTINCT y
    MATCH (y)-[r3]-(m) WHERE {{alive r3}} AND {{alive m}}
    RETURN DISTINCT m, 3 AS d
  }
  WITH m, min(d) AS distance WHERE m <> n
  WITH m, distance ORDER BY distance, m.name, m.id
  RETURN collect({m: m, distance: distance}) AS found
}
WITH n, size(found) AS total, found[$offset..$offset + $limit] AS page
WITH n, total, page, [n] + [row IN page | row.m] AS shown
RETURN n {.id, .name, .kind, labels: labels(n)} AS centre, total,
       [row IN page | {node: {id: row.m.id, name: row.m.name, kind: row.m.kind,
                              labels: labels(row.m)},
                       distance: row.distance}] AS items,
       COLLECT {
         UNWIND shown AS a
         MATCH (a)-[r]->(b) WHERE b IN shown AND {{alive r}}
         RETURN DISTINCT {type: type(r), source: a.id, target: b.id}
       } AS edges
