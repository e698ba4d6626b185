-- The scorecard of a month reads the targets of a handful of periods
-- (each frequency's latest ended period and its year) for every KPI of the
-- institution at once: an index by period spares it the ten years of
-- monthly targets of 500 KPIs.
CREATE INDEX scorecard_targets_period ON scorecard_targets (tenant_id, period);
