-- An organizer may cancel an exam that has not closed, with a reason: it leaves the members' lists
-- and their attempts; the row stays for the audit trail and the organizer's list.
alter table exams add column cancelled_at timestamptz;
alter table exams add column cancel_reason text;
