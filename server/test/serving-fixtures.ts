import crypto from 'node:crypto';
import type { Database } from '../src/platform/db.js';
import { withIdCheckDigit } from '../src/platform/personal-data.js';
import { login, makeMember, makeUser, type Client, type OrgFixture, type TestContext } from './harness.js';

/** Factories for the serving-the-people tests (service projects, micro-wishes, communities, …). */
let counter = 0;

export interface PersonFixture { id: string; name: string; org: OrgFixture; phone: string; idNumber: string; residence: string }

/** A member with a real-looking phone, ID number and home address, to prove none of it leaks. */
export async function makePerson(db: Database['db'], org: OrgFixture, name = `党员${++counter}`): Promise<PersonFixture> {
  const n = ++counter;
  const phone = `139${String(10_000_000 + n * 7919).slice(-8)}`;
  const idNumber = withIdCheckDigit(`11010519850${String(100 + (n % 200)).padStart(3, '0')}${String(n % 10_000).padStart(4, '0')}`.slice(0, 17));
  const residence = `幸福路${n}号${n}单元`;
  const { id } = await makeMember(db, org, { name, gender: 'female', phone, idNumber, residenceCommunity: residence });
  return { id, name, org, phone, idNumber, residence };
}

export interface SignedInPerson extends PersonFixture { client: Client; userId: string }

export async function signedInPerson(ctx: TestContext, org: OrgFixture, name?: string): Promise<SignedInPerson> {
  const person = await makePerson(ctx.database.db, org, name);
  const user = await makeUser(ctx.database.db, [{ role: 'member' }], { memberId: person.id });
  return { ...person, client: await login(ctx.app, user), userId: user.id };
}

/** A multipart/form-data body with one file in the field "file". */
export function multipartFile(fileName: string, bytes: Buffer, contentType = 'application/octet-stream'): { body: Buffer; headers: Record<string, string> } {
  const boundary = `----dj${crypto.randomBytes(8).toString('hex')}`;
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: ${contentType}\r\n\r\n`, 'utf8'),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8'),
  ]);
  return { body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** The smallest valid PNG (1×1, transparent). */
export const TINY_PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4bb0000000049454e44ae426082', 'hex');

/** Member personal fields that must never appear in a public answer, by key or by value. */
export const PERSONAL_KEYS = ['phone', 'mobile', 'idNumber', 'id_number', 'address', 'residence', 'residenceCommunity', 'memberId', 'ownerName', 'owner_name', 'posterContact', 'contact', 'birthDate', 'ip'];
export const MOBILE_ANYWHERE = /(?<!\d)1[3-9]\d{9}(?!\d)/;
export const ID_NUMBER_ANYWHERE = /(?<!\d)\d{17}[\dXx](?!\d)/;

/** Every key of a JSON value, at any depth. */
export function keysOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysOf);
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => [k, ...keysOf(v)]);
  return [];
}
