/// BPE by merge rank (`tokenizer.ggml.model` gpt2 or gemma4): split the text into words by the
/// pre-tokenizer's rules, start each word as one symbol per byte (byte-level spelling, GPT-2 characters)
/// or per character (SentencePiece spelling, spaces as `▁`), then merge adjacent symbols by merge rank,
/// lowest rank first (Sennrich et al., "Neural Machine Translation of Rare Words with Subword Units", 2016).
///
/// The merge loop is llama.cpp's `llm_tokenizer_bpe_session`: a doubly linked list of symbols and a
/// priority queue of candidate pairs ordered by (rank, left position), stale pairs skipped when popped.
/// Every string the merges can produce is interned once at load, so the loop compares integers only.
struct BytePairEncoder: Sendable {
    let preTokenizer: PreTokenizer
    /// Spelled text → intern id: every token text, merge part and merge result.
    private let internIDs: [[UInt8]: Int32]
    /// Token id of each interned text, -1 when it is not a token; shape (interned).
    private let internToken: [Int32]
    /// Byte-level: intern id of each byte's one-character spelling; shape (256). Empty otherwise.
    private let byteIntern: [Int32]
    /// SentencePiece: intern id of each code point whose text is interned. Empty otherwise.
    private let characterIntern: [UInt32: Int32]
    /// (left intern << 32 | right intern) → the merge's rank and the intern id of its result.
    private let merges: [UInt64: Merge]
    /// Token of each spelled byte of a symbol that is no token: its one-byte text (byte-level) or its
    /// `<0xNN>` token (SentencePiece), as llama.cpp looks them up; shape (256).
    private let fallbackTokens: [Int32?]

    private struct Merge: Sendable {
        let rank: Int32
        let result: Int32
    }

    private var spelling: TokenSpelling { preTokenizer.spelling }

    init(vocabulary: Vocabulary, merges mergeTexts: [String], preTokenizer: PreTokenizer) throws {
        self.preTokenizer = preTokenizer
        var internIDs: [[UInt8]: Int32] = [:]
        internIDs.reserveCapacity(vocabulary.count + mergeTexts.count)
        var internToken: [Int32] = []
        internToken.reserveCapacity(vocabulary.count + mergeTexts.count)
        func intern(_ text: [UInt8]) -> Int32 {
            if let id = internIDs[text] { return id }
            let id = Int32(internToken.count)
            internIDs[text] = id
            internToken.append(vocabulary.id(text[...]) ?? -1)
            return id
        }
        for text in vocabulary.texts { _ = intern(text) }
        let spelling = preTokenizer.spelling
        byteIntern = spelling == .byteLevel ? (0..<256).map { intern(ByteLevel.encoded[$0]) } : []

        var merges: [UInt64: Merge] = [:]
        merges.reserveCapacity(mergeTexts.count)
        for (rank, line) in mergeTexts.enumerated() {
            // llama.cpp splits at the first space after the first byte; a line without one is the pair ("", "").
            let bytes = Array(line.utf8.prefix { $0 != 0 })  // read as a C string, like llama.cpp
            var left: [UInt8] = []
            var right: [UInt8] = []
            if bytes.count > 1, let space = bytes[1...].firstIndex(of: 0x20) {
                left = Array(bytes[..<space])
                right = Array(bytes[(space + 1)...])
            }
            let key = UInt64(UInt32(bitPattern: intern(left))) << 32 | UInt64(UInt32(bitPattern: intern(right)))
            if merges[key] == nil {
                merges[key] = Merge(rank: Int32(clamping: rank), result: intern(left + right))
            }
        }
        self.merges = merges
        self.internIDs = internIDs
        self.internToken = internToken

        var characterIntern: [UInt32: Int32] = [:]
        if spelling == .sentencePiece {
            for (text, id) in internIDs where !text.isEmpty && UTF8Scanning.sequenceLength(lead: text[0]) == text.count {
                characterIntern[UTF8Scanning.codepoints(text[...]).codepoints[0]] = id
            }
        }
        self.characterIntern = characterIntern
        fallbackTokens = (0..<256).map { byte in
            switch spelling {
            case .byteLevel: return vocabulary.id([UInt8(byte)][...])
            case .sentencePiece: return vocabulary.id(Array(SentencePieceEncoder.byteTokenText(UInt8(byte)).utf8)[...])
            }
        }
    }

    // MARK: - Encoding

    /// Appends the tokens of `text` (raw UTF-8 without special tokens) to `output`.
    func encode(_ text: ArraySlice<UInt8>, into output: inout [Int32]) {
        guard !text.isEmpty else { return }
        switch spelling {
        case .byteLevel: encodeWords(text, into: &output)
        case .sentencePiece: encodeWords(SentencePieceEncoder.escape(text, spacePrefix: false)[...], into: &output)
        }
    }

