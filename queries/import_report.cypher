// question: what did this load do — its record and its full report, again
// parameters: $id (an import id, `imp-…`)
// returns: zero or one row: the fields of imports.cypher (without total) and report (the
//   load report as JSON text, as the load answered it)
MATCH (i:Import {id: $id})
RETURN i.id AS id, i.at AS at, i.finished_at AS finished_at, i.dataset AS dataset,
       i.datasets AS datasets, i.files AS files, i.sha256 AS sha256, i.by AS by,
       i.mode AS mode, i.state AS state, i.undone_at AS undone_at, i.undone_by AS undone_by,
       i.recovered_at AS recovered_at,
       i.elements_created AS elements_created, i.elements_updated AS elements_updated,
       i.elements_unchanged AS elements_unchanged, i.elements_retired AS elements_retired,
       i.connections_created AS connections_created,
       i.connections_updated AS connections_updated,
       i.connections_unchanged AS connections_unchanged,
       i.connections_retired AS connections_retired,
       i.report AS report
