"""Stock: holds, releases, adjustments, and the movement ledger that explains every change."""
