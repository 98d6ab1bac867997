/** Approval policy drafts for the editor: keys for v-for, amounts as typed strings. */
import type { ApprovalPolicy, PolicyStep, StepKind } from '@/types/approvals'
import type { Role } from '@/types/identity'
import type { Purpose } from '@/types/requisitions'
import { compare, isValidDecimal, round } from '@/utils/money'

export interface StepDraft {
  key: number
  kind: StepKind
  role: Role | null
  label: string
  min_amount: string
}

export interface PolicyDraft {
  key: number
  name: string
  priority: number
  purpose: Purpose | null
  department_id: number | null
  min_amount: string
  max_amount: string
  steps: StepDraft[]
}

let nextKey = 1

export function blankStep(kind: StepKind = 'role'): StepDraft {
  return {
    key: nextKey++,
    kind,
    role: kind === 'role' ? 'Procurement' : null,
    label: '',
    min_amount: '',
  }
}

export function blankPolicy(priority = 100): PolicyDraft {
  return {
    key: nextKey++,
    name: '',
    priority,
    purpose: null,
    department_id: null,
    min_amount: '',
    max_amount: '',
    steps: [blankStep('line_manager'), blankStep('role')],
  }
}

export function toDrafts(policies: ApprovalPolicy[]): PolicyDraft[] {
  return [...policies]
    .sort((a, b) => a.priority - b.priority)
    .map((p) => ({
      key: nextKey++,
      name: p.name,
      priority: p.priority,
      purpose: p.purpose,
      department_id: p.department_id,
      min_amount: p.min_amount ?? '',
      max_amount: p.max_amount ?? '',
      steps: p.steps.map((s) => ({
        key: nextKey++,
        kind: s.kind,
        role: s.role ?? null,
        label: s.label ?? '',
        min_amount: s.min_amount ?? '',
      })),
    }))
}

function amount(text: string): string | null {
  const value = text.trim()
  return value ? round(value, 2) : null
}

export function toPolicies(drafts: PolicyDraft[]): ApprovalPolicy[] {
  return drafts.map((d) => ({
    name: d.name.trim(),
    priority: d.priority,
    purpose: d.purpose,
    department_id: d.department_id,
    min_amount: amount(d.min_amount),
    max_amount: amount(d.max_amount),
    steps: d.steps.map((s) => {
      const step: PolicyStep = { kind: s.kind }
      if (s.kind === 'role') step.role = s.role
      if (s.label.trim()) step.label = s.label.trim()
      const min = amount(s.min_amount)
      if (min !== null) step.min_amount = min
      return step
    }),
  }))
}

/** Moves `list[index]` by `delta` places in place (no-op at the ends). */
export function move<T>(list: T[], index: number, delta: -1 | 1): void {
  const target = index + delta
  if (index < 0 || target < 0 || target >= list.length) return
  const [item] = list.splice(index, 1)
  list.splice(target, 0, item as T)
}

/** Priorities follow the on-screen order (first match wins): 10, 20, 30… */
export function renumber(drafts: PolicyDraft[]): void {
  drafts.forEach((d, i) => (d.priority = (i + 1) * 10))
}

function badAmount(text: string): boolean {
  const value = text.trim()
  return !!value && (!isValidDecimal(value) || compare(value, '0') < 0)
}

/** A rule with no purpose, department or amounts matches every requisition. */
export function isCatchAll(draft: PolicyDraft): boolean {
  return (
    !draft.purpose && !draft.department_id && !draft.min_amount.trim() && !draft.max_amount.trim()
  )
}

/** Client checks, keyed like flattened server details (`policies.0.steps.1.role`). */
export function checkPolicies(drafts: PolicyDraft[]): Record<string, string> {
  const errors: Record<string, string> = {}
  if (drafts.length === 0) errors.policies = 'Keep at least one policy.'
  drafts.forEach((d, i) => {
    const at = `policies.${i}`
    if (!d.name.trim()) errors[`${at}.name`] = 'Required'
    if (badAmount(d.min_amount)) errors[`${at}.min_amount`] = 'An amount of 0 or more'
    if (badAmount(d.max_amount)) errors[`${at}.max_amount`] = 'An amount of 0 or more'
    if (
      !errors[`${at}.min_amount`] &&
      !errors[`${at}.max_amount`] &&
      d.min_amount.trim() &&
      d.max_amount.trim() &&
      compare(d.min_amount.trim(), d.max_amount.trim()) > 0
    ) {
      errors[`${at}.max_amount`] = 'Below the minimum'
    }
    if (d.steps.length === 0) errors[`${at}.steps`] = 'Add at least one step.'
    d.steps.forEach((s, j) => {
      if (s.kind === 'role' && !s.role) errors[`${at}.steps.${j}.role`] = 'Pick a role'
      if (badAmount(s.min_amount)) errors[`${at}.steps.${j}.min_amount`] = 'An amount of 0 or more'
    })
  })
  return { ...errors, ...unreachableErrors(drafts) }
}

/** A rule below a catch-all rule can never match: a message for each, shown while editing. */
export function unreachableErrors(drafts: PolicyDraft[]): Record<string, string> {
  const errors: Record<string, string> = {}
  const first = drafts.findIndex(isCatchAll)
  if (first < 0) return errors
  const name = drafts[first]?.name.trim() || 'a rule without conditions'
  for (let i = first + 1; i < drafts.length; i++) {
    errors[`policies.${i}.priority`] =
      `Never matches: the catch-all rule '${name}' comes first. ` +
      `Move this rule above it, or narrow '${name}'.`
  }
  return errors
}
