"""List exports: every list as CSV or XLSX under its own filters, streamed when small and
built by a background job (with progress pushes and a 24-hour download) when large."""
