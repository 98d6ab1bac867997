/** What an Element Plus table's `sort-change` event reports (its `column` is not needed). */
export interface TableSort {
  prop: string | null
  order: string | null
}

/**
 * A table's sort as the API's `sort` parameter: `-prop` descending, `prop` ascending, and
 * `fallback` once the sort is cleared.
 */
export function sortParam({ prop, order }: TableSort, fallback: string): string {
  return prop && order ? `${order === 'descending' ? '-' : ''}${prop}` : fallback
}
