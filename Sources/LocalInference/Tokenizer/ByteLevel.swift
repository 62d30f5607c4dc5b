/// GPT-2's byte-to-character table: byte-level BPE vocabularies spell every byte as one printable
/// code point (`' '` → `Ġ`, `'\n'` → `Ċ`), so a token's text is the byte-encoded spelling of its bytes.
///
/// Bytes `!`…`~`, `¡`…`¬` and `®`…`ÿ` stand for themselves; the other 68 take U+0100, U+0101, … in byte order
/// (Radford et al., "Language Models are Unsupervised Multitask Learners", 2019; `bytes_to_unicode` in
/// openai/gpt-2's encoder.py).
enum ByteLevel {
    /// The UTF-8 spelling of each byte's stand-in code point; shape (256).
    static let encoded: [[UInt8]] = {
        var codepoints = [UInt32](repeating: 0, count: 256)
        var next: UInt32 = 256
        for byte in 0..<256 {
            let printable = (0x21...0x7E).contains(byte) || (0xA1...0xAC).contains(byte) || (0xAE...0xFF).contains(byte)
            if printable {
                codepoints[byte] = UInt32(byte)
            } else {
                codepoints[byte] = next
                next += 1
            }
        }
        return codepoints.map { Array(String(Unicode.Scalar($0)!).utf8) }
    }()

    /// Stand-in code point → byte.
    static let decoded: [UInt32: UInt8] = {
        var map: [UInt32: UInt8] = [:]
        for byte in 0..<256 {
            let scalar = String(decoding: encoded[byte], as: UTF8.self).unicodeScalars.first!
            map[scalar.value] = UInt8(byte)
        }
        return map
    }()

    /// The byte-encoded spelling of `bytes`.
    static func encode<S: Sequence>(_ bytes: S) -> [UInt8] where S.Element == UInt8 {
        var out: [UInt8] = []
        for byte in bytes { out.append(contentsOf: encoded[Int(byte)]) }
        return out
    }

    /// The bytes a byte-encoded token text stands for; a code point outside the table is kept as its own
    /// UTF-8 (llama.cpp writes `[UNK_BYTE_…]` there; such tokens do not occur in real vocabularies).
    static func decode(_ text: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.count)
        for scalar in String(decoding: text, as: UTF8.self).unicodeScalars {
            if let byte = decoded[scalar.value] {
                out.append(byte)
            } else {
                out.append(contentsOf: Array(String(scalar).utf8))
            }
        }
        return out
    }
}
