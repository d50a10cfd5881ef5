/**
 * Reads a PDF the way a strict reader does — through startxref and the cross-reference table, not by
 * scanning — and throws on the first thing that is off. Returns the objects and the page content streams.
 */
export interface ParsedPdf { objects: Map<number, string>; contents: string[]; trailer: string }

function fail(message: string): never {
  throw new Error(`Malformed PDF: ${message}`);
}

export function parsePdf(bytes: Buffer): ParsedPdf {
  const text = bytes.toString('latin1');
  if (!/^%PDF-1\.[0-7]\n%[\x80-\xff]{4}\n/.test(text)) fail('header is not %PDF-1.x followed by a binary comment line');

  const tail = /startxref\n(\d+)\n%%EOF\n?$/.exec(text) ?? fail('no startxref / %%EOF at the end');
  const xrefAt = Number(tail[1]);
  if (text.slice(xrefAt, xrefAt + 5) !== 'xref\n') fail(`startxref ${xrefAt} does not point at "xref"`);

  const section = /^xref\n(\d+) (\d+)\n/.exec(text.slice(xrefAt)) ?? fail('no xref subsection header');
  const first = Number(section[1]), count = Number(section[2]);
  let at = xrefAt + section[0].length;
  const offsets = new Map<number, number>();
  for (let id = first; id < first + count; id++, at += 20) {
    const entry = text.slice(at, at + 20);
    const m = /^(\d{10}) (\d{5}) ([nf])( \n|\r\n| \r)$/.exec(entry) ?? fail(`xref entry ${id} is not 20 bytes of "oooooooooo ggggg n"`);
    if (m[3] === 'f') continue;
    const offset = Number(m[1]);
    if (!text.startsWith(`${id} ${Number(m[2])} obj`, offset)) fail(`xref entry ${id} points at ${JSON.stringify(text.slice(offset, offset + 12))}, not "${id} 0 obj"`);
    offsets.set(id, offset);
  }
  const trailer = /^trailer\n(<<.*?>>)\n/s.exec(text.slice(at))?.[1] ?? fail('no trailer after the xref table');
  if (Number(/\/Size (\d+)/.exec(trailer)?.[1]) !== first + count) fail('trailer /Size disagrees with the xref table');

  const objects = new Map<number, string>();
  for (const [id, offset] of offsets) {
    const end = text.indexOf('endobj', offset);
    if (end < 0) fail(`object ${id} has no endobj`);
    const body = text.slice(offset, end).replace(/^\d+ \d+ obj\n/, '');
    const stream = /\/Length (\d+) >>\nstream\n/.exec(body);
    if (stream) {
      const start = stream.index + stream[0].length, length = Number(stream[1]);
      if (body.slice(start + length) !== '\nendstream\n') fail(`object ${id}: /Length ${length} does not end at endstream`);
    }
    objects.set(id, body);
  }
  const rootId = Number(/\/Root (\d+) 0 R/.exec(trailer)?.[1]);
  if (!objects.get(rootId)?.includes('/Type /Catalog')) fail('trailer /Root is not the catalog');

  const contents = [...objects.values()]
    .filter((body) => body.includes('/Type /Page ') && !body.includes('/Type /Pages'))
    .map((page) => {
      const contentId = Number(/\/Contents (\d+) 0 R/.exec(page)?.[1]);
      const stream = objects.get(contentId) ?? fail(`page content ${contentId} missing`);
      return /stream\n([\s\S]*)\nendstream/.exec(stream)?.[1] ?? fail(`object ${contentId} is not a stream`);
    });
  return { objects, contents, trailer };
}
