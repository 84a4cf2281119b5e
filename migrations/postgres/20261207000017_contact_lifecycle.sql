-- The nightly contact status job's thresholds, per tenant (src/contacts/lifecycle.rs):
-- Hot with at least hot_min_communications calls, emails or meetings in the last
-- hot_window_days days, or an open deal in a stage of at least hot_min_probability percent;
-- Inactive after inactive_after_days without one, Cold after cold_after_days.
ALTER TABLE tenants ADD COLUMN hot_min_communications INTEGER NOT NULL DEFAULT 3 CHECK (hot_min_communications >= 1);
ALTER TABLE tenants ADD COLUMN hot_window_days INTEGER NOT NULL DEFAULT 7 CHECK (hot_window_days >= 1);
ALTER TABLE tenants ADD COLUMN hot_min_probability INTEGER NOT NULL DEFAULT 70 CHECK (hot_min_probability BETWEEN 0 AND 100);
ALTER TABLE tenants ADD COLUMN inactive_after_days INTEGER NOT NULL DEFAULT 30 CHECK (inactive_after_days >= 1);
ALTER TABLE tenants ADD COLUMN cold_after_days INTEGER NOT NULL DEFAULT 90 CHECK (cold_after_days >= 1);
