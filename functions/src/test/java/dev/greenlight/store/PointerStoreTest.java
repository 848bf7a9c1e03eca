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
}
