import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { MIGRATIONS_DIR } from './migrate.js';

/**
 * The sha256 of every landed migration. A database records only a migration's name, so an edit to a
 * landed file never reaches the databases that already ran it: a change is a new migration. Add a
 * new file's checksum here once, when it lands (`sha256sum migrations/<file>`), and never again.
 */
const LANDED: Record<string, string> = {
  '20261123090000-foundation.sql': 'ab38996f8767105d44a3e6b2ab845b55b5d7327efafdb9e09d9f3372493ac6f8',
  '20261123101742-transfer-note-username-case-audit-indexes.sql': 'd84da8fec57c192d4e620046761ed71574506d7193264de13dd75f6a13632060',
  '20261123102000-activities-venues.sql': '4888301105f9bc3688f4328d1666ba9a4e927167fbc097a06c67c27733d325bd',
  '20261123102417-member-leaving-and-list-order.sql': 'a1a383fd9eb1ea2ed4f45bd07b9e110c810e15a5e53e1b549a489556adb6cdbe',
  '20261123103000-learning-exams.sql': 'f90c589a54d37001c7e40b609826ec003af2d8749e9972e99f8d9f4ed526221f',
  '20261123104000-serving-the-people.sql': '71fd15c6005b0281ff86a111aa6fa0fb95ed552807685fae4ce501df71d06710',
  '20261123110500-org-member-counts.sql': '6d9cd941bfeaaddbf02ebe95c75c09d96e53f10759708c8c1160b496ffcab24f',
  '20261123110600-member-name-grams.sql': 'a598efa9ab137eef393b8e11e3140dbbcceeadd996405ad8f10247c7e0a1daf3',
  '20261123111742-activity-files.sql': 'd213ebd85af13b9af5942256e55c08ec346ef3fa6645ddcc1ff84548b4fa2d31',
  '20261123114500-exam-cancellation.sql': '20cb55f85011e35cc228f9d3f9af40f9f94585e6d600c9c31dbb44cf6997ed04',
  '20261123115000-points-totals.sql': '3ccf6008a77fed71b8d590cb568d8817e13955caa9ac35f3ee2434cc0418ee83',
  '20261123115100-points-periods-function.sql': '340c9bcf1b7905bc99ded49d233591148ad9c33f355ae8a8cc1cc522eb6ede78',
  '20261123120000-contest-edit-cancel.sql': '84d3a4a023bf19e95bb99c386485fc8a650c5b3a7992493143ac3345085a7e12',
  '20261123121000-compliance-epoch.sql': '1ea4a2dcecdbbf1c01d3294632e0b8397f115eb4bd73ec88b60f33e973132789',
  '20261123122000-session-notifications.sql': '9d41e251f12652ec9764c6dded9f5a78287b20e7e09310a6bdaf6b275aced545',
  '20261123123000-daily-quiz-batched-awards.sql': 'c4f0cae7a0c3745d089e71432dfa48c5cb2f42fadde3e0da4d9629ed9735aa93',
  '20261123124000-member-search-postings.sql': 'aaf4a4a395395b9cd3d88ec0cd19067e366159af76bf6ca204c7618cb3e46e2c',
  '20261124100000-points-member-keys.sql': '8bdd122794470ec2406a2714023a3dfbbbc9e9ec93e1dcd8040d3750e460e2a3',
  '20261124110000-points-totals-scope.sql': '4778f5bc4ecfe84c17660cbb7d7a302d737b5c00779507f05822f21c7c069ef9',
  '20261124120000-daily-quiz-awards-in-statement.sql': 'ca49e151bd1e7441b85c45724148aab5eff1efc23348fdb7179094d54a0747f9',
  '20261205000100-org-owned-records.sql': 'a75aa7cf84622be60c0f5bbcf9395672f5fa510a443738532b297b210b3e003c',
  '20261205000200-activities-held-at-venue.sql': 'b422ee46dcf5f346d80ccf82303aaa2ceaed56c492b02bad6256980bbe8a142a',
  '20261205000300-hardening.sql': '6af5b980802f24019c6a04b4a2f383d0960ed3bad284d29a420ab7f95522dc4f',
  '20261205000400-audit-chain.sql': 'cc86a4d19252c05077989f1b706704c8d78940e3975d363d73bbb079f3c90a4d',
  '20261205100000-party-dues.sql': '96c4db87572dfa061d738856242fb2797c7728396a5b6acd472976847f0081a5',
  '20261206000100-scheduler-inbox-reminders.sql': '7e0df69345fd56f52e367d12cec5e6154bf0ce957a240df2e86d71ba457c15b7',
  '20261206000200-notices.sql': 'e9f0e3a44fb292c18461384b10188ad268fecc06e23b3a18a007678c5ed85168',
  '20261206000300-dashboard.sql': '419d29c936012b92768e366203bc2497d18ac5eb342d139cf0eac60afe2c48f9',
  '20261206000400-home.sql': '48121343f1b76d6a23c5b7b6cdb738c51973eba414f241419684db078c44eefa',
  '20261206000500-news-portal-search.sql': 'b981dd24b52d976046393b3826aed91b6445f4933931006e6ee74fc8afdcb7ad',
  '20261206100100-search-postings.sql': '3638d69ba17b58ad0ed4b278ebbffdd638be93a2182fe2e6031bc87c292d774f',
  '20261206100200-dashboard-category.sql': '6e76b33fd361f11e71c089c5e2681dfc58f87920a89fb872c994a359549ee989',
  '20261206100300-leaderboard-week.sql': '5d439730eb8a3b9ca747fce059a391dbd86c5cd6418a6e4d34940ae3fb599d22',
  '20261206100301-member-search-name-order.sql': '6e8341650cc2c2d3a5a4461e3d7702e2935a5827721e58819b098bd339a5e3a2',
  '20261207000100-judging.sql': 'cb7fa99b7a10ee321d41b5c16a9f2fbdfd31eb5ee7d394ec228dd213e46be9c6',
  '20261207000200-assessment.sql': 'ead0249da1ee9f29bb27ca2dc13def7b093ce2978aff29a5582645036c429762',
  '20261207000300-rankings.sql': 'a2257c9fc9f1bb6a974b5fc88da438c6dcde3229b903e9dbe41368bee721371e',
  '20261207000400-standardization.sql': 'be060596944994bb57098ae985787fef083354868c94d91ad07c88614e0e7af7',
  '20261207000500-responsibility-lists.sql': 'be2957ab6d8a6441bfd0d8cec83dd9d46a6d58f3d06f7a23d9721b2048781cef',
  '20261207000600-elections.sql': 'd78dec5bca0fb2f55692c48bec682c279200f8393a880260199595e224bd37b6',
  '20261207000610-election-step-files.sql': '805d07da64f9bd35aa4fc3c3a9c867374bd5635d2c2a5355275c29797d34026e',
  '20261207000700-liaisons-inspector.sql': 'ba43cee19f5452333432ea9f4a22d4a7cd4d7ffe27a3d7b87073f6a307b3eab6',
  '20261208000100-public-notices.sql': 'b63bccfd7d3d7c6bad0e2c47eb4268f2de27956d9c37abc6131222dc4cdafa7b',
  '20261208000200-commendations.sql': '3465038133e12236c3734bd4c4136cde4ae66169f5a637a47185d3ec4c6d1a6e',
  '20261208000300-brands.sql': '92dd54c1809059ed77a21c0e3bd9b8ad53de95f7eea748df2777aa69c7a71406',
  '20261208000400-appraisals.sql': 'ab8468d993e103f6c9fadec0dcf012fa7280773a06dfd60098456e6d18e60945',
  '20261208000500-monthly-ratings.sql': 'b1710579e69ddd698c4e4c0b6cf9908d0cb9628a95659dc59f5b30f56c07233b',
  '20261208000600-ideas.sql': 'df1238c0f2e801113239b52b0c031b45cb9f0c753bad20b96e5213b3435d00b1',
  '20261208000700-pledges.sql': '8cff50dc4b1781ffe0f96b24acaab7a10d417bb6a343911e64015c2dee2b5bfa',
  '20261208000800-lesson-selections.sql': '9b519705935fa2341b210e65f222899089559871b0990de2e651c200e55872d2',
  '20261208000900-fifty-years.sql': '2fd56fa5aa7c487e2a67081bf66ab4f4c15e27a727b1fa66cd500803ba5168a6',
  '20261208001000-ranking-board-version.sql': '3d27dc4f908c3bd8b081327254a69c7337122e35389cab31811bba3be0fea967',
  '20261210050000-ideas-subtree-key.sql': '8bad4f1e8c748b814825b86b126e1b361d690876618de80787cc1ee3b7e020cf',
  '20261211000100-ideas-alike-inline.sql': '7ee51b99601d67ddaea1ce67137826060326f55da18935ff900c558e3a81b075',
  '20261212000100-ideas-alike-knn.sql': '78b05dafc771cecd131a26dadaf24ab7d57e5d1bc3e9c948c442bbb3b9232471',
  '20261212000200-ideas-epoch.sql': 'ba5470783cebb872fba14ae3ac1e1fff983e987a6708b7bb91a24bf24cd00fb3',
  '20261213000100-dashboard-figures-shared.sql': '765bca22b80f468cc53ae35da0b8cc7fd49f47b31ced1b910e2da07e1e742425',
  '20261213000200-leaderboard-week-epoch.sql': 'b65bf1d6afe5a5c5a399a804479826885114b8411d0afd63ba59ee795aae615c',
  '20261214000100-ideas-alike-generic-plan.sql': '77594f1837d511a3c7c29cbdec0501226beeb42e7df88c507962717d0d53382a',
};

// line endings as checked out (a Windows checkout may turn \n into \r\n) do not count as an edit
const checksumOf = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(path.join(MIGRATIONS_DIR, file), 'utf8').replace(/\r\n/g, '\n')).digest('hex');
const migrationFiles = () => fs.readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql')).sort();

it('keeps every landed migration as it landed', () => {
  const changed = Object.entries(LANDED)
    .filter(([file, sha]) => !fs.existsSync(path.join(MIGRATIONS_DIR, file)) || checksumOf(file) !== sha)
    .map(([file]) => `${file}: ${fs.existsSync(path.join(MIGRATIONS_DIR, file)) ? 'changed' : 'deleted'}`);
  expect(changed, 'a landed migration was edited or deleted: restore it, and make the change in a new migration').toEqual([]);
});

it('knows the checksum of every migration file', () => {
  const unlisted = migrationFiles().filter((file) => !(file in LANDED)).map((file) => `'${file}': '${checksumOf(file)}',`);
  expect(unlisted, 'a new migration: add its line to LANDED in server/src/platform/migrations-checksum.test.ts once, when it lands').toEqual([]);
});
