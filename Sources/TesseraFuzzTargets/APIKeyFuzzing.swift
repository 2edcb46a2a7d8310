import Tessera

/// The API key parser.
enum APIKeyFuzzing {
    static func run(_ input: [UInt8]) {
        let text = String(decoding: input, as: UTF8.self)
        guard let key = APIKey(text) else { return }
        FuzzCheck.require(key.text == text && text.utf8.count == APIKey.length && text.hasPrefix(APIKey.prefix),
                          "an accepted key has the exact shape")
        FuzzCheck.require(key.identifier.utf8.count == 12 && !key.description.contains(String(text.suffix(49))),
                          "the identifier is 12 characters and the description hides the secret")
    }
}
