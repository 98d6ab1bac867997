import type {
  Item,
  ItemBody,
  ItemList,
  ItemListParams,
  Supplier,
  SupplierBody,
  SupplierList,
  SupplierListParams,
} from '@/types/catalog'
import { api, type RequestOptions } from './http'

export function listSuppliers(params: SupplierListParams = {}, opts: RequestOptions = {}) {
  return api.get<SupplierList>('/suppliers', params, opts)
}

export async function getSupplier(id: number, opts: RequestOptions = {}): Promise<Supplier> {
  return (await api.get<{ supplier: Supplier }>(`/suppliers/${id}`, undefined, opts)).supplier
}

export async function createSupplier(body: SupplierBody, opts: RequestOptions = {}) {
  return (await api.post<{ supplier: Supplier }>('/suppliers', body, opts)).supplier
}

export async function updateSupplier(
  id: number,
  body: SupplierBody & { version: number },
  opts: RequestOptions = {},
): Promise<Supplier> {
  return (await api.put<{ supplier: Supplier }>(`/suppliers/${id}`, body, opts)).supplier
}

export async function setSupplierActive(id: number, active: boolean): Promise<Supplier> {
  const action = active ? 'activate' : 'deactivate'
  return (await api.post<{ supplier: Supplier }>(`/suppliers/${id}/${action}`)).supplier
}

export function listItems(params: ItemListParams = {}, opts: RequestOptions = {}) {
  return api.get<ItemList>('/items', params, opts)
}

export async function getItem(id: number, opts: RequestOptions = {}): Promise<Item> {
  return (await api.get<{ item: Item }>(`/items/${id}`, undefined, opts)).item
}

export async function createItem(body: ItemBody, opts: RequestOptions = {}): Promise<Item> {
  return (await api.post<{ item: Item }>('/items', body, opts)).item
}

export async function updateItem(
  id: number,
  body: ItemBody & { version: number },
  opts: RequestOptions = {},
): Promise<Item> {
  return (await api.put<{ item: Item }>(`/items/${id}`, body, opts)).item
}

export async function setItemActive(id: number, active: boolean): Promise<Item> {
  const action = active ? 'activate' : 'deactivate'
  return (await api.post<{ item: Item }>(`/items/${id}/${action}`)).item
}
