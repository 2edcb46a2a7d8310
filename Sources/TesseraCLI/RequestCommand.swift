import ArgumentParser
import Foundation
import NIOCore
import NIOHTTP1
import TesseraClient

/// `tessera request [METHOD] URL`: a small curl that uses the jar.
struct RequestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "request",
        abstract: "Send a request with the jar's cookies (and a CSRF token when one is needed); print the body.",
        discussion: """
        The method defaults to GET, or POST when -d is given. A -d body that starts with { or [ is sent as \
        application/json, anything else as application/x-www-form-urlencoded, unless -H sets Content-Type. \
        -d @FILE reads the body from FILE, -d @- from standard input. Exits 1 when the final status is not 2xx.
        """
    )

    @OptionGroup var client: ClientOptions
    @Argument(help: ArgumentHelp("[METHOD] URL", valueName: "method-and-url")) var words: [String]
    @Option(name: [.customShort("d"), .customLong("data")], help: "The request body; @FILE or @- to read it.") var data: String?
    @Option(name: [.customShort("H"), .customLong("header")], help: ArgumentHelp("A header, 'Name: value' (repeatable).", valueName: "header"))
    var headers: [String] = []
    @Flag(name: [.customShort("i"), .customLong("include")], help: "Print the status line and response headers before the body.")
    var include = false

    func validate() throws {
        guard (1...2).contains(words.count) else { throw ValidationError("give [METHOD] URL") }
        if CookieURL(words.last!) == nil { throw ValidationError("URL must be an absolute http or https URL") }
        if words.count == 2, !words[0].allSatisfy({ $0.isLetter && $0.isASCII }) { throw ValidationError("\(words[0].prefix(20)) is not an HTTP method") }
        for header in headers {
            guard let colon = header.firstIndex(of: ":"), header.startIndex != colon else { throw ValidationError("-H takes 'Name: value'") }
            if header.contains(where: { $0 == "\r" || $0 == "\n" }) { throw ValidationError("a header may not contain a line break") }
        }
    }

    func run() async throws {
        let url = words.last!
        let method = HTTPMethod(rawValue: words.count == 2 ? words[0].uppercased() : (data == nil ? "GET" : "POST"))
        var requestHeaders = HTTPHeaders()
        for header in headers {
            let colon = header.firstIndex(of: ":")!
            requestHeaders.add(name: String(header[..<colon]).trimmingCharacters(in: .whitespaces),
                               value: String(header[header.index(after: colon)...]).trimmingCharacters(in: .whitespaces))
        }
        var body: ByteBuffer?
        if let data {
            let bytes = try Self.bodyBytes(data)
            body = ByteBuffer(bytes: bytes)
            if !requestHeaders.contains(name: "Content-Type") {
                let first = bytes.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
                let looksLikeJSON = first == UInt8(ascii: "{") || first == UInt8(ascii: "[")
                requestHeaders.add(name: "Content-Type", value: looksLikeJSON ? "application/json" : "application/x-www-form-urlencoded")
            }
        }
        let request = ClientRequest(method: method, url: url, headers: requestHeaders, body: body)
        let include = include
        let response = try await ClientContext.run(client) { try await $0.send(request) }
        if include {
            var head = "HTTP/1.1 \(response.status.code) \(response.status.reasonPhrase)\r\n"
            for (name, value) in response.headers { head += "\(name): \(value)\r\n" }
            FileHandle.standardOutput.write(Data((head + "\r\n").utf8))
        }
        FileHandle.standardOutput.write(Data(response.body.readableBytesView))
        if !response.isSuccess {
            throw CommandFailure("\(response.status.code) \(response.status.reasonPhrase)")
        }
    }

    static func bodyBytes(_ data: String) throws -> [UInt8] {
        guard data.hasPrefix("@") else { return Array(data.utf8) }
        let path = String(data.dropFirst())
        if path == "-" { return Array(FileHandle.standardInput.readDataToEndOfFile()) }
        guard let contents = FileManager.default.contents(atPath: path) else { throw CommandFailure("cannot read \(path)") }
        return Array(contents)
    }
}
