package dev.greenlight.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PointerStoreTest {
    private static final String SHA = "a".repeat(64);
    @TempDir
    Path dir;

    @Test
    void reads_back_what_it_wrote_with_its_etag() {
        PointerStore store = new PointerStore(new LocalDocumentStore(dir));
        String etag = store.write(new Pointer("m", "1", SHA, 1, Instant.EPOCH), null);

        Versioned<Pointer> read = store.read("m").orElseThrow();

        assertThat(read.value().version()).isEqualTo("1");
        assertThat(read.etag()).isEqualTo(etag);
    }

    @Test
    void a_conditional_read_is_empty_until_the_pointer_changes() {
        PointerStore store = new PointerStore(new LocalDocumentStore(dir));
        String etag = store.write(new Pointer("m", "1", SHA, 1, Instant.EPOCH), null);
        assertThat(store.readIfChanged("m", etag)).isEmpty();

        store.write(new Pointer("m", "2", SHA, 2, Instant.EPOCH), etag);

        assertThat(store.readIfChanged("m", etag)).map(v -> v.value().version()).contains("2");
    }

    @Test
    void a_write_with_a_stale_etag_loses_and_changes_nothing() {
        PointerStore store = new PointerStore(new LocalDocumentStore(dir));
        String first = store.write(new Pointer("m", "1", SHA, 1, Instant.EPOCH), null);
        store.write(new Pointer("m", "2", SHA, 2, Instant.EPOCH), first);

        assertThatThrownBy(() -> store.write(new Pointer("m", "3", SHA, 2, Instant.EPOCH), first))
                .isInstanceOf(StoreConflict.class);
        assertThatThrownBy(() -> store.write(new Pointer("m", "3", SHA, 2, Instant.EPOCH), null))
                .isInstanceOf(StoreConflict.class);
        assertThat(store.read("m").orElseThrow().value().version()).isEqualTo("2");
    }

    @Test
    void writes_the_pointer_as_the_documented_json() {
        PointerStore store = new PointerStore(new LocalDocumentStore(dir));
        store.write(new Pointer("m", "1", SHA, 3, Instant.parse("2026-12-03T10:00:00Z")), null);

        String json = new String(new LocalDocumentStore(dir).read("pointers/m.json").orElseThrow().value(),
                java.nio.charset.StandardCharsets.UTF_8);

        assertThat(json.replaceAll("\\s", "")).isEqualTo("{\"model\":\"m\",\"version\":\"1\",\"sha256\":\"" + SHA
                + "\",\"generation\":3,\"updatedAt\":\"2026-12-03T10:00:00Z\"}");
    }

    @Test
    void reads_a_pointer_that_carries_fields_a_later_version_added() {
        Pointer read = PointerStore.parse("m", ("{\"model\":\"m\",\"version\":\"2\",\"sha256\":\"" + SHA
                + "\",\"generation\":4,\"updatedAt\":\"2026-12-03T10:00:00Z\","
                + "\"candidate\":{\"version\":\"3\",\"weight\":10},\"step\":1}").getBytes());

        assertThat(read).isEqualTo(new Pointer("m", "2", SHA, 4, Instant.parse("2026-12-03T10:00:00Z")));
    }

    @Test
    void a_pointer_written_without_its_model_takes_the_model_it_is_read_for() {
        Pointer read = PointerStore.parse("iris-clf", ("{\"version\":\"2\",\"sha256\":\"" + SHA
                + "\",\"generation\":4,\"updatedAt\":\"2026-12-03T10:00:00Z\"}").getBytes());

        assertThat(read.model()).isEqualTo("iris-clf");
    }

    @Test
    void an_unreadable_pointer_is_503_naming_the_model_and_why() {
        for (String bad : java.util.List.of("not json", "{\"version\":\"2\",\"sha256\":\"xyz\",\"generation\":4,"
                + "\"updatedAt\":\"2026-12-03T10:00:00Z\"}", "{\"version\":\"2\",\"sha256\":\"" + SHA
                + "\",\"generation\":\"many\",\"updatedAt\":\"2026-12-03T10:00:00Z\"}")) {
            assertThatThrownBy(() -> PointerStore.parse("iris-clf", bad.getBytes())).as(bad)
                    .isInstanceOfSatisfying(UnreadableDocument.class, e -> {
                        assertThat(e.code()).isEqualTo("store_document_unreadable");
                        assertThat(dev.greenlight.errors.ErrorMapper.map(e).status()).isEqualTo(503);
                    })
                    .hasMessageStartingWith("the pointer of model iris-clf (pointers/iris-clf.json) cannot be read: ");
        }
        assertThatThrownBy(() -> PointerStore.parse("iris-clf", ("{\"version\":\"2\",\"sha256\":\"xyz\","
                + "\"generation\":4,\"updatedAt\":\"2026-12-03T10:00:00Z\"}").getBytes()))
                .hasMessageContaining("sha256 must be 64 lower-case hex digits, was xyz");
    }
}
