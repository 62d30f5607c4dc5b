import Foundation
#if canImport(Glibc)
import Glibc
#endif

// MARK: - ConnectionLimits

/// How long a connection may sit idle or take to send a request, and how many may be open at once.
///
/// A client that opens connections and sends nothing, sends a header a byte at a time, or trickles a body
/// would otherwise hold a socket (and a file descriptor) forever. Each timeout closes the connection:
/// an idle one silently, one in the middle of a request with `408 Request Timeout`. Beyond
/// ``maxConnections`` a new connection is answered `503` and closed at once, before anything is read.
public struct ConnectionLimits: Sendable, Equatable {
    /// How long a connection may wait for the first byte of a request (after connecting or after a response).
    public var idleTimeout: Duration
    /// How long a request's head may take to arrive, from its first byte.
    public var headerTimeout: Duration
    /// How long a request's body may take to arrive, from the end of its head.
    public var bodyTimeout: Duration
    /// The most connections open at once (also capped by the process's file-descriptor limit, see
    /// ``effectiveMaxConnections``).
    public var maxConnections: Int

    public init(idleTimeout: Duration = .seconds(60), headerTimeout: Duration = .seconds(10),
                bodyTimeout: Duration = .seconds(60), maxConnections: Int = 1024) {
        self.idleTimeout = idleTimeout
        self.headerTimeout = headerTimeout
        self.bodyTimeout = bodyTimeout
        self.maxConnections = maxConnections
    }

    /// File descriptors kept free beyond the connections: for the store, logs, a model reload, and the one
    /// `accept` needs to refuse a connection.
    static let reservedDescriptors = 32

    /// ``maxConnections``, lowered so that open connections can never use up the file descriptors
    /// (`RLIMIT_NOFILE`, less those open when the server starts and a reserve): a full server refuses new
    /// connections rather than failing to accept them. Each connection holds one descriptor.
    public var effectiveMaxConnections: Int {
        Self.cap(maxConnections, descriptorLimit: Self.descriptorLimit(), open: Self.openDescriptors())
    }

    static func cap(_ configured: Int, descriptorLimit: Int, open: Int) -> Int {
        let free = descriptorLimit > open ? descriptorLimit - max(open, 0) : 0
        return max(1, min(configured, free > reservedDescriptors ? free - reservedDescriptors : 0))
    }

    /// How many descriptors this process has open (`/proc/self/fd`; 0 where that does not exist).
    static func openDescriptors() -> Int {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd"))?.count ?? 1) - 1  // less the listing's own
    }

    /// The soft limit on open file descriptors.
    static func descriptorLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return Int(Int32.max) }
        return limit.rlim_cur == rlim_t.max ? Int(Int32.max) : Int(clamping: limit.rlim_cur)  // rlim_t.max: RLIM_INFINITY
    }
}
