#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How many files (sockets, pipes) the process may hold open.
///
/// Most Linux logins start a process with a soft limit of 1,024 descriptors
/// under a hard limit far above it. A coordinator holding a socket per worker
/// connection and per database session, or a worker with a thousand provider
/// calls in flight, passes 1,024 in normal use, and the failure ("Too many
/// open files") would land on whichever connection came next. The soft limit
/// exists for programs that do not expect many descriptors; this one does,
/// so it raises its own to the hard limit at start, as Go's runtime does
/// for every Go program. The test process does the same: a test run holds
/// some 2,100 at once.
public enum OpenFileLimit {
    /// Raises the soft limit to the hard one; returns the limit now in force
    /// (`nil` when it could not be read). Never lowers it, never fails: a
    /// limit that cannot be raised stays as it was.
    @discardableResult
    public static func raiseToHardLimit() -> UInt64? {
        var limit = rlimit()
        guard getrlimit(resourceNumber, &limit) == 0 else { return nil }
        var wanted = limit.rlim_max
        #if canImport(Darwin)
            // macOS refuses a soft limit above OPEN_MAX even when the hard limit is unlimited.
            wanted = min(wanted, rlim_t(OPEN_MAX))
        #endif
        guard wanted > limit.rlim_cur else { return UInt64(limit.rlim_cur) }
        let before = limit.rlim_cur
        limit.rlim_cur = wanted
        return UInt64(setrlimit(resourceNumber, &limit) == 0 ? wanted : before)
    }

    #if canImport(Glibc)
        private static let resourceNumber = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    #else
        private static let resourceNumber = RLIMIT_NOFILE
    #endif
}
