import Foundation

/// One row of the table: what was measured, how much, how fast, and what it was meant to reach.
struct Measurement {
    /// The row's letter, which targets use to name other rows: `a`, `b`, …
    var label: String
    var name: String
    var events: Int
    var seconds: Double
    /// The bytes of the records involved, when the row moves records (for MB/s).
    var bytes: Int? = nil
    /// CPU time and storage writes while the row ran (of `lmdb-raw` for its rows).
    var usage: ResourceUsage? = nil
    /// The time each operation took, for the rows that time every one (the HTTP, page and PostgreSQL rows).
    var latency: Latency? = nil
    /// Appends (or rows) per commit, for the rows that count them (P1–P4).
    var perCommit: Double? = nil
    /// The table the row belongs in.
    var table: Table = .throughput
    var requirements: [Requirement] = []

    /// The tables of the report: rows by events per second, rows timed request by request over
    /// HTTP, the pages' renders, and the appends on PostgreSQL.
    enum Table {
        case throughput, http, pages, postgres
    }

    var eventsPerSecond: Double { seconds > 0 ? Double(events) / seconds : 0 }
    var megabytesPerSecond: Double? { bytes.map { seconds > 0 ? Double($0) / 1e6 / seconds : 0 } }
}

/// A target a row's events per second must reach.
enum Requirement {
    /// At least this many events per second.
    case rate(atLeast: Double)
    /// At least `factor` times the events per second of the row labelled `row`.
    case ratio(atLeast: Double, of: String)
    /// A 99th percentile latency of at most this many milliseconds.
    case p99(atMostMilliseconds: Double)

    var description: String {
        switch self {
        case .rate(let minimum): "≥ \(Format.integer(minimum))/s"
        case .ratio(let factor, let row): "≥ \(Format.plain(factor)) × (\(row))"
        case .p99(let milliseconds): "p99 ≤ \(Format.plain(milliseconds)) ms"
        }
    }

    /// Whether `row` meets the requirement, and the figure that shows it.
    func evaluate(_ row: Measurement, in table: [Measurement]) -> (met: Bool, detail: String) {
        switch self {
        case .rate(let minimum):
            let met = row.eventsPerSecond >= minimum
            return (met, "\(Format.factor(row.eventsPerSecond / minimum)) of \(Format.integer(minimum))/s")
        case .ratio(let factor, let label):
            guard let other = table.first(where: { $0.label == label }), other.eventsPerSecond > 0 else {
                return (false, "(\(label)) was not measured")
            }
            let achieved = row.eventsPerSecond / other.eventsPerSecond
            return (achieved >= factor, "\(Format.factor(achieved)) (\(label))")
        case .p99(let milliseconds):
            guard let latency = row.latency, latency.count > 0 else { return (false, "no latency was measured") }
            return (latency.p99 * 1000 <= milliseconds, "p99 \(Format.milliseconds(latency.p99))")
        }
    }
}

/// The distribution of the times of many operations, in seconds.
struct Latency {
    var count: Int
    var p50: Double
    var p99: Double
    var maximum: Double

    init(_ samples: [Double]) {
        let sorted = samples.sorted()
        count = sorted.count
        func percentile(_ fraction: Double) -> Double {
            sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int((Double(sorted.count) * fraction).rounded(.up)) - 1)]
        }
        p50 = percentile(0.5)
        p99 = percentile(0.99)
        maximum = sorted.last ?? 0
    }
}

/// The whole result of one run, printed as Markdown.
struct Report {
    var machine: MachineDescription
    var command: String
    var rows: [Measurement]
    var notes: [String]

