import Foundation
import Store

// MARK: - ModelFingerprint

/// A fast identity of a model file, for candidate keys: its size, the hash of its first MiB (the GGUF
/// header and most of its metadata) and of 16 chunks of 64 KiB sampled evenly through the rest, the last
/// one included.
///
/// Not a SHA-256 of the whole file: hashing a 4 GB GGUF takes tens of seconds on every run, while this
/// reads about 2 MiB. Any real change of a model — another quantization, a merged fine-tune, retrained
/// weights — changes its size, its metadata or every sampled chunk; an edit confined to bytes between
/// the samples would not be seen (delete the stored candidates, or rename the file, to force a rerun).
/// Fingerprints are cached per (path, size, modification time) for the life of the process, so variants
/// of one file read it once.
///
/// ```swift
/// let id = try ModelFingerprint.of(URL(fileURLWithPath: "models/smollm2.gguf"))   // "gguf1:…"
/// ```
public enum ModelFingerprint {
    static let headerBytes = 1 << 20
    static let sampleCount = 16
    static let sampleBytes = 64 << 10

    private static let cache = FingerprintCache()

    /// The fingerprint of the file at `url`, from the cache when its size and modification time are unchanged.
    ///
    /// - Throws: ``CandidateGenerationError/unreadableModel(path:reason:)``.
    public static func of(_ url: URL) throws -> String {
        let path = url.standardizedFileURL.path
        let attributes: [FileAttributeKey: Any]
        do { attributes = try FileManager.default.attributesOfItem(atPath: path) } catch {
            throw CandidateGenerationError.unreadableModel(path: path, reason: "no such file, or it cannot be read")
        }
        let size = (attributes[.size] as? NSNumber)?.uint64Value ?? 0
        let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        let cacheKey = "\(path)\u{0}\(size)\u{0}\(modified)"
        if let hit = cache[cacheKey] { return hit }
        let fingerprint = try compute(path: path, size: size)
        cache[cacheKey] = fingerprint
        return fingerprint
    }

    /// Reads the header and the samples and hashes them (FNV-1a 64 per region, then SHA-256 of the list).
    static func compute(path: String, size: UInt64) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CandidateGenerationError.unreadableModel(path: path, reason: "it cannot be opened for reading")
        }
        defer { try? handle.close() }
        var parts = ["gguf-fingerprint@1", String(size)]
        for (offset, length) in regions(size: size) {
            do {
                try handle.seek(toOffset: offset)
                let bytes = try handle.read(upToCount: length) ?? Data()
                parts.append("\(offset):\(bytes.count):\(fnv1a(bytes))")
            } catch {
                throw CandidateGenerationError.unreadableModel(path: path, reason: "reading at byte \(offset) failed: \(error)")
            }
        }
        return "gguf1:" + ContentKey.make(parts)
    }

    /// (offset, length) of each region read: the header, then samples spread evenly up to the end.
    static func regions(size: UInt64) -> [(UInt64, Int)] {
        let header = UInt64(headerBytes)
        guard size > header else { return [(0, Int(size))] }
        var regions: [(UInt64, Int)] = [(0, headerBytes)]
        let rest = size - header
        for index in 1...sampleCount {
            let end = header + rest * UInt64(index) / UInt64(sampleCount)
            let start = max(header, end >= UInt64(sampleBytes) ? end - UInt64(sampleBytes) : 0)
            regions.append((start, Int(end - start)))
        }
        return regions
    }

    /// 64-bit FNV-1a, as 16 hex digits.
    static func fnv1a(_ data: Data) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        data.withUnsafeBytes { raw in
            for byte in raw.bindMemory(to: UInt8.self) {
                hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            }
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

/// The process-wide fingerprint cache (locked: remote and local generation may ask at once).
private final class FingerprintCache: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String: String] = [:]

    subscript(key: String) -> String? {
        get { lock.withLock { entries[key] } }
        set { lock.withLock { entries[key] = newValue } }
    }
}
