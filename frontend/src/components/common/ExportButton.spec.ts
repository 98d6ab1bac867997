import { flushPromises, mount } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { nextTick } from 'vue'
import * as exportsApi from '@/api/exports'
import type { ExportJob } from '@/api/exports'
import { bus } from '@/realtime/bus'
import ExportButton from './ExportButton.vue'

vi.mock('@/api/exports', async (original) => ({
  ...(await original<typeof import('@/api/exports')>()),
  startExport: vi.fn(),
  getExport: vi.fn(),
}))

function job(overrides: Partial<ExportJob> = {}): ExportJob {
  return {
    id: 7,
    kind: 'invoices',
    format: 'xlsx',
    state: 'Queued',
    total_rows: null,
    rows_done: 0,
    percent: 0,
    error: null,
    filename: 'invoices-7.xlsx',
    download_url: null,
    finished_at: null,
    expires_at: null,
    ...overrides,
  }
}

function button(props: { total: number; capped?: boolean }) {
  return mount(ExportButton, {
    props: { kind: 'invoices', query: { status: 'Approved', sort: '-created_at' }, ...props },
  })
}

async function choose(wrapper: ReturnType<typeof button>, format: string) {
  wrapper.findComponent({ name: 'ElDropdown' }).vm.$emit('command', format)
  await flushPromises()
}

afterEach(() => bus.clear())

describe('ExportButton', () => {
  it('downloads a small list at once from the streamed export URL', async () => {
    const clicked: string[] = []
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      clicked.push(this.getAttribute('href') ?? '')
    })
    const wrapper = button({ total: 120 })
    await choose(wrapper, 'csv')
    expect(clicked).toEqual([
      '/api/v1/exports/invoices?status=Approved&sort=-created_at&format=csv',
    ])
    expect(exportsApi.startExport).not.toHaveBeenCalled()
  })

  it('builds a big list in the background, shows its progress, then the download link', async () => {
    vi.mocked(exportsApi.startExport).mockResolvedValue(job())
    const wrapper = button({ total: 10_000, capped: true })
    await choose(wrapper, 'xlsx')
    expect(exportsApi.startExport).toHaveBeenCalledWith('invoices', 'xlsx', {
      status: 'Approved',
      sort: '-created_at',
    })
    bus.emit('progress', {
      job_id: 'export-99',
      done: 5000,
      total: 20000,
      state: 'Running',
      percent: 25,
    })
    bus.emit('progress', {
      job_id: 'export-7',
      done: 9000,
      total: 20000,
      state: 'Running',
      percent: 45,
    })
    await nextTick()
    expect(wrapper.find('[data-test="export-progress"]').text()).toContain('45%')
    bus.emit('progress', {
      job_id: 'export-7',
      done: 20000,
      total: 20000,
      state: 'Done',
      percent: 100,
      download: '/api/v1/exports/7/file',
    })
    await nextTick()
    expect(wrapper.find('[data-test="export-progress"]').exists()).toBe(false)
    const link = wrapper.find('[data-test="export-download"]')
    expect(link.attributes('href')).toBe('/api/v1/exports/7/file')
    expect(link.text()).toContain('20,000 rows')
  })

  it('says why a background export failed', async () => {
    vi.mocked(exportsApi.startExport).mockResolvedValue(job())
    const wrapper = button({ total: 6000 })
    await choose(wrapper, 'csv')
    bus.emit('progress', {
      job_id: 'export-7',
      done: 0,
      total: 0,
      state: 'Failed',
      error: 'The export could not be built',
    })
    await nextTick()
    expect(wrapper.find('[data-test="export-error"]').text()).toBe('The export could not be built')
  })
})
