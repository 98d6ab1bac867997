import type {
  ApprovalPolicy,
  Delegation,
  DelegationCreateBody,
  DelegationList,
  InboxList,
  InboxParams,
  PolicySet,
} from '@/types/approvals'
import { api, type RequestOptions } from './http'

/** My approval inbox (pending steps I, or someone I stand in for, may decide). */
export function listPendingApprovals(params: InboxParams = {}, opts: RequestOptions = {}) {
  return api.get<InboxList>('/approvals/pending', { sort: 'due_at', ...params }, opts)
}

export async function getApprovalPolicies(): Promise<ApprovalPolicy[]> {
  return (await api.get<PolicySet>('/approval-policies')).policies
}

/** Replaces the whole set; ids and is_active are the server's. */
export async function saveApprovalPolicies(
  policies: ApprovalPolicy[],
  opts: RequestOptions = {},
): Promise<ApprovalPolicy[]> {
  const body: PolicySet = {
    policies: policies.map(({ id: _id, is_active: _active, ...rule }) => rule),
  }
  return (await api.put<PolicySet>('/approval-policies', body, opts)).policies
}

export function listDelegations(params: { page?: number; per_page?: number } = {}) {
  return api.get<DelegationList>('/delegations', { per_page: 100, ...params })
}

export async function createDelegation(
  body: DelegationCreateBody,
  opts: RequestOptions = {},
): Promise<Delegation> {
  return (await api.post<{ delegation: Delegation }>('/delegations', body, opts)).delegation
}

export async function cancelDelegation(id: number): Promise<Delegation | undefined> {
  return (await api.post<{ delegation?: Delegation } | undefined>(`/delegations/${id}/cancel`))
    ?.delegation
}
