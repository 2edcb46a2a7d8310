/// Finds the tags of an HTML document one by one: names lower-cased,
/// attributes decoded, comments and the contents of `<script>` and `<style>`
/// skipped. Works on Unicode scalars, never fails, and always advances, so
/// any input ends.
struct HTMLTagScanner {
    struct Tag {
        let name: String
        let isClosing: Bool
        /// Lower-cased attribute names; the first occurrence wins, as in HTML.
        let attributes: [String: String]
    }

    private let scalars: [Unicode.Scalar]
    private var position = 0

    init(_ html: String) {
        scalars = Array(html.unicodeScalars)
    }

    mutating func nextTag() -> Tag? {
        while position < scalars.count {
            guard scalars[position] == "<" else {
                position += 1
                continue
            }
            if starts(with: "<!-->") || starts(with: "<!--->") {
                position = index(of: ">", from: position).map { $0 + 1 } ?? scalars.count  // an empty comment
                continue
            }
            if starts(with: "<!--") {
                position = index(of: "-->", from: position + 4).map { $0 + 3 } ?? scalars.count
                continue
            }
            let isClosing = position + 1 < scalars.count && scalars[position + 1] == "/"
            var cursor = position + (isClosing ? 2 : 1)
            let nameStart = cursor
            while cursor < scalars.count, isNameCharacter(scalars[cursor]) { cursor += 1 }
            guard cursor > nameStart else {
                position += 1
                continue
            }
            let name = String(String.UnicodeScalarView(scalars[nameStart..<cursor])).lowercased()
            var attributes: [String: String] = [:]
            cursor = readAttributes(from: cursor, into: &attributes)
            position = cursor
            if !isClosing, name == "script" || name == "style" {
                _ = rawText(until: name)
                continue
            }
            return Tag(name: name, isClosing: isClosing, attributes: attributes)
        }
        return nil
    }

    /// The text up to the closing tag `</name>` (case-insensitive), after which scanning resumes.
    mutating func rawText(until name: String) -> String {
        let closing = Array(("</" + name).unicodeScalars)
        var cursor = position
        while cursor < scalars.count {
            if scalars[cursor] == "<", cursor + closing.count <= scalars.count,
               zip(scalars[cursor..<(cursor + closing.count)], closing).allSatisfy({ lower($0) == $1 }) {
                let text = String(String.UnicodeScalarView(scalars[position..<cursor]))
                position = index(of: ">", from: cursor).map { $0 + 1 } ?? scalars.count
                return text
            }
            cursor += 1
        }
        let text = String(String.UnicodeScalarView(scalars[position...]))
        position = scalars.count
        return text
    }

    private func readAttributes(from start: Int, into attributes: inout [String: String]) -> Int {
        var cursor = start
        while cursor < scalars.count {
            let scalar = scalars[cursor]
            if scalar == ">" { return cursor + 1 }
            if isSpace(scalar) || scalar == "/" {
                cursor += 1
                continue
            }
            let nameStart = cursor
            while cursor < scalars.count, !isSpace(scalars[cursor]), !["=", ">", "/"].contains(scalars[cursor]) { cursor += 1 }
            let name = String(String.UnicodeScalarView(scalars[nameStart..<cursor])).lowercased()
            while cursor < scalars.count, isSpace(scalars[cursor]) { cursor += 1 }
            var value = ""
            if cursor < scalars.count, scalars[cursor] == "=" {
                cursor += 1
                while cursor < scalars.count, isSpace(scalars[cursor]) { cursor += 1 }
                if cursor < scalars.count, scalars[cursor] == "\"" || scalars[cursor] == "'" {
                    let quote = scalars[cursor]
                    let end = index(of: String(quote), from: cursor + 1) ?? scalars.count
                    value = String(String.UnicodeScalarView(scalars[(cursor + 1)..<end]))
                    cursor = min(end + 1, scalars.count)
                } else {
                    let valueStart = cursor
                    while cursor < scalars.count, !isSpace(scalars[cursor]), scalars[cursor] != ">" { cursor += 1 }
                    value = String(String.UnicodeScalarView(scalars[valueStart..<cursor]))
                }
            }
            if !name.isEmpty, attributes[name] == nil { attributes[name] = Self.decodeReferences(value) }
        }
        return cursor
    }

    /// Decodes `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`, `&#39;`, `&#NNN;` and `&#xHH;`; leaves others as written.
    static func decodeReferences(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var output = ""
        var rest = Substring(text)
        while let ampersand = rest.firstIndex(of: "&") {
            output += rest[..<ampersand]
            rest = rest[ampersand...]
            guard let semicolon = rest.prefix(12).firstIndex(of: ";") else {
                output += "&"
                rest = rest.dropFirst()
                continue
            }
            let entity = rest[rest.index(after: rest.startIndex)..<semicolon]
            let named = ["amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'"]
            var decoded: String?
            if let character = named[String(entity)] {
                decoded = character
            } else if entity.hasPrefix("#x") || entity.hasPrefix("#X") {
                decoded = UInt32(entity.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init).map { String($0) }
            } else if entity.hasPrefix("#") {
                decoded = UInt32(entity.dropFirst(), radix: 10).flatMap(Unicode.Scalar.init).map { String($0) }
            }
            if let decoded {
                output += decoded
                rest = rest[rest.index(after: semicolon)...]
            } else {
                output += "&"
                rest = rest.dropFirst()
            }
        }
        return output + rest
    }

    private func starts(with text: String) -> Bool {
        let pattern = Array(text.unicodeScalars)
        return position + pattern.count <= scalars.count && Array(scalars[position..<(position + pattern.count)]) == pattern
    }

    private func index(of text: String, from start: Int) -> Int? {
        let pattern = Array(text.unicodeScalars)
        guard start <= scalars.count - pattern.count else { return nil }
        var cursor = start
        while cursor + pattern.count <= scalars.count {
            if scalars[cursor] == pattern[0], Array(scalars[cursor..<(cursor + pattern.count)]) == pattern { return cursor }
            cursor += 1
        }
        return nil
    }

    private func isNameCharacter(_ scalar: Unicode.Scalar) -> Bool {
        (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z") || (scalar >= "0" && scalar <= "9") || scalar == "-"
    }

    private func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" || scalar == "\u{0C}"
    }

    private func lower(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        scalar >= "A" && scalar <= "Z" ? Unicode.Scalar(scalar.value + 32)! : scalar
    }
}
