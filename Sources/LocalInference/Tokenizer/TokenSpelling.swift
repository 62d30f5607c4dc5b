/// How a vocabulary writes text in its token texts, which decides how a word starts out before merging,
/// what a symbol that is no token falls back to, and how a token decodes.
enum TokenSpelling: Sendable {
    /// GPT-2's byte-level characters: every byte is one printable code point (`Ġ` for a space), a word
    /// starts as one symbol per byte, and a symbol that is no token falls back to one-byte token texts.
    case byteLevel
    /// SentencePiece's: raw UTF-8 with `▁` (U+2581) for every space, a word starts as one symbol per
    /// character, and a symbol that is no token falls back to `<0xNN>` byte tokens.
    case sentencePiece
}
