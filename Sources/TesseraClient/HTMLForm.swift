/// A form found in an HTML page, with the fields a browser would submit: what
/// logging in to a site "the python-requests way" needs (fetch the page, keep
/// its hidden inputs such as Django's `csrfmiddlewaretoken`, Tornado's `_xsrf`
/// or Rails' `authenticity_token`, post them back with the credentials).
///
/// The scanner is tolerant, not a full HTML5 parser: it reads `<form>`,
/// `<input>`, `<button>` and `<textarea>` tags, skips comments, `<script>` and
/// `<style>`, and decodes the common character references in attribute values.
public struct HTMLForm: Sendable, Hashable {
    /// One field of a form.
    public struct Field: Sendable, Hashable {
        /// The `name` attribute.
        public var name: String
        /// The value a browser would send.
        public var value: String
        /// The lower-cased `type` (`text` when absent; `textarea` for a text area).
        public var type: String

        /// A field.
        public init(name: String, value: String, type: String = "text") {
            self.name = name
            self.value = value
            self.type = type
        }
    }

    /// The `action` attribute, decoded; `nil` or empty means the page's own URL.
    public var action: String?
    /// The method in upper case; `GET` when the attribute is absent or unknown.
    public var method: String
    /// The fields a browser would submit, in document order (unchecked boxes and
    /// unnamed controls left out; only the first named submit button kept).
    public var fields: [Field]

    /// Whether the form has a password field, the mark of a login form.
    public var hasPasswordField: Bool { fields.contains { $0.type == "password" } }

    /// The value of the first field called `name`.
    public func value(of name: String) -> String? { fields.first { $0.name == name }?.value }

    /// Sets the first field called `name`, or adds one.
    public mutating func set(_ name: String, to value: String) {
        if let index = fields.firstIndex(where: { $0.name == name }) {
            fields[index].value = value
        } else {
            fields.append(Field(name: name, value: value, type: "text"))
        }
    }

    /// The field a login name most likely goes in: the last visible text-like
    /// field before the password field.
    public var usernameFieldName: String? {
        guard let password = fields.firstIndex(where: { $0.type == "password" }) else { return nil }
        return fields[..<password].last { ["text", "email", "tel"].contains($0.type) }?.name
    }

    /// The body of the submission, `application/x-www-form-urlencoded`.
    public var urlEncoded: String {
        fields.map { FormURLEncoding.encode($0.name) + "=" + FormURLEncoding.encode($0.value) }.joined(separator: "&")
    }

    /// Every form in a page, in document order.
    public static func forms(in html: String) -> [HTMLForm] {
        var scanner = HTMLTagScanner(html)
        var forms: [HTMLForm] = []
        var current: HTMLForm?
        var hasSubmitter = false
        while let tag = scanner.nextTag() {
            switch (tag.name, tag.isClosing) {
            case ("form", false):
                if let open = current { forms.append(open) }
                let method = tag.attributes["method"]?.uppercased()
                current = HTMLForm(action: tag.attributes["action"], method: method == "POST" ? "POST" : "GET", fields: [])
                hasSubmitter = false
            case ("form", true):
                if let open = current { forms.append(open) }
                current = nil
            case ("input", false):
                guard current != nil, let name = tag.attributes["name"], !name.isEmpty, tag.attributes["disabled"] == nil else { continue }
                let type = tag.attributes["type"]?.lowercased() ?? "text"
                switch type {
                case "checkbox", "radio":
                    guard tag.attributes["checked"] != nil else { continue }
                    current?.fields.append(Field(name: name, value: tag.attributes["value"] ?? "on", type: type))
                case "submit":
                    guard !hasSubmitter else { continue }
                    hasSubmitter = true
                    current?.fields.append(Field(name: name, value: tag.attributes["value"] ?? "", type: type))
                case "button", "reset", "file", "image":
                    continue
                default:
                    current?.fields.append(Field(name: name, value: tag.attributes["value"] ?? "", type: type))
                }
            case ("button", false):
                let type = tag.attributes["type"]?.lowercased() ?? "submit"
                guard current != nil, type == "submit", !hasSubmitter, let name = tag.attributes["name"], !name.isEmpty else { continue }
                hasSubmitter = true
                current?.fields.append(Field(name: name, value: tag.attributes["value"] ?? "", type: "submit"))
            case ("textarea", false):
                let text = scanner.rawText(until: "textarea")
                guard current != nil, let name = tag.attributes["name"], !name.isEmpty else { continue }
                current?.fields.append(Field(name: name, value: HTMLTagScanner.decodeReferences(text), type: "textarea"))
            default:
                continue
            }
        }
        if let open = current { forms.append(open) }
        return forms
    }
}

/// `application/x-www-form-urlencoded` as the WHATWG URL standard writes it.
enum FormURLEncoding {
    static func encode(_ text: String) -> String {
        var output = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "*"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"):
                output.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: " "):
                output += "+"
            default:
                let hex = Array("0123456789ABCDEF".unicodeScalars)
                output += "%"
                output.unicodeScalars.append(hex[Int(byte >> 4)])
                output.unicodeScalars.append(hex[Int(byte & 0x0F)])
            }
        }
        return output
    }
}
