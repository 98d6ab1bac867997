import { describe, expect, it } from 'vitest'
import { escapeHtml, renderMarkdownLite } from './markdownLite'

describe('renderMarkdownLite', () => {
  it('escapes HTML before anything else', () => {
    const html = renderMarkdownLite('<img src=x onerror="alert(1)"> **hi**')
    expect(html).not.toContain('<img')
    expect(html).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;')
    expect(html).toContain('<strong>hi</strong>')
  })

  it('marks bold, italic, code, mentions and line breaks', () => {
    expect(renderMarkdownLite('a *b* `<c>`\n@lead.')).toBe(
      'a <em>b</em> <code>&lt;c&gt;</code><br><span class="mention">@lead</span>.',
    )
  })

  it('keeps markup inside code literal', () => {
    expect(renderMarkdownLite('`**x**`')).toBe('<code>**x**</code>')
  })

  it('leaves e-mail addresses alone', () => {
    expect(renderMarkdownLite('mail a@b.com')).toBe('mail a@b.com')
    expect(escapeHtml(`'`)).toBe('&#39;')
  })
})
