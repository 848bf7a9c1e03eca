package dev.greenlight.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;

/** How decisions read on a terminal: one line each, then every check. */
final class Printer {
    private Printer() {
    }

    static void decision(PrintWriter out, JsonNode d) {
        out.printf("%s %s:%s %s - %s%n", d.path("at").asText(), d.path("model").asText(), d.path("version").asText(),
                d.path("outcome").asText(), d.path("reason").asText());
        out.printf("    by %s, baseline %s -> %s, generation %d, decision %s%n", d.path("actor").asText(),
                d.path("fromVersion").asText("none"), d.path("toVersion").asText("none"), d.path("generation").asLong(),
                d.path("id").asText());
        for (JsonNode c : d.path("checks")) {
            out.printf("    %s %-22s %s (required %s)%n", c.path("passed").asBoolean() ? "pass" : "FAIL",
                    c.path("name").asText(), c.path("observed").asText(), c.path("required").asText());
        }
    }

    /** Exit codes scripts can rely on: 0 promoted, pending, skipped or rolled back; 3 rejected. */
    static int exitCode(JsonNode decision) {
        return "REJECTED".equals(decision.path("outcome").asText()) ? 3 : 0;
    }
}
