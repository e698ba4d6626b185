-- Indexes for the ISO 9001 matrix, which the compliance pages, the
-- crosswalk and the control questionnaire read on every request (issue 13).

-- The risk register's line for clause 6.1 counts the year's active risks
-- and opportunities and those overdue for review: read from the index
-- alone, not from the hundreds of risk rows with their long texts.
CREATE INDEX risks_register ON risks (tenant_id, year, state, kind, next_review_on);