    /// Cuts `text` (raw UTF-8, with spaces already `▁` for SentencePiece spelling) into words and encodes each.
    private func encodeWords(_ text: ArraySlice<UInt8>, into output: inout [Int32]) {
        let (codepoints, offsets) = UTF8Scanning.codepoints(text)
        var session = Session()
        for word in preTokenizer.split(codepoints) where !word.isEmpty {
            let start = offsets[word.lowerBound]
            let bytes = text[(text.startIndex + start)..<(text.startIndex + offsets[word.upperBound])]
            if preTokenizer.keepsWhole(bytes), let token = wholeToken(bytes) {
                output.append(token)
                continue
            }
            session.symbols.removeAll(keepingCapacity: true)
            switch spelling {
            case .byteLevel:
                for (i, byte) in bytes.enumerated() {
                    session.symbols.append(Symbol(prev: i - 1, next: i + 1, start: i, length: 1, intern: byteIntern[Int(byte)]))
                }
            case .sentencePiece:
                for k in word {
                    let i = session.symbols.count
                    session.symbols.append(Symbol(prev: i - 1, next: i + 1, start: offsets[k] - start,
                                                  length: offsets[k + 1] - offsets[k], intern: characterIntern[codepoints[k]] ?? -1))
                }
            }
            session.symbols[session.symbols.count - 1].next = -1
            encodeWord(bytes, session: &session, into: &output)
        }
    }

    /// The token whose text is the whole word, if there is one.
    private func wholeToken(_ word: ArraySlice<UInt8>) -> Int32? {
        let spelled = spelling == .byteLevel ? ByteLevel.encode(word) : Array(word)
        guard let id = internIDs[spelled], internToken[Int(id)] >= 0 else { return nil }
        return internToken[Int(id)]
    }

    /// Scratch space reused across the words of one text.
    private struct Session {
        var symbols: [Symbol] = []
        var queue = BinaryHeap<Bigram>()
    }

    /// One symbol of the linked list: a run of the word's bytes; `length == 0` once merged away; `intern`
    /// -1 for a character no token or merge contains.
    private struct Symbol {
        var prev: Int
        var next: Int
        var start: Int
        var length: Int
        var intern: Int32
    }

    /// A candidate merge of two adjacent symbols; sorts first by lower rank, then leftmost.
    private struct Bigram: Comparable {
        let rank: Int32
        let left: Int
        let right: Int
        let size: Int
        let result: Int32

        static func < (a: Bigram, b: Bigram) -> Bool { a.rank != b.rank ? a.rank < b.rank : a.left < b.left }
        static func == (a: Bigram, b: Bigram) -> Bool { a.rank == b.rank && a.left == b.left }
    }

    /// Merges the word's initial symbols (in `session.symbols`) and appends the tokens of the result.
    private func encodeWord(_ word: ArraySlice<UInt8>, session: inout Session, into output: inout [Int32]) {
        session.queue.removeAll()
        for i in 1..<session.symbols.count { addBigram(i - 1, i, &session) }

        while let bigram = session.queue.popFirst() {
            let left = session.symbols[bigram.left]
            let right = session.symbols[bigram.right]
            // Stale: one side was merged away or grew since the pair was queued.
            guard left.length > 0, right.length > 0, left.length + right.length == bigram.size else { continue }
            session.symbols[bigram.left].length += right.length
            session.symbols[bigram.left].intern = bigram.result
            session.symbols[bigram.left].next = right.next
            session.symbols[bigram.right].length = 0
            if right.next >= 0 { session.symbols[right.next].prev = bigram.left }
            addBigram(left.prev, bigram.left, &session)
            addBigram(bigram.left, right.next, &session)
        }

        var i = 0
        while i >= 0 {
            let symbol = session.symbols[i]
            let token = symbol.intern >= 0 ? internToken[Int(symbol.intern)] : -1
            if token >= 0 {
                output.append(token)
            } else {
                // Not a token: its spelled bytes one by one, when those have tokens (llama.cpp does the same).
                let slice = word[(word.startIndex + symbol.start)..<(word.startIndex + symbol.start + symbol.length)]
                for byte in spelling == .byteLevel ? ByteLevel.encode(slice) : Array(slice) {
                    if let fallback = fallbackTokens[Int(byte)] { output.append(fallback) }
                }
            }
            i = symbol.next
        }
    }

    private func addBigram(_ left: Int, _ right: Int, _ session: inout Session) {
        guard left >= 0, right >= 0 else { return }
        let l = session.symbols[left]
        let r = session.symbols[right]
        guard l.intern >= 0, r.intern >= 0 else { return }
        let key = UInt64(UInt32(bitPattern: l.intern)) << 32 | UInt64(UInt32(bitPattern: r.intern))
        guard let merge = merges[key] else { return }
        session.queue.insert(Bigram(rank: merge.rank, left: left, right: right, size: l.length + r.length,
                                    result: merge.result))
    }
}
