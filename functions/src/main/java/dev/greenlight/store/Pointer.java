package dev.greenlight.store;

import java.time.Instant;
import java.util.Objects;

/**
 * The single truth of what serves: per model, the baseline version, its artifact's digest and
 * a generation that grows by one with every flip or rollback.
 */
public record Pointer(String model, String version, String sha256, long generation, Instant updatedAt) {
    public Pointer {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(version, "version");
        if (!Digests.isSha256(sha256)) {
            throw new IllegalArgumentException("pointer sha256 must be 64 lower-case hex digits, was " + sha256);
        }
        if (generation < 1) {
            throw new IllegalArgumentException("pointer generation must be >= 1, was " + generation);
        }
        Objects.requireNonNull(updatedAt, "updatedAt");
    }
}
