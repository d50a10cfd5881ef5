-- 驾驶舱: the figures computed by any process of the site, kept under the epoch they were computed at (the sum
-- of the epochs of the measure's sources, read before computing; dashboard/service.ts). A process that has no
-- figure of its own for a key reads this row before computing: a second process, or one just restarted,
-- answers from what another computed instead of running the measure again (a district's cold figures are
-- seconds of PostgreSQL). A row answers a request only when its epoch is at least the one the request read.
-- key: measure|org id|period|report day. Rows not written again for two days are pruned by the hourly job.
create table dashboard_figures (
  key text primary key,
  epoch numeric not null,
  figure jsonb not null,
  computed_at timestamptz not null default now()
);
create index dashboard_figures_computed_at on dashboard_figures (computed_at);
