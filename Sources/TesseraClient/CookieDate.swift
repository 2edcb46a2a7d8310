import Foundation

/// The cookie-date algorithm of RFC 6265 §5.1.1, which reads the value of a
/// `Set-Cookie` header's `Expires` attribute.
///
/// Servers send dates in many shapes: the IMF-fixdate of RFC 9110
/// (`Sun, 06 Nov 1994 08:49:37 GMT`), the obsolete RFC 850 form
/// (`Sunday, 06-Nov-94 08:49:37 GMT`), C's `asctime()` form
/// (`Sun Nov  6 08:49:37 1994`) and home-made mixtures of them. Rather than
/// match any one of these, the algorithm splits the value into tokens at
/// delimiter bytes and picks, in order, the first token that looks like a
/// time (`hh:mm:ss`, one or two digits each), the first that looks like a day
/// of the month (one or two digits), the first whose first three letters name
/// a month, and the first that looks like a year (two to four digits). Any
/// token may carry trailing non-digits (`2009abc` is the year 2009). Every
/// other token, such as a weekday or `GMT`, is ignored, and the result is
/// always UTC.
///
/// A two-digit year from 70 to 99 means 1970–1999 and one from 00 to 69 means
/// 2000–2069. The date is refused when a part is missing, the day is not in
/// 1…31, the year is before 1601, the hour is past 23, the minute or second
/// past 59, or the day does not exist in that month (31 April, 29 February
/// 2001). A refused date makes a cookie jar ignore the `Expires` attribute,
/// not the cookie.
///
/// The algorithm works on the header's bytes, so any text at all is accepted
/// as input; it never traps.
public enum CookieDate {
    /// The date in an `Expires` attribute, or `nil` when the algorithm fails.
    public static func parse(_ text: some StringProtocol) -> Date? {
        var time: (hour: Int, minute: Int, second: Int)?
        var dayOfMonth: Int?
        var month: Int?
        var year: Int?

        let bytes = Array(text.utf8)
        var start = 0
        while start < bytes.count {
            guard !isDelimiter(bytes[start]) else {
                start += 1
                continue
            }
            var end = start + 1
            while end < bytes.count, !isDelimiter(bytes[end]) { end += 1 }
            let token = bytes[start..<end]
            start = end

            if time == nil, let parsed = parseTime(token) {
                time = parsed
            } else if dayOfMonth == nil, let value = leadingNumber(token, digits: 1...2) {
                dayOfMonth = value
            } else if month == nil, let value = parseMonth(token) {
                month = value
            } else if year == nil, let value = leadingNumber(token, digits: 2...4) {
                year = value
            }
        }

        guard let time, let dayOfMonth, let month, var year else { return nil }
        if (70...99).contains(year) {
            year += 1900
        } else if (0...69).contains(year) {
            year += 2000
        }
        guard (1...31).contains(dayOfMonth), year >= 1601,
              time.hour <= 23, time.minute <= 59, time.second <= 59,
              dayOfMonth <= daysIn(month: month, year: year)
        else { return nil }

        let days = daysSinceEpoch(year: Int64(year), month: month, day: Int64(dayOfMonth))
        let seconds = days * 86_400 + Int64(time.hour) * 3_600 + Int64(time.minute) * 60 + Int64(time.second)
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    // MARK: - Tokens

    /// `delimiter = %x09 / %x20-2F / %x3B-40 / %x5B-60 / %x7B-7E`
    private static func isDelimiter(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x09, 0x20...0x2F, 0x3B...0x40, 0x5B...0x60, 0x7B...0x7E: true
        default: false
        }
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte)
    }

    /// Reads a run of digits at `index` whose length is in `digits`. The run
    /// must not be followed by another digit. Returns the value and the index
    /// just past the run.
    private static func digitRun(_ token: ArraySlice<UInt8>, from index: Int,
                                 digits: ClosedRange<Int>) -> (value: Int, end: Int)? {
        var value = 0
        var end = index
        while end < token.endIndex, isDigit(token[end]) {
            guard end - index < digits.upperBound else { return nil }
            value = value * 10 + Int(token[end] - 0x30)
            end += 1
        }
        guard digits.contains(end - index) else { return nil }
        return (value, end)
    }

    /// `n*mDIGIT [ non-digit *OCTET ]`: the number at the start of the token,
    /// when it has an allowed number of digits and whatever follows starts
    /// with a non-digit.
    private static func leadingNumber(_ token: ArraySlice<UInt8>, digits: ClosedRange<Int>) -> Int? {
        digitRun(token, from: token.startIndex, digits: digits)?.value
    }

    /// `time = hms-time [ non-digit *OCTET ]`,
    /// `hms-time = time-field ":" time-field ":" time-field`,
    /// `time-field = 1*2DIGIT`.
    private static func parseTime(_ token: ArraySlice<UInt8>) -> (hour: Int, minute: Int, second: Int)? {
        let colon = UInt8(ascii: ":")
        guard let hour = digitRun(token, from: token.startIndex, digits: 1...2),
              hour.end < token.endIndex, token[hour.end] == colon,
              let minute = digitRun(token, from: hour.end + 1, digits: 1...2),
              minute.end < token.endIndex, token[minute.end] == colon,
              let second = digitRun(token, from: minute.end + 1, digits: 1...2)
        else { return nil }
        return (hour.value, minute.value, second.value)
    }

    private static let monthNames: [[UInt8]] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ].map { Array($0.utf8) }

    /// `month = ( "jan" / … / "dec" ) *OCTET`, case-insensitively; 1…12.
    private static func parseMonth(_ token: ArraySlice<UInt8>) -> Int? {
        guard token.count >= 3 else { return nil }
        let prefix = token.prefix(3).map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 }
        guard let index = monthNames.firstIndex(of: prefix) else { return nil }
        return index + 1
    }

    // MARK: - Calendar arithmetic (proleptic Gregorian, UTC)

    private static func isLeap(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days in the months before each month of a common year.
    private static let daysBeforeMonth: [Int64] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334]

    /// Days from 1 January of year 1 to 1 January of `year` (`year` ≥ 1).
    private static func daysBeforeYear(_ year: Int64) -> Int64 {
        let previous = year - 1
        return previous * 365 + previous / 4 - previous / 100 + previous / 400
    }

    /// Days from 1970-01-01 to the given date, negative before it.
    private static func daysSinceEpoch(year: Int64, month: Int, day: Int64) -> Int64 {
        var days = daysBeforeYear(year) - daysBeforeYear(1970)
        days += daysBeforeMonth[month - 1]
        if month > 2, isLeap(Int(year)) { days += 1 }
        return days + day - 1
    }
}
