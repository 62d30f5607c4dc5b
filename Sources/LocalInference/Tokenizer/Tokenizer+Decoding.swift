// MARK: - Decoding

extension Tokenizer {
    /// The raw bytes of one token: its text for control and user-defined tokens (`<|im_end|>`), the byte
    /// for `<0xNN>` byte tokens, otherwise the text with `▁` as space (llama, gemma4) or GPT-2 characters
    /// as bytes (gpt2). A token may end in the middle of a UTF-8 character; unused and out-of-range ids give no bytes.
    public func pieceBytes(_ token: Int32) -> [UInt8] {
        guard token >= 0, Int(token) < pieces.count else { return [] }
        return pieces[Int(token)]
    }

    /// The text of `tokens`, invalid UTF-8 (a sequence cut short) shown as U+FFFD.
    ///
    /// Like llama.cpp's `llama_detokenize` (without its optional space clean-up): for SentencePiece
    /// vocabularies that add a space prefix, the leading space of the first text token is dropped (after
    /// a leading BOS), so `decode(encode(s))` gives back `s`.
    /// - Parameter skipSpecial: leave out control tokens (BOS, EOS, `<|im_start|>`, …).
    public func decode(_ tokens: [Int32], skipSpecial: Bool = false) -> String {
        var bytes: [UInt8] = []
        var stripSpace = vocabulary.addSpacePrefix
        for (i, token) in tokens.enumerated() {
            if i == 0, token == vocabulary.bos, stripSpace {
                if !skipSpecial { bytes.append(contentsOf: pieceBytes(token)) }
                continue
            }
            if skipSpecial && isControl(token) { continue }
            var piece = pieceBytes(token)
            if stripSpace {
                if piece.first == 0x20 { piece.removeFirst() }
                stripSpace = false
            }
            bytes.append(contentsOf: piece)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The decoded bytes of token `id` (llama.cpp's `token_to_piece` with specials rendered).
    static func piece(of id: Int, vocabulary: Vocabulary, spelling: TokenSpelling) -> [UInt8] {
        let text = vocabulary.texts[id]
        let attributes = vocabulary.attributes[id]
        if !attributes.intersection([.control, .unknown, .userDefined]).isEmpty { return text }
        if attributes.contains(.normal) {
            switch spelling {
            case .sentencePiece: return unescapeSpaces(text)
            case .byteLevel: return ByteLevel.decode(text)
            }
        }
        if attributes.contains(.byte) {
            // `<0xNN>`
            guard text.count == 6, let value = UInt8(String(decoding: text[3..<5], as: UTF8.self), radix: 16) else {
                return []
            }
            return [value]
        }
        return []
    }

    /// `▁` (U+2581) → space.
    static func unescapeSpaces(_ text: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.count)
        var i = 0
        while i < text.count {
            if i + 2 < text.count && text[i] == 0xE2 && text[i + 1] == 0x96 && text[i + 2] == 0x81 {
                out.append(0x20)
                i += 3
            } else {
                out.append(text[i])
                i += 1
            }
        }
        return out
    }
}
