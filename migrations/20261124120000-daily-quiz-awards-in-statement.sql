-- The daily quiz's ledger entries are written again by the statement that inserts the submissions
-- (server/src/modules/daily_quiz/service.ts). They moved to a batch job (migration
-- 20261123123000) when each submission was its own statement; since submissions are group-committed
-- (many members' submissions in one statement), the ledger insert and its per-period totals already
-- run once per batch there, and the job's second pass over each submission (marking it pending,
-- then rewriting the whole row to clear the mark) was the larger cost. Whatever is still pending is
-- awarded here, once (the ledger's unique source key).
insert into points_ledger (member_id, org_path, rule, source_type, source_id, points, occurred_on)
select member_id, org_path, 'daily_quiz_correct', 'daily_quiz_submission', id::text, points, quiz_date
  from daily_quiz_submissions where award_pending and points is not null order by id
on conflict (rule, source_type, source_id) do nothing;

drop index daily_quiz_submissions_award_pending;
alter table daily_quiz_submissions drop column award_pending;
