import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Memory of the process's own for repacked weights (`WeightMatrix.repacked(on:)`), freed with the last
/// matrix that uses it.
///
/// An anonymous mapping rather than the heap: a 7B model's matrices are tens of MB each, and on Linux the
/// mapping asks for transparent huge pages (`MADV_HUGEPAGE`), so that streaming the weights costs one TLB
/// entry per 2 MB instead of per 4 KB. Pages commit as the repacking writes them.
final class WeightStorage: @unchecked Sendable {
    let base: UnsafeMutableRawPointer
    let byteCount: Int

    /// nil when the system refuses the memory (the matrix then stays in the file's layout).
    init?(byteCount: Int) {
        self.byteCount = max(byteCount, 1)
        guard let mapped = mmap(nil, self.byteCount, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
              mapped != MAP_FAILED
        else { return nil }
        #if os(Linux)
        madvise(mapped, self.byteCount, MADV_HUGEPAGE)
        #endif
        base = mapped
    }

    deinit { munmap(base, byteCount) }
}
