import TesseraClient

/// The form-login HTML scanner.
enum HTMLFormFuzzing {
    static func run(_ input: [UInt8]) {
        let html = String(decoding: input, as: UTF8.self)
        for form in HTMLForm.forms(in: html) {
            // The body posted is form-urlencoded: printable ASCII, no spaces.
            FuzzCheck.require(form.urlEncoded.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F }, "a form body is printable ASCII")
            var filled = form
            if let user = form.usernameFieldName {
                filled.set(user, to: "dave & co")
                FuzzCheck.require(filled.value(of: user) == "dave & co", "a set field reads back")
            }
        }
    }
}
