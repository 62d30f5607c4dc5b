/// SentencePiece BPE (`tokenizer.ggml.model = llama`): spaces become `▁`, the text starts as one symbol
/// per UTF-8 character, and adjacent symbols whose concatenation is a token merge, highest token score
/// first (Kudo & Richardson, "SentencePiece", 2018). A symbol that is no token falls back to its bytes
/// as `<0xNN>` tokens.
///
/// The loop is llama.cpp's `llm_tokenizer_spm_session`: a linked list of symbols and a priority queue of
/// candidate pairs ordered by (score descending, left position), stale pairs skipped when popped.
struct SentencePieceEncoder: Sendable {
    /// Token of each byte: `<0xNN>`, else the one-byte text, else the unknown token; shape (256).
    private let byteTokens: [Int32?]

    init(vocabulary: Vocabulary) {
        byteTokens = (0..<256).map { byte in
            vocabulary.id(Array(SentencePieceEncoder.byteTokenText(UInt8(byte)).utf8)[...])
                ?? vocabulary.id([UInt8(byte)][...]) ?? vocabulary.unknown
        }
    }

    /// The text of a byte's fallback token: `<0x0A>` for a line feed.
    static func byteTokenText(_ byte: UInt8) -> String {
        let hex = String(byte, radix: 16, uppercase: true)
        return "<0x" + (hex.count == 1 ? "0" + hex : hex) + ">"
    }

    /// The token of a raw byte, for byte fallback.
    func token(forByte byte: UInt8) -> Int32? { byteTokens[Int(byte)] }

    /// `text` with spaces as `▁`, prefixed with one when `spacePrefix`.
    static func escape(_ text: ArraySlice<UInt8>, spacePrefix: Bool) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.count + 3)
        if spacePrefix { out.append(contentsOf: [0xE2, 0x96, 0x81]) }
        for byte in text {
            if byte == 0x20 { out.append(contentsOf: [0xE2, 0x96, 0x81]) } else { out.append(byte) }
        }
        return out
    }

    private struct Symbol {
        var prev: Int
        var next: Int
        var start: Int
        var length: Int
    }

    /// Sorts first by higher score, then leftmost.
    private struct Bigram: Comparable {
        let score: Float
        let left: Int
        let right: Int
        let size: Int

        static func < (a: Bigram, b: Bigram) -> Bool { a.score != b.score ? a.score > b.score : a.left < b.left }
        static func == (a: Bigram, b: Bigram) -> Bool { a.score == b.score && a.left == b.left }
    }

    /// Appends the tokens of already escaped text to `output`.
    func encode(escaped text: [UInt8], vocabulary: Vocabulary, into output: inout [Int32]) {
        var symbols: [Symbol] = []
        symbols.reserveCapacity(text.count)
        var offset = 0
        while offset < text.count {
            let length = min(UTF8Scanning.sequenceLength(lead: text[offset]), text.count - offset)
            let index = symbols.count
            symbols.append(Symbol(prev: index - 1, next: offset + length == text.count ? -1 : index + 1,
                                  start: offset, length: length))
            offset += length
        }
        guard !symbols.isEmpty else { return }

        var queue = BinaryHeap<Bigram>()
        func addBigram(_ left: Int, _ right: Int) {
            guard left >= 0, right >= 0 else { return }
            let start = symbols[left].start
            let size = symbols[left].length + symbols[right].length
            guard let token = vocabulary.id(text[start..<(start + size)]) else { return }
            queue.insert(Bigram(score: vocabulary.scores[Int(token)], left: left, right: right, size: size))
        }
        for i in 1..<symbols.count { addBigram(i - 1, i) }

        while let bigram = queue.popFirst() {
            let left = symbols[bigram.left]
            let right = symbols[bigram.right]
            guard left.length > 0, right.length > 0, left.length + right.length == bigram.size else { continue }
            symbols[bigram.left].length += right.length
            symbols[bigram.left].next = right.next
            symbols[bigram.right].length = 0
            if right.next >= 0 { symbols[right.next].prev = bigram.left }
            addBigram(left.prev, bigram.left)
            addBigram(bigram.left, right.next)
        }

        var i = 0
        while i >= 0 {
            let symbol = symbols[i]
            let piece = text[symbol.start..<(symbol.start + symbol.length)]
            if let token = vocabulary.id(piece) {
                output.append(token)
            } else {
                for byte in piece {
                    if let token = byteTokens[Int(byte)] { output.append(token) }
                }
            }
            i = symbol.next
        }
    }
}
