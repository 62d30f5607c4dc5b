/// One split rule of a pre-tokenizer: cuts one piece of text (a range of code points) into smaller pieces.
///
/// The scanners follow llama.cpp's unicode.cpp step by step, including its reading of the regexes
/// (e.g. `\s+(?!\S)` leaves the last whitespace of a run to start the next word); a character past the
/// end of the piece counts as "nothing", never as the next piece's character.
enum SplitRule: Sendable {
    /// `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`
    case gpt2
    /// `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,maxDigits}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`
    /// (Llama 3 with 3 digits, Qwen 2 with 1).
    case llama3(maxDigits: Int)
    /// Each code point of the class is a piece of its own (a regex like `\p{N}`).
    case each(CharacterClass)
    /// Each maximal run of the class is a piece (a regex like `\p{N}+`).
    case runs(CharacterClass)
    /// Three ASCII digits in a row are a piece (`[0-9][0-9][0-9]`), scanning left to right.
    case asciiDigitTriples

    /// The classes the simple rules use, as llama.cpp's `std::regex` fallback sees them: ASCII code points
    /// by the ASCII set in the regex, the others by their Unicode category.
    enum CharacterClass: Sendable {
        /// `\p{N}`
        case number
        /// `[\p{P}\$\+<=>\^~\|]` — ASCII punctuation as llama.cpp lists it (no backtick), plus `$+<=>^~|`.
        case defaultPunctuation

        func contains(_ codepoint: UInt32, _ flags: CodepointFlags) -> Bool {
            switch self {
            case .number:
                if codepoint < 128 { return (0x30...0x39).contains(codepoint) }
                return !flags.isWhitespace && flags.isNumber
            case .defaultPunctuation:
                if codepoint < 128 { return SplitRule.asciiDefaultPunctuation.contains(UInt8(codepoint)) }
                return !flags.isWhitespace && flags.isPunctuation
            }
        }
    }

    /// `!-#%-*,-/:-;?-@[-]_{}` and `$+<=>^~|`.
    static let asciiDefaultPunctuation: Set<UInt8> = Set(Array("!\"#%&'()*,-./:;?@[\\]_{}$+<=>^~|".utf8))

    /// Appends the pieces of `piece` to `out`.
    func split(_ cps: [UInt32], flags: [CodepointFlags], piece: Range<Int>, into out: inout [Range<Int>]) {
        switch self {
        case .gpt2:
            var scanner = Scanner(cps: cps, flags: flags, piece: piece)
            scanner.splitGPT2(into: &out)
        case let .llama3(maxDigits):
            var scanner = Scanner(cps: cps, flags: flags, piece: piece)
            scanner.splitLlama3(maxDigits: maxDigits, into: &out)
        case let .each(characterClass):
            isolate(piece, into: &out) { pos in characterClass.contains(cps[pos], flags[pos]) ? 1 : 0 }
        case let .runs(characterClass):
            isolate(piece, into: &out) { pos in
                var end = pos
                while end < piece.upperBound && characterClass.contains(cps[end], flags[end]) { end += 1 }
                return end - pos
            }
        case .asciiDigitTriples:
            isolate(piece, into: &out) { pos in
                guard pos + 3 <= piece.upperBound else { return 0 }
                return (pos..<pos + 3).allSatisfy { (0x30...0x39).contains(cps[$0]) } ? 3 : 0
            }
        }
    }

    /// `std::regex_iterator` over one piece: every match becomes a piece, and so does the text between matches.
    /// `matchLength(pos)` is the length of the (leftmost, greedy) match starting at `pos`, 0 for none.
    private func isolate(_ piece: Range<Int>, into out: inout [Range<Int>], matchLength: (Int) -> Int) {
        var gapStart = piece.lowerBound
        var pos = piece.lowerBound
        while pos < piece.upperBound {
            let length = matchLength(pos)
            if length > 0 {
                if pos > gapStart { out.append(gapStart..<pos) }
                out.append(pos..<pos + length)
                pos += length
                gapStart = pos
            } else {
                pos += 1
            }
        }
        if gapStart < piece.upperBound { out.append(gapStart..<piece.upperBound) }
    }
}

// MARK: - The GPT-2 and Llama 3 scanners

/// A cursor over one piece; reads past the piece give code point `nil` and empty flags.
private struct Scanner {
    let cps: [UInt32]
    let flags: [CodepointFlags]
    let start: Int
    let end: Int
    /// Where the piece being built starts.
    var previousEnd: Int

    init(cps: [UInt32], flags: [CodepointFlags], piece: Range<Int>) {
        self.cps = cps
        self.flags = flags
        self.start = piece.lowerBound
        self.end = piece.upperBound
        self.previousEnd = piece.lowerBound
    }

    func cp(_ pos: Int) -> UInt32? { pos >= start && pos < end ? cps[pos] : nil }
    func fl(_ pos: Int) -> CodepointFlags { pos >= start && pos < end ? flags[pos] : [] }

    /// Closes the piece at `pos`; returns its length.
    @discardableResult
    mutating func emit(upTo pos: Int, into out: inout [Range<Int>]) -> Int {
        let length = pos - previousEnd
        if length > 0 { out.append(previousEnd..<pos) }
        previousEnd = pos
        return length
    }

