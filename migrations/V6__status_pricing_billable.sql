-- Whether Meta bills a message (statuses' pricing.billable), kept with its pricing
-- category so the thread can show what a message cost.
ALTER TABLE messages ADD COLUMN pricing_billable INTEGER CHECK (pricing_billable IN (0, 1));
ALTER TABLE pending_statuses ADD COLUMN pricing_billable INTEGER CHECK (pricing_billable IN (0, 1));
