-- The board reads one column at a time: its count and money per currency from the index alone
-- (open stages), and its won or lost deals newest closed first within a window of days.
CREATE INDEX deals_column_totals_idx ON deals (tenant_id, stage_id, closed_at, currency, amount_minor, owner_id)
    WHERE deleted_at IS NULL;
CREATE INDEX deals_closed_idx ON deals (tenant_id, stage_id, closed_at, id);
