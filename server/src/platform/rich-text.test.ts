import { describe, expect, it } from 'vitest';
import { sanitizeRichText } from './rich-text.js';

describe('sanitizeRichText', () => {
  it('keeps the editor’s formatting: paragraphs, headings, lists, bold/italic/underline, tables', () => {
    const html = '<h2>一、目的</h2><p><strong>加粗</strong><em>斜体</em><u>下划线</u></p><ol><li>第一</li></ol><ul><li>甲</li></ul>'
      + '<table><tbody><tr><th colspan="2">表头</th></tr><tr><td>1</td><td>2</td></tr></tbody></table>';
    expect(sanitizeRichText(html)).toEqual({ html, text: '一、目的\n加粗斜体下划线\n第一\n甲\n表头\n1 2' });
  });

  it.each([
    ['<p>a<script>alert(1)</script></p>', '<p>a</p>'],
    ['<p onclick="x()" style="color:red" class="c">a</p>', '<p>a</p>'],
    ['<img src="x" onerror="alert(1)">', ''],
    ['<img src="https://tracker.example/p.gif">', ''],
    ['<img src="/api/../etc/passwd">', ''],
    ['<img src="//evil.example/x.png">', ''],
    ['<img src="data:image/png;base64,AAAA">', ''],
    ['<img src="/api/notices/1/files/2" alt="图" onload="x()">', '<img src="/api/notices/1/files/2" alt="图" />'],
    ['<a href="javascript:alert(1)">x</a>', '<a>x</a>'],
    ['<a href=" JaVaScRiPt:alert(1)">x</a>', '<a>x</a>'],
    ['<a href="//evil.example">x</a>', '<a>x</a>'],
    ['<a href="data:text/html,<script>1</script>">x</a>', '<a>x</a>'],
    ['<a href="https://www.12371.cn/">党员网</a>', '<a href="https://www.12371.cn/" target="_blank" rel="noopener noreferrer nofollow">党员网</a>'],
    ['<a href="/me/notices/3" target="_self">站内</a>', '<a href="/me/notices/3">站内</a>'],
    ['<iframe src="https://evil.example"></iframe><svg><script>1</script></svg><style>p{}</style>', ''],
    ['<math><mi xlink:href="javascript:1">x</mi></math>', ''],
    ['<div><span>留下文字</span></div>', '留下文字'],
    ['<p>&lt;script&gt;</p>', '<p>&lt;script&gt;</p>'],
  ])('strips %s', (input, expected) => {
    expect(sanitizeRichText(input).html).toBe(expected);
  });

  it('gives a plain-text copy with entities decoded and line breaks between blocks', () => {
    expect(sanitizeRichText('<p>甲 &amp; 乙</p><p>&lt;丙&gt;<br>丁</p>').text).toBe('甲 & 乙\n<丙>\n丁');
    expect(sanitizeRichText('<p></p>')).toEqual({ html: '<p></p>', text: '' });
  });
});
