import Foundation
import Testing
@testable import TesseraClient

/// Security checklist row K-23: `Expires` uses the cookie-date algorithm of
/// RFC 6265 §5.1.1. A two-digit year 70–99 is 19xx and 00–69 is 20xx; a year
/// before 1601, a day outside 1–31, an hour past 23 or a minute or second
/// past 59 is refused. (That a bad date drops only the attribute, not the
/// cookie, is the header parser's business and is tested with it.)
///
/// Every expected instant was computed beforehand with Python's
/// `calendar.timegm`, never with the code under test.
@Suite("CookieDate (CHECKLIST K-23)")
struct CookieDateTests {
    // MARK: - The formats servers send

    @Test(arguments: [
        // IMF-fixdate (RFC 9110).
        ("Sun, 06 Nov 1994 08:49:37 GMT", 784_111_777),
        // RFC 850, two-digit year.
        ("Sunday, 06-Nov-94 08:49:37 GMT", 784_111_777),
        // asctime(), with the space-padded day and the year last.
        ("Sun Nov  6 08:49:37 1994", 784_111_777),
        ("Wed, 09 Dec 2009 16:27:23 GMT", 1_260_376_043),
        ("Thu, 01-Jan-1970 00:00:00 GMT", 0),
        // No weekday and no zone.
        ("1 Jan 2010 01:01:50", 1_262_307_710),
        // The largest 32-bit time_t plus one.
        ("Fri, 19-Jan-2038 03:14:08 GMT", 2_147_483_648),
    ] as [(String, Int64)])
    func test_K_23_commonFormatsParseToTheSameUTCInstant(_ text: String, _ seconds: Int64) {
        #expect(CookieDate.parse(text) == Date(timeIntervalSince1970: TimeInterval(seconds)))
    }

    @Test(arguments: [
        // Time first, month spelled out in capitals, weekday and zone missing.
        ("16:27:23 2009 9 DECEMBER", 1_260_376_043),
        // Month name in any case, with trailing letters.
        ("wed, 09 december 2009 16:27:23 gmt", 1_260_376_043),
        // Single-digit time fields.
        ("9 Dec 2009 1:2:3", 1_260_320_523),
        // Tabs are delimiters.
        ("Wed,\t09\tDec\t2009\t16:27:23\tGMT", 1_260_376_043),
        // Slashes are delimiters; `2009` is too long for a day, so it is the year.
        ("2009/Dec/09 16:27:23", 1_260_376_043),
        // Non-digits after the digits of a time, day or year are allowed.
        ("Wed, 09th Dec 2009 16:27:23Z", 1_260_376_043),
        ("Wed, 09 Dec 2009 16:27:23.999 GMT", 1_260_376_043),
        // Only the first time is a time; a later `09:00:00` is read as day 9.
        ("16:27:23 09:00:00 Dec 2009", 1_260_376_043),
        // Once all four are found, later tokens change nothing.
        ("Wed, 09 Dec 2009 16:27:23 17:00:00 10 Jan 2011", 1_260_376_043),
    ] as [(String, Int64)])
    func test_K_23_oddOrdersAndSpellingsAreAccepted(_ text: String, _ seconds: Int64) {
        #expect(CookieDate.parse(text) == Date(timeIntervalSince1970: TimeInterval(seconds)))
    }

    @Test func test_K_23_trailingLettersAfterTheYearDigitsAreIgnored() {
        #expect(CookieDate.parse("Wed, 09 Dec 2009abc 16:27:23 GMT") == Date(timeIntervalSince1970: 1_260_376_043))
    }

    // MARK: - Two-digit years

    @Test(arguments: [
        ("Thu, 01 Jan 70 00:00:00 GMT", 0),                 // 1970
        ("Fri, 01 Jan 99 00:00:00 GMT", 915_148_800),       // 1999
        ("Sat, 01 Jan 00 00:00:00 GMT", 946_684_800),       // 2000
        ("Tue, 01 Jan 69 00:00:00 GMT", 3_124_224_000),     // 2069
    ] as [(String, Int64)])
    func test_K_23_twoDigitYearsMap70To99Into1900sAnd00To69Into2000s(_ text: String, _ seconds: Int64) {
        #expect(CookieDate.parse(text) == Date(timeIntervalSince1970: TimeInterval(seconds)))
    }

    // MARK: - Ranges

