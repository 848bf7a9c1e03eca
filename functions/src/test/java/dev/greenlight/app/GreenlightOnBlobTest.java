package dev.greenlight.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.greenlight.config.Settings;
import dev.greenlight.demo.DemoModels;
import dev.greenlight.promotion.Outcome;
import dev.greenlight.registry.LocalModelRegistry;
import dev.greenlight.serving.LoadedModel;
import dev.greenlight.store.blob.Azurite;
import dev.greenlight.store.blob.AzuriteExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The whole app wired on a Blob store (Azurite): promotions commit there and serving follows. */
@ExtendWith(AzuriteExtension.class)
class GreenlightOnBlobTest {
    @TempDir
    Path dir;

    @Test
    void promotes_and_serves_with_ledger_and_pointer_in_blob_storage(Azurite azurite) throws Exception {
        LocalModelRegistry registry = new LocalModelRegistry(dir.resolve("registry"));
        for (int v = 1; v <= 2; v++) {
            Path file = dir.resolve("v" + v + ".onnx");
            Files.write(file, DemoModels.bytes("iris-clf-" + v + ".onnx"));
            registry.register("iris-clf", file, DemoModels.manifest().version(v).properties(), Map.of(), null);
        }
        Map<String, String> values = new HashMap<>();
        values.put("GREENLIGHT_MODELS", "iris-clf");
        values.put("GREENLIGHT_REGISTRY", dir.resolve("registry").toString());
        values.put("GREENLIGHT_STORE", azurite.connectionString() + ";Container=gl-" + UUID.randomUUID());
        values.put("GREENLIGHT_CACHE", dir.resolve("cache").toString());

        try (Greenlight app = new Greenlight(Settings.from(values), Clock.systemUTC())) {
            assertThat(app.promotion().evaluate("iris-clf", "1", "test").orElseThrow().outcome())
                    .isEqualTo(Outcome.PROMOTED);
            assertThat(app.promotion().evaluate("iris-clf", "2", "test").orElseThrow().outcome())
                    .isEqualTo(Outcome.PROMOTED);
            app.cache().refresh("iris-clf").get();

            LoadedModel serving = app.cache().status().get(0).serving().orElseThrow();
            assertThat(serving.version()).isEqualTo("2");
            assertThat(serving.generation()).isEqualTo(2);
            assertThat(app.promotion().ledger("iris-clf").orElseThrow().history()).hasSize(1);
        }
    }
}
