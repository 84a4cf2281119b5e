-- A won or lost column's count and money come from its index alone (the column's window is a
-- range on closed_at), and its cards newest closed first from the same index: live deals only,
-- with what the totals and the owner scope read.
DROP INDEX deals_closed_idx;
CREATE INDEX deals_closed_idx ON deals (tenant_id, stage_id, closed_at, id, currency, amount_minor, owner_id)
    WHERE deleted_at IS NULL;
