package dev.greenlight.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.greenlight.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Optional;

/**
 * The baseline pointers, one small document per model ({@code pointers/{model}.json}) in a
 * {@link DocumentStore}: small, so that every instance can poll it cheaply.
 */
public final class PointerStore {
    private final DocumentStore documents;

    public PointerStore(DocumentStore documents) {
        this.documents = documents;
    }

    /** The model's pointer, or empty when it has none. */
    public Optional<Versioned<Pointer>> read(String model) {
        return documents.read(name(model)).map(v -> new Versioned<>(parse(model, v.value()), v.etag()));
    }

    /** Empty when the pointer still has {@code knownEtag} (or none exists); the new pointer otherwise. */
    public Optional<Versioned<Pointer>> readIfChanged(String model, String knownEtag) {
        return documents.readIfChanged(name(model), knownEtag)
                .map(v -> new Versioned<>(parse(model, v.value()), v.etag()));
    }

    /**
     * Writes the pointer if the stored one still has {@code expectedEtag} (null: if none exists).
     *
     * @return the new ETag
     * @throws StoreConflict when another writer got there first
     */
    public String write(Pointer pointer, String expectedEtag) {
        return documents.write(name(pointer.model()), render(pointer), expectedEtag);
    }

    private static String name(String model) {
        return "pointers/" + model + ".json";
    }

    private static byte[] render(Pointer p) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("model", p.model());
        node.put("version", p.version());
        node.put("sha256", p.sha256());
        node.put("generation", p.generation());
        node.put("updatedAt", p.updatedAt().toString());
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Pointer parse(String model, byte[] bytes) {
        try {
            JsonNode node = Json.MAPPER.readTree(bytes);
            return new Pointer(node.path("model").asText(model), node.path("version").asText(),
                    node.path("sha256").asText(), node.path("generation").asLong(),
                    Instant.parse(node.path("updatedAt").asText()));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("unreadable pointer for model " + model + ": " + e.getMessage(), e);
        }
    }
}
