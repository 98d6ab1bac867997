import { AxiosError, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { http } from './http'
import {
  listRequisitions,
  transitionBody,
  transitionRequisition,
  updateRequisition,
} from './requisitions'
import { listPendingApprovals, saveApprovalPolicies } from './approvals'
import { lookupUsers } from './users'

vi.mock('./notify', () => ({ showError: vi.fn() }))

type Reply = { status: number; data?: unknown }
let reply: (config: InternalAxiosRequestConfig) => Reply
const seen: InternalAxiosRequestConfig[] = []

beforeEach(() => {
  seen.length = 0
  http.defaults.adapter = async (config): Promise<AxiosResponse> => {
    seen.push(config)
    const r = reply(config)
    const response = { data: r.data, status: r.status, statusText: '', headers: {}, config }
    if (r.status >= 400) {
      throw new AxiosError('fail', 'ERR_BAD_RESPONSE', config, null, response)
    }
    return response
  }
})

const ok = (data: unknown, message = 'OK'): Reply => ({
  status: 200,
  data: { success: true, data, message, timestamp: 't', request_id: 'r' },
})
const body = (i = 0) => JSON.parse(String(seen[i]!.data ?? '{}'))

describe('transition bodies', () => {
  it('sends the version and the text under the field each decision takes', () => {
    expect(transitionBody('approve', 3, '  fine ')).toEqual({ version: 3, comment: 'fine' })
    expect(transitionBody('reject', 3, 'too dear')).toEqual({ version: 3, reason: 'too dear' })
    expect(transitionBody('question', 4, 'why?')).toEqual({ version: 4, question: 'why?' })
    expect(transitionBody('approve', 3, '   ')).toEqual({ version: 3 })
    expect(transitionBody('submit', 2, 'ignored')).toEqual({ version: 2 })
    expect(transitionBody('cancel', undefined)).toEqual({})
  })
})

describe('requisitions API', () => {
  it("returns the record and the server's message after a transition", async () => {
    reply = () => ok({ requisition: { id: 5, status: 'Approved' } }, 'Requisition approved')
    const result = await transitionRequisition(5, 'approve', { version: 2, comment: 'ok' })
    expect(seen[0]!.url).toBe('/requisitions/5/approve')
    expect(seen[0]!.method).toBe('post')
    expect(body()).toEqual({ version: 2, comment: 'ok' })
    expect(result).toEqual({
      requisition: { id: 5, status: 'Approved' },
      message: 'Requisition approved',
    })
  })

  it('keeps nested 422 details for the line-item cells', async () => {
    const details = { items: { '0': { quantity: ['Must be at least 0.001.'] } } }
    reply = () => ({
      status: 422,
      data: { success: false, error: { code: 'VALIDATION_ERROR', message: 'Invalid', details } },
    })
    const error = await updateRequisition(1, {
      purpose: 'Daily Operations',
      justification: 'x',
      items: [],
      version: 1,
    }).catch((e: unknown) => e)
    expect(error).toMatchObject({ status: 422, rawDetails: details })
    expect(body()).toMatchObject({ version: 1 })
  })

  it('lists with comma-separated statuses and without empty filters', async () => {
    reply = () =>
      ok({ requisitions: [], pagination: { page: 1, per_page: 20, total: 0, pages: 0 } })
    await listRequisitions({
      status: 'Draft,Submitted',
      q: '',
      sort: '-created_at',
      mine: undefined,
    })
    expect(seen[0]!.params).toEqual({ status: 'Draft,Submitted', sort: '-created_at' })
  })
})

describe('approvals API', () => {
  it('reads the inbox soonest due first', async () => {
    reply = () => ok({ approvals: [], pagination: { page: 1, per_page: 1, total: 4, pages: 4 } })
    await listPendingApprovals({ per_page: 1 })
    expect(seen[0]!.url).toBe('/approvals/pending')
    expect(seen[0]!.params).toEqual({ sort: 'due_at', per_page: 1 })
  })

  it('puts the whole policy set without server-owned fields', async () => {
    reply = () => ok({ policies: [] })
    await saveApprovalPolicies([
      {
        id: 9,
        is_active: true,
        name: 'Default',
        priority: 10,
        purpose: null,
        department_id: null,
        min_amount: null,
        max_amount: null,
        steps: [{ kind: 'line_manager' }],
      },
    ])
    expect(seen[0]!.method).toBe('put')
    expect(body()).toEqual({
      policies: [
        {
          name: 'Default',
          priority: 10,
          purpose: null,
          department_id: null,
          min_amount: null,
          max_amount: null,
          steps: [{ kind: 'line_manager' }],
        },
      ],
    })
  })

  it('looks colleagues up by name', async () => {
    reply = () => ok({ users: [{ id: 2, full_name: 'Bo', username: 'bo', role: 'Engineer' }] })
    await expect(lookupUsers('bo')).resolves.toHaveLength(1)
    expect(seen[0]!.url).toBe('/users/lookup')
    expect(seen[0]!.params).toEqual({ q: 'bo', per_page: 20 })
  })
})
