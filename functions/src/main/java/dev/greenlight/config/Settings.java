package dev.greenlight.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Every setting Greenlight reads, parsed and validated once at start-up. Names are the app
 * settings documented in the README; a bad value fails with the setting's name and the value.
 *
 * @param models          {@code GREENLIGHT_MODELS}: served models, the first is {@code Predict}'s default
 * @param registry        {@code GREENLIGHT_REGISTRY}: a local folder, or an Azure ML workspace or registry resource id
 * @param store           {@code GREENLIGHT_STORE}: a local folder, a Blob container URL, or a connection string with ;Container=
 * @param cacheDir        {@code GREENLIGHT_CACHE}: content-addressed artifact cache
 * @param maxBodyBytes    {@code GREENLIGHT_MAX_BODY}: largest request body accepted
 * @param pointerTtl      {@code GREENLIGHT_POINTER_TTL}: how often each instance checks the pointers
 * @param inferenceThreads {@code GREENLIGHT_ORT_THREADS}: ONNX Runtime intra-op threads per session
 * @param gate            {@code GREENLIGHT_GATE}: the promotion policy, JSON or a path (null: defaults)
 * @param metricPrefix    {@code GREENLIGHT_METRIC_PREFIX}: prefix of metric names in properties and tags
 * @param baselineTag     {@code GREENLIGHT_BASELINE_TAG}: the registry tag that marks the baseline
 * @param candidateTag    {@code GREENLIGHT_CANDIDATE_TAG}: the registry tag that marks candidates
 * @param refreshKey      {@code GREENLIGHT_REFRESH_KEY}: HMAC key of the refresh contract (null: refresh refused)
 * @param refreshTargets  {@code GREENLIGHT_REFRESH_TARGETS}: API instances told about every flip
 * @param armEndpoint     {@code GREENLIGHT_ARM_ENDPOINT}: Azure Resource Manager (sovereign clouds differ)
 * @param eventTopic      {@code GREENLIGHT_EVENT_TOPIC}: Event Grid topic endpoint for BaselineChanged (null: none)
 * @param eventTopicKey   {@code GREENLIGHT_EVENT_TOPIC_KEY}: the topic's access key (null: managed identity)
 */
