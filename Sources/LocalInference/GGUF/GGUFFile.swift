import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A GGUF model file, read into memory once.
///
/// Opening reads the file into private memory, parses the header, every metadata value and every tensor
/// info, and checks that each tensor's data lies inside the file; after that `data(for:)` hands out those
/// bytes without copying. The bytes are a copy, not an `mmap` of the file: a model file truncated or
/// rewritten in place under a running process (`cp` over it, `truncate`) would make every access past the
/// new end a SIGBUS; a copy is immune, and a change during the read is detected and refused.
/// Identical files (same device, inode, size and modification time) share one copy per process, and
/// ``shared(url:)`` shares the parsed file too.
///
/// ```swift
/// let file = try GGUFFile(url: modelURL)
/// let arch = file.metadata["general.architecture"]?.stringValue
/// let embd = file.tensor(named: "token_embd.weight")!
/// let bytes = file.data(for: embd)   // (rows × rowBytes), still quantized
/// ```
public final class GGUFFile: @unchecked Sendable {
    /// The GGUF format version (2 or 3).
    public let version: UInt32
    /// Every metadata value by key.
    public let metadata: [String: GGUFValue]
    /// Metadata keys in file order.
    public let metadataKeys: [String]
    /// Tensor infos in file order.
    public let tensors: [GGUFTensorInfo]
    /// `general.alignment`, or 32 when absent.
    public let alignment: Int
    /// Byte offset of the data section in the file.
    public let dataOffset: Int
    /// Where the file came from (nil for in-memory files).
    public let url: URL?

    private let storage: GGUFStorage
    private let tensorIndex: [String: Int]

    /// Reads and parses the file at `url` (its bytes shared with other `GGUFFile`s of the same file).
    public convenience init(url: URL) throws {
        try self.init(storage: GGUFStorage.shared(reading: url), url: url)
    }

    /// The parsed file at `url`, shared with every caller asking for the same unchanged file while one
    /// still holds it: 3,000 suite entries naming one GGUF parse its metadata (and copy it) once.
    public static func shared(url: URL) throws -> GGUFFile {
        let storage = try GGUFStorage.shared(reading: url)
        return try GGUFStorage.parsed.value(for: storage.identity) { try GGUFFile(storage: storage, url: url) }
    }

    /// Parses a GGUF image held in memory (tests, tools).
    public convenience init(bytes: [UInt8]) throws {
        try self.init(storage: GGUFStorage(copying: bytes), url: nil)
    }

    private init(storage: GGUFStorage, url: URL?) throws {
        self.storage = storage
        self.url = url
        var parser = GGUFParser(base: storage.base, count: storage.count)
        let parsed = try parser.parse()
        version = parsed.version
        metadata = parsed.metadata
        metadataKeys = parsed.metadataKeys
        tensors = parsed.tensors
        alignment = parsed.alignment
        dataOffset = parsed.dataOffset
        var index: [String: Int] = [:]
        for (i, t) in tensors.enumerated() { index[t.name] = i }
        tensorIndex = index
    }

    /// The tensor called `name`, if any.
    public func tensor(named name: String) -> GGUFTensorInfo? {
        tensorIndex[name].map { tensors[$0] }
    }

    /// The bytes of `tensor`'s data, mapped from the file (checked at open to lie inside it).
    ///
    /// - Precondition: `tensor` comes from this file.
    public func data(for tensor: GGUFTensorInfo) -> UnsafeRawBufferPointer {
        precondition(storage.withLock { $0.released.contains(tensor.name) } == false,
                     "tensor \(tensor.name) was repacked at load and its file bytes released: use the repacked matrix")
        return bytes(of: tensor)
    }

    /// `tensor`'s bytes, released or not.
    private func bytes(of tensor: GGUFTensorInfo) -> UnsafeRawBufferPointer {
        let start = dataOffset + tensor.offset
        precondition(start >= dataOffset && start + tensor.byteCount <= storage.count,
                     "tensor \(tensor.name) is not from this file")
        return UnsafeRawBufferPointer(start: storage.base.map { $0 + start }, count: tensor.byteCount)
    }

    /// `tensor` as a matrix in another layout (`WeightMatrix.repacked(on:)`), made once per copy of the file's
    /// bytes: every model loaded from this file (or an identical one sharing its bytes) shares it. When the
    /// bytes are the process's own copy of the file, the pages wholly inside `tensor` are released once the
    /// matrix is made (RSS stays one copy of the weights), and `data(for:)` refuses the tensor from then on.
    /// `make` returns the tensor's matrix from its bytes, or nil to keep them (no other layout); it may call
    /// `release` with byte ranges of the tensor it has finished reading, whose whole pages are released at
    /// once (only once it is sure to return a matrix).
    func repacked(_ tensor: GGUFTensorInfo,
                  make: (UnsafeRawBufferPointer, _ release: (Range<Int>) -> Void) -> WeightMatrix?) -> WeightMatrix? {
        storage.withLock { state in
            if let matrix = state.repacked[tensor.name] { return matrix }
            let bytes = bytes(of: tensor)
            /// Releases the whole pages of `range` (bytes of the tensor) when the pages are the storage's own.
            func release(_ range: Range<Int>) {
                guard storage.ownsPages, let start = bytes.baseAddress else { return }
                let page = Int(sysconf(Int32(_SC_PAGESIZE)))
                let first = (Int(bitPattern: start) + range.lowerBound + page - 1) / page * page
                let end = (Int(bitPattern: start) + range.upperBound) / page * page
                if end > first, let pages = UnsafeMutableRawPointer(bitPattern: first) {
                    // Freed, and unreadable from now on: a stray read faults instead of seeing zeros.
                    madvise(pages, end - first, MADV_DONTNEED)
                    mprotect(pages, end - first, PROT_NONE)
                }
            }
            guard !state.released.contains(tensor.name), let matrix = make(bytes, release) else { return nil }
            state.repacked[tensor.name] = matrix
            if storage.ownsPages {
                release(0..<tensor.byteCount)
                state.released.insert(tensor.name)
            }
            return matrix
        }
    }

