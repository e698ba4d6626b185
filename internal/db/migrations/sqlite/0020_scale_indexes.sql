-- Indexes found by the benchmarks on the large generated institution
-- (issue 13).

-- Receipts still waiting for a read confirmation, by person: the head of
-- unit's dashboard lists them for the people of the units led, and most
-- receipts are confirmed, so the index stays small.
CREATE INDEX document_receipts_pending ON document_receipts (tenant_id, person_id) WHERE acknowledged_at IS NULL;

-- A person's user: the work inbox and the control module look users up by
-- person.
CREATE INDEX users_person ON users (person_id);

-- Statistics read from whole indexes, once, replacing those sampled from the
-- first thousand rows (see db.Optimize); later refreshes keep them whole.
ANALYZE;
