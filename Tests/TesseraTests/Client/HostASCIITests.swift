import Foundation
import Testing
@testable import TesseraClient

/// Security checklist row K-25: a cookie's domain is lower-cased and
/// international names are compared in their IDNA Punycode form, so
/// `www.bücher.de` and `www.xn--bcher-kva.de` are one host.
///
/// Expected encodings come from RFC 3492 §7.1 and were cross-checked with
/// Python's independent `punycode` and `idna` codecs.
@Suite("HostASCII and Punycode (CHECKLIST K-25)")
struct HostASCIITests {
    // MARK: - Host names

    @Test(arguments: [
        ("www.bücher.de", "www.xn--bcher-kva.de"),
        ("bücher", "xn--bcher-kva"),
        ("München", "xn--mnchen-3ya"),
        ("MÜNCHEN.de", "xn--mnchen-3ya.de"),
        ("WWW.Bücher.DE", "www.xn--bcher-kva.de"),
        ("例え.テスト", "xn--r8jz45g.xn--zckzah"),
        ("пример.рф", "xn--e1afmkfd.xn--p1ai"),
        ("ΑΒΓ.gr", "xn--mxacd.gr"),
        ("☃.net", "xn--n3h.net"),
        // ß is kept, as IDNA 2008 and today's browsers do, not mapped to "ss".
        ("straße.de", "xn--strae-oqa.de"),
    ])
    func test_K_25_internationalLabelsBecomeLowerCasePunycode(_ host: String, _ ascii: String) {
        #expect(HostASCII.toASCII(host) == ascii)
    }

    @Test(arguments: [
        ("Example.COM", "example.com"),
        ("example.com", "example.com"),
        ("XN--BCHER-KVA.DE", "xn--bcher-kva.de"),
        ("My_Host-1.Example", "my_host-1.example"),
        ("127.0.0.1", "127.0.0.1"),
    ])
    func test_K_25_asciiHostsAreOnlyLowerCased(_ host: String, _ ascii: String) {
        #expect(HostASCII.toASCII(host) == ascii)
    }

    @Test func test_K_25_canonicallyEquivalentSpellingsGiveOneHost() {
        // u + COMBINING DIAERESIS is normalised to ü before encoding.
        #expect(HostASCII.toASCII("Mu\u{0308}nchen.de") == "xn--mnchen-3ya.de")
        #expect(HostASCII.toASCII("bu\u{0308}cher") == HostASCII.toASCII("bücher"))
        // A label that lower-cases to ASCII is plain ASCII: KELVIN SIGN → k.
        #expect(HostASCII.toASCII("\u{212A}.com") == "k.com")
    }

    @Test func test_K_25_emptyLabelsAreKeptForTheCaller() {
        #expect(HostASCII.toASCII("") == "")
        #expect(HostASCII.toASCII("example.com.") == "example.com.")
        #expect(HostASCII.toASCII("bücher..de") == "xn--bcher-kva..de")
        #expect(HostASCII.toASCII(".") == ".")
    }

    @Test(arguments: [
        "a b.com", "a/b.com", "a\\b.com", "a%2e.com", "a?.com", "a#.com", "user@example.com", "example.com:443",
        "a<b.com", "a>b.com", "[::1]", "a^b.com", "a|b.com",
        "a\u{0}b.com", "a\tb.com", "a\nb.com", "a\rb.com", "a\u{7F}b.com", "a\u{85}b.com",
        "bü cher.de", "bü/cher.de", "bücher\u{1}.de",
    ])
    func test_K_25_charactersNeverValidInAHostAreRefused(_ host: String) {
        #expect(HostASCII.toASCII(host) == nil)
    }

    @Test func test_K_25_encodedLabelsLongerThan63BytesAreRefused() {
        let fits = String(repeating: "a", count: 55) + "ü"
        #expect(HostASCII.toASCII(fits) == "xn--" + String(repeating: "a", count: 55) + "-8yf")
        #expect(HostASCII.toASCII(fits)?.utf8.count == 63)
        #expect(HostASCII.toASCII(String(repeating: "a", count: 56) + "ü") == nil)
        #expect(HostASCII.toASCII("www." + String(repeating: "ü", count: 64) + ".de") == nil)
        #expect(HostASCII.toASCII(String(repeating: "ü", count: 10_000)) == nil)
        // ASCII labels are not measured.
        let long = String(repeating: "a", count: 100)
        #expect(HostASCII.toASCII(long + ".com") == long + ".com")
    }

