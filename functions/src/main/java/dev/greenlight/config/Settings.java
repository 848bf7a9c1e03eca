package dev.greenlight.config;

import dev.greenlight.gate.GatePolicy;
import dev.greenlight.registry.arm.AzureMlResource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Every setting Greenlight reads, parsed and validated once at start-up. Names are the app
 * settings documented in the README; a bad value fails with one line naming the setting, the
 * value and what is allowed ({@link SettingsException}, or the gate's own {@code Misconfigured}),
 * so that nothing starts half configured.
 *
 * @param models          {@code GREENLIGHT_MODELS}: served models, the first is {@code Predict}'s default
 * @param registry        {@code GREENLIGHT_REGISTRY}: a local folder, or an Azure ML workspace or registry resource id
 * @param store           {@code GREENLIGHT_STORE}: a local folder, a Blob container URL, or a connection string with ;Container=
 * @param cacheDir        {@code GREENLIGHT_CACHE}: content-addressed artifact cache
 * @param maxBodyBytes    {@code GREENLIGHT_MAX_BODY}: largest request body accepted
 * @param maxModelBytes   {@code GREENLIGHT_MAX_MODEL_BYTES}: largest model artifact fetched, judged or served
 * @param pointerTtl      {@code GREENLIGHT_POINTER_TTL}: how often each instance checks the pointers
 * @param inferenceThreads {@code GREENLIGHT_ORT_THREADS}: ONNX Runtime intra-op threads per session
 * @param gate            {@code GREENLIGHT_GATE}: the promotion policy, parsed from JSON or a file (unset: defaults)
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
        long maxModelBytes,
        Duration pointerTtl,
        int inferenceThreads,
        GatePolicy gate,
        String metricPrefix,
        String baselineTag,
        String candidateTag,
        String refreshKey,
        List<java.net.URI> refreshTargets,
        java.net.URI armEndpoint,
        String eventTopic,
        String eventTopicKey) {

    public static final long DEFAULT_MAX_BODY = 8L * 1024 * 1024;
    /** Shorter pointer checks would poll the store in a loop, to no one's benefit. */
    static final Duration MIN_POINTER_TTL = Duration.ofMillis(100);
    private static final String MODEL_NAME = "[A-Za-z0-9][A-Za-z0-9._-]{0,254}";

    public Settings {
        models = List.copyOf(models);
        if (models.isEmpty()) {
            throw new SettingsException("GREENLIGHT_MODELS must name at least one model");
        }
        for (String model : models) {
            if (!model.matches(MODEL_NAME)) {
                throw new SettingsException("GREENLIGHT_MODELS has an invalid model name: '" + model + "'; a name is"
                        + " 1 to 255 letters, digits, '.', '_' or '-', starting with a letter or digit");
            }
        }
        if (models.stream().distinct().count() < models.size()) {
            throw new SettingsException("GREENLIGHT_MODELS names a model twice: '" + String.join(",", models) + "'");
        }
        if (maxBodyBytes <= 0) {
            throw new SettingsException("GREENLIGHT_MAX_BODY must be a positive byte count such as 8388608 or 8MiB, was "
                    + maxBodyBytes);
        }
        if (maxModelBytes <= 0) {
            throw new SettingsException("GREENLIGHT_MAX_MODEL_BYTES must be a positive byte count such as 2147483648"
                    + " or 2GiB, was " + maxModelBytes);
        }
        if (pointerTtl.compareTo(MIN_POINTER_TTL) < 0) {
            throw new SettingsException("GREENLIGHT_POINTER_TTL must be a number of seconds of at least 0.1, was "
                    + pointerTtl.toMillis() / 1000.0);
        }
        if (inferenceThreads < 1) {
            throw new SettingsException("GREENLIGHT_ORT_THREADS must be a whole number of at least 1, was "
                    + inferenceThreads);
        }
        Objects.requireNonNull(gate, "gate");
        metricPrefix = metricPrefix == null ? "" : metricPrefix;
        if (refreshKey != null && refreshKey.length() < 16) {
            // Never echo a key, not even a short one.
            throw new SettingsException("GREENLIGHT_REFRESH_KEY must be at least 16 characters, was "
                    + refreshKey.length());
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
                + ", maxBodyBytes=" + maxBodyBytes + ", maxModelBytes=" + maxModelBytes + ", pointerTtl=" + pointerTtl + ", inferenceThreads="
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
                registry(require(get, "GREENLIGHT_REGISTRY")),
                store(require(get, "GREENLIGHT_STORE")),
                Path.of(orDefault(get.apply("GREENLIGHT_CACHE"),
                        Path.of(System.getProperty("java.io.tmpdir"), "greenlight-cache").toString())),
                bytes("GREENLIGHT_MAX_BODY", get.apply("GREENLIGHT_MAX_BODY"), DEFAULT_MAX_BODY),
                bytes("GREENLIGHT_MAX_MODEL_BYTES", get.apply("GREENLIGHT_MAX_MODEL_BYTES"),
                        dev.greenlight.store.ArtifactCache.DEFAULT_MAX_BYTES),
                seconds("GREENLIGHT_POINTER_TTL", get.apply("GREENLIGHT_POINTER_TTL"), Duration.ofSeconds(5)),
                integer("GREENLIGHT_ORT_THREADS", get.apply("GREENLIGHT_ORT_THREADS"), 1),
                GatePolicy.parse(get.apply("GREENLIGHT_GATE")),
                get.apply("GREENLIGHT_METRIC_PREFIX"),
                orDefault(get.apply("GREENLIGHT_BASELINE_TAG"), "baseline"),
                orDefault(get.apply("GREENLIGHT_CANDIDATE_TAG"), "dynamic"),
                get.apply("GREENLIGHT_REFRESH_KEY"),
                urls("GREENLIGHT_REFRESH_TARGETS", get.apply("GREENLIGHT_REFRESH_TARGETS")),
                armEndpoint(orDefault(get.apply("GREENLIGHT_ARM_ENDPOINT"), "https://management.azure.com")),
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

    /** A local folder, or an Azure ML resource id, which must then be a whole, valid one. */
    static String registry(String value) {
        if (AzureMlResource.looksLikeResourceId(value)) {
            try {
                AzureMlResource.parse(value);
            } catch (IllegalArgumentException e) {
                throw new SettingsException("GREENLIGHT_REGISTRY is " + e.getMessage());
            }
        }
        return value;
    }

    /** A local folder, a Blob container URL, or a connection string that names its container. */
    static String store(String value) {
        boolean connectionString = value.contains("UseDevelopmentStorage=") || value.contains("AccountKey=")
                || value.contains("BlobEndpoint=");
        if (connectionString && !value.contains(";Container=")) {
            // Never echo a connection string: it may carry an account key.
            throw new SettingsException("GREENLIGHT_STORE as a connection string needs ';Container=<name>' at the end,"
                    + " e.g. UseDevelopmentStorage=true;Container=greenlight");
        }
        return value;
    }

    /** ARM's origin: https, a host, nothing else (the bearer token goes wherever this points). */
    static java.net.URI armEndpoint(String value) {
        java.net.URI uri = urls("GREENLIGHT_ARM_ENDPOINT", value).get(0);
        if (!"https".equals(uri.getScheme()) || !(uri.getRawPath() == null || uri.getRawPath().isEmpty()
                || uri.getRawPath().equals("/")) || uri.getRawQuery() != null || uri.getRawUserInfo() != null) {
            throw new SettingsException("GREENLIGHT_ARM_ENDPOINT must be an https URL with no path, such as "
                    + "https://management.azure.com, was '" + value + "'");
        }
        return uri;
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
                throw new SettingsException(name + " has an invalid URL: '" + url + "'; expected comma-separated"
                        + " http:// or https:// URLs");
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
        double seconds;
        try {
            seconds = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new SettingsException(name + " must be a number of seconds, was '" + value + "'");
        }
        if (!Double.isFinite(seconds) || seconds < 0 || seconds > 1e9) {
            throw new SettingsException(name + " must be a number of seconds, was '" + value + "'");
        }
        return Duration.ofNanos(Math.round(seconds * 1e9));
    }

    static int integer(String name, String value, int fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new SettingsException(name + " must be a whole number, was '" + value + "'");
        }
    }
}
