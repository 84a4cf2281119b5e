-- The board reads one column at a time: its count and money per currency from the index alone
-- (open stages), and its won or lost deals newest closed first within a window of days.
CREATE INDEX deals_column_totals_idx ON deals (tenant_id, stage_id, closed_at, currency, amount_minor, owner_id)
    WHERE deleted_at IS NULL;
CREATE INDEX deals_closed_idx ON deals (tenant_id, stage_id, closed_at, id);
-- Won and lost columns are ordered by closed_at: deals that reached such a stage before its flag
-- was set carry none yet.
UPDATE deals SET closed_at = COALESCE(stage_entered_at, updated_at)
    WHERE closed_at IS NULL
      AND stage_id IN (SELECT id FROM pipeline_stages WHERE is_won OR is_lost);
