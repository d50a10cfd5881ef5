-- An organizer may cancel a contest that has not ended, with a reason: it stays listed (shown as
-- cancelled with the reason), takes no new entries or submissions, and the points of its entries
-- are reversed in the ledger.
alter table contests add column cancelled_at timestamptz;
alter table contests add column cancel_reason text;
