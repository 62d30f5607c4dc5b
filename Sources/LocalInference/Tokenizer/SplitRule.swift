/// One split rule of a pre-tokenizer: cuts one piece of text (a range of code points) into smaller pieces.
///
/// The scanners follow llama.cpp's unicode.cpp step by step, including its reading of the regexes
/// (e.g. `\s+(?!\S)` leaves the last whitespace of a run to start the next word); a character past the
/// end of the piece counts as "nothing", never as the next piece's character.
enum SplitRule: Sendable {
    /// `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`
    case gpt2
    /// `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,maxDigits}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`
    /// (Llama 3 with 3 digits, Qwen 2 with 1); with `marksAreLetters`, `\p{M}` counts with `\p{L}` in every
    /// alternative (Qwen 3.5: `[^\r\n\p{L}\p{N}]?[\p{L}\p{M}]+|\p{N}| ?[^\s\p{L}\p{M}\p{N}]+[\r\n]*|…`).
    case llama3(maxDigits: Int, marksAreLetters: Bool)
    /// Each code point of the class is a piece of its own (a regex like `\p{N}`).
    case each(CharacterClass)
    /// Each maximal run of the class is a piece (a regex like `\p{N}+`).
    case runs(CharacterClass)
    /// Three ASCII digits in a row are a piece (`[0-9][0-9][0-9]`), scanning left to right.
    case asciiDigitTriples
    /// `\s?C+`: a run of the class, with the whitespace before it if there is one (`std::regex`'s `\s`,
    /// `isRegexWhitespace`).
    case spaceThenRuns(CharacterClass)
    /// `\s+$`: the whitespace that ends the piece.
    case trailingWhitespace

    /// The classes the simple rules use, as llama.cpp's `std::regex` fallback sees them: ASCII code points
    /// by the ASCII set in the regex, the others by their Unicode category.
    enum CharacterClass: Sendable {
        /// `\p{N}`
        case number
        /// `[\p{P}\$\+<=>\^~\|]` — ASCII punctuation as llama.cpp lists it (no backtick), plus `$+<=>^~|`.
        case defaultPunctuation
        /// `[\p{P}\$\+<=>\^~\|\`]` — Falcon's: the default's and the backtick.
        case falconPunctuation
        /// `[\r\n]`
        case newline
        /// `\n` (runs of it and the text between them: Gemma 4's `[^\n]+|[\n]+`)
        case lineFeed
        /// `\p{L}`: ASCII letters, and non-ASCII letters.
        case letter
        /// `\p{P}`: ASCII punctuation as llama.cpp lists it (`!-#%-*,-/:-;?-@[-]_{}`), and non-ASCII punctuation.
        case punctuation
        /// DeepSeek LLM's explicit letter ranges (`[A-Za-zµÀ-ÖØ-öø-ƺ…]`, `SplitRule.deepSeekLetters`).
        case deepSeekLetter
        /// DeepSeek LLM's punctuation: `[!-/:-~！-／：-～‘-‟　-。]`.
        case deepSeekPunctuation
        /// `[一-龥ࠀ-一가-퟿]`: U+0800 through the CJK ideographs, and Hangul.
        case cjk

        func contains(_ codepoint: UInt32, _ flags: CodepointFlags) -> Bool {
            switch self {
            case .number:
                if codepoint < 128 { return (0x30...0x39).contains(codepoint) }
                return !flags.isWhitespace && flags.isNumber
            case .defaultPunctuation:
                if codepoint < 128 { return SplitRule.asciiDefaultPunctuation.contains(UInt8(codepoint)) }
                return !flags.isWhitespace && flags.isPunctuation
            case .falconPunctuation:
                if codepoint == 0x60 { return true }
                return CharacterClass.defaultPunctuation.contains(codepoint, flags)
            case .newline:
                return codepoint == 0x0D || codepoint == 0x0A
            case .lineFeed:
                return codepoint == 0x0A
            case .letter:
                if codepoint < 128 { return (0x41...0x5A).contains(codepoint) || (0x61...0x7A).contains(codepoint) }
                return !flags.isWhitespace && flags.isLetter
            case .punctuation:
                if codepoint < 128 { return SplitRule.asciiPunctuation.contains(UInt8(codepoint)) }
                return !flags.isWhitespace && flags.isPunctuation
            // Explicit ranges are matched by `std::wregex` on code points after llama.cpp has replaced every
            // non-ASCII whitespace by `\v`, so such a code point is in none of them.
            case .deepSeekLetter:
                return !(codepoint >= 0x80 && flags.isWhitespace) && SplitRule.deepSeekLetters.contains { $0.contains(codepoint) }
            case .deepSeekPunctuation:
                return !(codepoint >= 0x80 && flags.isWhitespace) && SplitRule.deepSeekPunctuation.contains { $0.contains(codepoint) }
            case .cjk:
                return !(codepoint >= 0x80 && flags.isWhitespace)
                    && ((0x0800...0x9FA5).contains(codepoint) || (0xAC00...0xD7FF).contains(codepoint))
            }
        }
    }