    var markdown: String {
        var lines = [String]()
        // Each table only when the run measured rows of it (--http-only, --pages-only).
        let throughput = rows.filter { $0.table == .throughput }
        if !throughput.isEmpty {
            lines.append("| | Measurement | Events | Seconds | Events/s | MB/s | CPU s | Written MB | Target | Result |")
            lines.append("|---|---|--:|--:|--:|--:|--:|--:|---|---|")
            for row in throughput {
                lines.append(
                    "| \(row.label) | \(row.name) | \(Format.integer(Double(row.events))) | \(Format.seconds(row.seconds)) "
                        + "| \(Format.integer(row.eventsPerSecond)) | \(row.megabytesPerSecond.map(Format.megabytes) ?? "—") "
                        + "| \(row.usage.map { Format.seconds($0.cpuSeconds) } ?? "—") "
                        + "| \(row.usage.map { Format.megabytes(Double($0.writtenBytes) / 1e6) } ?? "—") "
                        + "| \(target(of: row)) | \(result(of: row)) |")
            }
            lines.append("")
            lines.append(
                "CPU s: user + system CPU seconds of all threads while the row ran (of `lmdb-raw` for rows e and g). "
                    + "Written MB: bytes the process sent to storage meanwhile (`getrusage` `ru_oublock`).")
        }
        let http = rows.filter { $0.table == .http }
        if !http.isEmpty {
            if !lines.isEmpty { lines.append("") }
            lines += timedTable(
                http, heading: "| | Over HTTP | Operations | Seconds | Per second | p50 ms | p99 ms | Max ms | CPU s | Target | Result |",
                column: { Format.milliseconds($0.latency!.maximum) })
            lines.append("")
            lines.append(
                "Operations: acknowledged appends, answered requests or delivered events; p50/p99/Max: the time each one took, "
                    + "from the request's first byte sent to its answer's last byte read (for (w): from the event's `recordedAt` to its arrival). "
                    + "CPU s: of the whole process, server and load client together.")
        }
        let pages = rows.filter { $0.table == .pages }
        if !pages.isEmpty {
            if !lines.isEmpty { lines.append("") }
            lines.append("| | Pages | Renders | p50 ms | p99 ms | Max ms | Target | Result |")
            lines.append("|---|---|--:|--:|--:|--:|---|---|")
            for row in pages {
                let latency = row.latency!
                lines.append(
                    "| \(row.label) | \(row.name) | \(Format.integer(Double(row.events))) | \(Format.milliseconds(latency.p50)) "
                        + "| \(Format.milliseconds(latency.p99)) | \(Format.milliseconds(latency.maximum)) | \(target(of: row)) | \(result(of: row)) |")
            }
            lines.append("")
            lines.append(
                "Renders: pages produced one after the other, each timed alone; p50 (the median), p99, Max: the time one took, "
                    + "in process from the call to the finished HTML, over HTTP from the request's first byte sent to the answer's last byte read.")
        }
        let postgres = rows.filter { $0.table == .postgres }
        if !postgres.isEmpty {
            if !lines.isEmpty { lines.append("") }
            lines += timedTable(
                postgres, heading: "| | Durable appends on PostgreSQL | Events | Seconds | Events/s | p50 ms | p99 ms | Per commit | CPU s | Target | Result |",
                column: { $0.perCommit.map { String(format: "%.1f", $0) } ?? "—" })
            lines.append("")
            lines.append(
                "p50/p99: the time each append took (each batch for P1); Per commit: appends (P1: rows) per transaction, "
                    + "from the stores' `commitTotals`; CPU s: of this process (stores and clients), not of the PostgreSQL server.")
        }
        lines.append("")
        lines.append("Machine: \(machine.summary)")
        lines.append("")
        lines.append("Command: `\(command)`")
        if !notes.isEmpty {
            lines.append("")
            lines.append(contentsOf: notes.map { "- \($0)" })
        }
        return lines.joined(separator: "\n")
    }

    /// A table of rows timed operation by operation: `column` fills the one after p99.
    private func timedTable(_ rows: [Measurement], heading: String, column: (Measurement) -> String) -> [String] {
        var lines = [heading, "|---|---|--:|--:|--:|--:|--:|--:|--:|---|---|"]
        for row in rows {
            let latency = row.latency!
            lines.append(
                "| \(row.label) | \(row.name) | \(Format.integer(Double(row.events))) | \(Format.seconds(row.seconds)) "
                    + "| \(Format.integer(row.eventsPerSecond)) | \(Format.milliseconds(latency.p50)) | \(Format.milliseconds(latency.p99)) "
                    + "| \(column(row)) | \(row.usage.map { Format.seconds($0.cpuSeconds) } ?? "—") "
                    + "| \(target(of: row)) | \(result(of: row)) |")
        }
        return lines
    }

    private func target(of row: Measurement) -> String {
        row.requirements.isEmpty ? "informative" : row.requirements.map(\.description).joined(separator: " and ")
    }

    private func result(of row: Measurement) -> String {
        guard !row.requirements.isEmpty else { return "—" }
        let outcomes = row.requirements.map { $0.evaluate(row, in: rows) }
        let verdict = outcomes.allSatisfy(\.met) ? "**met**" : "**missed**"
        return verdict + " (" + outcomes.map(\.detail).joined(separator: "; ") + ")"
    }
}

/// Number formats for the table: thousands separated by commas, whatever the locale.
enum Format {
    static func integer(_ value: Double) -> String {
        guard value.isFinite else { return "—" }
        let digits = String(Int64(value.rounded()))
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0, character != "-" { out.append(",") }
            out.append(character)
        }
        return out
    }

    static func seconds(_ value: Double) -> String {
        String(format: "%.3f", value)
    }

    /// Seconds as milliseconds: `0.84`, `12.3`.
    static func milliseconds(_ seconds: Double) -> String {
        let value = seconds * 1000
        return value >= 10 ? String(format: "%.1f", value) : String(format: "%.2f", value)
    }

    static func megabytes(_ value: Double) -> String {
        String(format: "%.1f", value)
    }

    /// `20`, `0.5`, `2000000`: a target factor or rate as written.
    static func plain(_ value: Double) -> String {
        value == value.rounded() ? String(Int64(value)) : String(value)
    }

    /// `20×`, `0.5×`, `31.4×`: as few decimals as the value needs.
    static func factor(_ value: Double) -> String {
        if value >= 10 { return String(format: "%.1f×", value) }
        if value >= 1 { return String(format: "%.2f×", value) }
        return String(format: "%.3f×", value)
    }
}
