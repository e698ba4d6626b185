-- Values waiting for their owner's approval (issue 13): the KPI list counts
-- them and the approvals page lists them by the time they were entered. Of
-- ten years of monthly values only a handful wait, so a partial index finds
-- them without reading the others (the count read all 52,000 values of the
-- large institution).
CREATE INDEX scorecard_measurements_awaiting ON scorecard_measurements (tenant_id, pending_at, id) WHERE pending_value IS NOT NULL;
