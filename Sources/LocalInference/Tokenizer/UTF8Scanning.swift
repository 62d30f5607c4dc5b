/// Small UTF-8 helpers the tokenizers share.
enum UTF8Scanning {
    /// The length of the UTF-8 sequence a lead byte announces (llama.cpp's `unicode_len_utf8`: a stray
    /// continuation byte counts as 1).
    @inline(__always)
    static func sequenceLength(lead: UInt8) -> Int {
        switch lead >> 4 {
        case 0xC, 0xD: return 2
        case 0xE: return 3
        case 0xF: return 4
        default: return 1
        }
    }

    /// How many leading bytes of `bytes` form complete UTF-8 sequences, holding back only a final sequence
    /// that is valid so far but unfinished (so a token ending mid-character waits for the next one).
    static func completePrefixLength(_ bytes: [UInt8]) -> Int {
        let count = bytes.count
        var lead = count - 1
        while lead >= 0 && lead >= count - 4 && (bytes[lead] & 0xC0) == 0x80 { lead -= 1 }
        guard lead >= 0, lead >= count - 4 else { return count }
        let byte = bytes[lead]
        let needed: Int
        switch byte {
        case 0xC2...0xDF: needed = 2
        case 0xE0...0xEF: needed = 3
        case 0xF0...0xF4: needed = 4
        default: needed = 1
        }
        return count - lead < needed ? lead : count
    }

    /// Code points of valid UTF-8 text with the byte offset where each starts; shape (n), (n + 1).
    static func codepoints(_ bytes: ArraySlice<UInt8>) -> (codepoints: [UInt32], offsets: [Int]) {
        var codepoints: [UInt32] = []
        var offsets: [Int] = []
        codepoints.reserveCapacity(bytes.count)
        offsets.reserveCapacity(bytes.count + 1)
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let lead = bytes[i]
            let length = min(sequenceLength(lead: lead), bytes.endIndex - i)
            var value: UInt32
            switch length {
            case 2: value = UInt32(lead & 0x1F)
            case 3: value = UInt32(lead & 0x0F)
            case 4: value = UInt32(lead & 0x07)
            default: value = UInt32(lead)
            }
            if length > 1 {
                for k in 1..<length { value = (value << 6) | UInt32(bytes[i + k] & 0x3F) }
            }
            codepoints.append(value)
            offsets.append(i - bytes.startIndex)
            i += length
        }
        offsets.append(bytes.count)
        return (codepoints, offsets)
    }
}
