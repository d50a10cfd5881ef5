/**
 * A notice's text as the server stored it: HTML that went through the allowlist of
 * server/src/platform/rich-text.ts on every write, so it is shown as it is.
 */
export function NoticeBody({ html }: { html: string }) {
  return (
    <>
      <div className="notice-body" dangerouslySetInnerHTML={{ __html: html }} />
      <style>{`
.notice-body { font-size: 15px; line-height: 1.8; word-break: break-word; overflow-wrap: anywhere; }
.notice-body img { max-width: 100%; height: auto; }
.notice-body table { border-collapse: collapse; display: block; max-width: 100%; overflow-x: auto; }
.notice-body td, .notice-body th { border: 1px solid #bfbfbf; padding: 4px 8px; }
.notice-body h2 { font-size: 18px; } .notice-body h3 { font-size: 16px; }
`}</style>
    </>
  );
}
