-- The daily quiz's points are decided when the answers are submitted (the rule and its caps, read in the
-- submission's one statement, are stored in `points`) and written to the ledger by a batch job moments
-- later (server/src/modules/daily_quiz/awards.ts): at tens of thousands of submissions a morning, the
-- ledger insert and its per-period totals cost several times the submission itself when paid per request,
-- and a fraction of it per batch. `award_pending` marks the submissions the job has not yet moved; the
-- partial index keeps finding them cheap however long the table grows. Earlier submissions were awarded
-- in their own statement: they are not pending, and their points stay in the ledger only.
alter table daily_quiz_submissions
  add column points integer,
  add column award_pending boolean not null default false;

create index daily_quiz_submissions_award_pending on daily_quiz_submissions (id) where award_pending;
