package dev.greenlight.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactCacheTest {
    @TempDir
    Path dir;

    @Test
    void stores_an_artifact_under_its_digest_and_fetches_it_only_once() throws Exception {
        ArtifactCache cache = new ArtifactCache(dir);
        byte[] bytes = "model bytes".getBytes();
        String sha = Digests.sha256(bytes);
        AtomicInteger opens = new AtomicInteger();

        Path first = cache.fetch(sha, () -> {
            opens.incrementAndGet();
            return new ByteArrayInputStream(bytes);
        });
        Path second = cache.fetch(sha, () -> {
            opens.incrementAndGet();
            return new ByteArrayInputStream(bytes);
        });

        assertThat(first).isEqualTo(second).hasFileName(sha + ".onnx");
        assertThat(Files.readAllBytes(first)).isEqualTo(bytes);
        assertThat(opens).hasValue(1);
    }

    @Test
    void refuses_bytes_that_do_not_match_the_digest_and_leaves_nothing_behind() {
        ArtifactCache cache = new ArtifactCache(dir);
        String sha = Digests.sha256("the real thing".getBytes());

        assertThatThrownBy(() -> cache.fetch(sha, () -> new ByteArrayInputStream("truncated".getBytes())))
                .isInstanceOf(ArtifactCache.ArtifactMismatch.class)
                .hasMessageContaining("digest mismatch");
        assertThat(dir.resolve("sha256").toFile().list()).isEmpty();
    }

    @Test
    void fetches_again_when_the_cached_file_was_corrupted_on_disk() throws Exception {
        ArtifactCache cache = new ArtifactCache(dir);
        byte[] bytes = "model bytes".getBytes();
        String sha = Digests.sha256(bytes);
        Path cached = cache.fetch(sha, () -> new ByteArrayInputStream(bytes));
        Files.write(cached, "bit rot".getBytes());

        Path again = cache.fetch(sha, () -> new ByteArrayInputStream(bytes));

        assertThat(Files.readAllBytes(again)).isEqualTo(bytes);
    }

    @Test
    void a_confirmed_fetch_reads_the_source_even_when_the_digest_is_cached() throws Exception {
        ArtifactCache cache = new ArtifactCache(dir);
        byte[] bytes = "model bytes".getBytes();
        String sha = Digests.sha256(bytes);
        cache.fetch(sha, () -> new ByteArrayInputStream(bytes));
        AtomicInteger opens = new AtomicInteger();

        Path confirmed = cache.fetchConfirmed(sha, () -> {
            opens.incrementAndGet();
            return new ByteArrayInputStream(bytes);
        });

        assertThat(opens).hasValue(1);
        assertThat(Files.readAllBytes(confirmed)).isEqualTo(bytes);
    }

    @Test
    void a_confirmed_fetch_fails_when_the_source_is_gone_although_the_digest_is_cached() throws Exception {
        ArtifactCache cache = new ArtifactCache(dir);
        byte[] bytes = "model bytes".getBytes();
        String sha = Digests.sha256(bytes);
        Path cached = cache.fetch(sha, () -> new ByteArrayInputStream(bytes));

        assertThatThrownBy(() -> cache.fetchConfirmed(sha, () -> {
            throw new NoSuchFileException("registry/m/2/model.onnx");
        })).isInstanceOf(NoSuchFileException.class);
        assertThat(Files.readAllBytes(cached)).isEqualTo(bytes); // what this instance holds stays usable
    }

    @Test
    void a_confirmed_fetch_refuses_a_source_whose_bytes_differ_from_the_cached_digest() throws Exception {
        ArtifactCache cache = new ArtifactCache(dir);
        byte[] bytes = "model bytes".getBytes();
        String sha = Digests.sha256(bytes);
        cache.fetch(sha, () -> new ByteArrayInputStream(bytes));

        assertThatThrownBy(() -> cache.fetchConfirmed(sha, () -> new ByteArrayInputStream("other bytes".getBytes())))
                .isInstanceOf(ArtifactCache.ArtifactMismatch.class)
                .hasMessageContaining("digest mismatch");
    }

    @Test
    void a_confirmed_fetch_of_an_uncached_digest_stores_it_like_fetch() throws Exception {
        ArtifactCache cache = new ArtifactCache(dir);
        byte[] bytes = "model bytes".getBytes();
        String sha = Digests.sha256(bytes);

        Path confirmed = cache.fetchConfirmed(sha, () -> new ByteArrayInputStream(bytes));

        assertThat(confirmed).hasFileName(sha + ".onnx");
        assertThat(Files.readAllBytes(confirmed)).isEqualTo(bytes);
    }

    @Test
    void stops_reading_an_artifact_over_the_limit_and_keeps_nothing_of_it() {
        ArtifactCache cache = new ArtifactCache(dir, 1024);
        byte[] bytes = new byte[10 * 1024 * 1024];
        String sha = Digests.sha256(bytes);
        CountingStream source = new CountingStream(bytes);

        assertThatThrownBy(() -> cache.fetch(sha, () -> source))
                .isInstanceOf(ArtifactCache.ArtifactTooLarge.class)
                .hasMessage("artifact is more than 1024 bytes, over GREENLIGHT_MAX_MODEL_BYTES (1024)")
                .extracting(e -> ((ArtifactCache.ArtifactTooLarge) e).code()).isEqualTo("artifact_too_large");
        assertThat(source.read).isLessThanOrEqualTo(1024 + 64 * 1024);
        assertThat(dir.resolve("sha256").toFile().list()).isEmpty();
    }

    @Test
    void an_artifact_of_exactly_the_limit_is_fetched() throws Exception {
        ArtifactCache cache = new ArtifactCache(dir, 1024);
        byte[] bytes = new byte[1024];
        String sha = Digests.sha256(bytes);

        assertThat(Files.size(cache.fetch(sha, () -> new ByteArrayInputStream(bytes)))).isEqualTo(1024);
        assertThat(Files.size(cache.fetchConfirmed(sha, () -> new ByteArrayInputStream(bytes)))).isEqualTo(1024);
    }

    @Test
    void the_limit_holds_for_confirmed_and_unknown_digest_fetches_and_for_files_cached_before_it() throws Exception {
        byte[] bytes = new byte[4096];
        String sha = Digests.sha256(bytes);
        new ArtifactCache(dir).fetch(sha, () -> new ByteArrayInputStream(bytes)); // cached under no limit
        ArtifactCache limited = new ArtifactCache(dir, 1024);

        assertThatThrownBy(() -> limited.fetch(sha, () -> new ByteArrayInputStream(bytes)))
                .isInstanceOf(ArtifactCache.ArtifactTooLarge.class)
                .hasMessage("artifact is 4096 bytes, over GREENLIGHT_MAX_MODEL_BYTES (1024)");
        assertThatThrownBy(() -> limited.fetchConfirmed(sha, () -> new ByteArrayInputStream(bytes)))
                .isInstanceOf(ArtifactCache.ArtifactTooLarge.class);
        assertThatThrownBy(() -> limited.fetchUnknown(() -> new ByteArrayInputStream(new byte[2048])))
                .isInstanceOf(ArtifactCache.ArtifactTooLarge.class);
        assertThat(dir.resolve("sha256").toFile().list((d, name) -> name.endsWith(".part"))).isEmpty();
    }

    /** Counts the bytes a fetch took from it. */
    private static final class CountingStream extends ByteArrayInputStream {
        int read;

        CountingStream(byte[] bytes) {
            super(bytes);
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            int n = super.read(b, off, len);
            read += Math.max(n, 0);
            return n;
        }
    }
}
