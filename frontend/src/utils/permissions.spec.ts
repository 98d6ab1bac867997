import { describe, expect, it } from 'vitest'
import { grants, grantsAny } from './permissions'

describe('permissions', () => {
  const admin = ['user:manage', 'department:manage', 'audit:view']
  const engineer = ['requisition:create', 'requisition:view:own']
  const procurement = ['requisition:view:all', 'po:create']

  it('grants exact permissions', () => {
    expect(grants(admin, 'user:manage')).toBe(true)
    expect(grants(engineer, 'user:manage')).toBe(false)
  })

  it('treats an unscoped question as any scope', () => {
    expect(grants(engineer, 'requisition:view')).toBe(true)
  })

  it('orders scopes own < department < all', () => {
    expect(grants(engineer, 'requisition:view:all')).toBe(false)
    expect(grants(procurement, 'requisition:view:own')).toBe(true)
    expect(grants(['requisition:view'], 'requisition:view:all')).toBe(true)
  })

  it('accepts any of a list, and an empty list asks for nothing', () => {
    expect(grantsAny(admin, ['po:approve', 'audit:view'])).toBe(true)
    expect(grantsAny(engineer, ['po:approve', 'audit:view'])).toBe(false)
    expect(grantsAny([], [])).toBe(true)
  })
})
