import Foundation
import Testing
@testable import Tessera

@Suite struct JSONTests {
    @Test func writerMatchesPythonSpelling() throws {
        let value = try JSONParser.parse(#"{"b":1,"a":[3.5,0.25,1e-05,1e16,true,null],"é":"x/y\u0001\u007f😀"}"#)
        #expect(JSONWriter(sortKeys: false, ensureASCII: false).string(value) == "{\"b\":1,\"a\":[3.5,0.25,1e-05,1e+16,true,null],\"é\":\"x/y\\u0001\u{7f}😀\"}")
        #expect(JSONWriter(sortKeys: true, ensureASCII: true).string(value) == #"{"a":[3.5,0.25,1e-05,1e+16,true,null],"b":1,"\u00e9":"x/y\u0001\u007f\ud83d\ude00"}"#)
    }

    @Test func parserKeepsOrderAndBigIntegersAndLastDuplicate() throws {
        let value = try JSONParser.parse(#"{"z":1,"a":123456789012345678901234567890,"z":2}"#)
        guard case .object(let members) = value else { Issue.record("not an object"); return }
        #expect(members.map(\.0) == ["z", "a"])
        #expect(members[0].1 == .integer("2"))
        #expect(members[1].1 == .integer("123456789012345678901234567890"))
    }

    @Test func parserRefusesBadInputWithoutTrapping() {
        for bad in ["", "{", "[1,]", "{\"a\":}", "01", "1.", "\"\\x\"", "\"\u{01}\"", "nul", "[1] 2", "\"\\ud800\"",
                    String(repeating: "[", count: 100) + String(repeating: "]", count: 100)] {
            #expect(throws: JSONParser.Error.self, "\(bad.prefix(20))") { try JSONParser.parse(bad) }
        }
        #expect(throws: JSONParser.Error.self) { try JSONParser.parse([0x22, 0xFF, 0x22]) }
    }
}
