/**
 * Markdown-lite for comments: the text is HTML-escaped first, then **bold**, *italic*,
 * `code`, @mentions and line breaks are marked up. Nothing the author typed can become a
 * tag or an attribute, so the result is safe for v-html.
 */
const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c)
}

export function renderMarkdownLite(text: string): string {
  const codes: string[] = []
  let html = escapeHtml(text).replace(/`([^`\n]+)`/g, (_, code: string) => {
    codes.push(code)
    return `\u0000${codes.length - 1}\u0000`
  })
  html = html
    .replace(/\*\*([^*\n]+)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|[^*])\*([^*\n]+)\*/g, '$1<em>$2</em>')
    .replace(/(^|[^\w@.])@([A-Za-z0-9_.-]+[A-Za-z0-9_-])/g, '$1<span class="mention">@$2</span>')
    .replace(/\n/g, '<br>')
  return html.replace(/\u0000(\d+)\u0000/g, (_, i: string) => `<code>${codes[Number(i)]}</code>`)
}
