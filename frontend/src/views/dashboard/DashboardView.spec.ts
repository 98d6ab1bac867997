import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import * as dashboardApi from '@/api/dashboard'
import { bus } from '@/realtime/bus'
import { routes } from '@/router/routes'
import { useAuthStore } from '@/stores/auth'
import type { Dashboard } from '@/types/dashboard'
import type { User } from '@/types/identity'
import DashboardView from './DashboardView.vue'

vi.mock('@/api/dashboard', () => ({
  fetchDashboard: vi.fn(),
  prefetchDashboard: vi.fn(),
  takePrefetchedDashboard: vi.fn(() => null),
}))
// ECharts needs a canvas; here the chart is a marker.
vi.mock('@/components/charts', () => ({
  LazyChart: { props: ['option', 'label'], template: '<div data-test="chart" />' },
}))

const ENGINEER = {
  id: 2,
  full_name: 'Erin Engineer',
  role: 'Engineer',
  department: null,
  permissions: ['requisition:create', 'requisition:view:own'],
} as unknown as User

const statuses = (over: Record<string, number> = {}) => ({
  Draft: 0,
  Submitted: 0,
  'Under Review': 0,
  Approved: 0,
  Rejected: 0,
  Questioned: 0,
  Cancelled: 0,
  ...over,
})

function answer(dashboard: Dashboard) {
  vi.mocked(dashboardApi.fetchDashboard).mockResolvedValue({ dashboard })
}

const mounted: { unmount(): void }[] = []

async function setup(user: User = ENGINEER) {
  useAuthStore().setUser(user)
  const router = createRouter({ history: createMemoryHistory(), routes })
  await router.push('/')
  const wrapper = mount(DashboardView, { global: { plugins: [router] }, attachTo: document.body })
  mounted.push(wrapper)
  await flushPromises()
  return { wrapper, router }
}

const value = (w: Awaited<ReturnType<typeof setup>>['wrapper'], kpi: string) =>
  w.find(`[data-test="${kpi}"] [data-test="kpi-value"]`).text()

beforeEach(() => {
  setActivePinia(createPinia())
  vi.mocked(dashboardApi.fetchDashboard).mockReset()
  document.body.innerHTML = ''
})

afterEach(() => {
  vi.useRealTimers()
  mounted.splice(0).forEach((w) => w.unmount())
  bus.clear()
})

describe('DashboardView', () => {
  it("shows an engineer's KPI cards and status chart", async () => {
    answer({
      role: 'Engineer',
      my_requisitions_by_status: statuses({ Draft: 1, Submitted: 2, Questioned: 1 }),
      approvals_waiting: 3,
      approvals_overdue: 1,
    })
    const { wrapper } = await setup()
    expect(value(wrapper, 'kpi-my-open')).toBe('3')
    expect(value(wrapper, 'kpi-my-drafts')).toBe('1')
    expect(value(wrapper, 'kpi-approvals-waiting')).toBe('3')
    expect(value(wrapper, 'kpi-approvals-overdue')).toBe('1')
    expect(wrapper.find('[data-test="chart-my-status"] [data-test="chart"]').exists()).toBe(true)
    // Sections the role does not get are not drawn at all.
    expect(wrapper.find('[data-test="chart-all-status"]').exists()).toBe(false)
    expect(wrapper.find('[data-test="chart-spend"]').exists()).toBe(false)
  })

  it('invites a new requester to create a requisition', async () => {
    answer({
      role: 'Engineer',
      my_requisitions_by_status: statuses(),
      approvals_waiting: 0,
      approvals_overdue: 0,
    })
    const { wrapper, router } = await setup()
    const cta = wrapper.find('[data-test="dashboard-create-requisition"]')
    expect(wrapper.find('[data-test="chart-my-status"]').text()).toContain('No requisitions yet')
    await cta.trigger('click')
    await vi.waitFor(() => expect(router.currentRoute.value.name).toBe('requisition-new'), {
      timeout: 5000,
    })
  })

  it('draws company-wide sections and a future module key for a buyer', async () => {
    answer({
      role: 'Procurement',
      approvals_waiting: 0,
      approvals_overdue: 0,
      requisitions_by_status: statuses({ Approved: 4 }),
      approved_spend_by_month: [
        { month: '2026-10', amount: '0.10' },
        { month: '2026-11', amount: '0.20' },
      ],
      approvals_pending_total: 2,
      sourcing_queue: 6,
    })
    const { wrapper } = await setup({
      ...ENGINEER,
      role: 'Procurement',
      permissions: ['requisition:view:all', 'requisition:approve'],
    } as User)
    expect(wrapper.find('[data-test="chart-all-status"] [data-test="chart"]').exists()).toBe(true)
    expect(wrapper.find('[data-test="spend-total"]').text()).toContain('$0.30')
    expect(value(wrapper, 'kpi-sourcing-queue')).toBe('6')
    expect(wrapper.find('[data-test="kpi-my-open"]').exists()).toBe(false)
    expect(wrapper.find('[data-test="chart-my-status"]').exists()).toBe(false)
  })

  it('refreshes once, quietly, after a burst of live events', async () => {
    answer({ role: 'Engineer', approvals_waiting: 0, approvals_overdue: 0 })
    const { wrapper } = await setup()
    vi.useFakeTimers()
    answer({ role: 'Engineer', approvals_waiting: 1, approvals_overdue: 0 })
    bus.emit('status_update', {
      resource: 'requisition',
      resource_id: 1,
      number: 'REQ-2026-00001',
      status: 'Submitted',
      timestamp: '2026-01-09T10:00:00Z',
    })
    bus.emit('notification', {
      id: 1,
      type: 'approval_assigned',
      title: 'Approval needed',
      body: '',
      link: '/requisitions/1',
      created_at: '2026-01-09T10:00:00Z',
    })
    await vi.advanceTimersByTimeAsync(499)
    expect(dashboardApi.fetchDashboard).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(1)
    vi.useRealTimers()
    await flushPromises()
    expect(dashboardApi.fetchDashboard).toHaveBeenCalledTimes(2)
    expect(dashboardApi.fetchDashboard).toHaveBeenLastCalledWith({ silent: true })
    expect(value(wrapper, 'kpi-approvals-waiting')).toBe('1')
  })

  it('uses the answer the router prefetched instead of asking again', async () => {
    vi.mocked(dashboardApi.takePrefetchedDashboard).mockReturnValueOnce(
      Promise.resolve({ dashboard: { role: 'Engineer', approvals_waiting: 4 } }),
    )
    const { wrapper } = await setup()
    expect(dashboardApi.prefetchDashboard).toHaveBeenCalled()
    expect(dashboardApi.fetchDashboard).not.toHaveBeenCalled()
    expect(value(wrapper, 'kpi-approvals-waiting')).toBe('4')
  })

  it('offers a retry when the first load fails', async () => {
    vi.mocked(dashboardApi.fetchDashboard).mockRejectedValueOnce(new Error('down'))
    const { wrapper } = await setup()
    expect(wrapper.find('[data-test="dashboard-error"]').exists()).toBe(true)
  })
})
