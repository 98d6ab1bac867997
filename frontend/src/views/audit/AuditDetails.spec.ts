import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import type { AuditLog } from '@/types/audit'
import AuditDetails from './AuditDetails.vue'

const entry = (
  old_values: AuditLog['old_values'],
  new_values: AuditLog['new_values'],
): AuditLog => ({
  id: 1,
  actor_id: 2,
  actor_name: 'admin',
  action: 'user.update',
  resource_type: 'user',
  resource_id: 3,
  old_values,
  new_values,
  ip_address: '127.0.0.1',
  user_agent: 'test',
  request_id: 'req-1',
  created_at: '2026-03-01T10:00:00Z',
})

describe('AuditDetails', () => {
  it('shows each field before and after, changed fields first', () => {
    const wrapper = mount(AuditDetails, {
      props: {
        entry: entry(
          { role: 'Engineer', full_name: 'Eric' },
          { full_name: 'Eric Renamed', role: 'Engineer' },
        ),
      },
    })
    const rows = wrapper.findAll('tbody tr').map((r) => r.findAll('th, td').map((c) => c.text()))
    expect(rows).toEqual([
      ['Full name', 'Eric', 'Eric Renamed'],
      ['Role', 'Engineer', 'Engineer'],
    ])
    expect(wrapper.findAll('tr.changed')).toHaveLength(1)
  })

  it('shows a dash for a field only one side has, and says when nothing was recorded', () => {
    const created = mount(AuditDetails, { props: { entry: entry(null, { status: 'Draft' }) } })
    expect(created.find('[data-test=audit-old]').text()).toBe('—')
    expect(created.find('[data-test=audit-new]').text()).toBe('Draft')
    const empty = mount(AuditDetails, { props: { entry: entry(null, null) } })
    expect(empty.text()).toContain('No values recorded.')
  })
})