    @Test func test_K_23_yearsBefore1601AreRejected() {
        #expect(CookieDate.parse("Sat, 31 Dec 1600 23:59:59 GMT") == nil)
        #expect(CookieDate.parse("Mon, 01 Jan 1601 00:00:00 GMT") == Date(timeIntervalSince1970: -11_644_473_600))
        #expect(CookieDate.parse("Fri, 31 Dec 9999 23:59:59 GMT") == Date(timeIntervalSince1970: 253_402_300_799))
        // Three digits are a year, but one far before 1601.
        #expect(CookieDate.parse("01 Jan 999 00:00:00") == nil)
    }

    @Test(arguments: [
        "Fri, 00 Jan 2010 00:00:00 GMT",
        "Fri, 32 Jan 2010 00:00:00 GMT",
        "Fri, 01 Jan 2010 24:00:00 GMT",
        "Fri, 01 Jan 2010 23:60:00 GMT",
        "Fri, 01 Jan 2010 23:59:60 GMT",
        "Fri, 01 Jan 2010 99:99:99 GMT",
    ])
    func test_K_23_dayHourMinuteOrSecondOutOfRangeIsRejected(_ text: String) {
        #expect(CookieDate.parse(text) == nil)
    }

    @Test func test_K_23_daysThatDoNotExistInTheirMonthAreRejected() {
        #expect(CookieDate.parse("Tue, 29 Feb 2000 00:00:00 GMT") == Date(timeIntervalSince1970: 951_782_400))
        #expect(CookieDate.parse("Sun, 29 Feb 2004 12:00:00 GMT") == Date(timeIntervalSince1970: 1_078_056_000))
        #expect(CookieDate.parse("Thu, 29 Feb 2001 00:00:00 GMT") == nil)
        #expect(CookieDate.parse("Mon, 29 Feb 2100 00:00:00 GMT") == nil)
        #expect(CookieDate.parse("Sat, 31 Apr 2010 00:00:00 GMT") == nil)
        #expect(CookieDate.parse("Sun, 30 Jun 2024 23:59:59 GMT") == Date(timeIntervalSince1970: 1_719_791_999))
        #expect(CookieDate.parse("Mon, 31 Jun 2024 00:00:00 GMT") == nil)
    }

    // MARK: - Malformed input

    @Test(arguments: [
        "",
        " ",
        "garbage",
        "GMT",
        // A part missing: time, day, month, year in turn.
        "Wed, 09 Dec 2009 GMT",
        "Wed, Dec 2009 16:27:23 GMT",
        "Wed, 09 2009 16:27:23 GMT",
        "Wed, 09 Dec 16:27:23 GMT",
        // Three-digit time fields are not a time.
        "Wed, 09 Dec 2009 123:00:00 GMT",
        "Wed, 09 Dec 2009 16:27:230 GMT",
        // Five digits are no year; a one-digit token is no year either.
        "Wed, 09 Dec 20090 16:27:23 GMT",
        "Wed, 09 Dec 9 16:27:23 GMT",
        // Digits run on into the day.
        "Wed, 091 Dec 2009 16:27:23 GMT",
        // Colons, letters and bytes past ASCII are not delimiters.
        "Wed,09Dec2009 16:27:23",
        "Wed, 09\u{00A0}Dec 2009 16:27:23 GMT",
        // Month names must be the first three letters of the token.
        "Wed, 09 xDec 2009 16:27:23 GMT",
    ])
    func test_K_23_malformedDatesAreRejected(_ text: String) {
        #expect(CookieDate.parse(text) == nil)
    }

    @Test func test_K_23_anyInputIsSafe() {
        #expect(CookieDate.parse(String(repeating: "9", count: 100_000)) == nil)
        #expect(CookieDate.parse(String(repeating: "12:34:56 ", count: 10_000)) == nil)
        #expect(CookieDate.parse("\u{0}\u{1F}\u{7F}\u{FFFF}🍪 ü 09 Dec 2009 16:27:23") == Date(timeIntervalSince1970: 1_260_376_043))
        // Substrings work as well as strings.
        let header = "id=1; Expires=Wed, 09 Dec 2009 16:27:23 GMT; Path=/"
        let value = header.split(separator: ";")[1].dropFirst(" Expires=".count)
        #expect(CookieDate.parse(value) == Date(timeIntervalSince1970: 1_260_376_043))
    }
}