    /// `std::regex`'s `\s` on llama.cpp's text: ASCII `\t\n\v\f\r` and space, and every non-ASCII
    /// whitespace (which llama.cpp replaces by `\v` before matching).
    static func isRegexWhitespace(_ codepoint: UInt32, _ flags: CodepointFlags) -> Bool {
        codepoint < 128 ? (0x09...0x0D).contains(codepoint) || codepoint == 0x20 : flags.isWhitespace
    }

    /// `\p{P}` below 128 as llama.cpp lists it: `!-#%-*,-/:-;?-@[-]_{}`.
    static let asciiPunctuation: Set<UInt8> = Set(Array("!\"#%&'()*,-./:;?@[\\]_{}".utf8))

    /// DeepSeek LLM's `[!-/:-~！-／：-～‘-‟　-。]`.
    static let deepSeekPunctuation: [ClosedRange<UInt32>] = [
        0x21...0x2F, 0x3A...0x7E, 0xFF01...0xFF0F, 0xFF1A...0xFF5E, 0x2018...0x201F, 0x3000...0x3002,
    ]

    /// DeepSeek LLM's letter class, range by range as llama.cpp writes it (LLAMA_VOCAB_PRE_TYPE_DEEPSEEK_LLM).
    static let deepSeekLetters: [ClosedRange<UInt32>] = [
        0x41...0x5A, 0x61...0x7A, 0xB5...0xB5, 0xC0...0xD6, 0xD8...0xF6, 0xF8...0x1BA, 0x1BC...0x1BF,
        0x1C4...0x293, 0x295...0x2AF, 0x370...0x373, 0x376...0x376, 0x377...0x377, 0x37B...0x37D, 0x37F...0x37F,
        0x386...0x386, 0x388...0x38A, 0x38C...0x38C, 0x38E...0x3A1, 0x3A3...0x3F5, 0x3F7...0x481, 0x48A...0x52F,
        0x531...0x556, 0x10A0...0x10C5, 0x13A0...0x13F5, 0x13F8...0x13FD, 0x1C90...0x1CBA, 0x1CBD...0x1CBF,
        0x1D00...0x1D2B, 0x1D6B...0x1D77, 0x1D79...0x1D9A, 0x1E00...0x1F15, 0x1F18...0x1F1D, 0x1F20...0x1F45,
        0x1F48...0x1F4D, 0x1F50...0x1F57, 0x1F59...0x1F59, 0x1F5B...0x1F5B, 0x1F5D...0x1F5D, 0x1F5F...0x1F7D,
        0x1F80...0x1FB4, 0x1FB6...0x1FBC, 0x1FBE...0x1FBE, 0x1FC2...0x1FC4, 0x1FC6...0x1FCC, 0x1FD0...0x1FD3,
        0x1FD6...0x1FDB, 0x1FE0...0x1FEC, 0x1FF2...0x1FF4, 0x1FF6...0x1FFC, 0x2102...0x2102, 0x2107...0x2107,
        0x210A...0x2113, 0x2115...0x2115, 0x2119...0x211D, 0x2124...0x2124, 0x2126...0x2126, 0x2128...0x2128,
        0x212A...0x212D, 0x212F...0x2134, 0x2139...0x2139, 0x213C...0x213F, 0x2145...0x2149, 0x214E...0x214E,
        0x2183...0x2183, 0x2184...0x2184, 0x2C00...0x2C7B, 0x2C7E...0x2CE4, 0x2CEB...0x2CEE, 0x2CF2...0x2CF2,
        0x2CF3...0x2CF3, 0xA640...0xA66D, 0xA680...0xA69B, 0xA722...0xA76F, 0xA771...0xA787, 0xA78B...0xA78E,
        0xAB70...0xABBF, 0xFB00...0xFB06, 0xFB13...0xFB17, 0xFF21...0xFF3A, 0xFF41...0xFF5A, 0x10400...0x1044F,
        0x104B0...0x104D3, 0x104D8...0x104FB, 0x10C80...0x10CB2, 0x10CC0...0x10CF2, 0x118A0...0x118DF,
        0x1E900...0x1E943,
    ]

