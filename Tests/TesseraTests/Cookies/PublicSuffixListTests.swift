import Foundation
import Testing
@testable import Tessera

@Suite("PublicSuffixList")
struct PublicSuffixListTests {
    private static let rulesText = """
    // ===BEGIN ICANN DOMAINS===
    com
    uk
    co.uk
    jp
    // A wildcard with an exception, as for Kawasaki in the real list.
    *.kawasaki.jp
    !city.kawasaki.jp
    *.ck
    !www.ck
    GITHUB.IO   trailing text after whitespace is ignored
    \tpages.dev

    // ===END ICANN DOMAINS===
    """

    private static let list = PublicSuffixList(rulesText: rulesText)

    @Test func plainRules() {
        #expect(Self.list.publicSuffix(of: "example.com") == "com")
        #expect(Self.list.publicSuffix(of: "www.example.com") == "com")
        #expect(Self.list.publicSuffix(of: "com") == "com")
        #expect(Self.list.publicSuffix(of: "www.example.co.uk") == "co.uk")
        #expect(Self.list.publicSuffix(of: "example.uk") == "uk")
        #expect(Self.list.isPublicSuffix("com"))
        #expect(Self.list.isPublicSuffix("co.uk"))
        #expect(Self.list.isPublicSuffix("uk"))
        #expect(!Self.list.isPublicSuffix("example.com"))
        #expect(!Self.list.isPublicSuffix("example.co.uk"))
    }

    @Test func wildcardRule() {
        #expect(Self.list.publicSuffix(of: "foo.kawasaki.jp") == "foo.kawasaki.jp")
        #expect(Self.list.publicSuffix(of: "a.foo.kawasaki.jp") == "foo.kawasaki.jp")
        #expect(Self.list.isPublicSuffix("foo.kawasaki.jp"))
        #expect(!Self.list.isPublicSuffix("a.foo.kawasaki.jp"))
        #expect(Self.list.publicSuffix(of: "kawasaki.jp") == "jp")
        #expect(Self.list.publicSuffix(of: "anything.ck") == "anything.ck")
        #expect(Self.list.publicSuffix(of: "ck") == "ck")
        #expect(Self.list.isPublicSuffix("anything.ck"))
    }

    @Test func exceptionRule() {
        #expect(Self.list.publicSuffix(of: "city.kawasaki.jp") == "kawasaki.jp")
        #expect(Self.list.publicSuffix(of: "www.city.kawasaki.jp") == "kawasaki.jp")
        #expect(!Self.list.isPublicSuffix("city.kawasaki.jp"))
        #expect(Self.list.publicSuffix(of: "www.ck") == "ck")
        #expect(Self.list.publicSuffix(of: "a.www.ck") == "ck")
        #expect(!Self.list.isPublicSuffix("www.ck"))
    }

    @Test func defaultRuleMakesUnknownTopLevelLabelASuffix() {
        #expect(Self.list.publicSuffix(of: "example.test") == "test")
        #expect(Self.list.isPublicSuffix("test"))
        #expect(Self.list.isPublicSuffix("localhost"))
        #expect(!Self.list.isPublicSuffix("example.test"))
        // Even an empty list has the default rule.
        let empty = PublicSuffixList(rulesText: "")
        #expect(empty.isPublicSuffix("com"))
        #expect(!empty.isPublicSuffix("example.com"))
        #expect(empty.publicSuffix(of: "a.b.c") == "c")
    }

    @Test func commentsWhitespaceAndCaseInRules() {
        // Rules are lower-cased, and text after the first space is dropped.
        #expect(Self.list.isPublicSuffix("github.io"))
        #expect(Self.list.publicSuffix(of: "me.github.io") == "github.io")
        // A leading tab is whitespace, not part of the rule.
        #expect(Self.list.isPublicSuffix("pages.dev"))
        // Comment lines are not rules.
        #expect(!Self.list.isPublicSuffix("===begin.icann.domains==="))
        #expect(Self.list.publicSuffix(of: "x.y.trailing") == "trailing")
        #expect(!Self.list.isPublicSuffix("text.io"))
    }

    @Test func builtInListCoversCommonSuffixes() {
        let builtIn = PublicSuffixList.builtIn
        for suffix in ["com", "co.uk", "com.au", "github.io", "herokuapp.com", "vercel.app", "anything.ck", "localhost"] {
            #expect(builtIn.isPublicSuffix(suffix), "\(suffix)")
        }
        for registrable in ["example.com", "example.co.uk", "me.github.io", "www.ck"] {
            #expect(!builtIn.isPublicSuffix(registrable), "\(registrable)")
        }
        // The shared list (system or built-in) agrees on the basics.
        #expect(PublicSuffixList.shared.isPublicSuffix("com"))
        #expect(PublicSuffixList.shared.isPublicSuffix("co.uk"))
        #expect(!PublicSuffixList.shared.isPublicSuffix("example.com"))
    }

    @Test func cookieDomainUsesTheGivenList() throws {
        // The same domain is refused or accepted depending on the list passed.
        let custom = PublicSuffixList(rulesText: "example\n*.wild.example\n!ok.wild.example")
        let cookie = SetCookie(name: "a", value: "v", domain: "shop.example")
        #expect(throws: CookieError.self) { try cookie.headerValue(publicSuffixes: PublicSuffixList(rulesText: "shop.example")) }
        #expect(try cookie.headerValue(publicSuffixes: custom).contains("; Domain=shop.example;"))
        let wild = SetCookie(name: "a", value: "v", domain: "x.wild.example")
        #expect(throws: CookieError.self) { try wild.headerValue(publicSuffixes: custom) }
        let exception = SetCookie(name: "a", value: "v", domain: "ok.wild.example")
        #expect(try exception.headerValue(publicSuffixes: custom).contains("; Domain=ok.wild.example;"))
    }
}
