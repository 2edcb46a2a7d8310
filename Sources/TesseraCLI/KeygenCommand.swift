import ArgumentParser
import Foundation
import Tessera

/// `tessera keygen`: creates a key ring file, or adds a key to one.
struct KeygenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract: "Write a new key ring file (mode 0600), or add a key to an existing one.",
        discussion: """
        A new ring holds one random 256-bit key. With --add, a key is appended; it signs from --not-before \
        on (at once if omitted), while every older key keeps verifying until you delete it from the file.
        Examples:
          tessera keygen --ring tessera-keyring.json
          tessera keygen --add --ring tessera-keyring.json --not-before 2026-12-01T00:00:00Z
        """
    )

    @Option(name: .long, help: "The key ring file.")
    var ring: String = "tessera-keyring.json"

    @Flag(name: .long, help: "Add a key to an existing ring instead of creating one.")
    var add = false

    @Option(name: .long, help: "With --add: when the new key starts signing (ISO 8601, e.g. 2026-12-01T00:00:00Z).")
    var notBefore: String?

    @Flag(name: .long, help: "Overwrite an existing ring file (its keys are lost: every token they made stops verifying).")
    var force = false

    func validate() throws {
        if notBefore != nil && !add { throw ValidationError("--not-before applies only with --add") }
        if add && force { throw ValidationError("--force cannot be combined with --add") }
    }

    func run() throws {
        var activation: Date?
        if let notBefore {
            guard let date = ISO8601DateFormatter().date(from: notBefore) else {
                throw ValidationError("--not-before \"\(notBefore)\" is not an ISO 8601 date such as 2026-12-01T00:00:00Z")
            }
            activation = date
        }
        var entries: [KeyRing.Entry] = []
        if add {
            guard FileManager.default.fileExists(atPath: ring) else { throw CommandFailure("no key ring at \(ring); create one with `tessera keygen --ring \(ring)`") }
            do { entries = try KeyRingFile.load(path: ring).entries } catch { throw CommandFailure("\(error)") }
        } else if FileManager.default.fileExists(atPath: ring) && !force {
            throw CommandFailure("\(ring) already exists; use --add to add a key, or --force to replace the ring")
        }
        var id = KeyRingFile.newKeyID()
        while entries.contains(where: { $0.id == id }) { id = KeyRingFile.newKeyID() }
        let entry = try KeyRing.Entry(id: id, secret: .generate(), notBefore: activation)
        let newRing = try KeyRing(entries + [entry])
        do { try KeyRingFile.save(newRing, path: ring) } catch { throw CommandFailure("\(error)") }
        print(add ? "added key \(id) to \(ring) (\(newRing.entries.count) keys)" : "wrote \(ring) with key \(id) (mode 0600)")
    }
}