    /// The length of an English contraction (`'s`, `'t`, `'re`, `'ve`, `'m`, `'ll`, `'d`) at `pos`, or 0.
    func contraction(at pos: Int, caseInsensitive: Bool) -> Int {
        guard cp(pos) == 0x27, pos + 1 < end else { return 0 }
        func lower(_ c: UInt32?) -> UInt32? {
            guard let c else { return nil }
            return caseInsensitive && (0x41...0x5A).contains(c) ? c + 0x20 : c
        }
        let next = lower(cp(pos + 1))
        if let next, [0x73, 0x74, 0x6D, 0x64].contains(next) { return 2 }  // s t m d
        guard pos + 2 < end, let next, let nextNext = lower(cp(pos + 2)) else { return 0 }
        switch (next, nextNext) {
        case (0x72, 0x65), (0x76, 0x65), (0x6C, 0x6C): return 3  // re ve ll
        default: return 0
        }
    }

    mutating func splitGPT2(into out: inout [Range<Int>]) {
        var pos = start
        while pos < end {
            let c = cps[pos]
            let f = flags[pos]

            let contractionLength = contraction(at: pos, caseInsensitive: false)
            if contractionLength > 0 {
                pos += emit(upTo: pos + contractionLength, into: &out)
                continue
            }

            // ` ?\p{L}+`, ` ?\p{N}+`, ` ?[^\s\p{L}\p{N}]+`
            let leadingSpace = c == 0x20
            var f2 = leadingSpace ? fl(pos + 1) : f
            if f2.isLetter {
                if leadingSpace { pos += 1 }
                while f2.isLetter { pos += 1; f2 = fl(pos) }
                emit(upTo: pos, into: &out)
                continue
            }
            if f2.isNumber {
                if leadingSpace { pos += 1 }
                while f2.isNumber { pos += 1; f2 = fl(pos) }
                emit(upTo: pos, into: &out)
                continue
            }
            if f2.isOther {
                if leadingSpace { pos += 1 }
                while f2.isOther { pos += 1; f2 = fl(pos) }
                emit(upTo: pos, into: &out)
                continue
            }

            var whitespaces = 0
            while fl(pos + whitespaces).isWhitespace { whitespaces += 1 }
            // `\s+(?!\S)`: leave the last whitespace for the next word.
            if whitespaces > 1 && cp(pos + whitespaces) != nil {
                pos += whitespaces - 1
                emit(upTo: pos, into: &out)
                continue
            }
            if whitespaces > 0 {
                pos += whitespaces
                emit(upTo: pos, into: &out)
                continue
            }
            pos += 1
            emit(upTo: pos, into: &out)
        }
    }

    mutating func splitLlama3(maxDigits: Int, into out: inout [Range<Int>]) {
        var pos = start
        while pos < end {
            let c = cps[pos]
            let f = flags[pos]

            let contractionLength = contraction(at: pos, caseInsensitive: true)
            if contractionLength > 0 {
                pos += emit(upTo: pos + contractionLength, into: &out)
                continue
            }

            // `[^\r\n\p{L}\p{N}]?\p{L}+`
            if !(c == 0x0D || c == 0x0A || f.isNumber) && (f.isLetter || fl(pos + 1).isLetter) {
                pos += 1
                while fl(pos).isLetter { pos += 1 }
                emit(upTo: pos, into: &out)
                continue
            }

            // `\p{N}{1,maxDigits}`
            if f.isNumber {
                var chunkStart = pos
                while fl(pos).isNumber {
                    pos += 1
                    if pos - chunkStart >= maxDigits {
                        emit(upTo: pos, into: &out)
                        chunkStart = pos
                    }
                }
                emit(upTo: pos, into: &out)
                continue
            }

            // ` ?[^\s\p{L}\p{N}]+[\r\n]*` (the first test reads the flags of `c` itself, as llama.cpp does)
            var f2 = c == 0x20 ? fl(pos + 1) : f
            if !(f2.isWhitespace || f2.isLetter || f2.isNumber) && f.rawValue != 0 {
                if c == 0x20 { pos += 1 }
                while f2.isOther { pos += 1; f2 = fl(pos) }
                while let c2 = cp(pos), c2 == 0x0D || c2 == 0x0A { pos += 1 }
                emit(upTo: pos, into: &out)
                continue
            }

            var whitespaces = 0
            var afterLastNewline = 0
            while fl(pos + whitespaces).isWhitespace {
                if let c2 = cp(pos + whitespaces), c2 == 0x0D || c2 == 0x0A {
                    afterLastNewline = pos + whitespaces + 1
                }
                whitespaces += 1
            }
            // `\s*[\r\n]+`
            if afterLastNewline > 0 {
                pos = afterLastNewline
                emit(upTo: pos, into: &out)
                continue
            }
            // `\s+(?!\S)`
            if whitespaces > 1 && cp(pos + whitespaces) != nil {
                pos += whitespaces - 1
                emit(upTo: pos, into: &out)
                continue
            }
            if whitespaces > 0 {
                pos += whitespaces
                emit(upTo: pos, into: &out)
                continue
            }
            pos += 1
            emit(upTo: pos, into: &out)
        }
    }
}
