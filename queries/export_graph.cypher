// question: the whole graph, for an export (Gephi, networkx): every element, and the
//   territories as asked
// parameters: $territories ('all', 'linked': those an element links to, or 'none'), $as_of
//   (DateTime or null: now)
// returns: one row: nodes [{id, name, labels, kind, source, lat, lon}] and edges
//   [{type, source, target}] from them (the wrapper keeps those between exported nodes);
//   only what is alive
CALL () {
  MATCH (n:Organisation) WHERE {{alive n}} RETURN n
  UNION MATCH (n:Programme) WHERE {{alive n}} RETURN n
  UNION MATCH (n:Need) WHERE {{alive n}} RETURN n
  UNION MATCH (n:DialogueSpace) WHERE {{alive n}} RETURN n
  UNION MATCH (n:Deliverable) WHERE {{alive n}} RETURN n
  UNION MATCH (n:Study) WHERE {{alive n}} RETURN n
  UNION MATCH (n:Event) WHERE {{alive n}} RETURN n
  UNION MATCH (n:Person) WHERE {{alive n}} RETURN n
  UNION
  MATCH (n:Territory)
  WHERE {{alive n}}
    AND ($territories = 'all'
         OR ($territories = 'linked'
             AND EXISTS { (n)-[r]-(m) WHERE NOT m:Territory AND {{alive r}} AND {{alive m}} }))
  RETURN n
}
WITH collect(n) AS shown
RETURN [n IN shown | n {.id, .name, .source, labels: labels(n),
                        kind: coalesce(n.kind, n.phase, n.category, n.level),
                        lat: n.location.latitude, lon: n.location.longitude}] AS nodes,
       COLLECT {
         UNWIND shown AS a
         MATCH (a)-[r]->(b)
         WHERE {{alive r}}
         RETURN {type: type(r), source: a.id, target: b.id}
       } AS edges
