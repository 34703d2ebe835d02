/// Locks that serialize writers by name rather than by row.
enum LockSQL {
    /// Holds the name $1 (`sweep:NAME`, `dataset:NAME`) until the transaction
    /// ends, so two submissions or imports under one name never interleave.
    static let named = "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))"
}