public record Settings(
        List<String> models,
        String registry,
        String store,
        Path cacheDir,
        long maxBodyBytes,
        Duration pointerTtl,
        int inferenceThreads,
        String gate,
        String metricPrefix,
        String baselineTag,
        String candidateTag,
        String refreshKey,
        List<java.net.URI> refreshTargets,
        java.net.URI armEndpoint,
        String eventTopic,
        String eventTopicKey) {

    public static final long DEFAULT_MAX_BODY = 8L * 1024 * 1024;

    public Settings {
        models = List.copyOf(models);
        if (models.isEmpty()) {
            throw new SettingsException("GREENLIGHT_MODELS must name at least one model");
        }
        for (String model : models) {
            if (!model.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,254}")) {
                throw new SettingsException("GREENLIGHT_MODELS has an invalid model name: '" + model + "'");
            }
        }
        if (maxBodyBytes <= 0) {
            throw new SettingsException("GREENLIGHT_MAX_BODY must be positive, was " + maxBodyBytes);
        }
        if (pointerTtl.isNegative() || pointerTtl.isZero()) {
            throw new SettingsException("GREENLIGHT_POINTER_TTL must be positive, was " + pointerTtl);
        }
        if (inferenceThreads < 1) {
            throw new SettingsException("GREENLIGHT_ORT_THREADS must be at least 1, was " + inferenceThreads);
        }
        metricPrefix = metricPrefix == null ? "" : metricPrefix;
        if (refreshKey != null && refreshKey.length() < 16) {
            throw new SettingsException("GREENLIGHT_REFRESH_KEY must be at least 16 characters");
        }
        refreshTargets = List.copyOf(refreshTargets);
        if (eventTopic != null && !eventTopic.startsWith("https://")) {
            throw new SettingsException("GREENLIGHT_EVENT_TOPIC must be an https:// Event Grid topic endpoint, was '"
                    + eventTopic + "'");
        }
        if (!refreshTargets.isEmpty() && refreshKey == null) {
            throw new SettingsException("GREENLIGHT_REFRESH_TARGETS needs GREENLIGHT_REFRESH_KEY to sign the calls");
        }
        if (baselineTag == null || baselineTag.isBlank() || candidateTag == null || candidateTag.isBlank()
                || baselineTag.equals(candidateTag)) {
            throw new SettingsException("GREENLIGHT_BASELINE_TAG and GREENLIGHT_CANDIDATE_TAG must be two different"
                    + " non-empty tags, were '" + baselineTag + "' and '" + candidateTag + "'");
        }
    }

    /** Never prints the refresh key. */
    @Override
    public String toString() {
        return "Settings[models=" + models + ", registry=" + registry + ", store=" + (store.contains("AccountKey=") ? "(connection string)" : store) + ", cacheDir=" + cacheDir
                + ", maxBodyBytes=" + maxBodyBytes + ", pointerTtl=" + pointerTtl + ", inferenceThreads="
                + inferenceThreads + ", baselineTag=" + baselineTag + ", candidateTag=" + candidateTag
                + ", refreshKey=" + (refreshKey == null ? "unset" : "***") + ", refreshTargets=" + refreshTargets.size() + ", eventTopic=" + eventTopic
                + ", eventTopicKey=" + (eventTopicKey == null ? "unset" : "***") + "]";
    }

    /** Reads the settings the host installed, or the environment. */
    public static Settings load() {
        return from(HostSettings.current());
    }

    public static Settings from(Map<String, String> values) {
        Function<String, String> get = name -> {
            String value = values.get(name);
            return value == null || value.isBlank() ? null : value.trim();
        };
        String models = require(get, "GREENLIGHT_MODELS");
        return new Settings(
                Arrays.stream(models.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList(),
                require(get, "GREENLIGHT_REGISTRY"),
                require(get, "GREENLIGHT_STORE"),
                Path.of(orDefault(get.apply("GREENLIGHT_CACHE"),
                        Path.of(System.getProperty("java.io.tmpdir"), "greenlight-cache").toString())),
                bytes("GREENLIGHT_MAX_BODY", get.apply("GREENLIGHT_MAX_BODY"), DEFAULT_MAX_BODY),
                seconds("GREENLIGHT_POINTER_TTL", get.apply("GREENLIGHT_POINTER_TTL"), Duration.ofSeconds(5)),
                integer("GREENLIGHT_ORT_THREADS", get.apply("GREENLIGHT_ORT_THREADS"), 1),
                get.apply("GREENLIGHT_GATE"),
                get.apply("GREENLIGHT_METRIC_PREFIX"),
                orDefault(get.apply("GREENLIGHT_BASELINE_TAG"), "baseline"),
                orDefault(get.apply("GREENLIGHT_CANDIDATE_TAG"), "dynamic"),
                get.apply("GREENLIGHT_REFRESH_KEY"),
                urls("GREENLIGHT_REFRESH_TARGETS", get.apply("GREENLIGHT_REFRESH_TARGETS")),
                urls("GREENLIGHT_ARM_ENDPOINT", orDefault(get.apply("GREENLIGHT_ARM_ENDPOINT"),
                        "https://management.azure.com")).get(0),
                get.apply("GREENLIGHT_EVENT_TOPIC"),
                get.apply("GREENLIGHT_EVENT_TOPIC_KEY"));
    }

    private static String require(Function<String, String> get, String name) {
        String value = get.apply(name);
        if (value == null) {
            throw new SettingsException(name + " is not set");
        }
        return value;
    }

    private static String orDefault(String value, String fallback) {
        return value == null ? fallback : value;
    }


    static List<java.net.URI> urls(String name, String value) {
        if (value == null) {
            return List.of();
        }
        List<java.net.URI> urls = new java.util.ArrayList<>();
        for (String part : value.split(",")) {
            String url = part.trim();
            if (url.isEmpty()) {
                continue;
            }
            try {
                java.net.URI uri = new java.net.URI(url);
                if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                    throw new java.net.URISyntaxException(url, "not an http(s) URL");
                }
                urls.add(uri);
            } catch (java.net.URISyntaxException e) {
                throw new SettingsException(name + " has an invalid URL: '" + url + "'");
            }
        }
        return urls;
    }

    static long bytes(String name, String value, long fallback) {
        if (value == null) {
            return fallback;
        }
        String v = value.toLowerCase().replace(" ", "");
        long unit = 1;
        for (var suffix : List.of(Map.entry("kib", 1024L), Map.entry("mib", 1024L * 1024),
                Map.entry("gib", 1024L * 1024 * 1024), Map.entry("b", 1L))) {
            if (v.endsWith(suffix.getKey())) {
                unit = suffix.getValue();
                v = v.substring(0, v.length() - suffix.getKey().length());
                break;
            }
        }
        try {
            return Math.multiplyExact(Long.parseLong(v), unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new SettingsException(name + " must be a byte count such as 8388608 or 8MiB, was '" + value + "'");
        }
    }

    static Duration seconds(String name, String value, Duration fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            return Duration.ofNanos(Math.round(Double.parseDouble(value) * 1e9));
        } catch (NumberFormatException e) {
            throw new SettingsException(name + " must be a number of seconds, was '" + value + "'");
        }
    }

    static int integer(String name, String value, int fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new SettingsException(name + " must be an integer, was '" + value + "'");
        }
    }
}
