import fs from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, login, makeMember, makeOrg, makeUser, startTestApp, type Client, type OrgFixture, type TestContext } from '../../../test/harness.js';
import { TINY_PNG, multipartFile } from '../../../test/serving-fixtures.js';
import { uploadPath } from '../../platform/uploads.js';

/** The record of an activity: links that may be stored, and the photos and documents uploaded to it. */
let ctx: TestContext;
let root: OrgFixture, bureau: OrgFixture, branchA: OrgFixture, branchB: OrgFixture;
let bureauAdmin: Client, secretaryA: Client, secretaryB: Client, memberA: Client, memberB: Client;

const minutes = (n: number) => new Date(Date.now() + n * 60_000).toISOString();
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n', 'latin1');

beforeAll(async () => {
  ctx = await startTestApp();
  const { db } = ctx.database;
  root = await makeOrg(db, null, { name: '市直机关工委' });
  bureau = await makeOrg(db, root, { name: '市统计局机关党委', type: 'organ_committee' });
  branchA = await makeOrg(db, bureau, { name: '综合处党支部' });
  branchB = await makeOrg(db, bureau, { name: '普查处党支部' });
  const a1 = (await makeMember(ctx.database.db, branchA, { name: '黄敏', gender: 'female', joinedOn: '2012-07-01' })).id;
  await makeMember(ctx.database.db, branchA, { name: '吴磊', gender: 'female', joinedOn: '2012-07-01' });
  const b1 = (await makeMember(ctx.database.db, branchB, { name: '郑洁', gender: 'female', joinedOn: '2012-07-01' })).id;
  bureauAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: bureau }]));
  secretaryA = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: branchA }]));
  secretaryB = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: branchB }]));
  memberA = await login(ctx.app, await makeUser(db, [{ role: 'member' }], { memberId: a1 }));
  memberB = await login(ctx.app, await makeUser(db, [{ role: 'member' }], { memberId: b1 }));
});
afterAll(async () => ctx?.close());

async function publishedActivity(fields: Record<string, unknown> = {}, startsIn = -30): Promise<{ id: string }> {
  const created = await secretaryA.post('/api/activities', {
    orgId: branchA.id, type: 'theme_day', title: '主题党日：学习条例', startsAt: minutes(startsIn), endsAt: minutes(startsIn + 60),
    participants: { orgIds: [branchA.id] }, ...fields,
  });
  expect(created.statusCode, created.body).toBe(201);
  const published = await secretaryA.post(`/api/activities/${created.json().id}/publish`);
  expect(published.statusCode).toBe(200);
  return published.json();
}

const snapshot = async () => [
  await countRows(ctx.database.db, 'activities'), await countRows(ctx.database.db, 'activity_files'), await countRows(ctx.database.db, 'audit_log'),
  JSON.stringify((await ctx.database.db.execute(sql`select id, attachments, recording_url, stream_url from activities order by id`)).rows),
].join('|');

describe('links in a record', () => {
  it('keeps web addresses and same-site paths', async () => {
    const activity = await publishedActivity();
    const res = await secretaryA.post(`/api/activities/${activity.id}/record`, {
      recordingUrl: 'https://video.example.cn/r/123',
      attachments: [{ kind: 'photo', name: '合影', url: 'https://img.example.cn/a.jpg' }, { kind: 'file', name: '会议通知', url: '/api/notices/7' }],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().attachments.map((a: { url: string }) => a.url)).toEqual(['https://img.example.cn/a.jpg', '/api/notices/7']);
  });

  it.each([
    ['a javascript: attachment', { attachments: [{ kind: 'file', name: '材料', url: 'javascript:alert(document.cookie)' }] }, 'attachments.0.url'],
    ['a data: photo', { attachments: [{ kind: 'photo', name: '照片', url: 'data:text/html;base64,PHNjcmlwdD4=' }] }, 'attachments.0.url'],
    ['a protocol-relative address', { attachments: [{ kind: 'file', name: '材料', url: '//evil.example.com/x' }] }, 'attachments.0.url'],
    ['a backslash host', { attachments: [{ kind: 'file', name: '材料', url: '/\\evil.example.com' }] }, 'attachments.0.url'],
    ['a second bad entry', { attachments: [{ kind: 'file', name: '好', url: '/ok' }, { kind: 'file', name: '坏', url: 'vbscript:x' }] }, 'attachments.1.url'],
    ['a javascript: recording', { recordingUrl: 'JavaScript:alert(1)' }, 'recordingUrl'],
    ['a file: recording', { recordingUrl: 'file:///etc/passwd' }, 'recordingUrl'],
  ])('answers 400 for %s, naming the field, and changes nothing', async (_case, body, field) => {
    const activity = await publishedActivity();
    const before = await snapshot();
    const res = await secretaryA.post(`/api/activities/${activity.id}/record`, body);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[field]).toBe('地址应以 http:// 或 https:// 开头，或为本站路径（以 / 开头）');
    expect(await snapshot()).toBe(before);
  });

  it('refuses a javascript: stream address when planning and when editing', async () => {
    const before = await snapshot();
    const created = await secretaryA.post('/api/activities', {
      orgId: branchA.id, type: 'live_lesson', title: '直播课', startsAt: minutes(60), endsAt: minutes(120), streamUrl: 'javascript:alert(1)',
    });
    expect(created.statusCode).toBe(400);
    expect(created.json().error.fields.streamUrl).toContain('http://');
    const activity = await publishedActivity({}, 60);
    const mid = await snapshot();
    const edited = await secretaryA.patch(`/api/activities/${activity.id}`, { streamUrl: 'data:text/html,<script>' });
    expect(edited.statusCode).toBe(400);
    expect(edited.json().error.fields.streamUrl).toContain('http://');
    expect(await snapshot()).toBe(mid);
    expect(before).not.toBe(mid);
  });
});

