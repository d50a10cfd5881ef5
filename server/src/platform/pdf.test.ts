import { describe, expect, it } from 'vitest';
import { parsePdf } from '../../test/pdf-structure.js';
import { PdfPage, fitText, pdfHexText, renderPdf, textWidth, wrapText } from './pdf.js';

const hex = (text: string) => pdfHexText(text).slice(1, -1);

describe('the PDF file', () => {
  it('has a header, a binary comment, and an xref table whose every offset points at its object', () => {
    const pages = [new PdfPage().text(72, 700, '第一页', { size: 12 }), new PdfPage(300, 200).rect(10, 10, 280, 180).line(10, 100, 290, 100, { width: 1, color: [1, 0, 0] })];
    const bytes = renderPdf(pages, { title: '测试（一）', createdAt: new Date('2026-11-23T02:03:04Z') });
    expect(bytes.subarray(0, 8).toString('latin1')).toBe('%PDF-1.4');
    expect([...bytes.subarray(10, 14)].every((b) => b > 127)).toBe(true);
    const pdf = parsePdf(bytes);
    expect(pdf.contents).toHaveLength(2);
    expect(pdf.contents[0]).toContain(`<${hex('第一页')}> Tj`);
    expect(pdf.contents[1]).toContain('10 10 280 180 re S');
    expect(pdf.contents[1]).toContain('1 0 0 RG 10 100 m 290 100 l S');
    const info = [...pdf.objects.values()].find((o) => o.includes('/Producer'))!;
    expect(info).toContain(`/Title <FEFF${hex('测试（一）')}>`);
    expect(info).toContain("/CreationDate (D:20261123100304+08'00')");
  });

  it('declares STSong-Light through UniGB-UCS2-H with half-width ASCII, embedding no font file', () => {
    const pdf = parsePdf(renderPdf([new PdfPage()]));
    const all = [...pdf.objects.values()].join('\n');
    expect(all).toContain('/Subtype /Type0 /BaseFont /STSong-Light-UniGB-UCS2-H /Encoding /UniGB-UCS2-H');
    expect(all).toMatch(/\/Subtype \/CIDFontType0 \/BaseFont \/STSong-Light \/CIDSystemInfo << \/Registry \(Adobe\) \/Ordering \(GB1\) \/Supplement 4 >>/);
    expect(all).toContain('/DW 1000 /W [1 95 500]');
    expect(all).not.toMatch(/FontFile/);
  });

  it('is still well-formed when the xref offsets run past four digits', () => {
    const page = new PdfPage();
    for (let i = 0; i < 400; i++) page.text(40, 800 - i * 2, `第 ${i} 行 (a\\b) <c>`, { size: 8 });
    const bytes = renderPdf([page, new PdfPage()]);
    expect(bytes.length).toBeGreaterThan(10_000);
    expect(parsePdf(bytes).contents).toHaveLength(2);
  });

  it('is rejected by the checker once a single byte shifts the offsets', () => {
    const good = renderPdf([new PdfPage().text(72, 700, '证明', { size: 12 })]).toString('latin1');
    const shiftFirstEntry = good.replace(/\n(\d{10})( 00000 n \n)/, (_m, offset: string, rest: string) => `\n${String(Number(offset) + 1).padStart(10, '0')}${rest}`);
    expect(() => parsePdf(Buffer.from(shiftFirstEntry, 'latin1'))).toThrow(/xref entry 1 points at/);
    const wrongLength = good.replace(/\/Length (\d+)/, (_m, n: string) => `/Length ${Number(n) % 10 === 0 ? Number(n) + 1 : Number(n) - 1}`);
    expect(() => parsePdf(Buffer.from(wrongLength, 'latin1'))).toThrow(/\/Length/);
    expect(() => parsePdf(Buffer.from(good.replace(/startxref\n\d+/, 'startxref\n9'), 'latin1'))).toThrow(/startxref/);
  });

  it('refuses coordinates that are not finite numbers rather than writing a broken file', () => {
    expect(() => new PdfPage().text(Number.NaN, 10, 'x', { size: 10 })).toThrow(/finite/);
    expect(() => renderPdf([])).toThrow();
  });
});

