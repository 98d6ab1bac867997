import { describe, expect, it } from 'vitest'
import type { ApprovalPolicy } from '@/types/approvals'
import {
  blankPolicy,
  checkPolicies,
  move,
  renumber,
  toDrafts,
  toPolicies,
  unreachableErrors,
} from './policies'

const DEFAULT: ApprovalPolicy[] = [
  {
    id: 2,
    name: 'High value',
    priority: 20,
    purpose: null,
    department_id: null,
    min_amount: '5000.00',
    max_amount: null,
    steps: [{ kind: 'role', role: 'ProcurementMgr', label: 'Head of procurement' }],
    is_active: true,
  },
  {
    id: 1,
    name: 'Default',
    priority: 10,
    purpose: 'Daily Operations',
    department_id: 3,
    min_amount: null,
    max_amount: '4999.99',
    steps: [{ kind: 'line_manager' }, { kind: 'role', role: 'Procurement', min_amount: '100.00' }],
    is_active: true,
  },
]

describe('approval policy drafts', () => {
  it('round-trips the server shape in priority order, without ids', () => {
    const body = toPolicies(toDrafts(DEFAULT))
    expect(body.map((p) => p.name)).toEqual(['Default', 'High value'])
    expect(body[0]).toEqual({
      name: 'Default',
      priority: 10,
      purpose: 'Daily Operations',
      department_id: 3,
      min_amount: null,
      max_amount: '4999.99',
      steps: [
        { kind: 'line_manager' },
        { kind: 'role', role: 'Procurement', min_amount: '100.00' },
      ],
    })
    expect(body[1]!.steps).toEqual([
      { kind: 'role', role: 'ProcurementMgr', label: 'Head of procurement' },
    ])
  })

  it('writes typed amounts as exact 2-place strings', () => {
    const [draft] = toDrafts(DEFAULT)
    draft!.min_amount = '250.5'
    draft!.steps[0]!.min_amount = ' 10 '
    const [policy] = toPolicies([draft!])
    expect(policy!.min_amount).toBe('250.50')
    expect(policy!.steps[0]!.min_amount).toBe('10.00')
  })

  it('reorders rules and steps and renumbers priorities by position', () => {
    const drafts = toDrafts(DEFAULT)
    move(drafts, 0, 1)
    renumber(drafts)
    expect(drafts.map((d) => [d.name, d.priority])).toEqual([
      ['High value', 10],
      ['Default', 20],
    ])
    move(drafts, 0, -1) // already first: nothing happens
    expect(drafts[0]!.name).toBe('High value')
    const steps = drafts[1]!.steps
    move(steps, 1, -1)
    expect(steps.map((s) => s.kind)).toEqual(['role', 'line_manager'])
  })

  it('checks names, roles and amounts before saving', () => {
    const rule = blankPolicy()
    rule.steps[1]!.role = null
    rule.min_amount = '500'
    rule.max_amount = '100'
    rule.steps[0]!.min_amount = '-1'
    expect(checkPolicies([rule])).toEqual({
      'policies.0.name': 'Required',
      'policies.0.max_amount': 'Below the minimum',
      'policies.0.steps.0.min_amount': 'An amount of 0 or more',
      'policies.0.steps.1.role': 'Pick a role',
    })
    expect(checkPolicies([])).toEqual({ policies: 'Keep at least one policy.' })
    expect(checkPolicies(toDrafts(DEFAULT))).toEqual({})
  })
})

describe('a rule after the catch-all rule', () => {
  it('is flagged: it can never match', () => {
    const all = { ...blankPolicy(10), name: 'Default' }
    const projects = { ...blankPolicy(20), name: 'Projects', purpose: 'Project-Specific' as const }
    expect(unreachableErrors([projects, all])).toEqual({})
    const errors = checkPolicies([all, projects])
    expect(errors['policies.1.priority']).toContain("the catch-all rule 'Default' comes first")
    expect(errors['policies.0.priority']).toBeUndefined()
  })
})
