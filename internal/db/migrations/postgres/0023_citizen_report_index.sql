-- The half-yearly report on petitions and the yearly report on requests for
-- public information (issue 13) read every case of their period, a few
-- columns of each. From the table, that is 200,000 wide rows for the largest
-- municipality (60 ms); from an index holding those columns it is a range
-- of narrow entries (32 ms).
CREATE INDEX citizen_cases_report ON citizen_cases (tenant_id, kind, registered_on)
    INCLUDE (channel, topic, unit_id, state, answer_kind, complaint, closed_on, due_on, days_taken, on_time, extension_days, complex);

-- Statistics at once, rather than at autovacuum's next pass.
ANALYZE risks;
ANALYZE scorecard_measurements;
ANALYZE citizen_cases;
