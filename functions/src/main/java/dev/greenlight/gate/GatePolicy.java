package dev.greenlight.gate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.greenlight.config.SettingsException;
import dev.greenlight.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The promotion policy from {@code GREENLIGHT_GATE} (JSON, or a path to a JSON file), validated
 * once. Defaults: primary metric {@code f1}, higher is better, floor 0.85, no required margin,
 * no guardrails, signature match and smoke test required, automatic mode.
 */
public record GatePolicy(String primaryMetric, boolean higherIsBetter, double floor, double minImprovement,
                         List<Guardrail> guardrails, boolean requireSignatureMatch, boolean smokeTest, Mode mode) {

    /** {@code auto} flips on a pass; {@code manual} records a pass as pending until Promote approves it. */
    public enum Mode { AUTO, MANUAL }

    /** A metric that must not get worse than the baseline's by more than {@code maxRegression}. */
    public record Guardrail(String metric, double maxRegression, boolean relative, boolean higherIsBetter) {
        public Guardrail {
            Objects.requireNonNull(metric, "gate.guardrails[].metric");
            if (maxRegression < 0) {
                throw new SettingsException("gate.guardrails[" + metric + "].maxRegression must be >= 0, was "
                        + maxRegression);
            }
        }
    }

    public GatePolicy {
        if (primaryMetric == null || primaryMetric.isBlank()) {
            throw new SettingsException("gate.primaryMetric must name a metric");
        }
        if (Double.isNaN(floor)) {
            throw new SettingsException("gate.floor must be a number");
        }
        if (minImprovement < 0) {
            throw new SettingsException("gate.minImprovement must be >= 0, was " + minImprovement);
        }
        guardrails = List.copyOf(guardrails);
        Objects.requireNonNull(mode, "mode");
    }

    public static GatePolicy defaults() {
        return new GatePolicy("f1", true, 0.85, 0.0, List.of(), true, true, Mode.AUTO);
    }

    /** Parses the setting: inline JSON, or a path to a JSON file; null or blank means the defaults. */
    public static GatePolicy parse(String setting) {
        if (setting == null || setting.isBlank()) {
            return defaults();
        }
        String json = setting.trim();
        if (!json.startsWith("{")) {
            try {
                json = Files.readString(Path.of(json));
            } catch (IOException e) {
                throw new SettingsException("GREENLIGHT_GATE is neither JSON nor a readable file: '" + setting + "'");
            }
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new SettingsException("GREENLIGHT_GATE is not valid JSON: " + e.getOriginalMessage());
        }
        GatePolicy d = defaults();
        boolean higher = bool(node, "higherIsBetter", d.higherIsBetter());
        List<Guardrail> guardrails = new ArrayList<>();
        for (JsonNode g : node.path("guardrails")) {
            guardrails.add(new Guardrail(text(g, "metric", null), number(g, "maxRegression", 0.0),
                    bool(g, "relative", true), bool(g, "higherIsBetter", false)));
        }
        String mode = text(node, "mode", "auto");
        Mode parsedMode;
        try {
            parsedMode = Mode.valueOf(mode.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new SettingsException("gate.mode must be auto or manual, was '" + mode + "'");
        }
        return new GatePolicy(text(node, "primaryMetric", d.primaryMetric()), higher,
                number(node, "floor", d.floor()), number(node, "minImprovement", d.minImprovement()), guardrails,
                bool(node, "requireSignatureMatch", d.requireSignatureMatch()), bool(node, "smokeTest", d.smokeTest()),
                parsedMode);
    }

    private static String text(JsonNode node, String field, String fallback) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? fallback : v.asText();
    }

    private static double number(JsonNode node, String field, double fallback) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isNumber()) {
            throw new SettingsException("gate." + field + " must be a number, was " + v);
        }
        return v.asDouble();
    }

    private static boolean bool(JsonNode node, String field, boolean fallback) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isBoolean()) {
            throw new SettingsException("gate." + field + " must be true or false, was " + v);
        }
        return v.asBoolean();
    }
}
