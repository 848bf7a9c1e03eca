package dev.greenlight.gate;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.greenlight.errors.Misconfigured;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The promotion policy from {@code GREENLIGHT_GATE} (JSON, or a path to a JSON file), validated
 * once. Defaults: primary metric {@code f1}, higher is better, floor 0.85, no required margin,
 * no guardrails, signature match and smoke test required, automatic mode.
 *
 * <p>The document is mapped strictly: an unknown key (a typo such as {@code minImprovment}, or a
 * section this version does not know) is refused rather than ignored, since an ignored key is a
 * check silently not made; so is a value of the wrong type ({@code "0.9"} for a number). Every
 * refusal is one {@link Misconfigured} line naming {@code GREENLIGHT_GATE}, the key, the bad value
 * and what is allowed.
 */
public record GatePolicy(String primaryMetric, boolean higherIsBetter, double floor, double minImprovement,
                         List<Guardrail> guardrails, boolean requireSignatureMatch, boolean smokeTest, Mode mode) {

    private static final String SETTING = "GREENLIGHT_GATE";

    /** Reads the gate document: unknown keys, type coercions and duplicate keys are errors. */
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

    /** {@code auto} flips on a pass; {@code manual} records a pass as pending until Promote approves it. */
    public enum Mode {
        AUTO, MANUAL;

        @JsonCreator
        static Mode of(String value) {
            for (Mode m : values()) {
                if (m.json().equalsIgnoreCase(value)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("must be auto or manual, was '" + value + "'");
        }

        @JsonValue
        String json() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A metric that must not get worse than the baseline's by more than {@code maxRegression}. */
    public record Guardrail(String metric, double maxRegression, boolean relative, boolean higherIsBetter) {
        public Guardrail {
            if (metric == null || metric.isBlank()) {
                throw new IllegalArgumentException("metric must name a metric");
            }
            if (!(maxRegression >= 0)) {
                throw new IllegalArgumentException("maxRegression must be a number >= 0, was " + maxRegression);
            }
        }

        /** The JSON form; an omitted key takes its default (relative, lower is better, no regression allowed). */
        @JsonCreator
        static Guardrail of(@JsonProperty("metric") String metric,
                            @JsonProperty("maxRegression") Double maxRegression,
                            @JsonProperty("relative") Boolean relative,
                            @JsonProperty("higherIsBetter") Boolean higherIsBetter) {
            return new Guardrail(metric, or(maxRegression, 0.0), or(relative, true), or(higherIsBetter, false));
        }
    }

    public GatePolicy {
        if (primaryMetric == null || primaryMetric.isBlank()) {
            throw new IllegalArgumentException("primaryMetric must name a metric");
        }
        if (Double.isNaN(floor) || Double.isInfinite(floor)) {
            throw new IllegalArgumentException("floor must be a number, was " + floor);
        }
        if (!(minImprovement >= 0) || Double.isInfinite(minImprovement)) {
            throw new IllegalArgumentException("minImprovement must be a number >= 0, was " + minImprovement);
        }
        guardrails = List.copyOf(guardrails);
        Objects.requireNonNull(mode, "mode");
    }

    /**
     * The JSON form, every key optional ({@code null} too means the default). A later section,
     * such as progressive delivery's {@code "rollout"}, arrives as one more parameter here (a nested
     * record, absent meaning "flip at once") and one more component above; until then the strict
     * reader refuses it, so a policy written for a newer Greenlight fails loudly instead of
     * silently flipping at once.
     */
    @JsonCreator
    static GatePolicy of(@JsonProperty("primaryMetric") String primaryMetric,
                         @JsonProperty("higherIsBetter") Boolean higherIsBetter,
                         @JsonProperty("floor") Double floor,
                         @JsonProperty("minImprovement") Double minImprovement,
                         @JsonProperty("guardrails") List<Guardrail> guardrails,
                         @JsonProperty("requireSignatureMatch") Boolean requireSignatureMatch,
                         @JsonProperty("smokeTest") Boolean smokeTest,
                         @JsonProperty("mode") Mode mode) {
        GatePolicy d = defaults();
        return new GatePolicy(or(primaryMetric, d.primaryMetric()), or(higherIsBetter, d.higherIsBetter()),
                or(floor, d.floor()), or(minImprovement, d.minImprovement()), or(guardrails, d.guardrails()),
                or(requireSignatureMatch, d.requireSignatureMatch()), or(smokeTest, d.smokeTest()), or(mode, d.mode()));
    }

    public static GatePolicy defaults() {
        return new GatePolicy("f1", true, 0.85, 0.0, List.of(), true, true, Mode.AUTO);
    }

    /**
     * Parses the setting: inline JSON, or a path to a JSON file; null or blank means the defaults.
     *
     * @throws Misconfigured naming the key, the bad value and what is allowed
     */
    public static GatePolicy parse(String setting) {
        if (setting == null || setting.isBlank()) {
            return defaults();
        }
        String json = setting.trim();
        String source = SETTING;
        if (!json.startsWith("{")) {
            try {
                json = Files.readString(Path.of(json));
                source = SETTING + " (" + setting.trim() + ")";
            } catch (IOException | RuntimeException e) {
                throw new Misconfigured(SETTING + " must be a JSON object or the path of a readable JSON file, was '"
                        + setting + "'");
            }
        }
        JsonNode tree;
        try {
            tree = STRICT.readTree(json);
        } catch (JsonProcessingException e) {
            throw new Misconfigured(source + " is not valid JSON: " + e.getOriginalMessage());
        }
        if (tree == null || !tree.isObject()) {
            throw new Misconfigured(source + " must be a JSON object, was " + (tree == null ? "empty" : tree));
        }
        try {
            return STRICT.treeToValue(tree, GatePolicy.class);
        } catch (UnrecognizedPropertyException e) {
            throw new Misconfigured(source + " has an unknown key '" + path(e) + "'" + suggestion(e)
                    + "; allowed: " + known(e.getKnownPropertyIds()));
        } catch (ValueInstantiationException e) {
            // A value the records refused: their message names the key ("maxRegression must be ..."),
            // an enum's only the rule ("must be auto or manual ..."), so the path completes either.
            Throwable why = e.getCause() == null ? e : e.getCause();
            String path = path(e);
            String at = e.getType() != null && e.getType().isEnumType() ? path + " "
                    : path.isEmpty() ? "" : path + ".";
            throw new Misconfigured(SETTING + "." + at + why.getMessage());
        } catch (MismatchedInputException e) {
            throw new Misconfigured(SETTING + "." + path(e) + " must be " + expected(e.getTargetType()) + ", was "
                    + at(tree, e.getPath()));
        } catch (JsonProcessingException e) {
            throw new Misconfigured(source + " cannot be read: " + e.getOriginalMessage());
        }
    }

    private static String path(JsonMappingException e) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                b.append(b.length() == 0 ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return b.toString();
    }

    /** The JSON at a reported path, as written, for "was ..." (the bad value itself). */
    private static String at(JsonNode tree, List<JsonMappingException.Reference> path) {
        JsonNode node = tree;
        for (JsonMappingException.Reference r : path) {
            node = r.getFieldName() != null ? node.path(r.getFieldName()) : node.path(r.getIndex());
        }
        return node.isMissingNode() ? "missing" : node.toString();
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "another type";
        }
        if (type == Double.class || type == double.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Mode.class) {
            return "\"auto\" or \"manual\"";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list of guardrail objects";
        }
        return "an object";
    }

    private static String known(Collection<Object> ids) {
        return ids.stream().map(Object::toString).sorted().collect(Collectors.joining(", "));
    }

    /** " (did you mean 'minImprovement'?)" when a known key is one or two edits away. */
    private static String suggestion(UnrecognizedPropertyException e) {
        String wrong = e.getPropertyName().toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = 3;
        for (Object id : e.getKnownPropertyIds()) {
            int d = distance(wrong, id.toString().toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = id.toString();
                bestDistance = d;
            }
        }
        return best == null ? "" : " (did you mean '" + best + "'?)";
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
    }

    private static <T> T or(T value, T fallback) {
        return value == null ? fallback : value;
    }
}
