// question: the whole graph, for an export (Gephi, networkx): every element, and the
//   territories as asked
// parameters: $territories ('all', 'linked': those an element links to, or 'none')
// returns: one row: nodes [{id, name, labels, kind, source, lat, lon}] and edges
//   [{type, source, target}] from them (the wrapper keeps those between exported nodes)
CALL () {
  MATCH (n:Organisation) RETURN n
  UNION MATCH (n:Programme) RETURN n
  UNION MATCH (n:Need) RETURN n
  UNION MATCH (n:DialogueSpace) RETURN n
  UNION MATCH (n:Deliverable) RETURN n
  UNION MATCH (n:Study) RETURN n
  UNION MATCH (n:Event) RETURN n
  UNION MATCH (n:Person) RETURN n
  UNION
  MATCH (n:Territory)
  WHERE $territories = 'all'
     OR ($territories = 'linked' AND EXISTS { (n)--(m) WHERE NOT m:Territory })
  RETURN n
}
WITH collect(n) AS shown
RETURN [n IN shown | n {.id, .name, .source, labels: labels(n),
                        kind: coalesce(n.kind, n.phase, n.category, n.level),
                        lat: n.location.latitude, lon: n.location.longitude}] AS nodes,
       COLLECT {
         UNWIND shown AS a
         MATCH (a)-[r]->(b)
         RETURN {type: type(r), source: a.id, target: b.id}
       } AS edges
