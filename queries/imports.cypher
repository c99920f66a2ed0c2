// question: which loads were made, the latest first — the history of the inventory
// parameters: $limit, $offset (a page), $dataset (null: every dataset)
// returns: one row per Import record: id, at, finished_at, dataset, datasets, files,
//   sha256, by, mode, state, undone_at, undone_by, recovered_at (a replace cut short,
//   finished by a later load), and the eight counts (elements_created…
//   connections_retired); total: how many records match, on every row
// Few Import nodes exist (one a load): the index on `at` orders them.
MATCH (i:Import)
WHERE $dataset IS NULL OR $dataset IN i.datasets
WITH i ORDER BY i.at DESC
WITH collect(i) AS records
UNWIND records[$offset..$offset + $limit] AS i
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
       size(records) AS total
