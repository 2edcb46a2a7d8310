/// Makes outside text safe to put in an error message or a log line.
public enum SafeText {
    /// Control bytes escaped as `\xNN`, cut at 64 characters.
    public static func printable(_ text: String) -> String {
        var output = ""
        for scalar in text.unicodeScalars.prefix(64) {
            if scalar.value < 0x20 || scalar.value == 0x7F {
                output += "\\x" + Hex.encode([UInt8(scalar.value)])
            } else {
                output.unicodeScalars.append(scalar)
            }
        }
        return text.unicodeScalars.count > 64 ? output + "…" : output
    }
}
