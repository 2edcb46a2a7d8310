/// The property checks of the fuzz targets.
enum FuzzCheck {
    /// Stops the process when `condition` is false. libFuzzer and the seed
    /// tests both see the stop; `property` names what broke (never the input,
    /// which may hold a secret-looking value).
    static func require(_ condition: @autoclosure () -> Bool, _ property: @autoclosure () -> String) {
        if !condition() { fatalError("fuzz property broken: \(property())") }
    }
}
