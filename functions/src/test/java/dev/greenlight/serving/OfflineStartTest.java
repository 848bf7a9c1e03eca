package dev.greenlight.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.greenlight.demo.DemoModels;
import dev.greenlight.store.ArtifactCache;
import dev.greenlight.store.DocumentStore;
import dev.greenlight.store.LocalDocumentStore;
import dev.greenlight.store.PointerStore;
import dev.greenlight.store.StoreUnavailable;
import dev.greenlight.store.Versioned;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An instance that starts while its store is unreachable serves the last baseline it knew, and says so. */
class OfflineStartTest {
    private static final String ROW = "{\"instances\": [[5.1, 3.5, 1.4, 0.2]]}";

    @TempDir
    Path dir;

    @Test
    void a_restart_during_a_store_outage_serves_the_last_known_baseline_until_the_store_answers() throws Exception {
        try (ServingFixture before = new ServingFixture(dir, "iris-clf")) {
            before.serve("iris-clf", DemoModels.bytes("iris-clf-1.onnx"));
        }
        AtomicBoolean down = new AtomicBoolean(true);
        DocumentStore local = new LocalDocumentStore(dir.resolve("store"));
        DocumentStore flaky = new DocumentStore() {
            @Override
            public Optional<Versioned<byte[]>> read(String name) {
                return readIfChanged(name, null);
            }

            @Override
            public Optional<Versioned<byte[]>> readIfChanged(String name, String knownEtag) {
                if (down.get()) {
                    throw new StoreUnavailable("the store does not answer", null);
                }
                return local.readIfChanged(name, knownEtag);
            }

            @Override
            public String write(String name, byte[] content, String expectedEtag) {
                return local.write(name, content, expectedEtag);
            }
        };
        ExecutorService loads = Executors.newFixedThreadPool(2);
        ModelCache restarted = new ModelCache(List.of("iris-clf"), new PointerStore(flaky),
                new dev.greenlight.registry.LocalModelRegistry(dir.resolve("registry")),
                new ArtifactCache(dir.resolve("cache")), new ModelLoader(1, Clock.systemUTC()), loads,
                Clock.systemUTC(), Duration.ofSeconds(30));
        try {
            assertThatThrownBy(() -> restarted.refresh("iris-clf").get(30, TimeUnit.SECONDS))
                    .hasRootCauseInstanceOf(StoreUnavailable.class);

            assertThat(new Predictions(restarted).predict(null, ROW).version()).isEqualTo("1");
            assertThat(restarted.status().get(0).lastFailure().orElseThrow().reason())
                    .contains("serving the last baseline this instance knew (generation 1)");

            down.set(false);
            restarted.refresh("iris-clf").get(30, TimeUnit.SECONDS);

            assertThat(restarted.status().get(0).lastFailure()).isEmpty();
            assertThat(new Predictions(restarted).predict(null, ROW).version()).isEqualTo("1");
        } finally {
            restarted.close();
            loads.shutdownNow();
        }
    }
}
