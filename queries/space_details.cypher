// question: what each dialogue space is, who sits in it, what it produced, held and who
//   relays its work — for the space pages
// parameters: $ids (space ids to return, or null for every dialogue space), $as_of
//   (DateTime or null: now)
// returns: one row per space, by name: space {id, name, count, description, start, end,
//   tags, source}, members [{id, name, kind, labels, relation, role}] (PARTICIPATES_IN with its
//   role, or COPILOTS — an organisation or a person), deliverables [{id, name, label,
//   date, role}] (PRODUCED), events [{id, name, start, role}] (HELD), relays [{id, name,
//   kind, labels, role, deliverable {id, name}}] (organisations that RELAYS something
//   the space produced)
MATCH (s:DialogueSpace)
WHERE ($ids IS NULL OR s.id IN $ids) AND {{alive s}}
CALL (s) {
  OPTIONAL MATCH (m)-[r:PARTICIPATES_IN|COPILOTS]->(s)
  WHERE {{alive r}} AND {{alive m}}
  WITH m, r ORDER BY m.name, m.id, type(r)
  RETURN collect(CASE WHEN m IS NOT NULL THEN
    {id: m.id, name: m.name, kind: m.kind, labels: labels(m), relation: type(r),
     role: r.role} END) AS members
}
CALL (s) {
  OPTIONAL MATCH (s)-[r:PRODUCED]->(d)
  WHERE {{alive r}} AND {{alive d}}
  WITH d, r ORDER BY coalesce(r.date, d.start, ''), d.name, d.id
  RETURN collect(CASE WHEN d IS NOT NULL THEN
    {id: d.id, name: d.name, labels: labels(d), date: coalesce(r.date, d.start),
     role: r.role} END) AS deliverables
}
CALL (s) {
  OPTIONAL MATCH (s)-[r:HELD]->(e:Event)
  WHERE {{alive r}} AND {{alive e}}
  WITH e, r ORDER BY coalesce(r.date, e.start, ''), e.name, e.id
  RETURN collect(CASE WHEN e IS NOT NULL THEN
    {id: e.id, name: e.name, start: coalesce(r.date, e.start), role: r.role} END) AS events
}
CALL (s) {
  OPTIONAL MATCH (s)-[p:PRODUCED]->(d)<-[r:RELAYS]-(o:Organisation)
  WHERE {{alive p}} AND {{alive d}} AND {{alive r}} AND {{alive o}}
  WITH o, r, d ORDER BY o.name, o.id, d.name
  RETURN collect(CASE WHEN o IS NOT NULL THEN
    {id: o.id, name: o.name, kind: o.kind, labels: labels(o), role: r.role,
     deliverable: d {.id, .name}} END) AS relays
}
RETURN s {.id, .name, .count, .description, .start, .end, .tags, .source} AS space,
       members, deliverables, events, relays
ORDER BY s.name, s.id
