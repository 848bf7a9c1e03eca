package dev.greenlight.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.greenlight.app.Stores;
import dev.greenlight.store.PointerStore;
import dev.greenlight.store.blob.Azurite;
import dev.greenlight.store.blob.AzuriteExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The embedded default with {@code GREENLIGHT_STORE} set to a Blob container (Azurite): the
 * baseline pointer is seeded there, where the app reads it, and the setting never becomes a
 * folder on disk (a connection string carries the account key).
 */
@ExtendWith(AzuriteExtension.class)
class BlobStoreSeedEndToEndTest {
    RunningApp app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void seeds_the_baseline_into_the_blob_store_so_health_is_ready_without_a_manual_promote(Azurite azurite)
            throws IOException {
        String store = azurite.connectionString() + ";Container=seed-" + UUID.randomUUID();

        app = new RunningApp(Map.of("GREENLIGHT_STORE", store));

        assertThat(new PointerStore(Stores.from(store)).read("iris-clf")).hasValueSatisfying(
                pointer -> assertThat(pointer.value().version()).isEqualTo("1"));
        await().atMost(Duration.ofSeconds(20)).until(() -> app.get("/api/health").statusCode() == 200);
        assertThat(app.versionServed()).isEqualTo("1");
    }

    @Test
    void never_makes_a_folder_out_of_a_connection_string(Azurite azurite) throws IOException {
        String store = azurite.connectionString() + ";Container=seed-" + UUID.randomUUID();

        app = new RunningApp(Map.of("GREENLIGHT_STORE", store));

        assertThat(names(Path.of("").toAbsolutePath())).noneMatch(BlobStoreSeedEndToEndTest::fromConnectionString);
        try (Stream<Path> all = Files.walk(app.data)) {
            assertThat(all.map(p -> p.getFileName().toString()).toList())
                    .noneMatch(BlobStoreSeedEndToEndTest::fromConnectionString);
        }
    }

    @Test
    void a_data_folder_seeded_before_gets_its_baseline_into_a_new_blob_store(Azurite azurite) throws IOException {
        Path data;
        try (RunningApp local = new RunningApp(Map.of())) {
            data = local.data;
        }
        String store = azurite.connectionString() + ";Container=seed-" + UUID.randomUUID();

        app = new RunningApp(data, Map.of("GREENLIGHT_STORE", store));

        await().atMost(Duration.ofSeconds(20)).until(() -> app.get("/api/health").statusCode() == 200);
        assertThat(app.versionServed()).isEqualTo("1");
    }

    private static boolean fromConnectionString(String name) {
        return name.contains("AccountKey") || name.contains("DefaultEndpointsProtocol") || name.contains("Container=");
    }

    private static List<String> names(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