    // MARK: - Punycode (RFC 3492)

    struct Sample: Sendable, CustomTestStringConvertible {
        let name: String
        let codePoints: String
        let encoded: String
        var testDescription: String { name }

        var scalars: [Unicode.Scalar] {
            codePoints.split(separator: " ").compactMap { UInt32($0, radix: 16).flatMap(Unicode.Scalar.init) }
        }
    }

    /// RFC 3492 §7.1. The RFC writes some outputs with capitals that record
    /// its optional mixed-case annotation (`U+` rather than `u+` in the
    /// input); this encoder writes no annotation, so (I) is given here in
    /// lower case. Capitals that are copied basic code points stay.
    static let rfc3492Samples: [Sample] = [
        Sample(name: "(A) Arabic (Egyptian)",
               codePoints: "0644 064A 0647 0645 0627 0628 062A 0643 0644 0645 0648 0634 0639 0631 0628 064A 061F",
               encoded: "egbpdaj6bu4bxfgehfvwxn"),
        Sample(name: "(B) Chinese (simplified)",
               codePoints: "4ED6 4EEC 4E3A 4EC0 4E48 4E0D 8BF4 4E2D 6587",
               encoded: "ihqwcrb4cv8a8dqg056pqjye"),
        Sample(name: "(C) Chinese (traditional)",
               codePoints: "4ED6 5011 7232 4EC0 9EBD 4E0D 8AAA 4E2D 6587",
               encoded: "ihqwctvzc91f659drss3x8bo0yb"),
        Sample(name: "(D) Czech",
               codePoints: "0050 0072 006F 010D 0070 0072 006F 0073 0074 011B 006E 0065 006D 006C 0075 0076 00ED 010D 0065 0073 006B 0079",
               encoded: "Proprostnemluvesky-uyb24dma41a"),
        Sample(name: "(E) Hebrew",
               codePoints: "05DC 05DE 05D4 05D4 05DD 05E4 05E9 05D5 05D8 05DC 05D0 05DE 05D3 05D1 05E8 05D9 05DD 05E2 05D1 05E8 05D9 05EA",
               encoded: "4dbcagdahymbxekheh6e0a7fei0b"),
        Sample(name: "(F) Hindi (Devanagari)",
               codePoints: "092F 0939 0932 094B 0917 0939 093F 0928 094D 0926 0940 0915 094D 092F 094B 0902 0928 0939 0940 0902 092C 094B 0932 0938 0915 0924 0947 0939 0948 0902",
               encoded: "i1baa7eci9glrd9b2ae1bj0hfcgg6iyaf8o0a1dig0cd"),
        Sample(name: "(G) Japanese (kanji and hiragana)",
               codePoints: "306A 305C 307F 3093 306A 65E5 672C 8A9E 3092 8A71 3057 3066 304F 308C 306A 3044 306E 304B",
               encoded: "n8jok5ay5dzabd5bym9f0cm5685rrjetr6pdxa"),
        Sample(name: "(H) Korean (Hangul syllables)",
               codePoints: "C138 ACC4 C758 BAA8 B4E0 C0AC B78C B4E4 C774 D55C AD6D C5B4 B97C C774 D574 D55C B2E4 BA74 C5BC B9C8 B098 C88B C744 AE4C",
               encoded: "989aomsvi5e83db1d2a355cv1e0vak1dwrv93d5xbh15a0dt30a5jpsd879ccm6fea98c"),
        Sample(name: "(I) Russian (Cyrillic)",
               codePoints: "043F 043E 0447 0435 043C 0443 0436 0435 043E 043D 0438 043D 0435 0433 043E 0432 043E 0440 044F 0442 043F 043E 0440 0443 0441 0441 043A 0438",
               encoded: "b1abfaaepdrnnbgefbadotcwatmq2g4l"), // RFC: b1abfaaepdrnnbgefbaDotcwatmq2g4l
        Sample(name: "(J) Spanish",
               codePoints: "0050 006F 0072 0071 0075 00E9 006E 006F 0070 0075 0065 0064 0065 006E 0073 0069 006D 0070 006C 0065 006D 0065 006E 0074 0065 0068 0061 0062 006C 0061 0072 0065 006E 0045 0073 0070 0061 00F1 006F 006C",
               encoded: "PorqunopuedensimplementehablarenEspaol-fmd56a"),
        Sample(name: "(K) Vietnamese",
               codePoints: "0054 1EA1 0069 0073 0061 006F 0068 1ECD 006B 0068 00F4 006E 0067 0074 0068 1EC3 0063 0068 1EC9 006E 00F3 0069 0074 0069 1EBF 006E 0067 0056 0069 1EC7 0074",
               encoded: "TisaohkhngthchnitingVit-kjcr8268qyxafd2f1b9g"),
        Sample(name: "(L) 3<nen>B<gumi><kinpachi><sensei>",
               codePoints: "0033 5E74 0042 7D44 91D1 516B 5148 751F",
               encoded: "3B-ww4c5e180e575a65lsy2b"),
        Sample(name: "(M) <amuro><namie>-with-SUPER-MONKEYS",
               codePoints: "5B89 5BA4 5948 7F8E 6075 002D 0077 0069 0074 0068 002D 0053 0055 0050 0045 0052 002D 004D 004F 004E 004B 0045 0059 0053",
               encoded: "-with-SUPER-MONKEYS-pc58ag80a8qai00g7n9n"),
        Sample(name: "(N) Hello-Another-Way-<sorezore><no><basho>",
               codePoints: "0048 0065 006C 006C 006F 002D 0041 006E 006F 0074 0068 0065 0072 002D 0057 0061 0079 002D 305D 308C 305E 308C 306E 5834 6240",
               encoded: "Hello-Another-Way--fc4qua05auwb3674vfr0b"),
        Sample(name: "(O) <hitotsu><yane><no><shita>2",
               codePoints: "3072 3068 3064 5C4B 6839 306E 4E0B 0032",
               encoded: "2-u9tlzr9756bt3uc0v"),
        Sample(name: "(P) Maji<de>Koi<suru>5<byou><mae>",
               codePoints: "004D 0061 006A 0069 3067 004B 006F 0069 3059 308B 0035 79D2 524D",
               encoded: "MajiKoi5-783gue6qz075azm5e"),
        Sample(name: "(Q) <pafii>de<runba>",
               codePoints: "30D1 30D5 30A3 30FC 0064 0065 30EB 30F3 30D0",
               encoded: "de-jg4avhby1noc0d"),
        Sample(name: "(R) <sono><supiido><de>",
               codePoints: "305D 306E 30B9 30D4 30FC 30C9 3067",
               encoded: "d9juau41awczczp"),
        Sample(name: "(S) -> $1.00 <-",
               codePoints: "002D 003E 0020 0024 0031 002E 0030 0030 0020 003C 002D",
               encoded: "-> $1.00 <--"),
    ]

    @Test(arguments: rfc3492Samples)
    func test_K_25_punycodeEncodesTheRFC3492Samples(_ sample: Sample) {
        let scalars = sample.scalars
        #expect(scalars.count == sample.codePoints.split(separator: " ").count)
        #expect(Punycode.encode(scalars) == sample.encoded)
    }

    @Test func test_K_25_punycodeEdgeCases() {
        #expect(Punycode.encode(Array("bücher".unicodeScalars)) == "bcher-kva")
        #expect(Punycode.encode(Array("münchen".unicodeScalars)) == "mnchen-3ya")
        #expect(Punycode.encode([]) == "")
        // Only basic code points: copied, then the delimiter.
        #expect(Punycode.encode(Array("abc".unicodeScalars)) == "abc-")
        // The largest code point and characters outside the BMP.
        #expect(Punycode.encode(["\u{10FFFF}"]) == "dn32g")
        #expect(Punycode.encode(Array("🍪".unicodeScalars)) == "hj8h")
    }
}