    /// `!-#%-*,-/:-;?-@[-]_{}` and `$+<=>^~|`.
    static let asciiDefaultPunctuation: Set<UInt8> = Set(Array("!\"#%&'()*,-./:;?@[\\]_{}$+<=>^~|".utf8))

    /// Appends the pieces of `piece` to `out`.
    func split(_ cps: [UInt32], flags: [CodepointFlags], piece: Range<Int>, into out: inout [Range<Int>]) {
        switch self {
        case .gpt2:
            var scanner = Scanner(cps: cps, flags: flags, piece: piece)
            scanner.splitGPT2(into: &out)
        case let .llama3(maxDigits, marksAreLetters):
            var scanner = Scanner(cps: cps, flags: flags, piece: piece)
            scanner.splitLlama3(maxDigits: maxDigits, marksAreLetters: marksAreLetters, into: &out)
        case let .each(characterClass):
            isolate(piece, into: &out) { pos in characterClass.contains(cps[pos], flags[pos]) ? 1 : 0 }
        case let .runs(characterClass):
            isolate(piece, into: &out) { pos in
                var end = pos
                while end < piece.upperBound && characterClass.contains(cps[end], flags[end]) { end += 1 }
                return end - pos
            }
        case let .spaceThenRuns(characterClass):
            isolate(piece, into: &out) { pos in
                var end = pos
                if SplitRule.isRegexWhitespace(cps[pos], flags[pos]) { end += 1 }
                let runStart = end
                while end < piece.upperBound && characterClass.contains(cps[end], flags[end]) { end += 1 }
                if end > runStart { return end - pos }
                // `\s?` taken but no run after it: the match, if any, starts here without the whitespace.
                return 0
            }
        case .trailingWhitespace:
            var start = piece.upperBound
            while start > piece.lowerBound && SplitRule.isRegexWhitespace(cps[start - 1], flags[start - 1]) { start -= 1 }
            if start > piece.lowerBound { out.append(piece.lowerBound..<start) }
            if start < piece.upperBound { out.append(start..<piece.upperBound) }
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

    /// The alternatives every byte-level splitter ends with, at `pos` after `whitespaces` whitespace
    /// characters: `\s+(?!\S)` (a run leaves its last whitespace to the word that follows), then `\s+`,
    /// else any one character. Emits the piece; returns the position after it.
    mutating func emitWhitespaceOrOne(at pos: Int, whitespaces: Int, into out: inout [Range<Int>]) -> Int {
        let next: Int
        if whitespaces > 1 && cp(pos + whitespaces) != nil {
            next = pos + whitespaces - 1
        } else if whitespaces > 0 {
            next = pos + whitespaces
        } else {
            next = pos + 1
        }
        emit(upTo: next, into: &out)
        return next
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
            pos = emitWhitespaceOrOne(at: pos, whitespaces: whitespaces, into: &out)
        }
    }

    mutating func splitLlama3(maxDigits: Int, marksAreLetters: Bool, into out: inout [Range<Int>]) {
        /// `\p{L}`, or `[\p{L}\p{M}]` with `marksAreLetters`.
        func isLetter(_ f: CodepointFlags) -> Bool { f.isLetter || (marksAreLetters && f.contains(.accentMark)) }
        /// `[^\s\p{L}\p{N}]` (or `[^\s\p{L}\p{M}\p{N}]`) of a real code point.
        func isOther(_ f: CodepointFlags) -> Bool { f.isOther && !(marksAreLetters && f.contains(.accentMark)) }
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
            if !(c == 0x0D || c == 0x0A || f.isNumber) && (isLetter(f) || isLetter(fl(pos + 1))) {
                pos += 1
                while isLetter(fl(pos)) { pos += 1 }
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
            if !(f2.isWhitespace || isLetter(f2) || f2.isNumber) && f.rawValue != 0 {
                if c == 0x20 { pos += 1 }
                while isOther(f2) { pos += 1; f2 = fl(pos) }
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
            pos = emitWhitespaceOrOne(at: pos, whitespaces: whitespaces, into: &out)
        }
    }
}
