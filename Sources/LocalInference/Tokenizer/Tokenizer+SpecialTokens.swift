// MARK: - Special tokens written in the text

extension Tokenizer {
    /// A stretch of the input: raw text still to tokenize, or a special token already found.
    enum Fragment: Equatable {
        case text(Range<Int>)
        case token(Int32)
    }

    /// Cuts the special tokens out of `bytes` (llama.cpp's `tokenizer_st_partition`): each special token,
    /// longest first, is searched in every remaining text fragment and splits it at each occurrence.
    /// Without `parseSpecial`, control and unknown tokens stay text; user-defined tokens are always cut.
    func partition(_ bytes: [UInt8], parseSpecial: Bool) -> [Fragment] {
        guard !bytes.isEmpty else { return [] }
        var fragments: [Fragment] = [.text(0..<bytes.count)]
        for token in vocabulary.specialTokens {
            let attributes = vocabulary.attributes[Int(token)]
            if !parseSpecial && !attributes.intersection([.control, .unknown]).isEmpty { continue }
            let pattern = vocabulary.texts[Int(token)]
            guard !pattern.isEmpty else { continue }
            var next: [Fragment] = []
            var changed = false
            for fragment in fragments {
                guard case let .text(range) = fragment else { next.append(fragment); continue }
                var start = range.lowerBound
                while let match = Tokenizer.firstOccurrence(of: pattern, in: bytes, within: start..<range.upperBound) {
                    if match > start { next.append(.text(start..<match)) }
                    next.append(.token(token))
                    start = match + pattern.count
                    changed = true
                }
                if start < range.upperBound { next.append(.text(start..<range.upperBound)) }
            }
            if changed { fragments = next }
        }
        return fragments
    }

    /// The first index in `range` where `pattern` occurs in `bytes`.
    static func firstOccurrence(of pattern: [UInt8], in bytes: [UInt8], within range: Range<Int>) -> Int? {
        guard let first = pattern.first, range.count >= pattern.count else { return nil }
        let lastStart = range.upperBound - pattern.count
        var i = range.lowerBound
        while i <= lastStart {
            if bytes[i] == first {
                var k = 1
                while k < pattern.count && bytes[i + k] == pattern[k] { k += 1 }
                if k == pattern.count { return i }
            }
            i += 1
        }
        return nil
    }
}
