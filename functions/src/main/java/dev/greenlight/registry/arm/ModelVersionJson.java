package dev.greenlight.registry.arm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.greenlight.json.Json;
import dev.greenlight.registry.ModelVersion;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The mapping between ARM's model version JSON and {@link ModelVersion}, both ways: reading a version
 * ({@link #toVersion}), the body that puts one back with new tags ({@link #writable}) and the body of a new
 * registration ({@link #registration}).
 * <p>Reading: tags = {@code properties.tags}, properties = {@code properties.properties}, run id =
 * {@code properties.jobName}, created = {@code systemData.createdAt} (the epoch if absent), sha256 = the
 * {@code sha256} property when it holds a SHA-256 digest (Azure ML's own {@code hash_sha256} hashes an upload
 * folder, not the file).
 */
final class ModelVersionJson {
    static final String DESCRIPTION = "registered by greenlight";
    /** What the Azure ML CLI and SDK write for a model that is neither MLflow nor Triton. */
    static final String MODEL_TYPE = "custom_model";
    /** Azure ML's "latest" is the most recently created; equal times fall back to the version number. */
    static final Comparator<ModelVersion> NEWEST_FIRST = Comparator
            .comparing(ModelVersion::createdAt)
            .thenComparingLong((ModelVersion v) -> numeric(v.version()))
            .thenComparing(ModelVersion::version)
            .reversed();

    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

    private ModelVersionJson() {
    }

    static ModelVersion toVersion(String model, JsonNode node) {
        JsonNode p = node.path("properties");
        String version = node.path("name").asText(null);
        if (version == null) {
            String id = node.path("id").asText("");
            version = id.substring(id.lastIndexOf('/') + 1);
        }
        Map<String, String> properties = strings(p.path("properties"));
        String sha256 = properties.get("sha256");
        String jobName = p.path("jobName").asText("");
        return new ModelVersion(model, version, strings(p.path("tags")), properties,
                jobName.isBlank() ? null : jobName,
                instant(node.path("systemData").path("createdAt")),
                sha256 != null && SHA256.matcher(sha256).matches() ? sha256.toLowerCase(Locale.ROOT) : null);
    }

    /**
     * The body to PUT back: what the createOrUpdate example sends, {@code {"properties": {...}}}, with every
     * property as read except the read-only {@code provisioningState}; {@code id}, {@code name},
     * {@code type} and {@code systemData} are read-only and dropped.
     */
    static ObjectNode writable(JsonNode current, Map<String, String> tags) {
        ObjectNode properties = current.path("properties").isObject()
                ? ((ObjectNode) current.path("properties")).deepCopy() : Json.MAPPER.createObjectNode();
        properties.remove("provisioningState");
        properties.set("tags", Json.MAPPER.valueToTree(new LinkedHashMap<>(tags)));
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.set("properties", properties);
        return body;
    }

    /** A new version's PUT body: the createOrUpdate example's fields Greenlight has values for, and {@code jobName}. */
    static ObjectNode registration(String modelUri, Map<String, String> properties, String sha256,
                                   Map<String, String> tags, String jobName) {
        ObjectNode p = Json.MAPPER.createObjectNode();
        p.put("description", DESCRIPTION);
        p.put("modelType", MODEL_TYPE);
        p.put("modelUri", modelUri);
        ObjectNode props = Json.MAPPER.valueToTree(new LinkedHashMap<>(properties));
        props.put("sha256", sha256);
        p.set("properties", props);
        p.set("tags", Json.MAPPER.valueToTree(new LinkedHashMap<>(tags)));
        if (jobName != null) {
            p.put("jobName", jobName);
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.set("properties", p);
        return body;
    }

    /** The version's number, or -1 when it is not a number. */
    static long numeric(String version) {
        try {
            return Long.parseLong(version);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static Map<String, String> strings(JsonNode node) {
        Map<String, String> map = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> {
            if (!e.getValue().isNull()) {
                map.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString());
            }
        });
        return map;
    }

    /** ARM writes e.g. {@code 2020-01-01T12:34:56.999Z} or {@code 2023-08-18T21:53:03.0292962+00:00}. */
    private static Instant instant(JsonNode node) {
        try {
            return node.isTextual() ? OffsetDateTime.parse(node.asText()).toInstant() : Instant.EPOCH;
        } catch (DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }
}
