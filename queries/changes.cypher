// question: what appeared, changed and was retired in the graph between two instants — the
//   page « Ce qui a changé » and GET /changes
// parameters: $since, $until (DateTime, UTC; the window, both ends included), $dataset (a
//   dataset's name: only the facts it states, or stated when retired; null: every fact)
// returns: one row per element or connection whose latest event in the window is a
//   retirement, a first appearance or a change: what ('element' or 'connection'), change
//   ('retired', 'appeared', 'changed'), at (when), id, name, labels (an element), type,
//   from_id, from_name, to_id, to_name (a connection), history (the fact's history entries,
//   JSON text: the caller keeps those of the window)
// Every fact with a first_seen is read (a label scan of the graph): the loads are the only
// writers, and a steward asks this now and then, not per request of a page's visitor.
CALL {
  MATCH (n)
  WHERE NOT n:Import AND n.first_seen IS NOT NULL
    AND ($dataset IS NULL OR $dataset IN coalesce(n.datasets, []))
  WITH n, CASE
      WHEN n.retired_at >= $since AND n.retired_at <= $until THEN 'retired'
      WHEN n.first_seen >= $since AND n.first_seen <= $until THEN 'appeared'
      WHEN n.last_changed >= $since AND n.last_changed <= $until THEN 'changed'
    END AS change
  WHERE change IS NOT NULL
  RETURN 'element' AS what, change,
         CASE change WHEN 'retired' THEN n.retired_at WHEN 'appeared' THEN n.first_seen
                     ELSE n.last_changed END AS at,
         n.id AS id, n.name AS name, labels(n) AS labels, null AS type,
         null AS from_id, null AS from_name, null AS to_id, null AS to_name,
         n.history AS history
  UNION ALL
  MATCH (a)-[r]->(b)
  WHERE r.first_seen IS NOT NULL
    AND ($dataset IS NULL OR $dataset IN coalesce(r.datasets, []))
  WITH a, r, b, CASE
      WHEN r.retired_at >= $since AND r.retired_at <= $until THEN 'retired'
      WHEN r.first_seen >= $since AND r.first_seen <= $until THEN 'appeared'
      WHEN r.last_changed >= $since AND r.last_changed <= $until THEN 'changed'
    END AS change
  WHERE change IS NOT NULL
  RETURN 'connection' AS what, change,
         CASE change WHEN 'retired' THEN r.retired_at WHEN 'appeared' THEN r.first_seen
                     ELSE r.last_changed END AS at,
         null AS id, null AS name, null AS labels, type(r) AS type,
         a.id AS from_id, a.name AS from_name, b.id AS to_id, b.name AS to_name,
         r.history AS history
}
RETURN what, change, at, id, name, labels, type, from_id, from_name, to_id, to_name, history
ORDER BY at DESC, what DESC, coalesce(name, from_name), to_name
