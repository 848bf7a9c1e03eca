package dev.greenlight.store;

import java.util.Objects;

/** A value with the ETag it was read at; writes send the ETag back to detect lost races. */
public record Versioned<T>(T value, String etag) {
    public Versioned {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(etag, "etag");
    }
}