    /// The architecture named by `general.architecture`, if present.
    public var architecture: String? { metadata["general.architecture"]?.stringValue }
}

// MARK: - Storage

/// The bytes of a GGUF file: an `mmap` of the file, or a heap copy.
final class GGUFStorage: @unchecked Sendable {
    let base: UnsafeRawPointer?
    let count: Int
    /// Whether `base` is an anonymous mapping of this storage's own (`init(reading:)`), whose pages may
    /// be released (`GGUFFile.repacked`); a heap copy's are not.
    let ownsPages: Bool
    private let release: () -> Void

    /// Matrices repacked from these bytes, by tensor name, and the tensors whose pages are released.
    struct Repacked {
        var repacked: [String: WeightMatrix] = [:]
        var released: Set<String> = []
    }
    private let lock = NSLock()
    private var state = Repacked()

    /// Runs `body` on the repacked matrices under the storage's lock.
    func withLock<T>(_ body: (inout Repacked) -> T) -> T { lock.withLock { body(&state) } }

    /// Identifies an unchanged file: device, inode, size, modification time (nil for in-memory images).
    let identity: String?

    /// Reads the file into private memory; refuses it if it changes while being read.
    init(reading url: URL) throws {
        let path = url.path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw GGUFError.cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        let before = try Self.status(fd, path: path)
        guard (before.st_mode & S_IFMT) == S_IFREG else {
            throw GGUFError.cannotOpen(path: path, reason: "not a regular file")
        }
        let size = Int(before.st_size)
        identity = Self.identity(before)
        ownsPages = true
        if size == 0 {
            base = nil
            count = 0
            release = {}
            return
        }
        guard let memory = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
              memory != MAP_FAILED else {
            throw GGUFError.cannotOpen(path: path, reason: "cannot allocate \(size) bytes: \(String(cString: strerror(errno)))")
        }
        var offset = 0
        while offset < size {
            let n = pread(fd, memory + offset, min(size - offset, 1 << 30), off_t(offset))
            if n < 0, errno == EINTR { continue }
            guard n > 0 else {
                let reason = n == 0 ? "it shrank while being read" : String(cString: strerror(errno))
                munmap(memory, size)
                throw GGUFError.cannotOpen(path: path, reason: reason)
            }
            offset += n
        }
        let after = try Self.status(fd, path: path)
        guard Self.identity(after) == identity else {
            munmap(memory, size)
            throw GGUFError.cannotOpen(path: path, reason: "it changed while being read; try again once it is written")
        }
        mprotect(memory, size, PROT_READ)
        base = UnsafeRawPointer(memory)
        count = size
        release = { munmap(memory, size) }
    }

    private static func status(_ fd: Int32, path: String) throws -> stat {
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw GGUFError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        return info
    }

    private static func identity(_ info: stat) -> String {
        #if canImport(Darwin)
        let modified = (Int(info.st_mtimespec.tv_sec), Int(info.st_mtimespec.tv_nsec))
        #else
        let modified = (Int(info.st_mtim.tv_sec), Int(info.st_mtim.tv_nsec))
        #endif
        return "\(info.st_dev):\(info.st_ino):\(info.st_size):\(modified.0).\(modified.1)"
    }

    init(copying bytes: [UInt8]) {
        identity = nil
        ownsPages = false
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: max(bytes.count, 1), alignment: 64)
        bytes.withUnsafeBytes { buffer.copyMemory(from: $0.baseAddress ?? UnsafeRawPointer(buffer), byteCount: bytes.count) }
        base = UnsafeRawPointer(buffer)
        count = bytes.count
        release = { buffer.deallocate() }
    }

    deinit { release() }
}

// MARK: - Sharing

extension GGUFStorage {
    /// Copies of files in use, by identity: a second open of an unchanged file shares the first's bytes.
    static let copies = WeakCache<GGUFStorage>()
    /// Parsed files in use, by their storage's identity (``GGUFFile/shared(url:)``).
    static let parsed = WeakCache<GGUFFile>()

    /// The bytes of the file at `url`: the copy already in memory when the file is unchanged, else a new one.
    static func shared(reading url: URL) throws -> GGUFStorage {
        var info = stat()
        guard stat(url.path, &info) == 0 else { return try GGUFStorage(reading: url) }  // its error names the cause
        return try copies.value(for: identity(info)) { try GGUFStorage(reading: url) }
    }
}

/// Values kept while someone holds them, by key (thread-safe; nil keys are never shared).
final class WeakCache<Value: AnyObject>: @unchecked Sendable {
    private struct Entry { weak var value: Value? }
    private let lock = NSLock()
    private var entries: [String: Entry] = [:]

    func value(for key: String?, make: () throws -> Value) throws -> Value {
        guard let key else { return try make() }
        if let hit = lock.withLock({ entries[key]?.value }) { return hit }
        let made = try make()
        return lock.withLock {
            if let raced = entries[key]?.value { return raced }
            entries = entries.filter { $0.value.value != nil }
            entries[key] = Entry(value: made)
            return made
        }
    }
}
