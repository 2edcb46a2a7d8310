import Tessera

/// The server's `Cookie` header parser.
enum CookieHeaderFuzzing {
    static func run(_ input: [UInt8]) {
        let header = String(decoding: input, as: UTF8.self)
        let cookies = RequestCookies(header: header)
        FuzzCheck.require(cookies.pairs.count <= RequestCookies.maximumCount, "at most maximumCount pairs are read")
        for pair in cookies.pairs {
            FuzzCheck.require(!pair.name.isEmpty, "no pair has an empty name")
            FuzzCheck.require(!pair.name.utf8.contains(UInt8(ascii: ";")) && !pair.value.utf8.contains(UInt8(ascii: ";")),
                              "no name or value holds a ';'")
            FuzzCheck.require(!pair.name.utf8.contains(UInt8(ascii: "=")), "no name holds an '='")
        }
        // What was read, written back (values quoted, so a quoted value keeps
        // its inner quotes), reads back the same.
        let rendered = cookies.pairs.map { "\($0.name)=\"\($0.value)\"" }.joined(separator: "; ")
        if rendered.utf8.count <= RequestCookies.maximumHeaderBytes {
            FuzzCheck.require(RequestCookies(header: rendered).pairs == cookies.pairs, "rendered pairs read back the same")
        }
        // Keeping only one name reads exactly that name's pairs.
        if let wanted = cookies.pairs.first?.name {
            let kept = RequestCookies(headers: CollectionOfOne(header)) { $0 == wanted }
            FuzzCheck.require(kept.pairs == cookies.pairs.filter { $0.name == wanted }, "a filtered read keeps exactly the wanted pairs")
        }
    }
}
