-- Text the owner typed but has not sent yet, kept per conversation across restarts.
ALTER TABLE conversations ADD COLUMN draft_text TEXT;
