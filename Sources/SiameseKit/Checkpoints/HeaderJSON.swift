/// The small, strict JSON reader and writer behind safetensors headers.
///
/// A safetensors header is a JSON object (RFC 8259). Foundation's `JSONSerialization` would read
/// it, but it forgets the order of keys, silently keeps one of two duplicate keys, and turns
/// numbers into `NSNumber`s whose integer-ness is hard to check. This reader keeps objects as
/// ordered key/value lists, refuses duplicate keys, keeps numbers as their literal text, checks
/// UTF-8, and limits nesting (a header is three levels deep; a hostile file must not overflow
/// the stack). Errors name the byte where parsing stopped.
///
/// Source: the JSON grammar of RFC 8259, sections 2-8.
enum HeaderJSON {
    case object([(key: String, value: HeaderJSON)])
    case array([HeaderJSON])
    case string(String)
    /// A number, kept as its literal text (`"12"`, `"-0.5e3"`); see `nonNegativeInteger`.
    case number(String)
    case bool(Bool)
    case null

    /// Why a header is not valid JSON, and at which byte of the header.
    struct SyntaxError: Error, CustomStringConvertible {
        let message: String
        let offset: Int
        var description: String { "\(message) at byte \(offset) of the header" }
    }

    /// The deepest nesting the parser accepts.
    static let maximumDepth = 32

    /// Parses one JSON value filling `bytes`, except for surrounding whitespace.
    static func parse(_ bytes: UnsafeRawBufferPointer) throws(SyntaxError) -> HeaderJSON {
        var parser = Parser(bytes: bytes)
        parser.skipWhitespace()
        let value = try parser.value(depth: 0)
        parser.skipWhitespace()
        if parser.position != bytes.count { throw parser.error("unexpected text after the JSON value") }
        return value
    }

    /// The integer a number literal spells when it is a plain non-negative integer that fits
    /// in `Int` (`"0"`, `"42"`), else nil (`"-1"`, `"1.0"`, `"1e3"`, `"99999999999999999999"`).
    static func nonNegativeInteger(_ literal: String) -> Int? {
        guard !literal.isEmpty, literal.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        else { return nil }
        return Int(literal)
    }

    /// A short name for the kind of value, for error messages ("an array", "a string", ...).
    var kindName: String {
        switch self {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case .number: "a number"
        case .bool: "a boolean"
        case .null: "null"
        }
    }

    /// `text` as a JSON string literal: quotes, backslashes and control characters escaped,
    /// everything else written as UTF-8 (as Python's `json.dumps(..., ensure_ascii=False)`).
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// A recursive-descent parser over the header's bytes.
    private struct Parser {
        let bytes: UnsafeRawBufferPointer
        var position = 0

        func error(_ message: String) -> SyntaxError { SyntaxError(message: message, offset: position) }

        var current: UInt8? { position < bytes.count ? bytes[position] : nil }

        mutating func skipWhitespace() {
            while let b = current, b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D { position += 1 }
        }

        mutating func expect(_ literal: String) throws(SyntaxError) {
            for b in literal.utf8 {
                guard current == b else { throw error("invalid literal (expected \"\(literal)\")") }
                position += 1
            }
        }

        mutating func value(depth: Int) throws(SyntaxError) -> HeaderJSON {
            guard let b = current else { throw error("unexpected end of the header") }
            switch b {
            case UInt8(ascii: "{"): return try object(depth: depth + 1)
            case UInt8(ascii: "["): return try array(depth: depth + 1)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
            case UInt8(ascii: "t"): try expect("true"); return .bool(true)
            case UInt8(ascii: "f"): try expect("false"); return .bool(false)
            case UInt8(ascii: "n"): try expect("null"); return .null
            default: throw error("unexpected character \(Self.show(b))")
            }
        }

        mutating func object(depth: Int) throws(SyntaxError) -> HeaderJSON {
            if depth > HeaderJSON.maximumDepth { throw error("JSON nested deeper than \(HeaderJSON.maximumDepth) levels") }
            position += 1  // {
            var members: [(key: String, value: HeaderJSON)] = []
            var seen = Set<String>()
            skipWhitespace()
            if current == UInt8(ascii: "}") { position += 1; return .object(members) }
            while true {
                skipWhitespace()
                guard current == UInt8(ascii: "\"") else {
                    throw error(current == nil ? "unexpected end of the header inside an object" : "expected a string key")
                }
                let keyStart = position
                let key = try string()
                guard seen.insert(key).inserted else {
                    throw SyntaxError(message: "duplicate key \(String(reflecting: key))", offset: keyStart)
                }
                skipWhitespace()
                guard current == UInt8(ascii: ":") else { throw error("expected ':' after a key") }
                position += 1
                skipWhitespace()
                members.append((key, try value(depth: depth)))
                skipWhitespace()
                switch current {
                case UInt8(ascii: ","): position += 1
                case UInt8(ascii: "}"): position += 1; return .object(members)
                case nil: throw error("unexpected end of the header inside an object")
                default: throw error("expected ',' or '}' in an object")
                }
            }
        }

