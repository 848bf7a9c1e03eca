package dev.greenlight.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.greenlight.demo.DemoModels;
import dev.greenlight.registry.LocalModelRegistry;
import dev.greenlight.registry.ModelVersion;
import dev.greenlight.store.LocalDocumentStore;
import dev.greenlight.store.PointerStore;
import dev.greenlight.store.Pointer;
import dev.greenlight.store.Versioned;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A pointer change reaches the running app: the new version serves, a broken one never does. */
class HotSwapEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    RunningApp app;
    LocalModelRegistry registry;
    PointerStore pointers;

    @BeforeEach
    void start() throws IOException {
        // A long TTL: the SyncCheck timer, triggered by the test, is what makes the app look.
        app = new RunningApp(Map.of("GREENLIGHT_POINTER_TTL", "3600"));
        registry = new LocalModelRegistry(Path.of(app.settings.get("GREENLIGHT_REGISTRY")));
        pointers = new PointerStore(new LocalDocumentStore(Path.of(app.settings.get("GREENLIGHT_STORE"))));
        assertThat(app.versionServed()).isEqualTo("1");
    }

    @AfterEach
    void stop() {
        app.close();
    }

    @Test
    void a_new_baseline_pointer_is_served_after_the_sync_check() throws IOException {
        ModelVersion v2 = register("iris-clf-2.onnx", DemoModels.bytes("iris-clf-2.onnx"));

        point(v2);
        app.host.triggerTimer("SyncCheck");

        assertThat(app.awaitVersion("2", Duration.ofSeconds(20))).isEqualTo("2");
        JsonNode status = JSON.readTree(app.getWithKey("/api/status").body()).path("models").get(0);
        assertThat(status.path("generation").asLong()).isEqualTo(2);
        assertThat(status.path("sha256").asText()).isEqualTo(v2.sha256());
    }

    @Test
    void a_corrupt_version_is_refused_and_the_baseline_keeps_serving_with_the_reason_in_status()
            throws IOException {
        ModelVersion broken = register("broken.onnx", "this is not an ONNX model".getBytes());

        point(broken);
        app.host.triggerTimer("SyncCheck");

        JsonNode model = awaitLoadError(Duration.ofSeconds(20));
        assertThat(model.path("version").asText()).isEqualTo("1");
        assertThat(model.path("lastLoadError").path("version").asText()).isEqualTo(broken.version());
        assertThat(model.path("lastLoadError").path("reason").asText()).isNotBlank();
        assertThat(app.versionServed()).isEqualTo("1");
    }

    private ModelVersion register(String name, byte[] bytes) throws IOException {
        Path file = app.data.resolve(name);
        Files.write(file, bytes);
        return registry.register("iris-clf", file, Map.of(), Map.of(), null);
    }

    private void point(ModelVersion version) {
        Versioned<Pointer> current = pointers.read("iris-clf").orElseThrow();
        pointers.write(new Pointer("iris-clf", version.version(), version.sha256(),
                current.value().generation() + 1, Instant.now()), current.etag());
    }



    private JsonNode awaitLoadError(Duration timeout) {
        java.util.concurrent.atomic.AtomicReference<JsonNode> model = new java.util.concurrent.atomic.AtomicReference<>();
        RunningApp.awaitQuietly(timeout, () -> {
            model.set(JSON.readTree(app.getWithKey("/api/status").body()).path("models").get(0));
            return model.get().has("lastLoadError");
        });
        return model.get();
    }
}
