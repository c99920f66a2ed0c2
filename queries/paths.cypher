// question: who can introduce me — the shortest paths between two organisations, up to
//   k hops, through partnerships, memberships, dialogue spaces, shared programmes,
//   deliverables, events and the people who lead them (not through territories or needs:
//   sharing a commune or a need is not knowing each other)
// parameters: $source, $target (organisation ids), $limit (paths returned), $as_of
//   (DateTime or null: now); max_hops, a bound Cypher takes no parameter for, filled in
//   as a validated integer
// returns: one row: source, target (null when unknown) and paths, each {nodes [{id, name,
//   kind, labels}], rels [{type, source, target}]}
// Only what is alive is walked: the rule on every node and relationship of the path is
// checked by the shortest-path search itself as it expands.
OPTIONAL MATCH (a:Organisation {id: $source}) WHERE {{alive a}}
OPTIONAL MATCH (b:Organisation {id: $target}) WHERE {{alive b}}
CALL (a, b) {
  WITH a, b WHERE a IS NOT NULL AND b IS NOT NULL AND a <> b
  MATCH p = allShortestPaths((a)-[:PARTNERS_WITH|MEMBER_OF|PARTICIPATES_IN|COPILOTS|CARRIES|
        FUNDS|OPERATES|RELAYS|PRODUCED|HELD|SPOKE_AT|LEADS*..{{max_hops}}]-(b))
  WHERE {{alive_path p}}
  WITH p LIMIT $limit
  RETURN collect({
    nodes: [x IN nodes(p) | x {.id, .name, .kind, labels: labels(x)}],
    rels: [r IN relationships(p) |
           {type: type(r), source: startNode(r).id, target: endNode(r).id}]
  }) AS paths
}
RETURN a {.id, .name, .kind, labels: labels(a)} AS source,
       b {.id, .name, .kind, labels: labels(b)} AS target, paths
