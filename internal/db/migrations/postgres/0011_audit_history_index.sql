-- A record's history (its events, newest first) is read on every record
-- page. With only (tenant_id, entity, entity_id) indexed, the planner walks
-- the institution's whole trail backwards by seq to find them; with seq in
-- the index the events are found and ordered by the index alone.
DROP INDEX audit_tenant_entity;
CREATE INDEX audit_tenant_entity_seq ON audit_events (tenant_id, entity, entity_id, seq);