describe('text', () => {
  it('is written as UTF-16BE hex, so parentheses, backslashes and markup cannot escape the string', () => {
    expect(pdfHexText('马丽')).toBe('<9A6C4E3D>');
    expect(pdfHexText('4.5')).toBe('<0034002E0035>');
    expect(pdfHexText('a)\\(')).toBe('<00610029005C0028>');
    const content = new PdfPage().text(0, 0, ') Tj ET (', { size: 10 }).content();
    expect(content).not.toContain(') Tj ET (');
  });

  it('replaces what UCS-2 cannot carry with 〓 and control characters with spaces', () => {
    expect(pdfHexText('吉𠮷')).toBe('<54093013>');
    expect(pdfHexText('a\u0000\nb')).toBe('<0061002000200062>');
    expect(pdfHexText('\ud800')).toBe('<3013>');
  });

  it('measures CJK characters full width and ASCII half width', () => {
    expect(textWidth('志愿服务', { size: 10 })).toBe(40);
    expect(textWidth('4.5', { size: 10 })).toBe(15);
    expect(textWidth('时长 4.5', { size: 12, charSpacing: 1 })).toBe(12 * 2 + 6 * 4 + 6);
  });

  it('centres and right-aligns by those widths', () => {
    const page = new PdfPage(200, 100).textCentered(50, '证明', { size: 20 }).textRight(190, 20, 'AB', { size: 10 });
    expect(page.content()).toContain(`1 0 0 1 80 50 Tm <${hex('证明')}> Tj`);
    expect(page.content()).toContain(`1 0 0 1 180 20 Tm <${hex('AB')}> Tj`);
    const spaced = new PdfPage(200, 100).textCentered(50, '证明', { size: 20, charSpacing: 10 }).content();
    expect(spaced).toContain('10 Tc');
    expect(spaced).toContain('1 0 0 1 75 50 Tm');
  });

  it('keeps character spacing and colour from leaking into the next text', () => {
    const content = new PdfPage().text(0, 0, '红', { size: 10, color: [1, 0, 0], charSpacing: 3 }).text(0, 20, '黑', { size: 10 }).content();
    const [first, second] = content.split('\n');
    expect(first).toMatch(/^q BT .* ET Q$/);
    expect(second).not.toMatch(/Tc|rg/);
  });

  it('wraps CJK anywhere, Latin words whole, and never starts a line with closing punctuation', () => {
    const style = { size: 10 };
    expect(wrapText('兹证明张三同志参加志愿服务，累计 12.5 小时。', 100, style)).toEqual(['兹证明张三同志参加志', '愿服务，累计 12.5 小', '时。']);
    expect(wrapText('一二三四五六七八九十，下一行', 100, style)).toEqual(['一二三四五六七八九十，', '下一行']);
    expect(wrapText('累计时长合计为 12345.5 小时', 100, style)).toEqual(['累计时长合计为', '12345.5 小时']);
    expect(wrapText('一\n二', 100, style)).toEqual(['一', '二']);
    expect(wrapText('x'.repeat(50), 100, style)).toEqual(['x'.repeat(20), 'x'.repeat(20), 'x'.repeat(10)]);
  });

  it('cuts text that does not fit with an ellipsis', () => {
    expect(fitText('市文旅局党支部', 100, { size: 10 })).toBe('市文旅局党支部');
    const cut = fitText('中共某某市文化广电和旅游局机关第二党支部委员会', 100, { size: 10 });
    expect(cut).toBe('中共某某市文化广电…');
    expect(textWidth(cut, { size: 10 })).toBeLessThanOrEqual(100);
  });
});