describe('photos and documents uploaded to a record', () => {
  it('stores a photo for the organizer, serves it to participants and managers only, and audits it', async () => {
    const activity = await publishedActivity();
    const { body, headers } = multipartFile('会场照片.png', TINY_PNG, 'image/png');
    const res = await secretaryA.post(`/api/activities/${activity.id}/attachments`, body, headers);
    expect(res.statusCode, res.body).toBe(201);
    const [file] = res.json().files;
    expect(file).toMatchObject({ kind: 'photo', fileName: '会场照片.png', mimeType: 'image/png', sizeBytes: TINY_PNG.length });
    expect(file.url).toBe(`/api/activities/${activity.id}/attachments/${file.id}`);
    const stored = (await ctx.database.db.execute<{ storage_key: string } & Record<string, unknown>>(sql`select storage_key from activity_files where id = ${file.id}`)).rows[0]!;
    expect(stored.storage_key).toMatch(new RegExp(`^activities/${activity.id}/[0-9a-f-]{36}\\.png$`));
    expect(fs.readFileSync(uploadPath(ctx.app.config.dataDir, stored.storage_key)).equals(TINY_PNG)).toBe(true);
    for (const client of [secretaryA, bureauAdmin, memberA]) {
      const got = await client.get(file.url);
      expect(got.statusCode).toBe(200);
      expect(got.headers['content-type']).toBe('image/png');
      expect(got.headers['x-content-type-options']).toBe('nosniff');
      expect(got.rawPayload.equals(TINY_PNG)).toBe(true);
    }
    // a participant sees the list; someone outside the activity neither sees nor fetches it
    expect((await memberA.get(`/api/activities/${activity.id}`)).json().files).toHaveLength(1);
    for (const client of [memberB, secretaryB]) expect((await client.get(file.url)).statusCode).toBe(404);
    expect((await ctx.app.inject({ method: 'GET', url: file.url })).statusCode).toBe(401);
    const audited = await ctx.database.db.execute<{ detail: unknown } & Record<string, unknown>>(sql`
      select detail from audit_log where action = 'activity.upload_file' and target_id = ${activity.id}`);
    expect(audited.rows).toHaveLength(1);
  });

  it('recognises a PDF by its bytes and offers it as an attachment download with the Chinese name', async () => {
    const activity = await publishedActivity();
    const { body, headers } = multipartFile('支部党员大会决议.pdf', PDF, 'application/octet-stream');
    const res = await secretaryA.post(`/api/activities/${activity.id}/attachments`, body, headers);
    expect(res.statusCode, res.body).toBe(201);
    const [file] = res.json().files;
    expect(file).toMatchObject({ kind: 'document', mimeType: 'application/pdf' });
    const got = await memberA.get(file.url);
    expect(got.headers['content-type']).toBe('application/pdf');
    expect(got.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent('支部党员大会决议.pdf')}`);
  });

  it('lets the organizer remove a file before the close, and not after', async () => {
    const activity = await publishedActivity();
    const upload = async (name: string) => {
      const { body, headers } = multipartFile(name, TINY_PNG, 'image/png');
      return (await secretaryA.post(`/api/activities/${activity.id}/attachments`, body, headers)).json().files as { id: string; url: string }[];
    };
    await upload('一.png');
    const files = await upload('二.png');
    expect(files).toHaveLength(2);
    const key = (await ctx.database.db.execute<{ storage_key: string } & Record<string, unknown>>(sql`select storage_key from activity_files where id = ${files[0]!.id}`)).rows[0]!.storage_key;
    // a participant or another branch's secretary cannot remove it
    expect((await memberA.delete(files[0]!.url)).statusCode).toBe(404);
    expect((await secretaryB.delete(files[0]!.url)).statusCode).toBe(404);
    const removed = await secretaryA.delete(files[0]!.url);
    expect(removed.statusCode).toBe(200);
    expect(removed.json().files.map((f: { id: string }) => f.id)).toEqual([files[1]!.id]);
    expect(fs.existsSync(uploadPath(ctx.app.config.dataDir, key))).toBe(false);
    expect((await secretaryA.get(files[0]!.url)).statusCode).toBe(404);
    expect((await secretaryA.delete(files[0]!.url)).statusCode).toBe(404);
    expect((await ctx.database.db.execute(sql`select 1 from audit_log where action = 'activity.remove_file' and target_id = ${activity.id}`)).rows).toHaveLength(1);
    // closed: part of the archive; still downloadable, no longer removable; more may still be added
    expect((await secretaryA.post(`/api/activities/${activity.id}/close`)).statusCode).toBe(200);
    const before = await snapshot();
    const refused = await secretaryA.delete(files[1]!.url);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toBe('活动已结束，已归档的文件不能删除');
    expect(await snapshot()).toBe(before);
    expect((await memberA.get(files[1]!.url)).statusCode).toBe(200);
    expect(await upload('会后补充.png')).toHaveLength(2);
  });

  it.each([
    ['a program disguised as a photo', multipartFile('照片.png', Buffer.from('MZ\x90\x00 this is not an image'), 'image/png'), '仅支持'],
    ['an HTML page', multipartFile('a.pdf', Buffer.from('<html><script>alert(1)</script></html>'), 'application/pdf'), '仅支持'],
    ['an empty file', multipartFile('空.png', Buffer.alloc(0), 'image/png'), '请选择要上传的文件'],
    ['a JSON body instead of a file', { body: { url: 'https://example.com/a.png' }, headers: {} }, '请选择要上传的文件'],
  ])('answers 400 for %s and stores nothing', async (_case, upload, message) => {
    const activity = await publishedActivity();
    const before = await snapshot();
    const res = await secretaryA.post(`/api/activities/${activity.id}/attachments`, upload.body, upload.headers);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields.file).toContain(message);
    expect(await snapshot()).toBe(before);
    expect(fs.existsSync(uploadPath(ctx.app.config.dataDir, `activities/${activity.id}`))).toBe(false);
  });

  it('answers 413 for a file over 10 MB and stores nothing', async () => {
    const activity = await publishedActivity();
    const before = await snapshot();
    const { body, headers } = multipartFile('大.png', Buffer.concat([TINY_PNG, Buffer.alloc(11 * 1024 * 1024)]), 'image/png');
    expect((await secretaryA.post(`/api/activities/${activity.id}/attachments`, body, headers)).statusCode).toBe(413);
    expect(await snapshot()).toBe(before);
  });

  it('refuses uploads by participants, by other orgs and without a session, and to a cancelled activity', async () => {
    const activity = await publishedActivity();
    const { body, headers } = multipartFile('a.png', TINY_PNG, 'image/png');
    const before = await snapshot();
    expect((await memberA.post(`/api/activities/${activity.id}/attachments`, body, headers)).statusCode).toBe(404);
    expect((await secretaryB.post(`/api/activities/${activity.id}/attachments`, body, headers)).statusCode).toBe(404);
    expect((await secretaryA.post('/api/activities/999999/attachments', body, headers)).statusCode).toBe(404);
    expect((await ctx.app.inject({ method: 'POST', url: `/api/activities/${activity.id}/attachments`, payload: body, headers })).statusCode).toBe(401);
    expect(await snapshot()).toBe(before);
    await secretaryA.post(`/api/activities/${activity.id}/cancel`, { reason: '改期' });
    const cancelled = await secretaryA.post(`/api/activities/${activity.id}/attachments`, body, headers);
    expect(cancelled.statusCode).toBe(409);
    expect(await countRows(ctx.database.db, 'activity_files')).toBe(Number(before.split('|')[1]));
  });

  it('keeps the files of a draft from its invited members until it is announced', async () => {
    const created = await secretaryA.post('/api/activities', {
      orgId: branchA.id, type: 'theme_day', title: '草稿', startsAt: minutes(600), endsAt: minutes(660), participants: { orgIds: [branchA.id] },
    });
    const { body, headers } = multipartFile('议程.pdf', PDF);
    const [file] = (await secretaryA.post(`/api/activities/${created.json().id}/attachments`, body, headers)).json().files;
    expect((await memberA.get(file.url)).statusCode).toBe(404);
    await secretaryA.post(`/api/activities/${created.json().id}/publish`);
    expect((await memberA.get(file.url)).statusCode).toBe(200);
  });
});
