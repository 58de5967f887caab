import ArgumentParser
import LedgerModel

/// The tree of commands under `incidents`, as a user types them: for naming the command whose
/// `--help` a usage error points to, and for suggesting the command a misspelt one meant.
enum CommandTree {
    /// Where a command line's words lead: the command they name (its path of names below the root),
    /// and the first word that names no subcommand where one was due.
    struct Resolution {
        var path: [String]
        var unknown: String?
    }

    /// Follows the words of `arguments` down the tree, as the parser does, up to the first word that
    /// is not a subcommand. A group with a default subcommand (`postmortem` → `report`) leads into it.
    static func resolve(_ arguments: [String], root: any ParsableCommand.Type = Incidents.self) -> Resolution {
        var current = root
        var path = [String]()
        for argument in arguments {
            let subcommands = current.configuration.subcommands
            if let next = subcommands.first(where: { names(of: $0).contains(argument) }) {
                current = next
                path.append(next._commandName)
                continue
            }
            if let fallback = current.configuration.defaultSubcommand {
                path.append(fallback._commandName)
            } else if !subcommands.isEmpty, !argument.hasPrefix("-") {
                return Resolution(path: path, unknown: argument)
            }
            break
        }
        return Resolution(path: path, unknown: nil)
    }

    /// The path of names to a command type, from the root (empty for the root itself).
    static func path(to command: any ParsableCommand.Type, root: any ParsableCommand.Type = Incidents.self) -> [String]? {
        if command == root { return [] }
        for subcommand in root.configuration.subcommands {
            if let rest = path(to: command, root: subcommand) { return [subcommand._commandName] + rest }
        }
        return nil
    }

    /// Every command's path below the root, once under each of its names (aliases included).
    static func allPaths(root: any ParsableCommand.Type = Incidents.self) -> [[String]] {
        root.configuration.subcommands.flatMap { subcommand in
            names(of: subcommand).flatMap { name in [[name]] + allPaths(root: subcommand).map { [name] + $0 } }
        }
    }

    /// The path of every command that runs (has no subcommands, or is a group's default), by its
    /// primary names: what a user can give options to.
    static func runnablePaths(root: any ParsableCommand.Type = Incidents.self) -> [[String]] {
        root.configuration.subcommands.flatMap { subcommand -> [[String]] in
            let below = runnablePaths(root: subcommand).map { [subcommand._commandName] + $0 }
            return subcommand.configuration.subcommands.isEmpty ? [[subcommand._commandName]] : below
        }
    }

    /// The command most likely meant by `unknown` typed after `path`: the nearest by edit distance,
    /// comparing the whole typed path with each command's path, and the word alone with each
    /// command's own name (so `statuspage` finds `import statuspage`). nil when none is near.
    static func suggestion(for unknown: String, after path: [String], root: any ParsableCommand.Type = Incidents.self) -> [String]? {
        let typed = (path + [unknown]).joined(separator: " ")
        let allowed = unknown.count <= 3 ? 1 : unknown.count <= 6 ? 2 : 3
        let scored = allPaths(root: root).map { candidate -> (words: Int, whole: Int, length: Int, path: [String]) in
            let whole = editDistance(typed, candidate.joined(separator: " "))
            return (min(whole, editDistance(unknown, candidate.last!)), whole, candidate.count, candidate)
        }
        let best = scored.filter { $0.words <= allowed }.min { ($0.words, $0.whole, $0.length) < ($1.words, $1.whole, $1.length) }
        return best?.path
    }

    /// The failure for a word that names no command where one was due.
    static func unknownCommand(_ unknown: String, after path: [String]) -> CommandFailure {
        let typed = MessageText.quoted((path + [unknown]).joined(separator: " "))
        let list = "`" + (["incidents"] + path + ["--help"]).joined(separator: " ") + "`"
        guard let suggested = suggestion(for: unknown, after: path) else {
            return CommandFailure(.usage, "unknown command \(typed) — run \(list) for the list")
        }
        return CommandFailure(
            .usage, "unknown command \(typed) — did you mean \(MessageText.quoted(suggested.joined(separator: " ")))? Run \(list) for the list")
    }

    /// Levenshtein distance over characters: insertions, deletions and substitutions.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    private static func names(of command: any ParsableCommand.Type) -> [String] {
        [command._commandName] + command.configuration.aliases
    }
}
