import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A GGUF model file, memory-mapped read-only.
///
/// Opening parses the header, every metadata value and every tensor info, and checks that each tensor's
/// data lies inside the file; after that `data(for:)` hands out the mapped bytes without copying.
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

    /// Maps and parses the file at `url`.
    public convenience init(url: URL) throws {
        try self.init(storage: GGUFStorage(mapping: url), url: url)
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
        let start = dataOffset + tensor.offset
        precondition(start >= dataOffset && start + tensor.byteCount <= storage.count,
                     "tensor \(tensor.name) is not from this file")
        return UnsafeRawBufferPointer(start: storage.base.map { $0 + start }, count: tensor.byteCount)
    }

    /// Releases the pages of `tensor`'s bytes from the process's memory, when the file is mapped: a copy in
    /// another layout replaced them (`WeightMatrix.repacked(on:)`). Reading them later still works (they
    /// come back from the file); pages shared with a neighbouring tensor are kept.
    func discardPages(of tensor: GGUFTensorInfo) {
        let bytes = data(for: tensor)
        guard storage.isMapping, let start = bytes.baseAddress else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let first = (Int(bitPattern: start) + page - 1) / page * page, end = (Int(bitPattern: start) + bytes.count) / page * page
        guard end > first else { return }
        madvise(UnsafeMutableRawPointer(bitPattern: first), end - first, MADV_DONTNEED)
    }

    /// The architecture named by `general.architecture`, if present.
    public var architecture: String? { metadata["general.architecture"]?.stringValue }
}

// MARK: - Storage

/// The bytes of a GGUF file: an `mmap` of the file, or a heap copy.
final class GGUFStorage: @unchecked Sendable {
    let base: UnsafeRawPointer?
    let count: Int
    /// Whether `base` maps the file (else it is a heap copy).
    let isMapping: Bool
    private let release: () -> Void

    init(mapping url: URL) throws {
        let path = url.path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw GGUFError.cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw GGUFError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw GGUFError.cannotOpen(path: path, reason: "not a regular file")
        }
        let size = Int(info.st_size)
        if size == 0 {
            base = nil
            count = 0
            isMapping = false
            release = {}
            return
        }
        guard let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), mapped != MAP_FAILED else {
            throw GGUFError.cannotOpen(path: path, reason: "mmap failed: \(String(cString: strerror(errno)))")
        }
        base = UnsafeRawPointer(mapped)
        count = size
        isMapping = true
        release = { munmap(mapped, size) }
    }

    init(copying bytes: [UInt8]) {
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: max(bytes.count, 1), alignment: 64)
        bytes.withUnsafeBytes { buffer.copyMemory(from: $0.baseAddress ?? UnsafeRawPointer(buffer), byteCount: bytes.count) }
        base = UnsafeRawPointer(buffer)
        count = bytes.count
        isMapping = false
        release = { buffer.deallocate() }
    }

    deinit { release() }
}
