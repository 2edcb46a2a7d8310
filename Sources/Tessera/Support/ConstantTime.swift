/// Compares two byte sequences in time that depends only on their lengths.
///
/// Every comparison of a MAC, a token hash or a CSRF token in Tessera goes
/// through this function (ASVS 11.2.4), so an attacker who measures response
/// times learns nothing about how many leading bytes were right.
///
/// - Returns: `true` when both sequences have the same length and bytes.
@inlinable
public func constantTimeEquals<A: Collection, B: Collection>(_ lhs: A, _ rhs: B) -> Bool
where A.Element == UInt8, B.Element == UInt8 {
    guard lhs.count == rhs.count else { return false }
    var difference: UInt8 = 0
    for (left, right) in zip(lhs, rhs) {
        difference |= left ^ right
    }
    return difference == 0
}
