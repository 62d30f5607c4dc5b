/// The Unicode facts the pre-tokenizers split on: one general-category bit per code point, plus
/// "is whitespace" as the split regexes' `\s` means it.
///
/// llama.cpp's split rules test exactly these bits (`unicode_cpt_flags`), so we keep the same shape:
/// an unassigned code point is `undefined` (not "nothing"), which matters for rules such as
/// `[^\s\p{L}\p{N}]+` that take any other code point. Categories come from the Swift runtime's Unicode
/// tables, limited to the characters of Unicode 15.1 (llama.cpp's tables); over all 1,114,112 code points
/// the flags equal llama.cpp's.
struct CodepointFlags: OptionSet, Sendable {
    let rawValue: UInt16

    static let undefined   = CodepointFlags(rawValue: 0x0001)  // Cn
    static let number      = CodepointFlags(rawValue: 0x0002)  // \p{N}
    static let letter      = CodepointFlags(rawValue: 0x0004)  // \p{L}
    static let separator   = CodepointFlags(rawValue: 0x0008)  // \p{Z}
    static let accentMark  = CodepointFlags(rawValue: 0x0010)  // \p{M}
    static let punctuation = CodepointFlags(rawValue: 0x0020)  // \p{P}
    static let symbol      = CodepointFlags(rawValue: 0x0040)  // \p{S}
    static let control     = CodepointFlags(rawValue: 0x0080)  // \p{C} (Cc, Cf, Co, Cs)
    static let whitespace  = CodepointFlags(rawValue: 0x0100)  // \s

    var isNumber: Bool { contains(.number) }
    var isLetter: Bool { contains(.letter) }
    var isWhitespace: Bool { contains(.whitespace) }
    var isPunctuation: Bool { contains(.punctuation) }
    /// Neither whitespace, letter nor number, but a real code point: `[^\s\p{L}\p{N}]`.
    var isOther: Bool { rawValue != 0 && !contains(.whitespace) && !contains(.letter) && !contains(.number) }

    /// Flags of a code point; code points past U+10FFFF get `undefined`.
    static func of(_ codepoint: UInt32) -> CodepointFlags {
        if codepoint < UInt32(table.count) { return CodepointFlags(rawValue: table[Int(codepoint)]) }
        return compute(codepoint)
    }

    /// Flags for the Basic Multilingual Plane, computed once (128 KiB); other planes are computed per call.
    private static let table: [UInt16] = (0..<UInt32(0x10000)).map { compute($0).rawValue }

    /// The Unicode version of llama.cpp's category tables (unicode-data.cpp); later characters count as unassigned.
    static let unicodeVersion = (major: 15, minor: 1)

    /// The whitespace set of the split regexes' `\s` (llama.cpp's `unicode_set_whitespace`).
    static let whitespaceCodepoints: Set<UInt32> = [
        0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0, 0x1680,
        0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200A,
        0x2028, 0x2029, 0x202F, 0x205F, 0x3000,
    ]

    private static func compute(_ codepoint: UInt32) -> CodepointFlags {
        guard let scalar = Unicode.Scalar(codepoint) else {
            // Surrogates are category Cs; beyond U+10FFFF nothing is assigned.
            return (0xD800...0xDFFF).contains(codepoint) ? .control : .undefined
        }
        // Characters newer than llama.cpp's tables are unassigned there; keep them so, to split alike.
        if let age = scalar.properties.age, (age.major, age.minor) > CodepointFlags.unicodeVersion {
            return whitespaceCodepoints.contains(codepoint) ? [.undefined, .whitespace] : .undefined
        }
        var flags: CodepointFlags
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            flags = .letter
        case .decimalNumber, .letterNumber, .otherNumber:
            flags = .number
        case .spaceSeparator, .lineSeparator, .paragraphSeparator:
            flags = .separator
        case .nonspacingMark, .spacingMark, .enclosingMark:
            flags = .accentMark
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation:
            flags = .punctuation
        case .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            flags = .symbol
        case .control, .format, .surrogate, .privateUse:
            flags = .control
        case .unassigned:
            flags = .undefined
        @unknown default:
            flags = .undefined
        }
        if whitespaceCodepoints.contains(codepoint) { flags.insert(.whitespace) }
        return flags
    }
}
