-- When a reaction was last removed, per message and reactor. Reactions can arrive out
-- of order; a removal newer than an incoming reaction means that reaction is stale.
-- Kept apart from `reactions` so readers of that table only ever see live reactions.
CREATE TABLE reaction_removals (
    id                  INTEGER PRIMARY KEY,
    message_wamid       TEXT    NOT NULL,
    reactor             TEXT    NOT NULL CHECK (reactor IN ('customer', 'business')),
    wa_timestamp        INTEGER NOT NULL,
    UNIQUE (message_wamid, reactor)
);
