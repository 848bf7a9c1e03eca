package dev.greenlight.store.blob;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.greenlight.store.DocumentStore;
import dev.greenlight.store.StoreConflict;
import dev.greenlight.store.Versioned;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link DocumentStore} adapter promises, run against each of them: a subclass hands
 * in a store over an empty place (a fresh folder, a container that does not exist yet).
 */
abstract class DocumentStoreContract {
    private static final String NAME = "pointers/iris-clf.json";

    protected DocumentStore store;

    /** A store over a place that holds no documents yet; a new one for every test. */
    protected abstract DocumentStore newStore() throws Exception;

    @BeforeEach
    void setUpStore() throws Exception {
        store = newStore();
    }

    @Test
    void reads_nothing_when_the_document_does_not_exist() {
        assertThat(store.read(NAME)).isEmpty();
        assertThat(store.readIfChanged(NAME, null)).isEmpty();
    }

    @Test
    void reads_back_what_it_wrote_with_the_etag_the_write_returned() {
        String etag = store.write(NAME, json("{\"version\":\"1\"}"), null);

        Versioned<byte[]> read = store.read(NAME).orElseThrow();

        assertThat(text(read)).isEqualTo("{\"version\":\"1\"}");
        assertThat(read.etag()).isNotBlank().isEqualTo(etag);
    }

    @Test
    void a_second_create_of_the_same_document_conflicts_and_changes_nothing() {
        store.write(NAME, json("{\"version\":\"1\"}"), null);

        assertThatThrownBy(() -> store.write(NAME, json("{\"version\":\"2\"}"), null))
                .isInstanceOf(StoreConflict.class)
                .hasMessageContaining(NAME);
        assertThat(text(store.read(NAME).orElseThrow())).isEqualTo("{\"version\":\"1\"}");
    }

    @Test
    void a_write_with_a_stale_etag_conflicts_and_changes_nothing() {
        String first = store.write(NAME, json("{\"version\":\"1\"}"), null);
        String second = store.write(NAME, json("{\"version\":\"2\"}"), first);

        assertThatThrownBy(() -> store.write(NAME, json("{\"version\":\"3\"}"), first))
                .isInstanceOf(StoreConflict.class)
                .hasMessageContaining(NAME);
        Versioned<byte[]> read = store.read(NAME).orElseThrow();
        assertThat(text(read)).isEqualTo("{\"version\":\"2\"}");
        assertThat(read.etag()).isEqualTo(second).isNotEqualTo(first);
    }

    @Test
    void a_write_expecting_a_version_of_a_document_that_does_not_exist_conflicts() {
        String otherEtag = store.write("pointers/other.json", json("{}"), null);

        assertThatThrownBy(() -> store.write(NAME, json("{\"version\":\"1\"}"), otherEtag))
                .isInstanceOf(StoreConflict.class);
        assertThat(store.read(NAME)).isEmpty();
    }

    @Test
    void a_conditional_read_is_empty_while_unchanged_and_returns_the_new_content_after_a_change() {
        String first = store.write(NAME, json("{\"version\":\"1\"}"), null);
        assertThat(store.readIfChanged(NAME, first)).isEmpty();

        String second = store.write(NAME, json("{\"version\":\"2\"}"), first);

        Optional<Versioned<byte[]>> changed = store.readIfChanged(NAME, first);
        assertThat(changed).isPresent();
        assertThat(text(changed.get())).isEqualTo("{\"version\":\"2\"}");
        assertThat(changed.get().etag()).isEqualTo(second);
        assertThat(store.readIfChanged(NAME, second)).isEmpty();
    }

    @Test
    void a_conditional_read_of_a_missing_document_is_empty() {
        String etag = store.write("pointers/other.json", json("{}"), null);

        assertThat(store.readIfChanged(NAME, etag)).isEmpty();
    }

    @Test
    void documents_under_different_names_are_independent() {
        String a = store.write("pointers/a.json", json("{\"a\":1}"), null);
        store.write("ledgers/a.json", json("{\"b\":2}"), null);

        assertThat(text(store.read("pointers/a.json").orElseThrow())).isEqualTo("{\"a\":1}");
        assertThat(text(store.read("ledgers/a.json").orElseThrow())).isEqualTo("{\"b\":2}");
        assertThat(store.readIfChanged("pointers/a.json", a)).isEmpty();
    }

    @Test
    void an_empty_document_round_trips() {
        String etag = store.write(NAME, new byte[0], null);

        Versioned<byte[]> read = store.read(NAME).orElseThrow();

        assertThat(read.value()).isEmpty();
        assertThat(read.etag()).isEqualTo(etag);
    }

    @Test
    void rejects_names_that_escape_the_store() {
        for (String name : List.of("", " ", "/pointers/a.json", "../a.json", "pointers/../../a.json", "pointers\\a.json")) {
            assertThatThrownBy(() -> store.write(name, json("{}"), null))
                    .as("write '%s'", name).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.read(name))
                    .as("read '%s'", name).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void rejects_names_that_could_be_a_lock_or_temporary_file() {
        for (String name : List.of(".lock", "pointers/.lock", "decisions/iris-clf/.d-1.json.tmp", ".hidden/a.json")) {
            assertThatThrownBy(() -> store.write(name, json("{}"), null))
                    .as("write '%s'", name).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.read(name))
                    .as("read '%s'", name).isInstanceOf(IllegalArgumentException.class);
        }
    }

    /**
     * Optimistic writes lose no update: writers that each re-read and retry on conflict end with
     * every increment counted, starting from a document (and, for Blob, a container) that does
     * not exist yet, so creation races too.
     */
    @Test
    void concurrent_read_modify_write_with_retry_on_conflict_loses_no_increment() throws Exception {
        int writers = 8;
        int increments = 25;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Callable<Integer>> tasks = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                tasks.add(() -> incrementTimes(increments));
            }
            int conflicts = 0;
            for (Future<Integer> done : pool.invokeAll(tasks, 120, TimeUnit.SECONDS)) {
                conflicts += done.get();
            }

            assertThat(text(store.read("counter.json").orElseThrow())).isEqualTo(Integer.toString(writers * increments));
            // Otherwise the writers never overlapped and the test proved nothing about If-Match.
            assertThat(conflicts).as("conflicts seen by the writers").isPositive();
        } finally {
            pool.shutdownNow();
        }
    }

    /** Increments the counter {@code times}, retrying each lost race; returns the races lost. */
    private int incrementTimes(int times) {
        int conflicts = 0;
        for (int i = 0; i < times; i++) {
            while (true) {
                Optional<Versioned<byte[]>> current = store.read("counter.json");
                int value = current.map(v -> Integer.parseInt(text(v))).orElse(0);
                try {
                    store.write("counter.json", json(Integer.toString(value + 1)), current.map(Versioned::etag).orElse(null));
                    break;
                } catch (StoreConflict lost) {
                    conflicts++;
                }
            }
        }
        return conflicts;
    }

    static byte[] json(String text) {
        return text.getBytes(UTF_8);
    }

    static String text(Versioned<byte[]> versioned) {
        return new String(versioned.value(), UTF_8);
    }
}
