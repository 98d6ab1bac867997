import { type AxiosResponse, type InternalAxiosRequestConfig } from 'axios'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { http } from './http'
import { commitImport, isRunning, percentDone, uploadImport } from './imports'

vi.mock('./notify', () => ({ showError: vi.fn() }))

const seen: InternalAxiosRequestConfig[] = []

beforeEach(() => {
  seen.length = 0
  http.defaults.adapter = async (config): Promise<AxiosResponse> => {
    seen.push(config)
    const data = { success: true, data: { import: { id: 7, status: 'validated' } } }
    return { data, status: 200, statusText: '', headers: {}, config }
  }
})

describe('imports api', () => {
  it('uploads the file as multipart form data under "file"', async () => {
    const file = new File(['sku,name\n'], 'items.csv', { type: 'text/csv' })
    const job = await uploadImport('items', file)
    expect(job.id).toBe(7)
    expect(seen[0]!.url).toBe('/imports/items')
    const form = seen[0]!.data as FormData
    expect((form.get('file') as File).name).toBe('items.csv')
  })

  it('commits by id', async () => {
    await commitImport(7)
    expect(seen[0]!.method).toBe('post')
    expect(seen[0]!.url).toBe('/imports/7/commit')
  })

  it('turns progress into a whole percent, never past 100', () => {
    expect(percentDone(null)).toBe(0)
    expect(percentDone({ done: 0, total: 0 })).toBe(0)
    expect(percentDone({ done: 999, total: 2000 })).toBe(49)
    expect(percentDone({ done: 2000, total: 2000 })).toBe(100)
    expect(percentDone({ done: 2500, total: 2000 })).toBe(100)
  })

  it('keeps listening while the import is dry-running or committing', () => {
    expect(isRunning({ status: 'uploaded' })).toBe(true)
    expect(isRunning({ status: 'committing' })).toBe(true)
    expect(isRunning({ status: 'validated' })).toBe(false)
    expect(isRunning({ status: 'committed' })).toBe(false)
    expect(isRunning(null)).toBe(false)
  })
})
