package dev.greenlight.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** How answers read on a terminal: a decision is one line, then its baseline change, then every check. */
final class Printer {
    private Printer() {
    }

    static void decision(PrintWriter out, JsonNode d) {
        out.printf("%s %s:%s %s - %s%n", d.path("at").asText(), d.path("model").asText(), d.path("version").asText(),
                d.path("outcome").asText(), d.path("reason").asText());
        out.printf("    by %s, %s, generation %d, decision %s%n", d.path("actor").asText(), baseline(d),
                d.path("generation").asLong(), d.path("id").asText());
        for (JsonNode c : d.path("checks")) {
            out.printf("    %s %-22s %s (required %s)%n", c.path("passed").asBoolean() ? "pass" : "FAIL",
                    c.path("name").asText(), c.path("observed").asText(), c.path("required").asText());
        }
    }

    /** "baseline 1 -> 2" only for a flip; a decision that changed nothing says the baseline stays. */
    static String baseline(JsonNode d) {
        String from = d.path("fromVersion").asText(null);
        String to = d.path("toVersion").asText(null);
        if (from == null && to == null) {
            return "no baseline yet";
        }
        if (from != null && from.equals(to)) {
            return "baseline stays " + from;
        }
        return "baseline " + (from == null ? "none" : from) + " -> " + (to == null ? "none" : to);
    }

    /** The answer of {@code /api/decisions}, newest first; says so when there is none. */
    static void decisions(PrintWriter out, JsonNode answer) {
        JsonNode decisions = answer.path("decisions");
        if (decisions.isEmpty()) {
            out.println("no decisions yet for " + answer.path("model").asText());
            return;
        }
        for (JsonNode d : decisions) {
            decision(out, d);
        }
    }

    /** The answer of {@code /api/status}: per model what serves and its ledger, then the last sync. */
    static void status(PrintWriter out, JsonNode s) {
        out.printf("instance %s, started %s%n", s.path("instance").asText(), s.path("startedAt").asText());
        for (JsonNode m : s.path("models")) {
            if ("serving".equals(m.path("state").asText())) {
                out.printf("%s: serving version %s (generation %d, sha256 %s) since %s; %d requests, %d errors%n",
                        m.path("model").asText(), m.path("version").asText(), m.path("generation").asLong(),
                        shortDigest(m.path("sha256").asText()), m.path("loadedSince").asText(),
                        m.path("requests").asLong(), m.path("errors").asLong());
            } else {
                out.printf("%s: NOT SERVING (no baseline loaded; Health answers 503)%n", m.path("model").asText());
            }
            JsonNode ledger = m.path("ledger");
            if (ledger.isMissingNode()) {
                out.println("    ledger: none yet (written with the first decision)");
            } else {
                out.printf("    ledger: baseline %s, generation %d, earlier baselines %s, pending %s, %d decisions%n",
                        ledger.path("baseline").asText("none"), ledger.path("generation").asLong(),
                        list(ledger.path("previous")), list(ledger.path("pending")), ledger.path("decisions").asLong());
                if (ledger.has("lastDecision")) {
                    out.printf("    last decision: %s%n", ledger.path("lastDecision").asText());
                }
                if (ledger.has("refreshConfirmed")) {
                    out.printf("    refresh targets confirmed: %s%n", ledger.path("refreshConfirmed").asText());
                }
            }
            JsonNode failure = m.path("lastLoadError");
            if (!failure.isMissingNode()) {
                out.printf("    last load error: version %s at %s: %s%n", failure.path("version").asText(),
                        failure.path("at").asText(), failure.path("reason").asText());
            }
            if (m.has("pointerCheckedAt")) {
                out.printf("    pointer checked %s (%d loads)%n", m.path("pointerCheckedAt").asText(),
                        m.path("loads").asLong());
            }
        }
        JsonNode sync = s.path("lastSync");
        if (!sync.isMissingNode()) {
            out.printf("last sync: %s by %s: %s%n", sync.path("at").asText(), sync.path("actor").asText(),
                    sync.has("skipped") ? "skipped, " + sync.path("skipped").asText()
                            : sync.path("repaired").asLong() + " repaired");
        }
    }

    private static String shortDigest(String sha256) {
        return sha256.length() > 12 ? sha256.substring(0, 12) + "..." : sha256;
    }

    private static String list(JsonNode array) {
        List<String> items = new ArrayList<>();
        array.forEach(v -> items.add(v.asText()));
        return items.isEmpty() ? "none" : String.join(", ", items);
    }

    /** Exit codes scripts can rely on: 0 promoted, pending, skipped or rolled back; 3 rejected. */
    static int exitCode(JsonNode decision) {
        return "REJECTED".equals(decision.path("outcome").asText()) ? 3 : 0;
    }
}
