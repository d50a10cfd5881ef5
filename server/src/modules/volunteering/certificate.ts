import type { MyHours } from '../../../../contracts/volunteering.js';
import { A4, PdfPage, fitText, renderPdf, textWidth, wrapText, type Rgb, type TextStyle } from '../../platform/pdf.js';
import { chinaDate } from '../../../../contracts/china-time.js';

/** The certificate of volunteer hours (志愿服务时长证明): a one-page A4 PDF, or the same as a printable HTML page. */
export interface CertificateInput { memberName: string; orgName: string; treeName: string; hours: MyHours; /** YYYY-MM-DD, China time */ issuedOn: string }

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function renderCertificateHtml(input: CertificateInput): string {
  const rows = input.hours.records
    .map((r) => `<tr><td>${chinaDate(r.startsAt)}</td><td>${escape(r.title)}</td><td>${escape(r.orgName)}</td><td class="n">${r.hours.toFixed(1)}</td></tr>`)
    .join('');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>志愿服务时长证明 - ${escape(input.memberName)}</title>
<style>
  body { font-family: "Songti SC", "SimSun", "Noto Serif CJK SC", serif; max-width: 720px; margin: 40px auto; color: #222; }
  h1 { text-align: center; color: #b71c1c; letter-spacing: 0.3em; }
  p.lead { font-size: 18px; line-height: 2; text-indent: 2em; }
  table { width: 100%; border-collapse: collapse; margin: 24px 0; }
  th, td { border: 1px solid #999; padding: 6px 8px; font-size: 14px; }
  td.n, th.n { text-align: right; }
  .sign { text-align: right; margin-top: 48px; line-height: 2; }
  @media print { .noprint { display: none; } }
</style></head>
<body>
  <h1>志愿服务时长证明</h1>
  <p class="lead">兹证明 <strong>${escape(input.memberName)}</strong> 同志（${escape(input.orgName)}）参加志愿服务活动 ${input.hours.records.length} 次，
  经组织方确认，累计志愿服务时长 <strong>${input.hours.hours.toFixed(1)}</strong> 小时。</p>
  <table><thead><tr><th>日期</th><th>志愿服务项目</th><th>组织单位</th><th class="n">时长（小时）</th></tr></thead>
  <tbody>${rows || '<tr><td colspan="4">暂无经确认的志愿服务记录</td></tr>'}</tbody></table>
  <div class="sign">${escape(input.treeName)}<br>${input.issuedOn}</div>
  <p class="noprint"><button onclick="window.print()">打印 / 另存为 PDF</button></p>
</body></html>`;
}

const RED: Rgb = [0.72, 0.11, 0.11];
const GREY: Rgb = [0.45, 0.45, 0.45];
const HEADER_FILL: Rgb = [0.94, 0.94, 0.94];
const chineseDate = (isoDay: string) => `${isoDay.slice(0, 4)}年${Number(isoDay.slice(5, 7))}月${Number(isoDay.slice(8, 10))}日`;

/** The PDF certificate: the statement, the most recent confirmed services (as many as fit the page), the issuing org. */
export function renderCertificatePdf(input: CertificateInput, createdAt = new Date()): Buffer {
  const page = new PdfPage(A4.width, A4.height);
  const { width: W, height: H } = page;
  const left = 72, right = W - 72;
  page.rect(28, 28, W - 56, H - 56, { width: 1.5, color: RED }).rect(34, 34, W - 68, H - 68, { width: 0.5, color: RED });
  page.textCentered(H - 110, '志愿服务时长证明', { size: 26, charSpacing: 6, color: RED });

  const body: TextStyle = { size: 14 };
  const hours = input.hours.hours.toFixed(1);
  const statement = `\u3000\u3000兹证明 ${input.memberName} 同志（${input.orgName}）参加志愿服务活动 ${input.hours.records.length} 次，`
    + `经组织方确认，累计志愿服务时长 ${hours} 小时。`;
  let y = H - 165;
  for (const line of wrapText(statement, right - left, body)) { page.text(left, y, line, body); y -= 28; }

  // The table: date | project | organiser | hours, most recent first, then 合计.
  const cell: TextStyle = { size: 10.5 };
  const rowHeight = 22, pad = 6, baseline = 7.5;
  const columns = [left, left + 72, left + 252, right - 84, right];
  const row = (top: number, texts: readonly string[], numeric: string, fill?: Rgb) => {
    if (fill) page.fillRect(left, top - rowHeight, right - left, rowHeight, fill);
    texts.forEach((text, i) => page.text(columns[i]! + pad, top - rowHeight + baseline, fitText(text, columns[i + 1]! - columns[i]! - 2 * pad, cell), cell));
    page.textRight(right - pad, top - rowHeight + baseline, numeric, cell);
    return top - rowHeight;
  };
  const tableTop = y - 4;
  const signatureTop = 200;
  const records = [...input.hours.records].reverse();
  // Rows that fit between the header and the 合计 row above the signature; if not all fit, the last one says how many there are.
  const capacity = Math.floor((tableTop - signatureTop) / rowHeight) - 2;
  const shown = records.length <= capacity ? records : records.slice(0, Math.max(0, capacity - 1));
  let rowTop = row(tableTop, ['日期', '志愿服务项目', '组织单位'], '时长（小时）', HEADER_FILL);
  for (const r of shown) rowTop = row(rowTop, [chinaDate(r.startsAt), r.title, r.orgName], r.hours.toFixed(1));
  if (records.length === 0) rowTop = row(rowTop, ['', '暂无经确认的志愿服务记录', ''], '');
  else if (shown.length < records.length) rowTop = row(rowTop, ['', `等 ${records.length} 项（以上为最近 ${shown.length} 项）`, ''], '');
  rowTop = row(rowTop, ['合计', '', ''], hours);
  page.rect(left, rowTop, right - left, tableTop - rowTop);
  for (let lineY = tableTop - rowHeight; lineY > rowTop; lineY -= rowHeight) page.line(left, lineY, right, lineY, { width: 0.3 });
  for (const x of columns.slice(1, -1)) page.line(x, tableTop, x, rowTop, { width: 0.3 });

  const sign: TextStyle = { size: 14 };
  const issuer = fitText(input.treeName, right - left - 60, sign);
  const signRight = right - 10;
  page.textRight(signRight, 150, issuer, sign);
  const issued = chineseDate(input.issuedOn);
  page.text(signRight - textWidth(issuer, sign) / 2 - textWidth(issued, sign) / 2, 124, issued, sign);
  page.textCentered(56, '本证明所列时长以志愿服务组织方确认的出勤记录为准。', { size: 9, color: GREY });
  return renderPdf([page], { title: `志愿服务时长证明-${input.memberName}`, author: input.treeName, subject: '志愿服务时长证明', createdAt });
}
