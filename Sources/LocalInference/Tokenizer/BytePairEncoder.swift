/// Byte-level BPE (`tokenizer.ggml.model = gpt2`): split the text into words by the pre-tokenizer's
/// rules, spell each word's bytes as GPT-2 characters, then merge adjacent symbols by merge rank,
/// lowest rank first (Sennrich et al., "Neural Machine Translation of Rare Words with Subword Units", 2016).
///
/// The merge loop is llama.cpp's `llm_tokenizer_bpe_session`: a doubly linked list of symbols and a
/// priority queue of candidate pairs ordered by (rank, left position), stale pairs skipped when popped.
/// Every string the merges can produce is interned once at load, so the loop compares integers only.
struct BytePairEncoder: Sendable {
    let preTokenizer: PreTokenizer
    /// Byte-encoded text → intern id: every token text, merge part and merge result.
    private let internIDs: [[UInt8]: Int32]
    /// Token id of each interned text, -1 when it is not a token; shape (interned).
    private let internToken: [Int32]
    /// Intern id of each byte's one-character spelling; shape (256).
    private let byteIntern: [Int32]
    /// (left intern << 32 | right intern) → the merge's rank and the intern id of its result.
    private let merges: [UInt64: Merge]
    /// Token id of each one-byte text, for the (rare) symbol that is no token; shape (256).
    private let singleByteTokens: [Int32?]

    private struct Merge: Sendable {
        let rank: Int32
        let result: Int32
    }

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
        byteIntern = (0..<256).map { intern(ByteLevel.encoded[$0]) }

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
        singleByteTokens = (0..<256).map { vocabulary.id([UInt8($0)][...]) }
    }

    // MARK: - Encoding

    /// Appends the tokens of `text` (raw UTF-8 without special tokens) to `output`.
    func encode(_ text: ArraySlice<UInt8>, into output: inout [Int32]) {
        guard !text.isEmpty else { return }
        let (codepoints, offsets) = UTF8Scanning.codepoints(text)
        var session = Session()
        for word in preTokenizer.split(codepoints) {
            let bytes = text[(text.startIndex + offsets[word.lowerBound])..<(text.startIndex + offsets[word.upperBound])]
            encodeWord(bytes, session: &session, into: &output)
        }
    }

    /// Scratch space reused across the words of one text.
    private struct Session {
        var symbols: [Symbol] = []
        var queue = BinaryHeap<Bigram>()
    }

    /// One symbol of the linked list: a run of the word's bytes; `length == 0` once merged away.
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

    private func encodeWord(_ word: ArraySlice<UInt8>, session: inout Session, into output: inout [Int32]) {
        if preTokenizer.ignoresMerges, let id = internIDs[ByteLevel.encode(word)], internToken[Int(id)] >= 0 {
            output.append(internToken[Int(id)])
            return
        }
        session.symbols.removeAll(keepingCapacity: true)
        session.queue.removeAll()
        let count = word.count
        for (i, byte) in word.enumerated() {
            session.symbols.append(Symbol(prev: i - 1, next: i + 1 < count ? i + 1 : -1, start: i, length: 1,
                                          intern: byteIntern[Int(byte)]))
        }
        for i in 1..<max(count, 1) { addBigram(i - 1, i, &session) }

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

        var i = count > 0 ? 0 : -1
        while i >= 0 {
            let symbol = session.symbols[i]
            let token = internToken[Int(symbol.intern)]
            if token >= 0 {
                output.append(token)
            } else {
                // Not a token: its spelled bytes one by one, when those are tokens (llama.cpp does the same).
                let slice = word[(word.startIndex + symbol.start)..<(word.startIndex + symbol.start + symbol.length)]
                for byte in ByteLevel.encode(slice) {
                    if let single = singleByteTokens[Int(byte)] { output.append(single) }
                }
            }
            i = symbol.next
        }
    }

    private func addBigram(_ left: Int, _ right: Int, _ session: inout Session) {
        guard left >= 0, right >= 0 else { return }
        let l = session.symbols[left]
        let r = session.symbols[right]
        let key = UInt64(UInt32(bitPattern: l.intern)) << 32 | UInt64(UInt32(bitPattern: r.intern))
        guard let merge = merges[key] else { return }
        session.queue.insert(Bigram(rank: merge.rank, left: left, right: right, size: l.length + r.length,
                                    result: merge.result))
    }
}
