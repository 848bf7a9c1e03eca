package dev.greenlight.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.greenlight.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * The baseline pointers, one small document per model ({@code pointers/{model}.json}) in a
 * {@link DocumentStore}: small, so that every instance can poll it cheaply.
 *
 * <p>The document is the {@link Pointer} record as JSON ({@code model, version, sha256,
 * generation, updatedAt}). Reading ignores keys it does not know: the pointer gains fields (the
 * rollout's candidate and step), and an instance still on the previous version must keep serving
 * its baseline while a newer one writes them. A pointer written without {@code model} (by hand)
 * takes the model it is read for.
 */
public final class PointerStore {
    private static final ObjectReader READER = Json.MAPPER.readerFor(Pointer.class)
            .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final ObjectWriter WRITER = Json.MAPPER.writerFor(Pointer.class).withDefaultPrettyPrinter();

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
        try {
            return WRITER.writeValueAsBytes(p);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @throws UnreadableDocument when the document is not a pointer */
    static Pointer parse(String model, byte[] bytes) {
        try {
            JsonNode node = Json.MAPPER.readTree(bytes);
            if (node instanceof ObjectNode object && !object.hasNonNull("model")) {
                object.put("model", model);
            }
            return READER.readValue(node);
        } catch (IOException | RuntimeException e) {
            Throwable why = e.getCause() instanceof IllegalArgumentException || e.getCause() instanceof NullPointerException
                    ? e.getCause() : e;
            String reason = why instanceof com.fasterxml.jackson.core.JsonProcessingException j
                    ? j.getOriginalMessage() : why.getMessage();
            throw new UnreadableDocument("the pointer of model " + model + " (" + name(model) + ") cannot be read: "
                    + reason, e);
        }
    }
}
