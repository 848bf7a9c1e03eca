package dev.greenlight.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * A local content-addressed cache of model artifacts: {@code {dir}/sha256/{hex}.onnx}. A file is
 * only ever placed under the name of its own digest, and is verified again before each load,
 * so a corrupt or truncated download can never be served. No artifact larger than
 * {@code GREENLIGHT_MAX_MODEL_BYTES} is read past that limit or kept.
 */
public final class ArtifactCache {
    /** {@code GREENLIGHT_MAX_MODEL_BYTES} when unset: 2 GiB, the largest single protobuf ONNX Runtime reads. */
    public static final long DEFAULT_MAX_BYTES = 2L * 1024 * 1024 * 1024;

    private final Path dir;
    private final long maxBytes;

    public ArtifactCache(Path dir) {
        this(dir, DEFAULT_MAX_BYTES);
    }

    /** @param maxBytes the largest artifact fetched or served; a larger one fails with {@link ArtifactTooLarge} */
    public ArtifactCache(Path dir, long maxBytes) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive, was " + maxBytes);
        }
        this.dir = dir.resolve("sha256");
        this.maxBytes = maxBytes;
    }

    /** Something that can open the artifact when it is not cached yet. */
    @FunctionalInterface
    public interface Source {
        InputStream open() throws IOException;
    }

    /** The last baselines this instance served, kept beside the artifacts. */
    public LastKnownPointers lastKnown() {
        return new LastKnownPointers(dir.resolveSibling("last-known"));
    }

    /**
     * The verified cached file for {@code sha256}, fetching it from {@code source} if needed.
     *
     * @throws ArtifactMismatch when the bytes do not hash to {@code sha256}
     * @throws ArtifactTooLarge  when the artifact is over the size limit (nothing of it is kept)
     */
    public Path fetch(String sha256, Source source) throws IOException {
        if (!Digests.isSha256(sha256)) {
            throw new IllegalArgumentException("not a sha256 digest: " + sha256);
        }
        Path target = dir.resolve(sha256 + ".onnx");
        if (Files.isRegularFile(target)) {
            requireWithinLimit(Files.size(target)); // cached before the limit was lowered
            String actual = Digests.sha256(target);
            if (actual.equals(sha256)) {
                return target;
            }
            Files.deleteIfExists(target); // corrupted on disk: fetch it again
        }
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, sha256, ".part");
        try {
            MessageDigest digest = Digests.newDigest();
            try (InputStream in = source.open();
                 OutputStream out = new DigestOutputStream(Files.newOutputStream(tmp), digest)) {
                copyWithinLimit(in, out);
            }
            String actual = HexFormat.of().formatHex(digest.digest());
            if (!actual.equals(sha256)) {
                throw new ArtifactMismatch("artifact digest mismatch: expected " + sha256 + ", got " + actual);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Like {@link #fetch}, but always reads {@code source} through the digest check, even when the
     * file is cached already: the caller learns that the source can still deliver these bytes,
     * not only that this instance happens to hold them. The promotion probe needs this, since a
     * version passes for every instance, and another instance has only the registry to fetch from.
     *
     * @throws ArtifactMismatch when the source's bytes do not hash to {@code sha256}
     * @throws ArtifactTooLarge  when the source's artifact is over the size limit
     * @throws IOException      when the source cannot be opened or read
     */
    public Path fetchConfirmed(String sha256, Source source) throws IOException {
        if (!Digests.isSha256(sha256)) {
            throw new IllegalArgumentException("not a sha256 digest: " + sha256);
        }
        Path target = dir.resolve(sha256 + ".onnx");
        if (!Files.isRegularFile(target) || !Digests.sha256(target).equals(sha256)) {
            return fetch(sha256, source);
        }
        // Cached and intact: read the source once without rewriting a file a live session may hold.
        MessageDigest digest = Digests.newDigest();
        try (InputStream in = source.open();
             OutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), digest)) {
            copyWithinLimit(in, out);
        }
        String actual = HexFormat.of().formatHex(digest.digest());
        if (!actual.equals(sha256)) {
            throw new ArtifactMismatch("artifact digest mismatch: expected " + sha256 + ", got " + actual);
        }
        return target;
    }

    /** A cached artifact and its digest. */
    public record Cached(String sha256, Path file) {
    }

    /**
     * Fetches an artifact whose digest is not known in advance (some registries do not record
     * one), hashing it on the way in; the result is cached under the digest it turned out to have.
     */
    public Cached fetchUnknown(Source source) throws IOException {
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "unknown", ".part");
        try {
            MessageDigest digest = Digests.newDigest();
            try (InputStream in = source.open();
                 OutputStream out = new DigestOutputStream(Files.newOutputStream(tmp), digest)) {
                copyWithinLimit(in, out);
            }
            String sha256 = HexFormat.of().formatHex(digest.digest());
            Path target = dir.resolve(sha256 + ".onnx");
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return new Cached(sha256, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Copies {@code in} to {@code out}, failing as soon as more than the limit has arrived. */
    private void copyWithinLimit(InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long copied = 0;
        int n;
        while ((n = in.read(buffer, 0, (int) Math.min(buffer.length, maxBytes - copied + 1))) > 0) {
            copied += n;
            requireWithinLimit(copied);
            out.write(buffer, 0, n);
        }
    }

    private void requireWithinLimit(long size) {
        if (size > maxBytes) {
            throw new ArtifactTooLarge(size, maxBytes);
        }
    }

    /**
     * An artifact is larger than {@code GREENLIGHT_MAX_MODEL_BYTES}: 409 {@code artifact_too_large}. Not an
     * outage: the same bytes will be as large on the next try, on every instance with the same limit.
     */
    public static final class ArtifactTooLarge extends dev.greenlight.errors.Conflict {
        private final long limit;

        ArtifactTooLarge(long seen, long limit) {
            // A fetch stops one byte past the limit, so only a cached file's size is known in full.
            super("artifact_too_large", (seen > limit + 1 ? "artifact is " + seen + " bytes"
                    : "artifact is more than " + limit + " bytes") + ", over GREENLIGHT_MAX_MODEL_BYTES (" + limit + ")");
            this.limit = limit;
        }

        /** The limit in bytes. */
        public long limit() {
            return limit;
        }
    }

    /** The bytes of an artifact are not the ones its digest names: 503 {@code artifact_mismatch}. */
    public static final class ArtifactMismatch extends dev.greenlight.errors.Unavailable {
        public ArtifactMismatch(String message) {
            super("artifact_mismatch", message);
        }
    }
}
