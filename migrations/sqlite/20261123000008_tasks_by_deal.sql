-- The board shows each deal's next pending task; this keeps that lookup an index probe.
CREATE INDEX tasks_deal_idx ON tasks (tenant_id, deal_id, status, due_at);