        mutating func array(depth: Int) throws(SyntaxError) -> HeaderJSON {
            if depth > HeaderJSON.maximumDepth { throw error("JSON nested deeper than \(HeaderJSON.maximumDepth) levels") }
            position += 1  // [
            var elements: [HeaderJSON] = []
            skipWhitespace()
            if current == UInt8(ascii: "]") { position += 1; return .array(elements) }
            while true {
                skipWhitespace()
                elements.append(try value(depth: depth))
                skipWhitespace()
                switch current {
                case UInt8(ascii: ","): position += 1
                case UInt8(ascii: "]"): position += 1; return .array(elements)
                case nil: throw error("unexpected end of the header inside an array")
                default: throw error("expected ',' or ']' in an array")
                }
            }
        }

        /// A string literal; the position is at its opening quote.
        mutating func string() throws(SyntaxError) -> String {
            position += 1  // "
            var utf8: [UInt8] = []
            while true {
                guard let b = current else { throw error("unterminated string") }
                switch b {
                case UInt8(ascii: "\""):
                    position += 1
                    guard let text = String(validating: utf8, as: UTF8.self) else {
                        throw error("string is not valid UTF-8")
                    }
                    return text
                case UInt8(ascii: "\\"):
                    position += 1
                    guard let escape = current else { throw error("unterminated string") }
                    position += 1
                    switch escape {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(escape)
                    case UInt8(ascii: "b"): utf8.append(0x08)
                    case UInt8(ascii: "f"): utf8.append(0x0C)
                    case UInt8(ascii: "n"): utf8.append(0x0A)
                    case UInt8(ascii: "r"): utf8.append(0x0D)
                    case UInt8(ascii: "t"): utf8.append(0x09)
                    case UInt8(ascii: "u"): utf8.append(contentsOf: String(try unicodeEscape()).utf8)
                    default: position -= 1; throw error("invalid escape \\\(Self.show(escape))")
                    }
                case 0..<0x20:
                    throw error("unescaped control character \(Self.show(b)) in a string")
                default:
                    utf8.append(b)
                    position += 1
                }
            }
        }

        /// The scalar of a `\uXXXX` escape (the position is after the `u`), joining a UTF-16
        /// surrogate pair written as two escapes.
        mutating func unicodeEscape() throws(SyntaxError) -> Unicode.Scalar {
            let first = try hex4()
            if (0xD800..<0xDC00).contains(first) {
                guard current == UInt8(ascii: "\\") else { throw error("unpaired UTF-16 surrogate in \\u escape") }
                position += 1
                guard current == UInt8(ascii: "u") else { throw error("unpaired UTF-16 surrogate in \\u escape") }
                position += 1
                let second = try hex4()
                guard (0xDC00..<0xE000).contains(second) else { throw error("unpaired UTF-16 surrogate in \\u escape") }
                return Unicode.Scalar(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))!
            }
            guard let scalar = Unicode.Scalar(first) else { throw error("unpaired UTF-16 surrogate in \\u escape") }
            return scalar
        }

        mutating func hex4() throws(SyntaxError) -> UInt32 {
            var value: UInt32 = 0
            for _ in 0..<4 {
                guard let b = current, let digit = Self.hexDigit(b) else { throw error("invalid \\u escape") }
                value = value << 4 | digit
                position += 1
            }
            return value
        }

        static func hexDigit(_ b: UInt8) -> UInt32? {
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(b - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(b - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(b - UInt8(ascii: "A") + 10)
            default: nil
            }
        }

        /// A number literal, checked against the grammar `-? (0 | [1-9][0-9]*) (.[0-9]+)? ([eE][+-]?[0-9]+)?`.
        mutating func number() throws(SyntaxError) -> String {
            let start = position
            if current == UInt8(ascii: "-") { position += 1 }
            if current == UInt8(ascii: "0") {
                position += 1
            } else if digitCount() == 0 {
                throw error("invalid number")
            }
            if current == UInt8(ascii: ".") {
                position += 1
                if digitCount() == 0 { throw error("invalid number: no digits after '.'") }
            }
            if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
                position += 1
                if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
                if digitCount() == 0 { throw error("invalid number: no digits in the exponent") }
            }
            return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        }

        mutating func digitCount() -> Int {
            let start = position
            while let b = current, b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") { position += 1 }
            return position - start
        }

        /// A byte as a message shows it: the character when printable ASCII, else hex.
        static func show(_ b: UInt8) -> String {
            (0x21..<0x7F).contains(b) ? "'\(Character(Unicode.Scalar(b)))'" : "0x" + String(b, radix: 16, uppercase: true)
        }
    }
}
