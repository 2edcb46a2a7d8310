import Testing
@testable import TesseraServer

struct TrustedProxyAddressTests {
    @Test("Behind a trusted proxy the client is the rightmost untrusted X-Forwarded-For entry; what the client wrote is never believed")
    func rightmostUntrustedEntry() {
        let trusted: Set<String> = ["127.0.0.1", "10.0.0.2"]
        let resolve = { (fields: [String]) in TrustedProxyAddress.clientAddress(peer: "127.0.0.1", forwardedFor: fields, trusted: trusted) }
        #expect(resolve(["203.0.113.7"]) == "203.0.113.7")
        // The client sent "X-Forwarded-For: 1.2.3.4" itself; nginx appended the real peer.
        #expect(resolve(["1.2.3.4, 198.51.100.9"]) == "198.51.100.9")
        // Two proxies, both trusted: skip them.
        #expect(resolve(["198.51.100.9, 10.0.0.2"]) == "198.51.100.9")
        #expect(resolve(["2001:db8::1"]) == "2001:db8::1")
        // Nothing usable: the peer itself.
        #expect(resolve([]) == "127.0.0.1")
        #expect(resolve(["unknown"]) == "127.0.0.1")
        #expect(resolve(["<script>, 10.0.0.2"]) == "127.0.0.1")
    }
}
