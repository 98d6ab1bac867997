import { beforeEach, describe, expect, it, vi } from 'vitest'
import * as api from '@/api/requisitions'
import { ApiError } from '@/api/errors'
import type { RequisitionDetail } from '@/types/requisitions'
import { useRequisitionForm } from './useRequisitionForm'

vi.mock('@/api/requisitions', () => ({
  createRequisition: vi.fn(),
  updateRequisition: vi.fn(),
  getRequisition: vi.fn(),
  transitionRequisition: vi.fn(),
}))

const saved = (over: Partial<RequisitionDetail> = {}) =>
  ({
    id: 11,
    req_number: 'REQ-2026-00011',
    status: 'Draft',
    version: 1,
    purpose: 'Daily Operations',
    project_id: null,
    needed_by: null,
    justification: 'Line 3 is down',
    items: [],
    approvals: [],
    allowed_actions: ['edit', 'submit', 'cancel', 'delete'],
    ...over,
  }) as unknown as RequisitionDetail

function filled(id?: number) {
  const f = useRequisitionForm(id)
  f.form.justification = ' Line 3 is down '
  f.lines.value[0]!.description = 'Bearing 6204'
  f.lines.value[0]!.quantity = '4'
  f.lines.value[0]!.estimated_unit_price = '3.5'
  return f
}

beforeEach(() => vi.resetAllMocks())

describe('requisition form', () => {
  it('creates with an idempotency key, then submits with the new version', async () => {
    vi.mocked(api.createRequisition).mockResolvedValue(saved())
    vi.mocked(api.transitionRequisition).mockResolvedValue({
      requisition: saved({ status: 'Submitted', version: 2 }),
      message: 'Requisition submitted',
    })
    const f = filled()
    expect(f.checkLines()).toBe(true)
    const result = await f.save(true)
    const [body, opts] = vi.mocked(api.createRequisition).mock.calls[0]!
    expect(body).toEqual({
      purpose: 'Daily Operations',
      project_id: null,
      needed_by: null,
      justification: 'Line 3 is down',
      items: [
        {
          description: 'Bearing 6204',
          item_id: null,
          quantity: '4.000',
          uom: 'EA',
          estimated_unit_price: '3.50',
          suggested_supplier_id: null,
        },
      ],
    })
    expect(opts?.headers).toHaveProperty('Idempotency-Key')
    expect(api.transitionRequisition).toHaveBeenCalledWith(11, 'submit', { version: 1 })
    expect(result).toMatchObject({ submitted: true, message: 'Requisition submitted' })
  })

  it('drops the project unless the purpose is Project-Specific', () => {
    const f = filled()
    f.form.project_id = 4
    expect(f.body().project_id).toBeNull()
    f.form.purpose = 'Project-Specific'
    expect(f.body().project_id).toBe(4)
  })

  it('puts 422 item messages on their cells and the rest on the fields', async () => {
    vi.mocked(api.createRequisition).mockRejectedValue(
      new ApiError(422, 'VALIDATION_ERROR', 'Validation failed', {
        justification: ['Required'],
        items: { '0': { quantity: ['Must be at least 0.001.'] } },
      }),
    )
    const f = filled()
    await expect(f.save(false)).resolves.toBeNull()
    expect(f.errors.value).toEqual({ justification: 'Required' })
    expect(f.lineErrors.value).toEqual({ 0: { quantity: 'Must be at least 0.001.' } })
    expect(f.general.value).toBe('')
  })

  it('sends the loaded version on edit and offers a reload when it is stale', async () => {
    vi.mocked(api.getRequisition).mockResolvedValue(
      saved({
        version: 5,
        items: [
          {
            id: 1,
            line_no: 1,
            description: 'Gloves',
            item_id: null,
            quantity: '2.000',
            uom: 'PR',
            estimated_unit_price: '4.00',
            line_total: '8.00',
            suggested_supplier_id: null,
            suggested_supplier: null,
            catalog_item: null,
            po_line_id: null,
            sourcing_status: 'Unsourced',
          },
        ],
      }),
    )
    vi.mocked(api.updateRequisition).mockRejectedValue(
      new ApiError(409, 'STALE_VERSION', 'The record was changed by someone else'),
    )
    const f = useRequisitionForm(11)
    await f.load()
    expect(f.lines.value[0]!.description).toBe('Gloves')
    await f.save(false)
    expect(vi.mocked(api.updateRequisition).mock.calls[0]![1]).toMatchObject({ version: 5 })
    expect(f.stale.value).toBe(true)
    expect(f.general.value).toContain('changed by someone else')
  })

  it('refuses to edit what the server does not allow', async () => {
    vi.mocked(api.getRequisition).mockResolvedValue(
      saved({ status: 'Approved', allowed_actions: [] }),
    )
    const f = useRequisitionForm(11)
    await f.load()
    expect(f.blocked.value).toContain('Approved')
  })

  it('keeps a saved draft when only the submit is refused', async () => {
    vi.mocked(api.createRequisition).mockResolvedValue(saved())
    vi.mocked(api.transitionRequisition).mockRejectedValue(
      new ApiError(409, 'INVALID_TRANSITION', 'Cannot submit'),
    )
    const f = filled()
    await expect(f.save(true)).resolves.toMatchObject({ submitted: false, record: { id: 11 } })
  })
})
