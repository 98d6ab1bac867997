import { describe, expect, it } from 'vitest'
import codes from './codes.json'
import en from './en.json'
import { codeKey, codeLabel, hasCodeLabel, type CodeKind } from './index'

/** Every (kind, code) the backend can show, from codes.json (written by `flask codes-dump`). */
function everyCode(): [CodeKind, string][] {
  const all: [CodeKind, string][] = []
  for (const [kind, value] of Object.entries(codes)) {
    if (Array.isArray(value)) value.forEach((code) => all.push([kind as CodeKind, code]))
    else
      for (const [sub, list] of Object.entries(value))
        list.forEach((code) => all.push([`status.${sub}`, code]))
  }
  return all
}

describe('labels', () => {
  it('has an English label for every code the backend dumps', () => {
    const missing = everyCode().filter(([kind, code]) => !hasCodeLabel(kind, code, 'en'))
    expect(missing).toEqual([])
    expect(everyCode().length).toBeGreaterThan(200)
  })

  it('never shows a raw code: no label repeats an upper-case, dotted or snake_case code', () => {
    const raw = everyCode().filter(([kind, code]) => {
      const label = codeLabel(kind, code)
      return label === '' || (label === code && /^[A-Z0-9_]+$|[.:_]/.test(code))
    })
    expect(raw).toEqual([])
  })

  it('keeps codes apart after turning them into keys', () => {
    for (const [kind, value] of Object.entries(codes)) {
      const lists = Array.isArray(value) ? [value] : Object.values(value)
      for (const list of lists) expect(new Set(list.map(codeKey)).size, kind).toBe(list.length)
    }
  })

  it('labels the codes the issue saw raw', () => {
    expect(codeLabel('match_reason', 'PRICE_OVER_TOLERANCE')).toBe(
      'Price above the PO price beyond tolerance',
    )
    expect(codeLabel('audit_action', 'requisition.step_approve')).toBe('Requisition: step approved')
    expect(codeLabel('permission', 'requisition:view:own')).toBe('View own requisitions')
    expect(codeLabel('role', 'ProcurementMgr')).toBe('Procurement manager')
  })

  it('falls back to the code when a label is missing', () => {
    expect(codeLabel('audit_action', 'brand.new_thing')).toBe('brand.new_thing')
    expect(Object.keys(en.codes)).toContain('status')
  })
})
