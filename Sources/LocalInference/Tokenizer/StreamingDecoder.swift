/// Turns tokens into text as they are generated, releasing only complete UTF-8 characters: a token that
/// ends in the middle of a character (byte-level and `<0xNN>` tokens do) waits for the next one.
///
/// ```swift
/// var decoder = StreamingDecoder(tokenizer: tokenizer)
/// for token in generated { print(decoder.append(token), terminator: "") }
/// print(decoder.flush())
/// ```
///
/// No leading space is removed: the tokens continue a prompt.
public struct StreamingDecoder {
    public let tokenizer: Tokenizer
    /// Bytes not yet released: at most an unfinished UTF-8 sequence (≤ 3 bytes) after each `append`.
    private var pending: [UInt8] = []

    public init(tokenizer: Tokenizer) {
        self.tokenizer = tokenizer
    }

    /// The text that `token` completes; empty while a character is still unfinished.
    public mutating func append(_ token: Int32) -> String {
        pending.append(contentsOf: tokenizer.pieceBytes(token))
        let ready = UTF8Scanning.completePrefixLength(pending)
        guard ready > 0 else { return "" }
        let text = String(decoding: pending[..<ready], as: UTF8.self)
        pending.removeFirst(ready)
        return text
    }

    /// Whatever is left (an unfinished character comes out as U+FFFD), and a fresh start.
    public mutating func flush() -> String {
        defer { pending.removeAll() }
        return String(decoding: pending, as: UTF8.self)
    }
}
