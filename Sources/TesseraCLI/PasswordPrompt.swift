import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a secret from the terminal without echoing it, or from the first line
/// of standard input for scripts (`--password-stdin`). The secret is never
/// written anywhere.
enum PasswordPrompt {
    static func read(prompt: String, fromStandardInput: Bool) throws -> String {
        if fromStandardInput {
            guard let line = readLine(strippingNewline: true), !line.isEmpty else { throw CommandFailure("no password on standard input") }
            return line
        }
        let terminal = open("/dev/tty", O_RDWR | O_CLOEXEC)
        guard terminal >= 0 else { throw CommandFailure("no terminal to ask for the password on; pipe it in with --password-stdin") }
        defer { close(terminal) }
        var saved = termios()
        guard tcgetattr(terminal, &saved) == 0 else { throw CommandFailure("cannot turn off echo on the terminal; use --password-stdin") }
        var silent = saved
        // No echo, and no signal on Ctrl-C (read as 0x03 below), so the terminal is always restored.
        silent.c_lflag &= ~(tcflag_t(ECHO) | tcflag_t(ISIG))
        silent.c_lflag |= tcflag_t(ECHONL)
        _ = prompt.withCString { Foundation.write(terminal, $0, strlen($0)) }
        guard tcsetattr(terminal, TCSAFLUSH, &silent) == 0 else { throw CommandFailure("cannot turn off echo on the terminal; use --password-stdin") }
        defer { _ = tcsetattr(terminal, TCSANOW, &saved) }
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while Foundation.read(terminal, &byte, 1) == 1, byte != UInt8(ascii: "\n") {
            if byte == 0x03 || byte == 0x04 {
                _ = Foundation.write(terminal, "\n", 1)
                throw CommandFailure("cancelled")
            }
            bytes.append(byte)
        }
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        guard !bytes.isEmpty else { throw CommandFailure("no password given") }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Asks for a line with echo (a user name), on the terminal.
    static func readVisible(prompt: String) throws -> String {
        FileHandle.standardError.write(Data(prompt.utf8))
        guard let line = readLine(strippingNewline: true), !line.isEmpty else { throw CommandFailure("no user name given; pass --user") }
        return line
    }
}
