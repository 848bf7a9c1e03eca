package dev.greenlight.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
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
}
