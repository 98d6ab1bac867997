/** "1.4 MB", "320 kB", "12 B". */
export function formatBytes(size: number): string {
  if (size < 1000) return `${size} B`
  if (size < 1_000_000) return `${(size / 1000).toFixed(0)} kB`
  return `${(size / 1_000_000).toFixed(1)} MB`
}
