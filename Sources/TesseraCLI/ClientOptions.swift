import ArgumentParser
import TesseraClient

/// `--jar PATH`, shared by every client command.
struct ClientOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The cookies.txt file (curl's format) that holds your logins.",
        discussion: "Default: $XDG_CONFIG_HOME/tessera/cookies.txt, or ~/.config/tessera/cookies.txt."))
    var jar: String?

    /// The jar file these options name.
    var jarFile: CookieJarFile { CookieJarFile(path: jar ?? CookieJarFile.defaultPath()) }
}
